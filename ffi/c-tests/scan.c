/* Scanning and redacting through the C API, as an application would. */
#include "check.h"

static void version(void) {
  char want[64];
  snprintf(want, sizeof want, "%d.%d.%d", LUCAIRN_VERSION_MAJOR, LUCAIRN_VERSION_MINOR,
           LUCAIRN_VERSION_PATCH);
  CHECK(strcmp(want, LUCAIRN_VERSION) == 0);
  CHECK(strcmp(lucairn_version(), LUCAIRN_VERSION) == 0);
}

static void value(const lucairn_finding *f, const char *want) {
  CHECK(f->end - f->start == strlen(want));
  CHECK(memcmp(MESSAGE + f->start, want, strlen(want)) == 0);
  CHECK(f->score >= 0.0f && f->score <= 1.0f);
}

static void scan_with_a_size_query(lucairn_engine *engine) {
  size_t n = 0;
  /* Ask for the count first, then scan into a buffer of that size. */
  CHECK_RESULT(lucairn_engine_scan(engine, TEXT(MESSAGE), NULL, 0, &n),
               LUCAIRN_RESULT_BUFFER_TOO_SMALL);
  CHECK(n == 4);
  lucairn_finding *findings = calloc(n, sizeof *findings);
  CHECK(findings != NULL);
  size_t count = 0;
  CHECK_OK(lucairn_engine_scan(engine, TEXT(MESSAGE), findings, n, &count));
  CHECK(count == 4);

  value(&findings[0], "ops@example.com");
  value(&findings[1], "EMP-004211");
  value(&findings[2], "zo\xc3\xab@exemple.fr");
  value(&findings[3], "falcon");
  CHECK(strcmp(lucairn_kind_name(findings[0].kind), "EMAIL_ADDRESS") == 0);
  CHECK(findings[2].kind == findings[0].kind);
  CHECK(strcmp(findings[0].detector, "email") == 0);
  CHECK(findings[1].kind >= LUCAIRN_KIND_CUSTOM_FIRST);
  CHECK(lucairn_kind_name(findings[1].kind) == NULL);

  char name[64];
  size_t len = 0;
  CHECK_OK(lucairn_engine_kind_name(engine, findings[1].kind, name, sizeof name, &len));
  CHECK(strcmp(name, "EMPLOYEE_ID") == 0 && len == 11);
  CHECK_OK(lucairn_engine_kind_name(engine, findings[3].kind, name, sizeof name, &len));
  CHECK(strcmp(name, "PROJECT") == 0);

  uint32_t id = 0;
  CHECK_OK(lucairn_engine_kind_id(engine, TEXT("EMPLOYEE_ID"), &id));
  CHECK(id == findings[1].kind);
  CHECK_OK(lucairn_engine_kind_id(engine, TEXT("EMAIL_ADDRESS"), &id));
  CHECK(id == findings[0].kind);
  free(findings);
}

static void scan_alloc(lucairn_engine *engine) {
  lucairn_finding *findings = NULL;
  size_t count = 0;
  CHECK_OK(lucairn_engine_scan_alloc(engine, TEXT(MESSAGE), &findings, &count));
  CHECK(count == 4 && findings != NULL);
  value(&findings[1], "EMP-004211");
  lucairn_findings_free(findings);

  CHECK_OK(lucairn_engine_scan_alloc(engine, TEXT("nothing to see"), &findings, &count));
  CHECK(count == 0 && findings == NULL);
  lucairn_findings_free(findings);
}

static void redact(lucairn_engine *engine) {
  const char *want = "mail [EMAIL_ADDRESS] about [EMPLOYEE_ID], cc: [EMAIL_ADDRESS] (project [PROJECT])";
  size_t n = 0;
  CHECK_RESULT(lucairn_engine_redact(engine, TEXT(MESSAGE), NULL, 0, &n),
               LUCAIRN_RESULT_BUFFER_TOO_SMALL);
  CHECK(n == strlen(want));
  char *buf = malloc(n + 1);
  CHECK(buf != NULL);
  CHECK_OK(lucairn_engine_redact(engine, TEXT(MESSAGE), buf, n + 1, &n));
  CHECK(strcmp(buf, want) == 0);
  free(buf);

  char *owned = NULL;
  CHECK_OK(lucairn_engine_redact_alloc(engine, TEXT(MESSAGE), &owned, &n));
  CHECK(owned != NULL && strcmp(owned, want) == 0 && n == strlen(want));
  lucairn_string_free(owned);
}

static void empty_text(lucairn_engine *engine) {
  size_t n = 99;
  CHECK_OK(lucairn_engine_scan(engine, NULL, 0, NULL, 0, &n));
  CHECK(n == 0);
  char one[1] = {'#'};
  CHECK_OK(lucairn_engine_redact(engine, (const uint8_t *)"", 0, one, 1, &n));
  CHECK(n == 0 && one[0] == '\0');
}

static void default_policy(void) {
  lucairn_engine *engine = NULL;
  CHECK_OK(lucairn_engine_new(NULL, 0, &engine));
  lucairn_finding findings[16];
  size_t count = 0;
  const char *text = "write to anna@example.org";
  CHECK_OK(lucairn_engine_scan(engine, TEXT(text), findings, 16, &count));
  CHECK(count >= 1);
  CHECK(strcmp(lucairn_kind_name(findings[count - 1].kind), "EMAIL_ADDRESS") == 0);
  CHECK(findings[count - 1].start == 9 && findings[count - 1].end == strlen(text));

  char digest[65];
  size_t n = 0;
  CHECK_OK(lucairn_engine_policy_digest(engine, digest, sizeof digest, &n));
  CHECK(n == 64 && strlen(digest) == 64);
  lucairn_engine_free(engine);
}

static void builtin_kinds(void) {
  uint32_t count = lucairn_kind_builtin_count();
  CHECK(count > 10);
  for (uint32_t id = 0; id < count; id++) {
    const char *name = lucairn_kind_name(id);
    CHECK(name != NULL && strlen(name) > 0);
  }
  CHECK(lucairn_kind_name(count) == NULL);
}

int main(void) {
  version();
  lucairn_engine *engine = test_engine();
  scan_with_a_size_query(engine);
  scan_alloc(engine);
  redact(engine);
  empty_text(engine);
  lucairn_engine_free(engine);
  default_policy();
  builtin_kinds();
  printf("scan: ok\n");
  return 0;
}
