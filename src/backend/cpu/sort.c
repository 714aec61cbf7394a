/* Sort, ArgSort, Partition, ArgPartition and SearchSorted.
 *
 * Every dtype maps to an unsigned key whose unsigned order is MLX's sort
 * order: integers flip their sign bit, floats flip the sign bit of
 * positives and every bit of negatives, -0.0 takes +0.0's key (they compare
 * equal, so a stable sort keeps their input order) and every NaN takes the
 * largest key (NaNs go last, in input order).  Complex keys put the real
 * part's key above the imaginary part's (lexicographic order).
 *
 * Lines are sorted with a stable least-significant-digit radix sort on
 * bytes, skipping bytes where every key agrees; short lines use insertion
 * sort.  Sorting values only moves keys and converts them back, unless the
 * line holds a NaN or -0.0 (whose bits a key does not keep) or is complex:
 * then indices ride along and the output gathers the original elements.
 * Partitions are full sorts (a sorted line is a valid partition for any
 * kth) and radix sorting is linear time anyway. */
#include <stdlib.h>

#include "rs_common.h"

#define SMALL_SORT 48

/* --- keys -------------------------------------------------------------------- */

#define FKEY(UK, SIGN, ABSMASK, INF)                                          \
  /* Branch-free so that key loops vectorize. */                              \
  static inline UK fkey_##UK(UK u, bool* sp) {                                \
    bool nan = (UK)(u & (ABSMASK)) > (INF);                                   \
    bool nz = u == (SIGN);                                                    \
    *sp |= nan | nz;                                                          \
    UK neg = (UK)0 - (UK)(u >> (8 * sizeof(UK) - 1));                         \
    UK k = (UK)(u ^ (UK)(neg | (SIGN)));                                      \
    k = nz ? (UK)(SIGN) : k;                                                  \
    return nan ? (UK)~(UK)0 : k;                                              \
  }                                                                           \
  static inline UK funkey_##UK(UK k) { return (k & (SIGN)) ? (UK)(k ^ (SIGN)) : (UK)~k; }
FKEY(uint16_t, 0x8000u, 0x7fffu, 0x7c00u)
FKEY(uint32_t, 0x80000000u, 0x7fffffffu, 0x7f800000u)
FKEY(uint64_t, 0x8000000000000000ull, 0x7fffffffffffffffull, 0x7ff0000000000000ull)
/* bfloat16 has float32's exponent width in 16 bits. */
static inline uint16_t bfkey(uint16_t u, bool* sp) {
  if ((u & 0x7fffu) > 0x7f80u) {
    *sp = true;
    return 0xffffu;
  }
  if (u == 0x8000u) {
    *sp = true;
    u = 0;
  }
  return (u & 0x8000u) ? (uint16_t)~u : (uint16_t)(u | 0x8000u);
}

/* X(E, storage, key type, key(p, sp), unkey into dst (or nothing), invertible) */
#define KEY_TYPES(X)                                                                          \
  X(BOOL, uint8_t, uint8_t, (uint8_t)(*p != 0), *d = (uint8_t)k)                              \
  X(UINT8, uint8_t, uint8_t, *p, *d = k)                                                      \
  X(UINT16, uint16_t, uint16_t, *p, *d = k)                                                   \
  X(UINT32, uint32_t, uint32_t, *p, *d = k)                                                   \
  X(UINT64, uint64_t, uint64_t, *p, *d = k)                                                   \
  X(INT8, uint8_t, uint8_t, (uint8_t)(*p ^ 0x80u), *d = (uint8_t)(k ^ 0x80u))                 \
  X(INT16, uint16_t, uint16_t, (uint16_t)(*p ^ 0x8000u), *d = (uint16_t)(k ^ 0x8000u))        \
  X(INT32, uint32_t, uint32_t, *p ^ 0x80000000u, *d = k ^ 0x80000000u)                        \
  X(INT64, uint64_t, uint64_t, *p ^ 0x8000000000000000ull, *d = k ^ 0x8000000000000000ull)    \
  X(FLOAT16, uint16_t, uint16_t, fkey_uint16_t(*p, sp), *d = funkey_uint16_t(k))              \
  X(FLOAT32, uint32_t, uint32_t, fkey_uint32_t(*p, sp), *d = funkey_uint32_t(k))              \
  X(FLOAT64, uint64_t, uint64_t, fkey_uint64_t(*p, sp), *d = funkey_uint64_t(k))              \
  X(BFLOAT16, uint16_t, uint16_t, bfkey(*p, sp), *d = (k & 0x8000u) ? (uint16_t)(k ^ 0x8000u) : (uint16_t)~k) \
  X(COMPLEX64, uint64_t, uint64_t,                                                            \
    (*sp = true, ((uint64_t)fkey_uint32_t((uint32_t)p[0], sp) << 32) |                        \
                     fkey_uint32_t((uint32_t)(p[0] >> 32), sp)),                              \
    *d = k)

/* Complex elements are read as one uint64: on little-endian x86-64 the
 * real part is the low word, so its key goes to the high half of the
 * complex key and the imaginary part's key to the low half. */

/* --- radix sort per key width -------------------------------------------------- */

#define DEF_RADIX(UK)                                                                       \
  /* Sorts keys k[0..n) (and idx alongside when not NULL), stably.  kt/it are            \
   * scratch of n entries.  Returns the buffer holding the result (k or kt),             \
   * and sets *idx_out likewise. */                                                        \
  static UK* radix_##UK(int64_t n, UK* k, UK* kt, uint32_t* idx, uint32_t* it,              \
                        uint32_t** idx_out) {                                               \
    enum { NB = sizeof(UK) };                                                               \
    if (n <= SMALL_SORT) {                                                                  \
      for (int64_t i = 1; i < n; i++) {                                                     \
        UK kv = k[i];                                                                       \
        uint32_t iv = idx ? idx[i] : 0;                                                     \
        int64_t j = i;                                                                      \
        while (j > 0 && k[j - 1] > kv) {                                                    \
          k[j] = k[j - 1];                                                                  \
          if (idx) idx[j] = idx[j - 1];                                                     \
          j--;                                                                              \
        }                                                                                   \
        k[j] = kv;                                                                          \
        if (idx) idx[j] = iv;                                                               \
      }                                                                                     \
      *idx_out = idx;                                                                       \
      return k;                                                                             \
    }                                                                                       \
    uint32_t (*cnt)[256] = calloc(NB, sizeof *cnt);                                         \
    if (!cnt) return NULL;                                                                  \
    for (int64_t i = 0; i < n; i++) {                                                       \
      UK v = k[i];                                                                          \
      for (int b = 0; b < NB; b++) cnt[b][(v >> (8 * b)) & 0xff]++;                         \
    }                                                                                       \
    for (int b = 0; b < NB; b++) {                                                          \
      if (cnt[b][(k[0] >> (8 * b)) & 0xff] == (uint32_t)n) continue; /* all agree */       \
      uint32_t off[256], s = 0;                                                             \
      for (int d = 0; d < 256; d++) {                                                       \
        off[d] = s;                                                                         \
        s += cnt[b][d];                                                                     \
      }                                                                                     \
      int sh = 8 * b;                                                                       \
      if (idx) {                                                                            \
        for (int64_t i = 0; i < n; i++) {                                                   \
          uint32_t o = off[(k[i] >> sh) & 0xff]++;                                          \
          kt[o] = k[i];                                                                     \
          it[o] = idx[i];                                                                   \
        }                                                                                   \
        uint32_t* ti = idx;                                                                 \
        idx = it;                                                                           \
        it = ti;                                                                            \
      } else {                                                                              \
        for (int64_t i = 0; i < n; i++) kt[off[(k[i] >> sh) & 0xff]++] = k[i];              \
      }                                                                                     \
      UK* tk = k;                                                                           \
      k = kt;                                                                               \
      kt = tk;                                                                              \
    }                                                                                       \
    free(cnt);                                                                              \
    *idx_out = idx;                                                                         \
    return k;                                                                               \
  }
DEF_RADIX(uint8_t)
DEF_RADIX(uint16_t)
DEF_RADIX(uint32_t)
DEF_RADIX(uint64_t)

/* --- long lines: one most-significant-digit pass, then buckets in cache ------
 *
 * A long line is first scattered by the top MSD_BITS bits of its keys
 * (enough buckets that float data, whose top bits are sign and exponent,
 * still spreads out); each bucket is then small enough to be radix sorted
 * within the cache, and the buckets are sorted in parallel. */
#define MSD_BITS 12
#define MSD_BUCKETS (1 << MSD_BITS)
#define BIG_SORT (1 << 16)

/* LSD radix on the low `bits` bits of keys that agree above them, with
 * digits of up to 11 bits (fewer passes than bytes; the bucket is in
 * cache, so the larger count tables cost little). */
#define DEF_WIDE(UK)                                                                         \
  static UK* wide_##UK(uint32_t n, UK* k, UK* kt, uint32_t* idx, uint32_t* it, int bits,     \
                       uint32_t* cnt, uint32_t** idx_out) {                                  \
    int passes = (bits + 10) / 11;                                                           \
    int dbits = (bits + passes - 1) / passes;                                                \
    uint32_t nd = 1u << dbits, mask = nd - 1;                                                \
    memset(cnt, 0, (size_t)passes * nd * sizeof(uint32_t));                                  \
    for (uint32_t i = 0; i < n; i++)                                                         \
      for (int p = 0; p < passes; p++) cnt[p * nd + ((k[i] >> (p * dbits)) & mask)]++;       \
    for (int p = 0; p < passes; p++) {                                                       \
      uint32_t* c = cnt + p * nd;                                                            \
      int sh = p * dbits;                                                                    \
      if (c[(k[0] >> sh) & mask] == n) continue;                                             \
      uint32_t s = 0;                                                                        \
      for (uint32_t d = 0; d < nd; d++) {                                                    \
        uint32_t t = c[d];                                                                   \
        c[d] = s;                                                                            \
        s += t;                                                                              \
      }                                                                                      \
      if (idx) {                                                                             \
        for (uint32_t i = 0; i < n; i++) {                                                   \
          uint32_t o = c[(k[i] >> sh) & mask]++;                                             \
          kt[o] = k[i];                                                                      \
          it[o] = idx[i];                                                                    \
        }                                                                                    \
        uint32_t* ti = idx;                                                                  \
        idx = it;                                                                            \
        it = ti;                                                                             \
      } else {                                                                               \
        for (uint32_t i = 0; i < n; i++) kt[c[(k[i] >> sh) & mask]++] = k[i];                \
      }                                                                                      \
      UK* tk = k;                                                                            \
      k = kt;                                                                                \
      kt = tk;                                                                               \
    }                                                                                        \
    *idx_out = idx;                                                                          \
    return k;                                                                                \
  }
DEF_WIDE(uint16_t)
DEF_WIDE(uint32_t)
DEF_WIDE(uint64_t)

#define DEF_MSD(UK)                                                                          \
  typedef struct msd_ctx_##UK {                                                              \
    UK *k, *kt;                                                                              \
    uint32_t *idx, *it;                                                                      \
    const uint32_t* start;                                                                   \
    _Atomic int failed;                                                                      \
  } msd_ctx_##UK;                                                                            \
  static void msd_buckets_##UK(int64_t b, int64_t e, void* p) {                              \
    msd_ctx_##UK* c = p;                                                                     \
    uint32_t* cnt = malloc(6 * 2048 * sizeof(uint32_t));                                    \
    if (!cnt) {                                                                              \
      c->failed = 1;                                                                         \
      return;                                                                                \
    }                                                                                        \
    for (int64_t bk = b; bk < e; bk++) {                                                     \
      uint32_t lo = c->start[bk], len = c->start[bk + 1] - lo;                               \
      if (len < 2) continue;                                                                 \
      uint32_t* ri;                                                                          \
      UK* r = len <= SMALL_SORT                                                              \
                  ? radix_##UK(len, c->kt + lo, c->k + lo, c->idx ? c->it + lo : NULL,       \
                               c->idx ? c->idx + lo : NULL, &ri)                             \
                  : wide_##UK(len, c->kt + lo, c->k + lo, c->idx ? c->it + lo : NULL,        \
                              c->idx ? c->idx + lo : NULL, 8 * (int)sizeof(UK) - MSD_BITS,  \
                              cnt, &ri);                                                     \
      if (r != c->kt + lo) memcpy(c->kt + lo, r, len * sizeof(UK));                          \
      if (c->idx && ri != c->it + lo) memcpy(c->it + lo, ri, len * sizeof(uint32_t));        \
    }                                                                                        \
    free(cnt);                                                                               \
  }                                                                                          \
  /* Sorts k (and idx) stably given the counts of their top MSD_BITS bits   \
   * in start[d + 1] (start has 2 * (MSD_BUCKETS + 1) zeroed entries); the    \
   * result lands in kt (and it).  0 / -1. */                                 \
  static int msd_##UK(int64_t n, UK* k, UK* kt, uint32_t* idx, uint32_t* it,                 \
                      uint32_t* start) {                                                     \
    const int shift = 8 * (int)sizeof(UK) - MSD_BITS;                                        \
    uint32_t* pos = start + MSD_BUCKETS + 1;                                                 \
    for (int d = 0; d < MSD_BUCKETS; d++) start[d + 1] += start[d];                          \
    memcpy(pos, start, MSD_BUCKETS * sizeof(uint32_t));                                      \
    if (idx) {                                                                               \
      for (int64_t i = 0; i < n; i++) {                                                      \
        uint32_t o = pos[k[i] >> shift]++;                                                   \
        kt[o] = k[i];                                                                        \
        it[o] = idx[i];                                                                      \
      }                                                                                      \
    } else {                                                                                 \
      for (int64_t i = 0; i < n; i++) kt[pos[k[i] >> shift]++] = k[i];                       \
    }                                                                                        \
    msd_ctx_##UK c = {.k = k, .kt = kt, .idx = idx, .it = it, .start = start};               \
    mx_parallel_for(MSD_BUCKETS, 64, msd_buckets_##UK, &c);                                  \
    return c.failed ? -1 : 0;                                                                \
  }
DEF_MSD(uint16_t)
DEF_MSD(uint32_t)
DEF_MSD(uint64_t)
static int msd_uint8_t(int64_t n, uint8_t* k, uint8_t* kt, uint32_t* idx, uint32_t* it,
                       uint32_t* start) {
  (void)n, (void)k, (void)kt, (void)idx, (void)it, (void)start;
  return -1; /* never called: 8-bit keys take the plain radix path */
}

/* --- one line per dtype ------------------------------------------------------------ */

/* Sorts one line of n elements at `src` (element stride `ss`, in elements)
 * into `dst` (stride `ds`): values (mode 0) or uint32 indices (mode 1).
 * `scratch` holds 2n keys and 2n indices.  Returns 0 / -1. */
typedef int (*line_fn)(int64_t n, const char* src, int64_t ss, char* dst, int64_t ds, bool want_idx,
                       void* scratch);

/* A long line: keys are built together with the top-digit histogram; for
 * a values sort whose keys have the element's size they are built in the
 * output itself, which saves a buffer and a pass. */
#define DEF_BIG(E, ST, UK, KEYX, UNKEYX)                                                     \
  static int big_##E(int64_t n, const ST* src, int64_t ss, char* dstp, int64_t ds,            \
                     bool want_idx, void* scratch) {                                          \
    bool in_dst = !want_idx && sizeof(UK) == sizeof(ST) && ds == 1;                           \
    UK* k = in_dst ? (UK*)dstp : (UK*)scratch;                                                \
    UK* kt = (UK*)scratch + (in_dst ? 0 : n);                                                 \
    uint32_t* idx = (uint32_t*)((UK*)scratch + 2 * n);                                        \
    uint32_t* it = idx + n;                                                                   \
    uint32_t* start = calloc(2 * (MSD_BUCKETS + 1), sizeof(uint32_t));                        \
    if (!start) return mx_error(MX_ERR_MEMORY, "[Sort] Out of memory.");                      \
    const int shift = sizeof(UK) > 1 ? 8 * (int)sizeof(UK) - MSD_BITS : 0;                    \
    bool special = false;                                                                     \
    bool* sp = &special;                                                                      \
    if (ss == 1) {                                                                            \
      for (int64_t i = 0; i < n; i++) {                                                       \
        const ST* p = src + i;                                                                \
        k[i] = (UK)(KEYX);                                                                    \
      }                                                                                       \
    } else {                                                                                  \
      for (int64_t i = 0; i < n; i++) {                                                       \
        const ST* p = src + i * ss;                                                           \
        k[i] = (UK)(KEYX);                                                                    \
      }                                                                                       \
    }                                                                                         \
    for (int64_t i = 0; i < n; i++) start[(k[i] >> shift) + 1]++;                            \
    (void)sp;                                                                                 \
    bool with_idx = want_idx || special;                                                      \
    if (with_idx)                                                                             \
      for (int64_t i = 0; i < n; i++) idx[i] = (uint32_t)i;                                   \
    int rc = msd_##UK(n, k, kt, with_idx ? idx : NULL, it, start);                            \
    free(start);                                                                              \
    if (rc != 0) return mx_error(MX_ERR_MEMORY, "[Sort] Out of memory.");                     \
    if (want_idx) {                                                                           \
      uint32_t* dst = (uint32_t*)dstp;                                                        \
      for (int64_t i = 0; i < n; i++) dst[i * ds] = it[i];                                    \
    } else if (special) {                                                                     \
      ST* dst = (ST*)dstp;                                                                    \
      for (int64_t i = 0; i < n; i++) dst[i * ds] = src[(int64_t)it[i] * ss];                 \
    } else {                                                                                  \
      ST* dst = (ST*)dstp;                                                                    \
      for (int64_t i = 0; i < n; i++) {                                                       \
        ST* d = dst + i * ds;                                                                 \
        UK k = kt[i];                                                                         \
        UNKEYX;                                                                               \
      }                                                                                       \
    }                                                                                         \
    return 0;                                                                                 \
  }
KEY_TYPES(DEF_BIG)

#define DEF_LINE(E, ST, UK, KEYX, UNKEYX)                                                   \
  static int line_##E(int64_t n, const char* srcp, int64_t ss, char* dstp, int64_t ds,     \
                      bool want_idx, void* scratch) {                                       \
    const ST* src = (const ST*)srcp;                                                        \
    if (n >= BIG_SORT && sizeof(UK) >= 2)                                                   \
      return big_##E(n, src, ss, dstp, ds, want_idx, scratch);                              \
    UK* k = scratch;                                                                        \
    UK* kt = k + n;                                                                         \
    uint32_t* idx = (uint32_t*)(kt + n);                                                    \
    uint32_t* it = idx + n;                                                                 \
    bool special = false;                                                                   \
    bool* sp = &special;                                                                    \
    for (int64_t i = 0; i < n; i++) {                                                       \
      const ST* p = src + i * ss;                                                           \
      k[i] = (UK)(KEYX);                                                                    \
    }                                                                                       \
    (void)sp;                                                                               \
    bool with_idx = want_idx || special;                                                    \
    if (with_idx)                                                                           \
      for (int64_t i = 0; i < n; i++) idx[i] = (uint32_t)i;                                 \
    uint32_t* ri;                                                                           \
    UK* rk = radix_##UK(n, k, kt, with_idx ? idx : NULL, it, &ri);                          \
    if (!rk) return mx_error(MX_ERR_MEMORY, "[Sort] Out of memory.");                       \
    if (want_idx) {                                                                         \
      uint32_t* dst = (uint32_t*)dstp;                                                      \
      for (int64_t i = 0; i < n; i++) dst[i * ds] = ri[i];                                  \
    } else if (special) {                                                                   \
      ST* dst = (ST*)dstp;                                                                  \
      for (int64_t i = 0; i < n; i++) dst[i * ds] = src[(int64_t)ri[i] * ss];               \
    } else {                                                                                \
      ST* dst = (ST*)dstp;                                                                  \
      for (int64_t i = 0; i < n; i++) {                                                     \
        UK kk = rk[i];                                                                      \
        ST* d = dst + i * ds;                                                               \
        {                                                                                   \
          UK k = kk;                                                                        \
          UNKEYX;                                                                           \
        }                                                                                   \
      }                                                                                     \
    }                                                                                       \
    return 0;                                                                               \
  }
KEY_TYPES(DEF_LINE)

#define LINE_CELL(E, ST, UK, KEYX, UNKEYX) [MX_##E] = line_##E,
static const line_fn line_table[MX_DTYPE_COUNT] = {KEY_TYPES(LINE_CELL)};
#define KSIZE_CELL(E, ST, UK, KEYX, UNKEYX) [MX_##E] = sizeof(UK),
static const size_t key_size[MX_DTYPE_COUNT] = {KEY_TYPES(KSIZE_CELL)};

/* --- the sort kernels -------------------------------------------------------------------- */

typedef struct sort_ctx {
  line_fn fn;
  const mx__rs_view* v;
  size_t isz, osz, ksz;
  char* out;
  bool want_idx;
  int failed;
} sort_ctx;

static void sort_task(int64_t b, int64_t e, void* p) {
  sort_ctx* c = p;
  const mx__rs_view* v = c->v;
  /* Scratch comes from the buffer cache: a fresh multi-megabyte malloc
   * would page-fault its way in on every sort. */
  mx_buffer* sb = mx_buffer_new((size_t)v->n * 2 * (c->ksz + sizeof(uint32_t)) + 16, false);
  void* scratch = sb ? mx_buffer_host(sb) : NULL;
  if (!scratch) {
    if (sb) mx_buffer_release(sb);
    c->failed = 1;
    return;
  }
  for (int64_t l = b; l < e; l++) {
    int64_t o = l / v->inner, j = l % v->inner;
    int64_t first = o * v->n * v->inner + j;
    if (c->fn(v->n, v->data + first * (int64_t)c->isz, v->inner, c->out + first * (int64_t)c->osz,
              v->inner, c->want_idx, scratch) != 0)
      c->failed = 1;
  }
  mx_buffer_release(sb);
}

static int run_sort(mx_node* node, mx_array* const* inputs, mx_array* const* outputs,
                    bool want_idx, const char* name) {
  const mx_sort_params* prm = node->params;
  mx_array* in = inputs[0];
  mx_array* out = outputs[0];
  if (!prm || prm->axis < 0 || prm->axis >= in->ndim)
    return mx_error(MX_ERR_RUNTIME, "[%s] Invalid parameters.", name);
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  mx__rs_view v;
  if (mx__rs_view_of(in, prm->axis, &v) != 0) return -1;
  sort_ctx c = {.fn = line_table[in->dtype], .v = &v, .isz = mx_array_itemsize(in),
                .osz = mx_array_itemsize(out), .ksz = key_size[in->dtype], .out = po,
                .want_idx = want_idx};
  int64_t lines = v.outer * v.inner;
  int64_t grain = v.n >= MX__GRAIN ? 1 : MX__GRAIN / v.n;
  mx_parallel_for(lines, grain, sort_task, &c);
  mx__rs_view_free(&v);
  if (c.failed) return mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", name);
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_sort(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, false, "Sort");
}
int mx__cpu_argsort(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, true, "ArgSort");
}
int mx__cpu_partition(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, false, "Partition");
}
int mx__cpu_argpartition(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, true, "ArgPartition");
}

/* --- searchsorted ------------------------------------------------------------------------ */

#define DEF_SEARCH(E, ST, UK, KEYX, UNKEYX)                                                  \
  static void search_##E(int64_t n, const char* seqp, int64_t m, const char* valp, bool right, \
                         uint32_t* out, void* scratch) {                                      \
    UK* keys = scratch;                                                                       \
    bool special = false;                                                                     \
    bool* sp = &special;                                                                      \
    for (int64_t i = 0; i < n; i++) {                                                         \
      const ST* p = (const ST*)seqp + i;                                                      \
      keys[i] = (UK)(KEYX);                                                                   \
    }                                                                                         \
    for (int64_t i = 0; i < m; i++) {                                                         \
      const ST* p = (const ST*)valp + i;                                                      \
      UK kv = (UK)(KEYX);                                                                     \
      int64_t lo = 0, hi = n;                                                                 \
      while (lo < hi) {                                                                       \
        int64_t mid = lo + (hi - lo) / 2;                                                     \
        if (right ? keys[mid] <= kv : keys[mid] < kv)                                         \
          lo = mid + 1;                                                                       \
        else                                                                                  \
          hi = mid;                                                                           \
      }                                                                                       \
      out[i] = (uint32_t)lo;                                                                  \
    }                                                                                         \
    (void)sp;                                                                                 \
  }
KEY_TYPES(DEF_SEARCH)

typedef void (*search_fn)(int64_t n, const char* seq, int64_t m, const char* vals, bool right,
                          uint32_t* out, void* scratch);
#define SEARCH_CELL(E, ST, UK, KEYX, UNKEYX) [MX_##E] = search_##E,
static const search_fn search_table[MX_DTYPE_COUNT] = {KEY_TYPES(SEARCH_CELL)};

int mx__cpu_searchsorted(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  const mx_searchsorted_params* prm = node->params;
  mx_array* seq = inputs[0];
  mx_array* vals = inputs[1];
  mx_array* out = outputs[0];
  if (!prm || seq->ndim != 1 || seq->dtype != vals->dtype)
    return mx_error(MX_ERR_RUNTIME, "[SearchSorted] Invalid inputs.");
  uint32_t* po = (uint32_t*)mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  if (out->size == 0) return 0;
  mx__rs_view sv, vv;
  if (mx__rs_view_of(seq, 0, &sv) != 0) return -1;
  if (mx__rs_view_of(vals, 0, &vv) != 0) {
    mx__rs_view_free(&sv);
    return -1;
  }
  void* scratch = malloc((size_t)seq->size * key_size[seq->dtype] + 16);
  if (!scratch) {
    mx__rs_view_free(&sv);
    mx__rs_view_free(&vv);
    return mx_error(MX_ERR_MEMORY, "[SearchSorted] Out of memory.");
  }
  search_table[seq->dtype](seq->size, sv.data, vals->size, vv.data, prm->right != 0, po, scratch);
  free(scratch);
  mx__rs_view_free(&sv);
  mx__rs_view_free(&vv);
  mx__cpu_written(out);
  return 0;
}
