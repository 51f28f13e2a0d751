// The header compiles as C++ (extern "C", the result enum with its uint32_t base).
#include <cstdio>
#include <cstring>

#include "lucairn.h"

int main() {
  lucairn_engine *engine = nullptr;
  if (lucairn_engine_new(nullptr, 3, &engine) != LUCAIRN_RESULT_NULL_POINTER || engine != nullptr) return 1;
  if (lucairn_engine_new(nullptr, 0, &engine) != LUCAIRN_RESULT_OK) return 1;
  const char *text = "mail bo@example.com";
  size_t n = 0;
  lucairn_result r = lucairn_engine_scan(engine, reinterpret_cast<const uint8_t *>(text), std::strlen(text),
                                         nullptr, 0, &n);
  lucairn_engine_free(engine);
  if (r != LUCAIRN_RESULT_BUFFER_TOO_SMALL || n == 0) return 1;
  if (std::strcmp(lucairn_version(), LUCAIRN_VERSION) != 0) return 1;
  std::printf("header: ok\n");
  return 0;
}
