/* Sanitising, re-linking, mapping tokens and streams through the C API. */
#include "check.h"

/* Several texts of one request; the second spells a value of the first in upper case
 * and cuts a two-byte character of the third's address. */
static const char *const TEXTS[] = {
    "Mail ana@example.org and bo@example.net about EMP-004211.",
    "Write to zo\xc3\xab@exemple.fr, not EMP-004211.",
    "I typed [EMAIL_ADDRESS_1] myself",
};
#define N_TEXTS (sizeof TEXTS / sizeof TEXTS[0])

static const uint8_t KEY[LUCAIRN_KEY_LEN] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                             7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};

static lucairn_sanitizer *new_sanitizer(const uint8_t *secret) {
  lucairn_engine *engine = test_engine();
  lucairn_sanitizer *s = NULL;
  CHECK_OK(lucairn_sanitizer_new(engine, secret, &s));
  CHECK(s != NULL);
  /* The sanitizer keeps its own reference to the engine. */
  lucairn_engine_free(engine);
  return s;
}

/* Sanitises into a buffer sized by a first call that asks for the length. */
static char *sanitize_sized(lucairn_sanitizer *s, uint32_t message, const char *text) {
  size_t n = 0;
  CHECK_RESULT(lucairn_sanitizer_sanitize(s, message, TEXT("content"), TEXT(text), NULL, 0, &n),
               LUCAIRN_RESULT_BUFFER_TOO_SMALL);
  char *buf = malloc(n + 1);
  CHECK(buf != NULL);
  size_t m = 0;
  CHECK_OK(lucairn_sanitizer_sanitize(s, message, TEXT("content"), TEXT(text), buf, n + 1, &m));
  CHECK(m == n && strlen(buf) == n);
  return buf;
}

static void round_trip(void) {
  lucairn_sanitizer *s = new_sanitizer(NULL);
  char *clean[N_TEXTS];
  for (size_t i = 0; i < N_TEXTS; i++) clean[i] = sanitize_sized(s, (uint32_t)i, TEXTS[i]);
  CHECK(strcmp(clean[0], "Mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2] about [EMPLOYEE_ID_1].") == 0);
  CHECK(strcmp(clean[1], "Write to [EMAIL_ADDRESS_3], not [EMPLOYEE_ID_1].") == 0);
  /* Text that looks like a placeholder given out already is escaped, not re-linked. */
  CHECK(strstr(clean[2], "[EMAIL_ADDRESS_1]") == NULL);

  /* relink(sanitize(x)) == x, through the sanitizer and through a mapping. */
  lucairn_mapping *mapping = NULL;
  CHECK_OK(lucairn_sanitizer_mapping(s, &mapping));
  size_t len = 0;
  CHECK_OK(lucairn_mapping_len(mapping, &len));
  CHECK(len == 4);
  for (size_t i = 0; i < N_TEXTS; i++) {
    char *back = NULL;
    size_t n = 0;
    CHECK_OK(lucairn_sanitizer_relink_alloc(s, TEXT(clean[i]), &back, &n));
    CHECK(n == strlen(TEXTS[i]) && strcmp(back, TEXTS[i]) == 0);
    lucairn_string_free(back);
    char buf[128];
    CHECK_OK(lucairn_mapping_relink(mapping, TEXT(clean[i]), buf, sizeof buf, &n));
    CHECK(strcmp(buf, TEXTS[i]) == 0);
    free(clean[i]);
  }

  /* Reformatted placeholders in an answer are found; unknown ones are left alone. */
  char buf[160];
  size_t n = 0;
  CHECK_OK(lucairn_mapping_relink(mapping, TEXT("Sent to **email_address_2**, not [EMAIL_ADDRESS_9]."), buf,
                                  sizeof buf, &n));
  CHECK(strcmp(buf, "Sent to **bo@example.net**, not [EMAIL_ADDRESS_9].") == 0);

  /* The model's answer: placeholders kept or re-linked; its own personal data replaced. */
  const char *answer = "Done, [EMAIL_ADDRESS_1]; I also wrote to new@example.com.";
  char *shown = NULL;
  CHECK_OK(lucairn_sanitizer_scan_output_alloc(s, 0, TEXT("content"), TEXT(answer), LUCAIRN_OUTPUT_KEEP, &shown, &n));
  CHECK(strcmp(shown, "Done, [EMAIL_ADDRESS_1]; I also wrote to [EMAIL_ADDRESS_4].") == 0);
  lucairn_string_free(shown);
  CHECK_OK(lucairn_sanitizer_scan_output(s, 0, TEXT("content"), TEXT(answer), LUCAIRN_OUTPUT_RELINK, buf, sizeof buf, &n));
  CHECK(strcmp(buf, "Done, ana@example.org; I also wrote to [EMAIL_ADDRESS_4].") == 0);

  /* The mapping is a snapshot: later placeholders are not in it. */
  char *more = NULL;
  CHECK_OK(lucairn_sanitizer_sanitize_alloc(s, 3, TEXT("content"), TEXT("cc eve@example.org"), &more, &n));
  CHECK(strcmp(more, "cc [EMAIL_ADDRESS_5]") == 0);
  lucairn_string_free(more);
  CHECK_OK(lucairn_mapping_len(mapping, &len));
  CHECK(len == 4);
  lucairn_mapping_free(mapping);
  lucairn_sanitizer_free(s);
}

static void tenant_secret(void) {
  uint8_t secret[LUCAIRN_KEY_LEN];
  memset(secret, 0x42, sizeof secret);
  /* The same value gets the same six-digit placeholder in two requests of the tenant. */
  char *first[2];
  for (int i = 0; i < 2; i++) {
    lucairn_sanitizer *s = new_sanitizer(secret);
    first[i] = sanitize_sized(s, 0, "from ana@example.org");
    lucairn_sanitizer_free(s);
  }
  CHECK(strcmp(first[0], first[1]) == 0);
  CHECK(strncmp(first[0], "from [EMAIL_ADDRESS_", 20) == 0 && strlen(first[0]) == 5 + 22);
  free(first[0]);
  free(first[1]);
}

static void tokens(void) {
  lucairn_sanitizer *s = new_sanitizer(NULL);
  char *clean = sanitize_sized(s, 0, TEXTS[0]);
  lucairn_mapping *mapping = NULL;
  CHECK_OK(lucairn_sanitizer_mapping(s, &mapping));
  lucairn_sanitizer_free(s);

  size_t n = 0;
  CHECK_RESULT(lucairn_mapping_seal(mapping, KEY, TEXT("tenant-a"), NULL, 0, &n), LUCAIRN_RESULT_BUFFER_TOO_SMALL);
  char *token = malloc(n + 1);
  CHECK(token != NULL);
  CHECK_OK(lucairn_mapping_seal(mapping, KEY, TEXT("tenant-a"), token, n + 1, &n));
  lucairn_mapping_free(mapping);

  lucairn_mapping *opened = NULL;
  CHECK_OK(lucairn_mapping_open(TEXT(token), KEY, TEXT("tenant-a"), &opened));
  char *back = NULL;
  CHECK_OK(lucairn_mapping_relink_alloc(opened, TEXT(clean), &back, &n));
  CHECK(strcmp(back, TEXTS[0]) == 0);
  lucairn_string_free(back);
  lucairn_mapping_free(opened);

  /* Another tenant or key, an altered token, not a token: distinct codes, nothing written. */
  lucairn_mapping *const sentinel = (lucairn_mapping *)&opened;
  opened = sentinel;
  CHECK_RESULT(lucairn_mapping_open(TEXT(token), KEY, TEXT("tenant-b"), &opened), LUCAIRN_RESULT_MAPPING_TOKEN_DECRYPT);
  uint8_t other[LUCAIRN_KEY_LEN] = {1};
  CHECK_RESULT(lucairn_mapping_open(TEXT(token), other, TEXT("tenant-a"), &opened), LUCAIRN_RESULT_MAPPING_TOKEN_DECRYPT);
  token[strlen(token) - 3] = token[strlen(token) - 3] == 'A' ? 'B' : 'A';
  CHECK_RESULT(lucairn_mapping_open(TEXT(token), KEY, TEXT("tenant-a"), &opened), LUCAIRN_RESULT_MAPPING_TOKEN_DECRYPT);
  CHECK_RESULT(lucairn_mapping_open(TEXT("not a token"), KEY, TEXT("tenant-a"), &opened),
               LUCAIRN_RESULT_MAPPING_TOKEN_MALFORMED);
  CHECK_RESULT(lucairn_mapping_open(TEXT(token), NULL, TEXT("tenant-a"), &opened), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_mapping_open((const uint8_t *)"", 0, KEY, TEXT("tenant-a"), &opened), LUCAIRN_RESULT_EMPTY_INPUT);
  CHECK(opened == sentinel);
  free(token);
  free(clean);
}

/* Pushes `text` to a stream in chunks that end at `cuts` (byte offsets, any of which may
 * fall inside a UTF-8 character) and returns the concatenated output. */
typedef lucairn_result (*push_fn)(void *stream, const uint8_t *chunk, size_t len, char **out, size_t *n);
typedef lucairn_result (*finish_fn)(void *stream, char **out, size_t *n);

static lucairn_result push_sanitizer(void *st, const uint8_t *chunk, size_t len, char **out, size_t *n) {
  return lucairn_stream_sanitizer_push(st, chunk, len, out, n);
}
static lucairn_result finish_sanitizer(void *st, char **out, size_t *n) {
  return lucairn_stream_sanitizer_finish(st, out, n);
}
static lucairn_result push_relinker(void *st, const uint8_t *chunk, size_t len, char **out, size_t *n) {
  return lucairn_stream_relinker_push(st, chunk, len, out, n);
}
static lucairn_result finish_relinker(void *st, char **out, size_t *n) {
  return lucairn_stream_relinker_finish(st, out, n);
}

static void append(char *acc, size_t cap, char *piece, size_t n) {
  CHECK(piece != NULL && strlen(piece) == n);
  CHECK(strlen(acc) + n < cap);
  strcat(acc, piece);
  lucairn_string_free(piece);
}

static void stream_text(void *st, push_fn push, finish_fn finish, const char *text, const size_t *cuts, size_t n_cuts,
                        char *out, size_t cap) {
  out[0] = '\0';
  size_t from = 0, len = strlen(text);
  for (size_t i = 0; i <= n_cuts; i++) {
    size_t to = i < n_cuts ? cuts[i] : len;
    char *piece = NULL;
    size_t n = 0;
    CHECK_OK(push(st, (const uint8_t *)text + from, to - from, &piece, &n));
    append(out, cap, piece, n);
    from = to;
  }
  char *rest = NULL;
  size_t n = 0;
  CHECK_OK(finish(st, &rest, &n));
  append(out, cap, rest, n);
}

static void streams(void) {
  /* "zoë" has a two-byte character: cutting after each byte cuts inside it once. */
  const char *text = TEXTS[1];
  size_t len = strlen(text);
  lucairn_sanitizer *whole = new_sanitizer(NULL);
  char *want = sanitize_sized(whole, 0, text);
  lucairn_sanitizer_free(whole);

  char out[256];
  size_t cuts[128];
  CHECK(len < 128);
  /* One cut at every position, then a cut after every byte. */
  for (size_t at = 0; at <= len + 1; at++) {
    lucairn_sanitizer *s = new_sanitizer(NULL);
    lucairn_stream_sanitizer *st = NULL;
    CHECK_OK(lucairn_stream_sanitizer_new(s, 0, TEXT("content"), &st));
    size_t n_cuts = 0;
    if (at <= len) {
      cuts[n_cuts++] = at;
    } else {
      for (size_t c = 1; c < len; c++) cuts[n_cuts++] = c;
    }
    stream_text(st, push_sanitizer, finish_sanitizer, text, cuts, n_cuts, out, sizeof out);
    CHECK(strcmp(out, want) == 0);

    /* While the stream is open the sanitizer is busy; freeing the stream gives it back. */
    char *busy = (char *)out;
    size_t n = 4242;
    CHECK_RESULT(lucairn_sanitizer_relink_alloc(s, TEXT(out), &busy, &n), LUCAIRN_RESULT_SANITIZER_BUSY);
    CHECK(busy == out && n == 4242);
    lucairn_stream_sanitizer_free(st);
    char back[256];
    CHECK_OK(lucairn_sanitizer_relink(s, TEXT(out), back, sizeof back, &n));
    CHECK(strcmp(back, text) == 0);

    /* The answer, re-linked by a stream relinker cut at the same place. */
    lucairn_mapping *mapping = NULL;
    CHECK_OK(lucairn_sanitizer_mapping(s, &mapping));
    lucairn_stream_relinker *r = NULL;
    CHECK_OK(lucairn_stream_relinker_new(mapping, &r));
    lucairn_mapping_free(mapping);
    char relinked[256];
    size_t answer_cuts[1] = {at < strlen(want) ? at : strlen(want)};
    stream_text(r, push_relinker, finish_relinker, want, answer_cuts, 1, relinked, sizeof relinked);
    CHECK(strcmp(relinked, text) == 0);
    lucairn_stream_relinker_free(r);
    lucairn_sanitizer_free(s);
  }
  free(want);

  /* An answer stream, freed after its sanitizer. */
  lucairn_sanitizer *s = new_sanitizer(NULL);
  char *clean = sanitize_sized(s, 0, TEXTS[0]);
  free(clean);
  lucairn_stream_sanitizer *st = NULL;
  CHECK_OK(lucairn_stream_sanitizer_new_output(s, 0, TEXT("content"), LUCAIRN_OUTPUT_RELINK, &st));
  lucairn_sanitizer_free(s);
  const size_t at[2] = {8, 15};
  stream_text(st, push_sanitizer, finish_sanitizer, "Dear [EMAIL_ADDRESS_2], write to x@example.com", at, 2, out,
              sizeof out);
  CHECK(strcmp(out, "Dear bo@example.net, write to [EMAIL_ADDRESS_3]") == 0);
  lucairn_stream_sanitizer_free(st);
  lucairn_stream_sanitizer_free(NULL);
  lucairn_stream_relinker_free(NULL);
}

static void bad_input(void) {
  lucairn_sanitizer *s = new_sanitizer(NULL);
  char buf[8];
  memset(buf, '#', sizeof buf);
  size_t n = 4242;
  char *const sentinel = buf + 1;
  char *out = sentinel;

  CHECK_RESULT(lucairn_sanitizer_sanitize_alloc(NULL, 0, NULL, 0, TEXT(TEXTS[0]), &out, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_sanitizer_sanitize_alloc(s, 0, NULL, 0, NULL, 4, &out, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_sanitizer_sanitize_alloc(s, 0, NULL, 0, (const uint8_t *)"ab\xff", 3, &out, &n),
               LUCAIRN_RESULT_INVALID_UTF8);
  CHECK_RESULT(lucairn_sanitizer_sanitize_alloc(s, 0, (const uint8_t *)"\xc3", 1, TEXT("x"), &out, &n),
               LUCAIRN_RESULT_INVALID_UTF8);
  CHECK_RESULT(lucairn_sanitizer_sanitize_alloc(s, 0, NULL, 0, (const uint8_t *)"x", SIZE_MAX, &out, &n),
               LUCAIRN_RESULT_LENGTH_OVERFLOW);
  CHECK_RESULT(lucairn_sanitizer_scan_output_alloc(s, 0, NULL, 0, TEXT("x"), 5, &out, &n), LUCAIRN_RESULT_INVALID_ARGUMENT);
  CHECK_RESULT(lucairn_sanitizer_sanitize(s, 0, NULL, 0, TEXT(TEXTS[0]), buf, sizeof buf, &n),
               LUCAIRN_RESULT_BUFFER_TOO_SMALL);
  CHECK(n == strlen("Mail [EMAIL_ADDRESS_1] and [EMAIL_ADDRESS_2] about [EMPLOYEE_ID_1]."));
  for (size_t i = 0; i < sizeof buf; i++) CHECK(buf[i] == '#');
  n = 4242;
  CHECK_RESULT(lucairn_sanitizer_relink(s, TEXT("x"), NULL, 3, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK(out == sentinel && n == 4242);

  /* None of that gave out a placeholder. */
  CHECK_OK(lucairn_sanitizer_sanitize_alloc(s, 0, NULL, 0, TEXT("to bo@example.net"), &out, &n));
  CHECK(strcmp(out, "to [EMAIL_ADDRESS_1]") == 0);
  lucairn_string_free(out);

  lucairn_stream_sanitizer *st = (lucairn_stream_sanitizer *)sentinel;
  CHECK_RESULT(lucairn_stream_sanitizer_new(NULL, 0, NULL, 0, &st), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_stream_sanitizer_new_output(s, 0, NULL, 0, 2, &st), LUCAIRN_RESULT_INVALID_ARGUMENT);
  CHECK(st == (lucairn_stream_sanitizer *)sentinel);
  CHECK_OK(lucairn_stream_sanitizer_new(s, 0, NULL, 0, &st));
  lucairn_stream_sanitizer *second = NULL;
  CHECK_RESULT(lucairn_stream_sanitizer_new(s, 1, NULL, 0, &second), LUCAIRN_RESULT_SANITIZER_BUSY);
  CHECK(second == NULL);
  out = sentinel;
  n = 4242;
  CHECK_RESULT(lucairn_stream_sanitizer_push(st, NULL, 2, &out, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_stream_sanitizer_push(st, TEXT("x"), NULL, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_stream_sanitizer_finish(NULL, &out, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK(out == sentinel && n == 4242);
  lucairn_stream_sanitizer_free(st);

  lucairn_mapping *mapping = (lucairn_mapping *)sentinel;
  CHECK_RESULT(lucairn_sanitizer_mapping(NULL, &mapping), LUCAIRN_RESULT_NULL_POINTER);
  CHECK(mapping == (lucairn_mapping *)sentinel);
  CHECK_OK(lucairn_sanitizer_mapping(s, &mapping));
  CHECK_RESULT(lucairn_mapping_seal_alloc(mapping, NULL, NULL, 0, &out, &n), LUCAIRN_RESULT_NULL_POINTER);
  CHECK_RESULT(lucairn_mapping_relink_alloc(mapping, (const uint8_t *)"\xff", 1, &out, &n), LUCAIRN_RESULT_INVALID_UTF8);
  lucairn_stream_relinker *r = (lucairn_stream_relinker *)sentinel;
  CHECK_RESULT(lucairn_stream_relinker_new(NULL, &r), LUCAIRN_RESULT_NULL_POINTER);
  CHECK(r == (lucairn_stream_relinker *)sentinel && out == sentinel && n == 4242);
  lucairn_mapping_free(mapping);
  lucairn_mapping_free(NULL);
  lucairn_sanitizer_free(s);
  lucairn_sanitizer_free(NULL);
}

int main(void) {
  round_trip();
  tenant_secret();
  tokens();
  streams();
  bad_input();
  printf("sanitize: ok\n");
  return 0;
}
