/* Certificate verification with the committed test vectors (testdata/certificate/, whose
 * path is in the environment variable LUCAIRN_TESTDATA). */
#include "check.h"

static const char *dir;

/* The contents of a vector file, NUL-terminated; *len receives its length. */
static char *read_vector(const char *name, size_t *len) {
  char path[1024];
  CHECK(snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  CHECK(fseek(f, 0, SEEK_END) == 0);
  long size = ftell(f);
  CHECK(size > 0);
  rewind(f);
  char *buf = malloc((size_t)size + 1);
  CHECK(buf != NULL);
  CHECK(fread(buf, 1, (size_t)size, f) == (size_t)size);
  buf[size] = '\0';
  fclose(f);
  *len = (size_t)size;
  return buf;
}

/* The string value of "member": "..." in expected.json (no escapes in those values). */
static void member(const char *json, const char *name, char *out, size_t cap) {
  char key[64];
  snprintf(key, sizeof key, "\"%s\": \"", name);
  const char *p = strstr(json, key);
  CHECK(p != NULL);
  p += strlen(key);
  const char *end = strchr(p, '"');
  CHECK(end != NULL && (size_t)(end - p) < cap);
  memcpy(out, p, (size_t)(end - p));
  out[end - p] = '\0';
}

static void unhex(const char *hex, uint8_t *out, size_t n) {
  CHECK(strlen(hex) == 2 * n);
  for (size_t i = 0; i < n; i++) {
    unsigned byte = 0;
    CHECK(sscanf(hex + 2 * i, "%2x", &byte) == 1);
    out[i] = (uint8_t)byte;
  }
}

static lucairn_certificate_info sentinel_info(void) {
  lucairn_certificate_info info;
  memset(&info, '#', sizeof info);
  return info;
}

static int untouched(const lucairn_certificate_info *info) {
  const unsigned char *p = (const unsigned char *)info;
  for (size_t i = 0; i < sizeof *info; i++) {
    if (p[i] != '#') return 0;
  }
  return 1;
}

/* Verifies a vector file; on failure checks that the info was not written. */
static lucairn_result verify_file(const char *name, const uint8_t *keys, size_t n_keys, lucairn_certificate_info *info) {
  size_t len = 0;
  char *json = read_vector(name, &len);
  *info = sentinel_info();
  lucairn_result r = lucairn_certificate_verify((const uint8_t *)json, len, keys, n_keys, info);
  if (r != LUCAIRN_RESULT_OK) CHECK(untouched(info));
  free(json);
  return r;
}

int main(void) {
  dir = getenv("LUCAIRN_TESTDATA");
  if (dir == NULL) {
    fprintf(stderr, "set LUCAIRN_TESTDATA to the directory testdata/certificate\n");
    return 1;
  }
  size_t len = 0;
  char *expected = read_vector("expected.json", &len);
  char hex[130], digest[65], digest2[65], key_id[17];
  member(expected, "public_key", hex, sizeof hex);
  member(expected, "certificate_digest", digest, sizeof digest);
  member(expected, "certificate_2_digest", digest2, sizeof digest2);
  member(expected, "key_id", key_id, sizeof key_id);
  free(expected);

  /* Two trusted keys: another generation's, and the one that signed the vectors. */
  uint8_t keys[2][LUCAIRN_KEY_LEN];
  unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", keys[0], LUCAIRN_KEY_LEN);
  unhex(hex, keys[1], LUCAIRN_KEY_LEN);
  char buf[512];

  /* The certificate verifies, pretty-printed too, and says what it is. */
  lucairn_certificate_info info;
  CHECK_OK(verify_file("certificate.json", &keys[0][0], 2, &info));
  CHECK(info.version == 1);
  CHECK(strcmp(info.id, "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf") == 0);
  CHECK(strcmp(info.key_id, key_id) == 0);
  CHECK(strcmp(info.issued_at, "2025-03-01T12:00:00Z") == 0);
  CHECK(strcmp(info.digest, digest) == 0);
  CHECK(strcmp(info.previous, "") == 0);
  CHECK(info.findings == 3 && info.output_findings == 1);
  CHECK_OK(verify_file("certificate.pretty.json", keys[1], 1, &info));
  CHECK(strcmp(info.digest, digest) == 0);
  CHECK_OK(verify_file("certificate-2.json", keys[1], 1, &info));
  CHECK(strcmp(info.previous, digest) == 0 && strcmp(info.digest, digest2) == 0);

  /* The tampered copy fails with a bad signature; without its key, the key is unknown. */
  CHECK_RESULT(verify_file("certificate.tampered.json", &keys[0][0], 2, &info),
               LUCAIRN_RESULT_CERTIFICATE_BAD_SIGNATURE);
  CHECK(strcmp(detail(buf, sizeof buf), "bad signature") == 0);
  CHECK_RESULT(verify_file("certificate.json", keys[0], 1, &info), LUCAIRN_RESULT_CERTIFICATE_UNKNOWN_KEY);
  CHECK(strstr(detail(buf, sizeof buf), key_id) != NULL);
  CHECK_RESULT(verify_file("certificate.json", NULL, 0, &info), LUCAIRN_RESULT_CERTIFICATE_UNKNOWN_KEY);

  /* A certificate of another version, and things that are not certificates. */
  char *json = read_vector("certificate.json", &len);
  char *version = strstr(json, "\"version\":1}");
  CHECK(version != NULL);
  version[10] = '2';
  info = sentinel_info();
  CHECK_RESULT(lucairn_certificate_verify((const uint8_t *)json, len, keys[1], 1, &info),
               LUCAIRN_RESULT_CERTIFICATE_UNSUPPORTED_VERSION);
  CHECK_RESULT(lucairn_certificate_verify((const uint8_t *)json, len / 2, keys[1], 1, &info),
               LUCAIRN_RESULT_CERTIFICATE_MALFORMED);
  CHECK_RESULT(lucairn_certificate_verify(TEXT("{\"version\": 1}"), keys[1], 1, &info),
               LUCAIRN_RESULT_CERTIFICATE_MALFORMED);
  CHECK(strstr(detail(buf, sizeof buf), "malformed certificate") == buf);
  version[10] = '1';

  /* Bad arguments. */
  /* 32 bytes that encode no point of the curve. */
  uint8_t not_a_key[LUCAIRN_KEY_LEN];
  unhex("0011111111111111111111111111111111111111111111111111111111111111", not_a_key, LUCAIRN_KEY_LEN);
  CHECK_RESULT(lucairn_certificate_verify((const uint8_t *)json, len, not_a_key, 1, &info),
               LUCAIRN_RESULT_INVALID_PUBLIC_KEY);
  CHECK_RESULT(lucairn_certificate_verify(NULL, 3, keys[1], 1, &info), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_certificate_verify((const uint8_t *)json, len, NULL, 1, &info), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_certificate_verify((const uint8_t *)json, 0, keys[1], 1, &info), LUCAIRN_RESULT_EMPTY_INPUT);
  CHECK_RESULT(lucairn_certificate_verify((const uint8_t *)json, len, keys[1], SIZE_MAX / 16, &info),
               LUCAIRN_RESULT_LENGTH_OVERFLOW);
  CHECK(untouched(&info));
  /* NULL info: only the result. */
  CHECK_OK(lucairn_certificate_verify((const uint8_t *)json, len, keys[1], 1, NULL));

  /* The chain of the two certificates, and the same two in the wrong order. */
  size_t len2 = 0, len3 = 0;
  char *second = read_vector("certificate-2.json", &len2);
  char *tampered = read_vector("certificate.tampered.json", &len3);
  const uint8_t *chain[2] = {(const uint8_t *)json, (const uint8_t *)second};
  size_t lens[2] = {len, len2};
  CHECK_OK(lucairn_certificate_verify_chain(chain, lens, 2, keys[1], 1, &info));
  CHECK(strcmp(info.digest, digest2) == 0);
  const uint8_t *reversed[2] = {(const uint8_t *)second, (const uint8_t *)json};
  size_t reversed_lens[2] = {len2, len};
  info = sentinel_info();
  CHECK_RESULT(lucairn_certificate_verify_chain(reversed, reversed_lens, 2, keys[1], 1, &info),
               LUCAIRN_RESULT_CERTIFICATE_CHAIN_BROKEN);
  CHECK(strstr(detail(buf, sizeof buf), "certificate 1") != NULL);
  const uint8_t *with_tampered[2] = {(const uint8_t *)json, (const uint8_t *)tampered};
  size_t tampered_lens[2] = {len, len3};
  CHECK_RESULT(lucairn_certificate_verify_chain(with_tampered, tampered_lens, 2, keys[1], 1, &info),
               LUCAIRN_RESULT_CERTIFICATE_BAD_SIGNATURE);
  CHECK(strcmp(detail(buf, sizeof buf), "certificate 1: bad signature") == 0);
  CHECK_RESULT(lucairn_certificate_verify_chain(chain, lens, 0, keys[1], 1, &info), LUCAIRN_RESULT_EMPTY_INPUT);
  CHECK_RESULT(lucairn_certificate_verify_chain(NULL, lens, 2, keys[1], 1, &info), LUCAIRN_RESULT_NULL_POINTER);
  CHECK(untouched(&info));

  free(json);
  free(second);
  free(tampered);
  printf("certificate: ok\n");
  return 0;
}
