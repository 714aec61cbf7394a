/* A minimal C test harness: one process per test file (ctest runs each),
 * CHECK records a failure with file/line and continues, and test_summary()
 * prints "N passed, N failed" and gives the exit status. */
#ifndef CMLX_TEST_HARNESS_H
#define CMLX_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>

extern int test_passed, test_failed;
void test_fail(const char* file, int line, const char* expr);

#define CHECK(cond) \
  do { if (cond) test_passed++; else test_fail(__FILE__, __LINE__, #cond); } while (0)
#define CHECK_NEAR(a, b, tol) CHECK(fabs((double)(a) - (double)(b)) <= (tol))
/* Runs one test function and names it in the log. */
#define RUN(fn) do { printf("-- %s\n", #fn); fn(); } while (0)

int test_summary(void);

/* An mlx-c error handler (mlx_error_handler_func) for tests that provoke
 * errors on purpose: it prints nothing and counts each report in
 * test_errors_seen, so a test can check that exactly one was reported. */
extern int test_errors_seen;
void test_count_errors(const char* msg, void* data);

/* One element at `p` of dtype `dtype` (an mx_dtype) as a double; the
 * imaginary part of a complex64 goes to *im when im is not NULL (else 0). */
double test_read_element(const void* p, int dtype, double* im);

#endif
