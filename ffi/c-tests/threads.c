/* One engine, one sanitizer and one mapping shared by several threads; each thread keeps
 * its own error detail. */
#include <pthread.h>

#include "check.h"

#define THREADS 4
#define ROUNDS 300

static lucairn_engine *shared;
static lucairn_sanitizer *shared_sanitizer;
static lucairn_mapping *shared_mapping;

static const char *const VALUES[] = {"a@example.org", "b@example.org", "c@example.org", "d@example.org"};

static void *work(void *arg) {
  int t = (int)(intptr_t)arg;
  char text[256];
  char buf[256];
  lucairn_finding findings[8];
  for (int i = 0; i < ROUNDS; i++) {
    int pad = (t + i) % 7;
    snprintf(text, sizeof text, "%*s%s", pad, "", MESSAGE);
    size_t n = 0;
    CHECK_OK(lucairn_engine_scan(shared, TEXT(text), findings, 8, &n));
    CHECK(n == 4);
    CHECK(findings[0].start == (size_t)pad + 5);
    CHECK(memcmp(text + findings[1].start, "EMP-004211", 10) == 0);
    if (i % 50 == 0) {
      char *redacted = NULL;
      CHECK_OK(lucairn_engine_redact_alloc(shared, TEXT(text), &redacted, &n));
      CHECK(strstr(redacted, "[EMPLOYEE_ID]") != NULL);
      lucairn_string_free(redacted);
    }
  }
  /* The shared mapping re-links; the shared sanitizer gives each value one placeholder. */
  for (int i = 0; i < ROUNDS / 10; i++) {
    size_t n = 0;
    CHECK_OK(lucairn_mapping_relink(shared_mapping, TEXT("[EMPLOYEE_ID_1]!"), buf, sizeof buf, &n));
    CHECK(strcmp(buf, "EMP-004211!") == 0);
    char *clean = NULL;
    const char *value = VALUES[(t + i) % 4];
    CHECK_OK(lucairn_sanitizer_sanitize_alloc(shared_sanitizer, (uint32_t)t, TEXT("content"), TEXT(value), &clean, &n));
    char *back = NULL;
    CHECK_OK(lucairn_sanitizer_relink_alloc(shared_sanitizer, TEXT(clean), &back, &n));
    CHECK(strcmp(back, value) == 0);
    lucairn_string_free(back);
    lucairn_string_free(clean);
  }
  /* A failure on this thread is this thread's detail only. */
  char bad[16];
  snprintf(bad, sizeof bad, "%.*s\xff", t, "abcd");
  size_t n = 0;
  CHECK_RESULT(lucairn_engine_scan(shared, TEXT(bad), findings, 8, &n), LUCAIRN_RESULT_INVALID_UTF8);
  char want[64];
  snprintf(want, sizeof want, "text: invalid UTF-8 at byte %d", t);
  CHECK(strcmp(detail(buf, sizeof buf), want) == 0);
  return NULL;
}

int main(void) {
  shared = test_engine();
  CHECK_OK(lucairn_sanitizer_new(shared, NULL, &shared_sanitizer));
  lucairn_sanitizer *s = NULL;
  CHECK_OK(lucairn_sanitizer_new(shared, NULL, &s));
  char *clean = NULL;
  size_t n = 0;
  CHECK_OK(lucairn_sanitizer_sanitize_alloc(s, 0, NULL, 0, TEXT("id EMP-004211"), &clean, &n));
  lucairn_string_free(clean);
  CHECK_OK(lucairn_sanitizer_mapping(s, &shared_mapping));
  lucairn_sanitizer_free(s);
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; t++) {
    CHECK(pthread_create(&threads[t], NULL, work, (void *)(intptr_t)t) == 0);
  }
  for (int t = 0; t < THREADS; t++) {
    CHECK(pthread_join(threads[t], NULL) == 0);
  }
  char buf[64];
  CHECK(strcmp(detail(buf, sizeof buf), "") == 0);
  lucairn_mapping *mapping = NULL;
  CHECK_OK(lucairn_sanitizer_mapping(shared_sanitizer, &mapping));
  CHECK_OK(lucairn_mapping_len(mapping, &n));
  CHECK(n == 4);
  lucairn_mapping_free(mapping);
  lucairn_mapping_free(shared_mapping);
  lucairn_sanitizer_free(shared_sanitizer);
  lucairn_engine_free(shared);
  printf("threads: ok\n");
  return 0;
}
