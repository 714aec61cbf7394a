#include "harness.h"

int test_passed = 0, test_failed = 0;

void test_fail(const char* file, int line, const char* expr) {
  test_failed++;
  fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
}

int test_summary(void) {
  printf("%d passed, %d failed\n", test_passed, test_failed);
  return test_failed == 0 ? 0 : 1;
}
