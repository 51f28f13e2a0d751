/* Bad input returns an error code, explains itself, and touches nothing. */
#include <stdint.h>

#include "check.h"

static void bad_policies(void) {
  lucairn_engine *engine = (lucairn_engine *)&engine; /* a sentinel that must survive */
  lucairn_engine *const sentinel = engine;
  char buf[512];

  CHECK_RESULT(lucairn_engine_new(TEXT("{\"custom\": [{\"kind\": \"EMPLOYEE_ID\", \"regex\": \"EMP-(\"}]}"),
                                  &engine),
               LUCAIRN_RESULT_INVALID_POLICY);
  CHECK(strstr(detail(buf, sizeof buf), "policy.custom[0] (EMPLOYEE_ID): invalid regex") == buf);
  CHECK(engine == sentinel);

  CHECK_RESULT(lucairn_engine_new(TEXT("{\"thresholds\": {\"EMAIL_ADDRESS\": 1.5}}"), &engine),
               LUCAIRN_RESULT_INVALID_POLICY);
  CHECK(strstr(detail(buf, sizeof buf), "thresholds.EMAIL_ADDRESS") != NULL);
  CHECK_RESULT(lucairn_engine_new(TEXT("{not json"), &engine), LUCAIRN_RESULT_INVALID_POLICY);
  CHECK_RESULT(lucairn_engine_new((const uint8_t *)"", 0, &engine), LUCAIRN_RESULT_EMPTY_INPUT);
  CHECK_RESULT(lucairn_engine_new(NULL, 2, &engine), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_engine_new(TEXT("{}"), NULL), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_engine_new((const uint8_t *)"{}", SIZE_MAX, &engine),
               LUCAIRN_RESULT_LENGTH_OVERFLOW);
  CHECK_RESULT(lucairn_engine_new((const uint8_t *)"{\"allow\": [\"\xff\"]}", 16, &engine),
               LUCAIRN_RESULT_INVALID_UTF8);
  CHECK(engine == sentinel);
  lucairn_engine_free(NULL);
}

static int untouched(const lucairn_finding *f, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (f[i].start != 7777 || f[i].detector != NULL) return 0;
  }
  return 1;
}

static void bad_scans(lucairn_engine *engine) {
  lucairn_finding findings[4];
  for (size_t i = 0; i < 4; i++) {
    findings[i] = (lucairn_finding){.start = 7777, .end = 7777, .kind = 7777, .score = -1.0f, .detector = NULL};
  }
  size_t n = 4242;
  char buf[256];

  CHECK_RESULT(lucairn_engine_scan(NULL, TEXT(MESSAGE), findings, 4, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_engine_scan(engine, NULL, 3, findings, 4, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_engine_scan(engine, TEXT(MESSAGE), NULL, 4, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_engine_scan(engine, TEXT(MESSAGE), findings, 4, NULL), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_engine_scan(engine, (const uint8_t *)"ok \xe2\x82", 5, findings, 4, &n),
               LUCAIRN_RESULT_INVALID_UTF8);
  CHECK(strcmp(detail(buf, sizeof buf), "text: invalid UTF-8 at byte 3") == 0);
  CHECK_RESULT(lucairn_engine_scan(engine, (const uint8_t *)MESSAGE, SIZE_MAX, findings, 4, &n),
               LUCAIRN_RESULT_LENGTH_OVERFLOW);
  CHECK_RESULT(lucairn_engine_scan(engine, (const uint8_t *)MESSAGE, (size_t)PTRDIFF_MAX + 1, findings, 4, &n),
               LUCAIRN_RESULT_LENGTH_OVERFLOW);
  CHECK_RESULT(lucairn_engine_scan(engine, TEXT(MESSAGE), findings, SIZE_MAX / 2, &n),
               LUCAIRN_RESULT_LENGTH_OVERFLOW);
  CHECK(n == 4242);
  CHECK(untouched(findings, 4));

  /* Too small: the count is reported, the buffer is not written. */
  CHECK_RESULT(lucairn_engine_scan(engine, TEXT(MESSAGE), findings, 3, &n), LUCAIRN_RESULT_BUFFER_TOO_SMALL);
  CHECK(n == 4);
  CHECK(untouched(findings, 4));

  lucairn_finding *owned = (lucairn_finding *)findings;
  size_t count = 4242;
  CHECK_RESULT(lucairn_engine_scan_alloc(engine, (const uint8_t *)"\xff", 1, &owned, &count),
               LUCAIRN_RESULT_INVALID_UTF8);
  CHECK(owned == findings && count == 4242);
  CHECK_RESULT(lucairn_engine_scan_alloc(engine, TEXT(MESSAGE), NULL, &count), LUCAIRN_RESULT_NULL_POINTER);
  lucairn_findings_free(NULL);
}

static void bad_redactions(lucairn_engine *engine) {
  char buf[16];
  memset(buf, '#', sizeof buf);
  size_t n = 4242;
  CHECK_RESULT(lucairn_engine_redact(engine, TEXT(MESSAGE), buf, sizeof buf, &n), LUCAIRN_RESULT_BUFFER_TOO_SMALL);
  CHECK(n > sizeof buf);
  for (size_t i = 0; i < sizeof buf; i++) CHECK(buf[i] == '#');
  CHECK_RESULT(lucairn_engine_redact(engine, TEXT(MESSAGE), NULL, 16, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_engine_redact(engine, TEXT(MESSAGE), buf, sizeof buf, NULL), LUCAIRN_RESULT_NULL_POINTER);
  char *s = buf;
  CHECK_RESULT(lucairn_engine_redact_alloc(engine, (const uint8_t *)"\xc0", 1, &s, &n), LUCAIRN_RESULT_INVALID_UTF8);
  CHECK(s == buf);
  lucairn_string_free(NULL);

  uint32_t id = 5;
  CHECK_RESULT(lucairn_engine_kind_id(engine, TEXT("NOPE"), &id), LUCAIRN_RESULT_UNKNOWN_KIND);
  CHECK_RESULT(lucairn_engine_kind_id(engine, (const uint8_t *)"", 0, &id), LUCAIRN_RESULT_EMPTY_INPUT);
  CHECK(id == 5);
  CHECK_RESULT(lucairn_engine_kind_name(engine, LUCAIRN_KIND_CUSTOM_FIRST + 9, buf, sizeof buf, &n),
               LUCAIRN_RESULT_UNKNOWN_KIND);
}

static void messages(void) {
  const uint32_t codes[] = {LUCAIRN_RESULT_OK,
                            LUCAIRN_RESULT_NULL_POINTER,
                            LUCAIRN_RESULT_INVALID_UTF8,
                            LUCAIRN_RESULT_EMPTY_INPUT,
                            LUCAIRN_RESULT_LENGTH_OVERFLOW,
                            LUCAIRN_RESULT_BUFFER_TOO_SMALL,
                            LUCAIRN_RESULT_UNKNOWN_KIND,
                            LUCAIRN_RESULT_INVALID_ARGUMENT,
                            LUCAIRN_RESULT_INVALID_POLICY,
                            LUCAIRN_RESULT_MAPPING_TOKEN_MALFORMED,
                            LUCAIRN_RESULT_MAPPING_TOKEN_UNSUPPORTED_VERSION,
                            LUCAIRN_RESULT_MAPPING_TOKEN_DECRYPT,
                            LUCAIRN_RESULT_MAPPING_TOKEN_PAYLOAD,
                            LUCAIRN_RESULT_SANITIZER_BUSY,
                            LUCAIRN_RESULT_CERTIFICATE_MALFORMED,
                            LUCAIRN_RESULT_CERTIFICATE_UNSUPPORTED_VERSION,
                            LUCAIRN_RESULT_CERTIFICATE_UNKNOWN_KEY,
                            LUCAIRN_RESULT_CERTIFICATE_BAD_SIGNATURE,
                            LUCAIRN_RESULT_CERTIFICATE_CHAIN_BROKEN,
                            LUCAIRN_RESULT_INVALID_PUBLIC_KEY,
                            LUCAIRN_RESULT_PANIC,
                            LUCAIRN_RESULT_RANDOMNESS_UNAVAILABLE,
                            4000000000u};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    size_t n = 0;
    CHECK_RESULT(lucairn_error_message(codes[i], NULL, 0, &n), LUCAIRN_RESULT_BUFFER_TOO_SMALL);
    char *buf = malloc(n + 1);
    CHECK(buf != NULL);
    CHECK_OK(lucairn_error_message(codes[i], buf, n + 1, &n));
    CHECK(strlen(buf) == n && n > 0);
    free(buf);
  }
  char buf[64];
  size_t n = 0;
  CHECK_OK(lucairn_error_message(LUCAIRN_RESULT_INVALID_POLICY, buf, sizeof buf, &n));
  CHECK(strcmp(buf, "invalid policy") == 0);
}

int main(void) {
  bad_policies();
  lucairn_engine *engine = test_engine();
  bad_scans(engine);
  bad_redactions(engine);
  lucairn_engine_free(engine);
  messages();
  printf("errors: ok\n");
  return 0;
}
