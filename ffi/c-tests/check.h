/* Small assertion helpers shared by the C tests. Each test is a program that exits 0
 * when every check passed and prints the failing check otherwise. */
#ifndef LUCAIRN_CHECK_H
#define LUCAIRN_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lucairn.h"

static inline void print_detail(void) {
  char detail[512];
  size_t n = 0;
  if (lucairn_last_error_detail(detail, sizeof detail, &n) == LUCAIRN_RESULT_OK) {
    fprintf(stderr, "  detail: %s\n", detail);
  }
}

#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      print_detail();                                                           \
      exit(1);                                                                  \
    }                                                                           \
  } while (0)

#define CHECK_RESULT(call, want)                                                    \
  do {                                                                              \
    lucairn_result got_ = (call);                                                   \
    if (got_ != (lucairn_result)(want)) {                                           \
      fprintf(stderr, "%s:%d: %s returned %u, want %u\n", __FILE__, __LINE__, #call, \
              (unsigned)got_, (unsigned)(want));                                    \
      print_detail();                                                               \
      exit(1);                                                                      \
    }                                                                               \
  } while (0)

#define CHECK_OK(call) CHECK_RESULT(call, LUCAIRN_RESULT_OK)

/* `len` bytes of a NUL-free C string literal, as lucairn's (ptr, len) inputs. */
#define TEXT(s) (const uint8_t *)(s), strlen(s)

/* The thread's error detail, copied into `buf`. */
static inline const char *detail(char *buf, size_t len) {
  size_t n = 0;
  CHECK_OK(lucairn_last_error_detail(buf, len, &n));
  CHECK(strlen(buf) == n);
  return buf;
}

/* E-mail addresses, an employee id and a deny-list term; `only` keeps other detectors
 * out of the way. */
static const char POLICY[] =
    "{\"only\": [\"EMAIL_ADDRESS\", \"EMPLOYEE_ID\", \"PROJECT\"],"
    " \"deny\": [{\"term\": \"falcon\", \"kind\": \"PROJECT\"}],"
    " \"custom\": [{\"kind\": \"EMPLOYEE_ID\", \"regex\": \"EMP-[0-9]{6}\"}]}";

static const char MESSAGE[] =
    "mail ops@example.com about EMP-004211, cc: zo\xc3\xab@exemple.fr (project falcon)";

static inline lucairn_engine *test_engine(void) {
  lucairn_engine *engine = NULL;
  CHECK_OK(lucairn_engine_new(TEXT(POLICY), &engine));
  CHECK(engine != NULL);
  return engine;
}

#endif
