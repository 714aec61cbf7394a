/* Shared pieces of the CPU linalg kernels (linalg_*.c): the LAPACK routines
 * they call and the copies between our row-major (any strides) arrays and
 * LAPACK's column-major work matrices.
 *
 * The routines are the Fortran entry points that OpenBLAS exports (its
 * libopenblas carries LAPACK), declared here so that no extra library or
 * header is needed: the build links OpenBLAS already, including the copy
 * unpacked into .deps/ on machines without the Debian packages.  Fortran
 * passes everything by reference, and gfortran appends one hidden length
 * argument (size_t) per character argument, which the declarations spell
 * out.  Matrix pointers are void* so that one call site can serve float and
 * double through a per-dtype table.
 *
 * Every kernel copies each matrix of the batch into a column-major scratch
 * buffer (the copy reads the input through its strides, so views,
 * broadcasts and transposes need no contiguous copy first), runs LAPACK on
 * it, and writes the results back in row-major order.  The copies are
 * O(n^2) against the O(n^3) factorizations. */
#ifndef MX_BACKEND_CPU_LINALG_LAPACK_H
#define MX_BACKEND_CPU_LINALG_LAPACK_H

#include <stddef.h>

#include "cpu_internal.h"

/* --- LAPACK / BLAS (Fortran ABI) --------------------------------------------- */

#define MX__LA_REAL(p, T)                                                                   \
  void p##getrf_(const int* m, const int* n, void* a, const int* lda, int* ipiv, int* info); \
  void p##getri_(const int* n, void* a, const int* lda, const int* ipiv, void* work,         \
                 const int* lwork, int* info);                                               \
  void p##getrs_(const char* trans, const int* n, const int* nrhs, const void* a,            \
                 const int* lda, const int* ipiv, void* b, const int* ldb, int* info,        \
                 size_t ltrans);                                                             \
  void p##trtri_(const char* uplo, const char* diag, const int* n, void* a, const int* lda,  \
                 int* info, size_t luplo, size_t ldiag);                                     \
  void p##potrf_(const char* uplo, const int* n, void* a, const int* lda, int* info,         \
                 size_t luplo);                                                              \
  void p##geqrf_(const int* m, const int* n, void* a, const int* lda, void* tau, void* work, \
                 const int* lwork, int* info);                                               \
  void p##orgqr_(const int* m, const int* n, const int* k, void* a, const int* lda,          \
                 const void* tau, void* work, const int* lwork, int* info);                  \
  void p##gesdd_(const char* jobz, const int* m, const int* n, void* a, const int* lda,      \
                 void* s, void* u, const int* ldu, void* vt, const int* ldvt, void* work,    \
                 const int* lwork, int* iwork, int* info, size_t ljobz);                     \
  void p##geev_(const char* jobvl, const char* jobvr, const int* n, void* a, const int* lda, \
                void* wr, void* wi, void* vl, const int* ldvl, void* vr, const int* ldvr,    \
                void* work, const int* lwork, int* info, size_t ljobvl, size_t ljobvr);      \
  void p##syevd_(const char* jobz, const char* uplo, const int* n, void* a, const int* lda,  \
                 void* w, void* work, const int* lwork, int* iwork, const int* liwork,       \
                 int* info, size_t ljobz, size_t luplo);                                     \
  void p##trsm_(const char* side, const char* uplo, const char* transa, const char* diag,    \
                const int* m, const int* n, const T* alpha, const void* a, const int* lda,   \
                void* b, const int* ldb, size_t lside, size_t luplo, size_t ltransa,         \
                size_t ldiag);

MX__LA_REAL(s, float)
MX__LA_REAL(d, double)
#undef MX__LA_REAL

void cgesdd_(const char* jobz, const int* m, const int* n, void* a, const int* lda, float* s,
             void* u, const int* ldu, void* vt, const int* ldvt, void* work, const int* lwork,
             float* rwork, int* iwork, int* info, size_t ljobz);
void cgeev_(const char* jobvl, const char* jobvr, const int* n, void* a, const int* lda, void* w,
            void* vl, const int* ldvl, void* vr, const int* ldvr, void* work, const int* lwork,
            float* rwork, int* info, size_t ljobvl, size_t ljobvr);
void cheevd_(const char* jobz, const char* uplo, const int* n, void* a, const int* lda, float* w,
             void* work, const int* lwork, float* rwork, const int* lrwork, int* iwork,
             const int* liwork, int* info, size_t ljobz, size_t luplo);

/* The real routines of one precision, so kernels call through one table. */
typedef struct mx__lapack {
  void (*getrf)(const int*, const int*, void*, const int*, int*, int*);
  void (*getri)(const int*, void*, const int*, const int*, void*, const int*, int*);
  void (*getrs)(const char*, const int*, const int*, const void*, const int*, const int*, void*,
                const int*, int*, size_t);
  void (*trtri)(const char*, const char*, const int*, void*, const int*, int*, size_t, size_t);
  void (*potrf)(const char*, const int*, void*, const int*, int*, size_t);
  void (*geqrf)(const int*, const int*, void*, const int*, void*, void*, const int*, int*);
  void (*orgqr)(const int*, const int*, const int*, void*, const int*, const void*, void*,
                const int*, int*);
  void (*gesdd)(const char*, const int*, const int*, void*, const int*, void*, void*, const int*,
                void*, const int*, void*, const int*, int*, int*, size_t);
  void (*geev)(const char*, const char*, const int*, void*, const int*, void*, void*, void*,
               const int*, void*, const int*, void*, const int*, int*, size_t, size_t);
  void (*syevd)(const char*, const char*, const int*, void*, const int*, void*, void*,
                const int*, int*, const int*, int*, size_t, size_t);
  size_t elsize; /* 4 or 8 */
} mx__lapack;

/* The table for float32 or float64; NULL for any other dtype. */
const mx__lapack* mx__lapack_for(mx_dtype dt);

/* A LAPACK workspace size that a query returned in work[0] (as a float of
 * the routine's precision), rounded up and at least 1. */
int mx__la_lwork(const void* work0, mx_dtype dt);

/* --- batches and copies ---------------------------------------------------------- */

/* Matrices in the batch of `a` (product of all but the last two dims). */
int64_t mx__la_batch(const mx_array* a);

/* Copies matrix `b` of the batch of `in` (any strides, element size `esz`
 * of 4 or 8 bytes) into the column-major buffer `dst` with leading
 * dimension `ld` (>= rows). */
void mx__la_gather(mx_array* in, int64_t b, void* dst, int ld);

/* Writes the rows x cols column-major matrix `src` (leading dimension `ld`)
 * into the row-major, contiguous `dst`.  When `tri` is 'L' or 'U', entries
 * outside that triangle are written as zero instead. */
void mx__la_store(const void* src, int ld, int rows, int cols, size_t esz, void* dst, char tri);

/* Error helpers: kernels fail with these messages (RuntimeError). */
int mx__la_oom(const char* who);

/* --- small pieces every kernel uses ------------------------------------------- */

static inline int mx__la_imax(int a, int b) { return a > b ? a : b; }
static inline int mx__la_imin(int a, int b) { return a < b ? a : b; }

/* How every kernel starts: *la is the real LAPACK table for the input
 * dtype `dt` (NULL for complex64 when `complex_ok`: those kernels call the
 * c* routines directly), then the first nout outputs are allocated.
 * Returns 0, or -1 (error set, "[who] Unsupported dtype ...") for another
 * dtype or a failed allocation. */
int mx__la_begin(const char* who, mx_dtype dt, bool complex_ok, mx_array* const* outputs, int nout,
                 const mx__lapack** la);
/* Marks the first n outputs as written, once every matrix is stored. */
void mx__la_mark_written(mx_array* const* outputs, int n);

#endif
