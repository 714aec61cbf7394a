/* Sort, ArgSort, Partition, ArgPartition and SearchSorted.
 *
 * Every dtype maps to an unsigned key whose unsigned order is MLX's sort
 * order: integers flip their sign bit, floats flip the sign bit of
 * positives and every bit of negatives, -0.0 takes +0.0's key (they compare
 * equal, so a stable sort keeps their input order) and every NaN takes the
 * largest key (NaNs go last, in input order).  Complex keys put the real
 * part's key above the imaginary part's (lexicographic order).
 *
 * Lines are sorted with a stable least-significant-digit radix sort,
 * skipping digits where every key agrees: short lines use insertion sort,
 * medium ones byte digits, lines of WIDE_MIN keys and more 11-bit digits
 * (three passes for 32-bit keys), and lines of BIG_SORT keys and more are
 * first split on their top 12 key bits, in parallel, into buckets that are
 * then sorted within the cache (see "long lines" below).  Sorting values only moves keys and converts them back, unless the
 * line holds a NaN or -0.0 (whose bits a key does not keep) or is complex:
 * then indices ride along and the output gathers the original elements.
 * Partitions select instead (introselect on the same keys): only the kth
 * element lands where a sort would put it, the others on its correct side. */
#include <math.h>
#include <stdlib.h>

#include "rs_common.h"

#define SMALL_SORT 48
#define SKEW 192 /* bytes between the scratch buffers of a line */
#define WIDE_MIN 2048 /* lines this long sort on 11-bit digits */
#define WIDE_CNT (13 * 2048) /* counters for up to six 11-bit passes */

/* --- keys -------------------------------------------------------------------- */

#define FKEY(UK, SIGN, ABSMASK, INF)                                          \
  /* Branch-free so that key loops vectorize. */                              \
  static inline UK fkey_##UK(UK u, unsigned* sp) {                                \
    bool nan = (UK)(u & (ABSMASK)) > (INF);                                   \
    bool nz = u == (SIGN);                                                    \
    *sp |= (unsigned)(nan | nz);                                              \
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
static inline uint16_t bfkey(uint16_t u, unsigned* sp) {
  if ((u & 0x7fffu) > 0x7f80u) {
    *sp = 1;
    return 0xffffu;
  }
  if (u == 0x8000u) {
    *sp = 1;
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
    (*sp = 1, ((uint64_t)fkey_uint32_t((uint32_t)p[0], sp) << 32) |                        \
                     fkey_uint32_t((uint32_t)(p[0] >> 32), sp)),                              \
    *d = k)

/* Complex elements are read as one uint64: on little-endian x86-64 the
 * real part is the low word, so its key goes to the high half of the
 * complex key and the imaginary part's key to the low half. */

/* --- radix sort per key width -------------------------------------------------- */

#define DEF_RADIX(UK)                                                                       \
  /* Stable LSD radix sort of keys k[0..n) (and idx alongside when not NULL)             \
   * on `passes` digits of `dbits` bits from the bottom, skipping digits where           \
   * every key agrees.  kt/it are scratch of n entries; cnt holds                         \
   * (2 * passes + 1) << dbits counters (dbits >= 2).  Returns the buffer holding the     \
   * result (k or kt), and sets *idx_out likewise.                                        \
   *                                                                                       \
   * Counting and scattering each walk the line from both ends at once: a                 \
   * run of equal digits then feeds two independent counter chains instead                \
   * of one serial one.  The scatter fills each bucket from its start with                \
   * keys taken from the front, and from its end (backwards) with keys taken              \
   * from the back, which keeps it stable. */                                              \
  static UK* lsd_##UK(int64_t n, UK* k, UK* kt, uint32_t* idx, uint32_t* it, int passes,     \
                      int dbits, uint32_t* cnt, uint32_t** idx_out) {                        \
    const uint32_t nd = 1u << dbits, mask = nd - 1;                                         \
    uint32_t* c2 = cnt + (size_t)passes * nd;                                               \
    uint32_t* hi = c2 + (size_t)passes * nd;                                                \
    memset(cnt, 0, (size_t)2 * passes * nd * sizeof(uint32_t));                             \
    int64_t h = n / 2;                                                                      \
    for (int64_t i = 0; i < h; i++) {                                                       \
      UK v = k[i], w = k[n - 1 - i];                                                        \
      for (int p = 0; p < passes; p++) {                                                    \
        cnt[p * nd + ((v >> (p * dbits)) & mask)]++;                                        \
        c2[p * nd + ((w >> (p * dbits)) & mask)]++;                                         \
      }                                                                                     \
    }                                                                                       \
    if (n & 1)                                                                              \
      for (int p = 0; p < passes; p++) cnt[p * nd + ((k[h] >> (p * dbits)) & mask)]++;      \
    for (int p = 0; p < passes; p++) {                                                      \
      uint32_t* c = cnt + p * nd;                                                           \
      const uint32_t* d2 = c2 + p * nd;                                                     \
      int sh = p * dbits;                                                                   \
      uint32_t first = (uint32_t)((k[0] >> sh) & mask);                                     \
      if (c[first] + d2[first] == (uint32_t)n) continue; /* all agree */                   \
      /* Bucket starts (c) and ends (hi): an exclusive scan of the totals,                  \
       * run as four independent chains over quarters of the digits and then                \
       * joined, since one serial chain over 2048 digits costs about as much                \
       * as a third of a pass. */                                                           \
      for (uint32_t d = 0; d < nd; d++) hi[d] = c[d] + d2[d];                               \
      const uint32_t q = nd / 4;                                                            \
      uint32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;                                              \
      for (uint32_t d = 0; d < q; d++) {                                                    \
        c[d] = s0;                                                                          \
        s0 += hi[d];                                                                        \
        c[d + q] = s1;                                                                      \
        s1 += hi[d + q];                                                                    \
        c[d + 2 * q] = s2;                                                                  \
        s2 += hi[d + 2 * q];                                                                \
        c[d + 3 * q] = s3;                                                                  \
        s3 += hi[d + 3 * q];                                                                \
      }                                                                                     \
      for (uint32_t d = 0; d < q; d++) {                                                    \
        c[d + q] += s0;                                                                     \
        c[d + 2 * q] += s0 + s1;                                                            \
        c[d + 3 * q] += s0 + s1 + s2;                                                       \
      }                                                                                     \
      for (uint32_t d = 0; d < nd; d++) hi[d] += c[d];                                      \
      int64_t i = 0, j = n - 1;                                                             \
      if (idx) {                                                                            \
        for (; i < j; i++, j--) {                                                           \
          UK a = k[i], z = k[j];                                                            \
          uint32_t oa = c[(a >> sh) & mask]++;                                              \
          uint32_t oz = --hi[(z >> sh) & mask];                                             \
          kt[oa] = a;                                                                       \
          it[oa] = idx[i];                                                                  \
          kt[oz] = z;                                                                       \
          it[oz] = idx[j];                                                                  \
        }                                                                                   \
        if (i == j) {                                                                       \
          uint32_t o = c[(k[i] >> sh) & mask];                                              \
          kt[o] = k[i];                                                                     \
          it[o] = idx[i];                                                                   \
        }                                                                                   \
        uint32_t* ti = idx;                                                                 \
        idx = it;                                                                           \
        it = ti;                                                                            \
      } else {                                                                              \
        for (; i < j; i++, j--) {                                                           \
          UK a = k[i], z = k[j];                                                            \
          kt[c[(a >> sh) & mask]++] = a;                                                    \
          kt[--hi[(z >> sh) & mask]] = z;                                                   \
        }                                                                                   \
        if (i == j) kt[c[(k[i] >> sh) & mask]] = k[i];                                      \
      }                                                                                     \
      UK* tk = k;                                                                           \
      k = kt;                                                                               \
      kt = tk;                                                                              \
    }                                                                                       \
    *idx_out = idx;                                                                         \
    return k;                                                                               \
  }                                                                                         \
  /* Sorts a whole line of keys: insertion sort when short, else LSD radix;  \
   * cnt holds WIDE_CNT counters. */              \
  static UK* radix_##UK(int64_t n, UK* k, UK* kt, uint32_t* idx, uint32_t* it,              \
                        uint32_t* cnt, uint32_t** idx_out) {                                \
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
    /* Lines of a few thousand keys and more take 11-bit digits: three                      \
     * passes instead of four for 32-bit keys, with counters that still fit                 \
     * in the L1 cache next to the line. */                                                 \
    if (NB >= 4 && n >= WIDE_MIN) {                                                         \
      int passes = (8 * NB + 10) / 11;                                                      \
      return lsd_##UK(n, k, kt, idx, it, passes, (8 * NB + passes - 1) / passes, cnt, idx_out); \
    }                                                                                       \
    return lsd_##UK(n, k, kt, idx, it, NB, 8, cnt, idx_out);                                \
  }
DEF_RADIX(uint8_t)
DEF_RADIX(uint16_t)
DEF_RADIX(uint32_t)
DEF_RADIX(uint64_t)

/* --- selection (partition) ------------------------------------------------------ */

#define SMALL_SEL 16
#define SEL_SWAP(UK, a, b)  \
  do {                      \
    UK t_ = k[a];           \
    k[a] = k[b];            \
    k[b] = t_;              \
    if (idx) {              \
      uint32_t u_ = idx[a]; \
      idx[a] = idx[b];      \
      idx[b] = u_;          \
    }                       \
  } while (0)

#define DEF_SELECT(UK)                                                                      \
  /* Rearranges keys k[0..n) (and idx alongside when not NULL) so that k[kth] is the key    \
   * a sort would put there, with keys <= it before and keys >= it after: introselect.     \
   * Median-of-three Hoare partitions narrow the range around kth (O(n) on average);       \
   * a short range is insertion sorted, and a range that survives too many rounds          \
   * (an adversarial order) is radix sorted, which keeps the worst case linear too.        \
   * kt/it/cnt are the radix sort's scratch. */                                            \
  static void select_##UK(int64_t n, UK* k, uint32_t* idx, int64_t kth, UK* kt,             \
                          uint32_t* it, uint32_t* cnt) {                                    \
    int64_t lo = 0, hi = n - 1;                                                             \
    int rounds = 16;                                                                        \
    for (int64_t m = n; m > 1; m >>= 1) rounds += 2;                                        \
    while (hi - lo > SMALL_SEL) {                                                           \
      if (rounds-- == 0) {                                                                  \
        int64_t len = hi - lo + 1;                                                          \
        uint32_t* ri;                                                                       \
        UK* rk = radix_##UK(len, k + lo, kt, idx ? idx + lo : NULL, it, cnt, &ri);          \
        if (rk != k + lo) memcpy(k + lo, rk, (size_t)len * sizeof(UK));                     \
        if (idx && ri != idx + lo) memcpy(idx + lo, ri, (size_t)len * sizeof(uint32_t));    \
        return;                                                                             \
      }                                                                                     \
      int64_t mid = lo + (hi - lo) / 2;                                                     \
      /* Order k[lo] <= k[mid] <= k[hi], then move the median to lo: the pivot. */          \
      if (k[mid] < k[lo]) SEL_SWAP(UK, mid, lo);                                            \
      if (k[hi] < k[lo]) SEL_SWAP(UK, hi, lo);                                              \
      if (k[hi] < k[mid]) SEL_SWAP(UK, hi, mid);                                            \
      SEL_SWAP(UK, lo, mid);                                                                \
      UK pv = k[lo];                                                                        \
      int64_t i = lo - 1, j = hi + 1;                                                       \
      for (;;) {                                                                            \
        do i++;                                                                             \
        while (k[i] < pv);                                                                  \
        do j--;                                                                             \
        while (k[j] > pv);                                                                  \
        if (i >= j) break;                                                                  \
        SEL_SWAP(UK, i, j);                                                                 \
      }                                                                                     \
      /* k[lo..j] <= pv <= k[j+1..hi], and lo <= j < hi. */                                 \
      if (kth <= j)                                                                         \
        hi = j;                                                                             \
      else                                                                                  \
        lo = j + 1;                                                                         \
    }                                                                                       \
    for (int64_t a = lo + 1; a <= hi; a++) {                                                \
      UK kv = k[a];                                                                         \
      uint32_t iv = idx ? idx[a] : 0;                                                       \
      int64_t b = a;                                                                        \
      while (b > lo && k[b - 1] > kv) {                                                     \
        k[b] = k[b - 1];                                                                    \
        if (idx) idx[b] = idx[b - 1];                                                       \
        b--;                                                                                \
      }                                                                                     \
      k[b] = kv;                                                                            \
      if (idx) idx[b] = iv;                                                                 \
    }                                                                                       \
  }
DEF_SELECT(uint8_t)
DEF_SELECT(uint16_t)
DEF_SELECT(uint32_t)
DEF_SELECT(uint64_t)

/* --- long lines: one parallel most-significant-digit pass, then buckets ------
 *
 * A long line is scattered by the top MSD_BITS bits of its keys (enough
 * buckets that float data, whose top bits are sign and exponent, still
 * spreads out); each bucket is then small enough to be radix sorted within
 * the cache, and is written to the output straight from there.
 *
 * All three phases run on the thread pool.  The line is cut into `parts`
 * contiguous pieces; each piece builds its keys and its own histogram of
 * top digits (phase A), then scatters its keys to positions reserved for
 * it inside every bucket, after the positions of the pieces before it, so
 * the scatter stays stable (phase B).  Phase C sorts runs of buckets that
 * hold roughly equal numbers of keys. */
#define MSD_BITS 12
#define MSD_BUCKETS (1 << MSD_BITS)
#define BIG_SORT (1 << 16)
#define BIG_PARTS 8
#define BIG_BLOCK 4096 /* keys built, then counted, while in L1 */

/* LSD radix on the low `bits` bits of keys that agree above them, with
 * digits of up to 11 bits (fewer passes than bytes; the bucket is in
 * cache, so the larger count tables cost little).  cnt holds WIDE_CNT. */
#define DEF_WIDE(UK)                                                                         \
  static UK* wide_##UK(uint32_t n, UK* k, UK* kt, uint32_t* idx, uint32_t* it, int bits,     \
                       uint32_t* cnt, uint32_t** idx_out) {                                  \
    int passes = bits > 0 ? (bits + 10) / 11 : 0;                                            \
    int dbits = passes ? (bits + passes - 1) / passes : 2;                                   \
    if (dbits < 2) dbits = 2; /* lsd_ wants a multiple of 4 digits */                       \
    return lsd_##UK(n, k, kt, idx, it, passes, dbits, cnt, idx_out);                         \
  }
DEF_WIDE(uint8_t)
DEF_WIDE(uint16_t)
DEF_WIDE(uint32_t)
DEF_WIDE(uint64_t)

/* Sorts one line of n elements at `src` (element stride `ss`, in elements)
 * into `dst` (stride `ds`): values (mode 0) or uint32 indices (mode 1).
 * `scratch` holds 2n keys, 2n indices and WIDE_CNT counters, SKEW bytes
 * apart.  Returns 0 / -1. */
typedef int (*line_fn)(int64_t n, const char* src, int64_t ss, char* dst, int64_t ds, bool want_idx,
                       void* scratch);

/* What the three phases of one long line share. */
typedef struct big_ctx {
  int64_t n, ss, ds, part_len;
  const char* src;
  char* dst;
  void *k, *kt;       /* keys, and the keys scattered by top digit */
  uint32_t *idx, *it; /* index ping-pong buffers of phase C */
  uint32_t (*hist)[MSD_BUCKETS]; /* per part: counts, then write positions */
  uint32_t* start;               /* MSD_BUCKETS + 1 bucket starts */
  uint32_t* task_first;          /* first bucket of each phase C task, + end */
  bool special[BIG_PARTS];
  bool with_idx, want_idx, any_special;
  _Atomic int failed;
} big_ctx;

/* Per dtype: the key builder (vectorized; returns whether any key lost
 * the element's bits), the value rebuilder, and the three phases. */
#define DEF_BIG(E, ST, UK, KEYX, UNKEYX)                                                     \
  MX__SIMD static unsigned keys_##E(const ST* src, int64_t ss, UK* k, int64_t n) {               \
    unsigned special = 0;                                                                    \
    unsigned* sp = &special;                                                                 \
    if (ss == 1) {                                                                           \
      for (int64_t i = 0; i < n; i++) {                                                      \
        const ST* p = src + i;                                                               \
        k[i] = (UK)(KEYX);                                                                   \
      }                                                                                      \
    } else {                                                                                 \
      for (int64_t i = 0; i < n; i++) {                                                      \
        const ST* p = src + i * ss;                                                          \
        k[i] = (UK)(KEYX);                                                                   \
      }                                                                                      \
    }                                                                                        \
    (void)sp;                                                                                \
    return special;                                                                          \
  }                                                                                          \
  MX__SIMD static void unkeys_##E(const UK* r, ST* dst, int64_t ds, int64_t n) {             \
    if (ds == 1) {                                                                           \
      for (int64_t i = 0; i < n; i++) {                                                      \
        ST* d = dst + i;                                                                     \
        UK k = r[i];                                                                         \
        UNKEYX;                                                                              \
      }                                                                                      \
    } else {                                                                                 \
      for (int64_t i = 0; i < n; i++) {                                                      \
        ST* d = dst + i * ds;                                                                \
        UK k = r[i];                                                                         \
        UNKEYX;                                                                              \
      }                                                                                      \
    }                                                                                        \
  }                                                                                          \
  /* Writes a sorted run of len elements at element `at` of dst (stride ds):                 \
   * their positions (argsort), the source values at those positions (when                   \
   * some key lost its element's bits), or else the keys made values again. */               \
  static inline void emit_##E(char* dstp, int64_t at, int64_t ds, int64_t len,               \
                              bool want_idx, bool special, const uint32_t* order,            \
                              const UK* keys, const ST* src, int64_t ss) {                   \
    if (want_idx) {                                                                          \
      uint32_t* dst = (uint32_t*)dstp + at * ds;                                             \
      for (int64_t j = 0; j < len; j++) dst[j * ds] = order[j];                              \
    } else if (special) {                                                                    \
      ST* dst = (ST*)dstp + at * ds;                                                         \
      for (int64_t j = 0; j < len; j++) dst[j * ds] = src[(int64_t)order[j] * ss];           \
    } else {                                                                                 \
      unkeys_##E(keys, (ST*)dstp + at * ds, ds, len);                                        \
    }                                                                                        \
  }                                                                                          \
  static void big_keys_##E(int64_t b, int64_t e, void* vc) {                                 \
    big_ctx* c = vc;                                                                         \
    const int shift = sizeof(UK) > 1 ? 8 * (int)sizeof(UK) - MSD_BITS : 0;                   \
    const ST* src = (const ST*)c->src;                                                       \
    UK* k = c->k;                                                                            \
    for (int64_t p = b; p < e; p++) {                                                        \
      int64_t lo = p * c->part_len, hi = lo + c->part_len < c->n ? lo + c->part_len : c->n;  \
      uint32_t* h = c->hist[p];                                                              \
      memset(h, 0, sizeof c->hist[p]);                                                       \
      unsigned special = 0;                                                                  \
      for (int64_t bl = lo; bl < hi; bl += BIG_BLOCK) {                                      \
        int64_t m = hi - bl < BIG_BLOCK ? hi - bl : BIG_BLOCK;                               \
        special |= keys_##E(src + bl * c->ss, c->ss, k + bl, m);                             \
        for (int64_t i = bl; i < bl + m; i++) h[k[i] >> shift]++;                            \
      }                                                                                      \
      c->special[p] = special;                                                               \
    }                                                                                        \
  }                                                                                          \
  static void big_scatter_##E(int64_t b, int64_t e, void* vc) {                              \
    big_ctx* c = vc;                                                                         \
    const int shift = sizeof(UK) > 1 ? 8 * (int)sizeof(UK) - MSD_BITS : 0;                   \
    const UK* k = c->k;                                                                      \
    UK* kt = c->kt;                                                                          \
    for (int64_t p = b; p < e; p++) {                                                        \
      int64_t lo = p * c->part_len, hi = lo + c->part_len < c->n ? lo + c->part_len : c->n;  \
      uint32_t* pos = c->hist[p];                                                            \
      if (c->with_idx) {                                                                     \
        uint32_t* it = c->it;                                                                \
        for (int64_t i = lo; i < hi; i++) {                                                  \
          uint32_t o = pos[k[i] >> shift]++;                                                 \
          kt[o] = k[i];                                                                      \
          it[o] = (uint32_t)i;                                                               \
        }                                                                                    \
      } else {                                                                               \
        for (int64_t i = lo; i < hi; i++) kt[pos[k[i] >> shift]++] = k[i];                   \
      }                                                                                      \
    }                                                                                        \
  }                                                                                          \
  static void big_buckets_##E(int64_t b, int64_t e, void* vc) {                              \
    big_ctx* c = vc;                                                                         \
    uint32_t* cnt = malloc(WIDE_CNT * sizeof(uint32_t));                                     \
    if (!cnt) {                                                                              \
      c->failed = 1;                                                                         \
      return;                                                                                \
    }                                                                                        \
    UK *k = c->k, *kt = c->kt;                                                               \
    const ST* src = (const ST*)c->src;                                                       \
    const int bits = sizeof(UK) > 1 ? 8 * (int)sizeof(UK) - MSD_BITS : 0;                    \
    for (uint32_t bk = c->task_first[b]; bk < c->task_first[e]; bk++) {                      \
      uint32_t lo = c->start[bk], len = c->start[bk + 1] - lo;                               \
      if (len == 0) continue;                                                                \
      uint32_t* ri = c->with_idx ? c->it + lo : NULL;                                        \
      UK* r = kt + lo;                                                                       \
      if (len > SMALL_SORT)                                                                  \
        r = wide_##UK(len, kt + lo, k + lo, ri, c->with_idx ? c->idx + lo : NULL, bits, cnt, \
                      &ri);                                                                  \
      else if (len > 1)                                                                      \
        r = radix_##UK(len, kt + lo, k + lo, ri, c->with_idx ? c->idx + lo : NULL, cnt, &ri); \
      emit_##E(c->dst, lo, c->ds, len, c->want_idx, c->any_special, ri, r, src, c->ss);      \
    }                                                                                        \
    free(cnt);                                                                               \
  }                                                                                          \
  static int big_##E(int64_t n, const ST* src, int64_t ss, char* dstp, int64_t ds,           \
                     bool want_idx, void* scratch) {                                         \
    /* A values sort whose keys have the element's size builds them in the                  \
     * output itself: each bucket's slice of the output is then its own                     \
     * scratch until the bucket writes its result there. */                                 \
    bool in_dst = !want_idx && sizeof(UK) == sizeof(ST) && ds == 1;                          \
    big_ctx c = {.n = n, .ss = ss, .ds = ds, .src = (const char*)src, .dst = dstp,          \
                 .want_idx = want_idx};                                                      \
    c.k = in_dst ? (void*)dstp : scratch;                                                    \
    c.kt = (UK*)scratch + (in_dst ? 0 : n);                                                  \
    c.idx = (uint32_t*)((UK*)scratch + 2 * n);                                               \
    c.it = c.idx + n;                                                                        \
    int parts = mx_cpu_num_threads();                                                        \
    if (parts > BIG_PARTS) parts = BIG_PARTS;                                                \
    if (parts > n / (BIG_SORT / 2)) parts = (int)(n / (BIG_SORT / 2));                      \
    if (parts < 1) parts = 1;                                                                \
    c.part_len = (n + parts - 1) / parts;                                                    \
    int ntasks = 8 * mx_cpu_num_threads();                                                   \
    c.hist = malloc((size_t)parts * sizeof *c.hist);                                         \
    c.start = malloc((MSD_BUCKETS + 1 + ntasks + 1) * sizeof(uint32_t));                     \
    if (!c.hist || !c.start) {                                                               \
      free(c.hist);                                                                          \
      free(c.start);                                                                         \
      return mx_error(MX_ERR_MEMORY, "[Sort] Out of memory.");                               \
    }                                                                                        \
    c.task_first = c.start + MSD_BUCKETS + 1;                                                \
    mx_parallel_for(parts, 1, big_keys_##E, &c);                                             \
    for (int p = 0; p < parts; p++) c.any_special |= c.special[p];                           \
    c.with_idx = want_idx || c.any_special;                                                  \
    /* Write positions: bucket by bucket, each part after the parts before it. */            \
    uint32_t s = 0;                                                                          \
    for (int d = 0; d < MSD_BUCKETS; d++) {                                                  \
      c.start[d] = s;                                                                        \
      for (int p = 0; p < parts; p++) {                                                      \
        uint32_t t = c.hist[p][d];                                                           \
        c.hist[p][d] = s;                                                                    \
        s += t;                                                                              \
      }                                                                                      \
    }                                                                                        \
    c.start[MSD_BUCKETS] = s;                                                                \
    mx_parallel_for(parts, 1, big_scatter_##E, &c);                                          \
    /* Runs of buckets holding about n / ntasks keys each. */                                \
    int nt = 0;                                                                              \
    uint64_t want = (uint64_t)n / ntasks + 1;                                                \
    c.task_first[nt++] = 0;                                                                  \
    for (int d = 0; d < MSD_BUCKETS && nt < ntasks; d++)                                     \
      if (c.start[d + 1] - c.start[c.task_first[nt - 1]] >= want) c.task_first[nt++] = d + 1; \
    if (c.task_first[nt - 1] != MSD_BUCKETS) c.task_first[nt++] = MSD_BUCKETS;               \
    mx_parallel_for(nt - 1, 1, big_buckets_##E, &c);                                         \
    free(c.hist);                                                                            \
    free(c.start);                                                                           \
    if (c.failed) return mx_error(MX_ERR_MEMORY, "[Sort] Out of memory.");                   \
    return 0;                                                                                \
  }
KEY_TYPES(DEF_BIG)

/* Declares a line's scratch buffers, carved out of `scratch` (n of them):
 * keys k and kt, positions idx and it, then the counters cnt.  They are
 * staggered by SKEW bytes: buffers a multiple of 4 KiB apart make loads
 * and stores falsely conflict (4K aliasing). */
#define LINE_SCRATCH(UK)                                                                    \
  UK* k = scratch;                                                                          \
  UK* kt = (UK*)((char*)(k + n) + SKEW);                                                    \
  uint32_t* idx = (uint32_t*)((char*)(kt + n) + SKEW);                                      \
  uint32_t* it = (uint32_t*)((char*)(idx + n) + SKEW);                                      \
  uint32_t* cnt = (uint32_t*)((char*)(it + n) + SKEW);

#define DEF_LINE(E, ST, UK, KEYX, UNKEYX)                                                   \
  static int line_##E(int64_t n, const char* srcp, int64_t ss, char* dstp, int64_t ds,     \
                      bool want_idx, void* scratch) {                                       \
    const ST* src = (const ST*)srcp;                                                        \
    if (n >= BIG_SORT && sizeof(UK) >= 2)                                                   \
      return big_##E(n, src, ss, dstp, ds, want_idx, scratch);                              \
    LINE_SCRATCH(UK)                                                                        \
    bool special = keys_##E(src, ss, k, n) != 0;                                            \
    bool with_idx = want_idx || special;                                                    \
    if (with_idx)                                                                           \
      for (int64_t i = 0; i < n; i++) idx[i] = (uint32_t)i;                                 \
    uint32_t* ri;                                                                           \
    UK* rk = radix_##UK(n, k, kt, with_idx ? idx : NULL, it, cnt, &ri);                     \
    if (!rk) return mx_error(MX_ERR_MEMORY, "[Sort] Out of memory.");                       \
    emit_##E(dstp, 0, ds, n, want_idx, special, ri, rk, src, ss);                           \
    return 0;                                                                               \
  }
KEY_TYPES(DEF_LINE)

#define LINE_CELL(E, ST, UK, KEYX, UNKEYX) [MX_##E] = line_##E,
static const line_fn line_table[MX_DTYPE_COUNT] = {KEY_TYPES(LINE_CELL)};
#define KSIZE_CELL(E, ST, UK, KEYX, UNKEYX) [MX_##E] = sizeof(UK),
static const size_t key_size[MX_DTYPE_COUNT] = {KEY_TYPES(KSIZE_CELL)};

/* Long partition lines: two passes instead of several rounds.
 *
 * Two keys bracketing the kth one are picked from a sample of S = n/8 keys
 * (at most PB_SAMPLE_MAX): its ranks kth/n * S -+ 2.5 sqrt(S), five
 * standard deviations of a sample rank (at most sqrt(S)/2) either way.
 * Pass A counts the keys below the lower one and copies the keys between
 * the two (with their positions) aside; almost always the kth key is among
 * those, a few percent of a long line.  Pass B stores each element below at
 * the output's front and each one above at its back, branch-free (in one
 * part: stored at both ends, only the matching end advancing; in several:
 * a masked choice of the destination, middle elements going to a dummy, so
 * that no part writes into another's slots).  Both passes run on
 * the thread pool over contiguous parts of the line: each part gets its own
 * stretch of the aside buffers and of both output ends, from the counts of
 * the parts before it.  Then the middle block is selected on its own and
 * written between the ends.  Returns false (nothing written) when the
 * sample missed, and the caller selects the whole line. */
#define SEL_BIG 2048
#define PB_SAMPLE_MAX 8192
#define PB_PARTS 16
#define PB_PART_MIN (1 << 15) /* shorter lines (rows of many) run in one part */

typedef struct pb_ctx {
  int64_t n, ss, ds, part_len;
  const char* src;
  char* dst;
  void *k, *kt;
  uint32_t* it;
  uint64_t lo, hi;
  bool want_idx, single;
  int64_t below[PB_PARTS], mid[PB_PARTS], front[PB_PARTS], back[PB_PARTS];
} pb_ctx;

/* The address of front (lt), back (gt) or junk, chosen with masks: GCC
 * turns a ?: chain here into branches, which mispredict on random data. */
#define PB_PICK(front, back, junk, lt, gt)                                                   \
  ((((uintptr_t)(front)) & (uintptr_t)(-(intptr_t)(lt))) |                                   \
   (((uintptr_t)(back)) & (uintptr_t)(-(intptr_t)(gt))) |                                    \
   (((uintptr_t)(junk)) & ~(uintptr_t)(-(intptr_t)((lt) | (gt)))))
#define DEF_PBIG(E, ST, UK, KEYX, UNKEYX)                                                    \
  static void pb_count_##E(int64_t b, int64_t e, void* vc) {                                 \
    pb_ctx* c = vc;                                                                          \
    const UK* k = c->k;                                                                      \
    UK* kt = c->kt;                                                                          \
    UK lo = (UK)c->lo, hi = (UK)c->hi;                                                       \
    for (int64_t p = b; p < e; p++) {                                                        \
      int64_t s0 = p * c->part_len, s1 = s0 + c->part_len < c->n ? s0 + c->part_len : c->n;  \
      int64_t below = 0, m = s0;                                                             \
      for (int64_t i = s0; i < s1; i++) {                                                    \
        UK key = k[i];                                                                       \
        bool lt = key < lo, gt = key > hi;                                                   \
        below += lt;                                                                         \
        kt[m] = key;                                                                         \
        c->it[m] = (uint32_t)i;                                                              \
        m += !(lt | gt);                                                                     \
      }                                                                                      \
      c->below[p] = below;                                                                   \
      c->mid[p] = m - s0;                                                                    \
    }                                                                                        \
  }                                                                                          \
  static void pb_scatter_##E(int64_t b, int64_t e, void* vc) {                               \
    pb_ctx* c = vc;                                                                          \
    const UK* k = c->k;                                                                      \
    UK lo = (UK)c->lo, hi = (UK)c->hi;                                                       \
    const int64_t ds = c->ds;                                                                \
    for (int64_t p = b; p < e; p++) {                                                        \
      int64_t s0 = p * c->part_len, s1 = s0 + c->part_len < c->n ? s0 + c->part_len : c->n;  \
      int64_t f = c->front[p], t = c->back[p];                                               \
      if (c->single) {                                                                       \
        /* One part: store at both ends and advance the matching one; a stray                \
         * store lands where a later element or the middle block writes. */                  \
        if (c->want_idx) {                                                                   \
          uint32_t* dst = (uint32_t*)c->dst;                                                 \
          for (int64_t i = s0; i < s1; i++) {                                                \
            UK key = k[i];                                                                   \
            dst[f * ds] = (uint32_t)i;                                                       \
            dst[t * ds] = (uint32_t)i;                                                       \
            f += key < lo;                                                                   \
            t -= key > hi;                                                                   \
          }                                                                                  \
        } else {                                                                             \
          const ST* src = (const ST*)c->src;                                                 \
          ST* dst = (ST*)c->dst;                                                             \
          for (int64_t i = s0; i < s1; i++) {                                                \
            UK key = k[i];                                                                   \
            ST v = src[i * c->ss];                                                           \
            dst[f * ds] = v;                                                                 \
            dst[t * ds] = v;                                                                 \
            f += key < lo;                                                                   \
            t -= key > hi;                                                                   \
          }                                                                                  \
        }                                                                                    \
      } else if (c->want_idx) {                                                              \
        uint32_t* dst = (uint32_t*)c->dst;                                                   \
        uint32_t junk;                                                                       \
        for (int64_t i = s0; i < s1; i++) {                                                  \
          UK key = k[i];                                                                     \
          bool lt = key < lo, gt = key > hi;                                                 \
          uint32_t* q = (uint32_t*)PB_PICK(dst + f * ds, dst + t * ds, &junk, lt, gt);       \
          *q = (uint32_t)i;                                                                  \
          f += lt;                                                                           \
          t -= gt;                                                                           \
        }                                                                                    \
      } else {                                                                               \
        const ST* src = (const ST*)c->src;                                                   \
        ST* dst = (ST*)c->dst;                                                               \
        ST junk;                                                                             \
        for (int64_t i = s0; i < s1; i++) {                                                  \
          UK key = k[i];                                                                     \
          bool lt = key < lo, gt = key > hi;                                                 \
          ST* q = (ST*)PB_PICK(dst + f * ds, dst + t * ds, &junk, lt, gt);                   \
          *q = src[i * c->ss];                                                               \
          f += lt;                                                                           \
          t -= gt;                                                                           \
        }                                                                                    \
      }                                                                                      \
    }                                                                                        \
  }                                                                                          \
  static bool pbig_##E(int64_t n, const ST* src, int64_t ss, char* dstp, int64_t ds,        \
                       bool want_idx, bool special, int64_t kth, UK* k, UK* kt,             \
                       uint32_t* idx, uint32_t* it, uint32_t* cnt) {                        \
    /* The sample lives in kt, which the middle block reuses afterwards. */                \
    int64_t ns = n / 8 < PB_SAMPLE_MAX ? n / 8 : PB_SAMPLE_MAX;                             \
    int64_t delta = (int64_t)(2.5 * sqrt((double)ns)) + 1;                                  \
    int64_t step = n / ns;                                                                  \
    for (int64_t i = 0; i < ns; i++)                                                        \
      kt[i] = k[i * step + (int64_t)(((uint64_t)i * 2654435761u) % (uint64_t)step)];        \
    int64_t r = kth * ns / n;                                                               \
    pb_ctx c = {.n = n, .ss = ss, .ds = ds, .src = (const char*)src, .dst = dstp, .k = k,   \
                .kt = kt, .it = it, .lo = 0, .hi = (UK)~(UK)0, .want_idx = want_idx};      \
    if (r - delta >= 0) {                                                                   \
      select_##UK(ns, kt, NULL, r - delta, (UK*)idx, it, cnt);                              \
      c.lo = kt[r - delta];                                                                 \
    }                                                                                       \
    if (r + delta < ns) {                                                                   \
      select_##UK(ns, kt, NULL, r + delta, (UK*)idx, it, cnt);                              \
      c.hi = kt[r + delta];                                                                 \
    }                                                                                       \
    int64_t parts = 2 * mx_cpu_num_threads();                                               \
    if (parts > PB_PARTS) parts = PB_PARTS;                                                 \
    if (parts > n / PB_PART_MIN) parts = n / PB_PART_MIN;                                   \
    if (parts < 1) parts = 1;                                                               \
    c.part_len = (n + parts - 1) / parts;                                                   \
    c.single = parts == 1;                                                                  \
    mx_parallel_for(parts, 1, pb_count_##E, &c);                                            \
    int64_t below = 0, m = 0, above = 0;                                                    \
    for (int64_t p = 0; p < parts; p++) {                                                   \
      int64_t s0 = p * c.part_len, len = (s0 + c.part_len < n ? c.part_len : n - s0);      \
      c.front[p] = below;                                                                   \
      c.back[p] = n - 1 - above;                                                            \
      /* Gather the parts' middles into one block (moving left, in order). */              \
      memmove(kt + m, kt + s0, (size_t)c.mid[p] * sizeof(UK));                              \
      memmove(it + m, it + s0, (size_t)c.mid[p] * sizeof(uint32_t));                        \
      below += c.below[p];                                                                  \
      m += c.mid[p];                                                                        \
      above += len - c.below[p] - c.mid[p];                                                 \
    }                                                                                       \
    if (kth < below || kth >= below + m) return false;                                      \
    mx_parallel_for(parts, 1, pb_scatter_##E, &c);                                          \
    /* The middle block; the line's keys (k) and idx are free scratch now. */              \
    select_##UK(m, kt, it, kth - below, k, idx, cnt);                                       \
    emit_##E(dstp, below, ds, m, want_idx, special, it, kt, src, ss);                       \
    return true;                                                                            \
  }
KEY_TYPES(DEF_PBIG)

/* One partition line: keys, selection of kth, then values or indices out,
 * with the scratch layout of the sort lines. */
typedef int (*pline_fn)(int64_t n, const char* src, int64_t ss, char* dst, int64_t ds,
                        bool want_idx, int64_t kth, void* scratch);
#define DEF_PLINE(E, ST, UK, KEYX, UNKEYX)                                                  \
  static int pline_##E(int64_t n, const char* srcp, int64_t ss, char* dstp, int64_t ds,    \
                       bool want_idx, int64_t kth, void* scratch) {                         \
    const ST* src = (const ST*)srcp;                                                        \
    LINE_SCRATCH(UK)                                                                        \
    bool special = keys_##E(src, ss, k, n) != 0;                                            \
    bool with_idx = want_idx || special;                                                    \
    if (n >= SEL_BIG && n <= UINT32_MAX &&                                                  \
        pbig_##E(n, src, ss, dstp, ds, want_idx, special, kth, k, kt, idx, it, cnt))        \
      return 0;                                                                             \
    if (with_idx)                                                                           \
      for (int64_t i = 0; i < n; i++) idx[i] = (uint32_t)i;                                 \
    select_##UK(n, k, with_idx ? idx : NULL, kth, kt, it, cnt);                             \
    emit_##E(dstp, 0, ds, n, want_idx, special, idx, k, src, ss);                           \
    return 0;                                                                               \
  }
KEY_TYPES(DEF_PLINE)
#define PLINE_CELL(E, ST, UK, KEYX, UNKEYX) [MX_##E] = pline_##E,
static const pline_fn pline_table[MX_DTYPE_COUNT] = {KEY_TYPES(PLINE_CELL)};

/* --- the sort kernels -------------------------------------------------------------------- */

typedef struct sort_ctx {
  line_fn fn;
  pline_fn pfn; /* partitions: select kth instead of sorting */
  int64_t kth;
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
  mx_buffer* sb = mx_buffer_new((size_t)v->n * 2 * (c->ksz + sizeof(uint32_t)) + 4 * SKEW +
                                    WIDE_CNT * sizeof(uint32_t), false);
  void* scratch = sb ? mx_buffer_host(sb) : NULL;
  if (!scratch) {
    if (sb) mx_buffer_release(sb);
    c->failed = 1;
    return;
  }
  for (int64_t l = b; l < e; l++) {
    int64_t o = l / v->inner, j = l % v->inner;
    int64_t first = o * v->n * v->inner + j;
    const char* src = v->data + first * (int64_t)c->isz;
    char* dst = c->out + first * (int64_t)c->osz;
    int rc = c->pfn ? c->pfn(v->n, src, v->inner, dst, v->inner, c->want_idx, c->kth, scratch)
                    : c->fn(v->n, src, v->inner, dst, v->inner, c->want_idx, scratch);
    if (rc != 0) c->failed = 1;
  }
  mx_buffer_release(sb);
}

static int run_sort(mx_node* node, mx_array* const* inputs, mx_array* const* outputs,
                    bool want_idx, bool select, const char* name) {
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
  if (select && prm->kth >= 0 && prm->kth < v.n) {
    c.pfn = pline_table[in->dtype];
    c.kth = prm->kth;
  }
  int64_t lines = v.outer * v.inner;
  int64_t grain = v.n >= MX__GRAIN ? 1 : MX__GRAIN / v.n;
  mx_parallel_for(lines, grain, sort_task, &c);
  mx__rs_view_free(&v);
  if (c.failed) return mx_error(MX_ERR_MEMORY, "[%s] Out of memory.", name);
  mx__cpu_written(out);
  return 0;
}

int mx__cpu_sort(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, false, false, "Sort");
}
int mx__cpu_argsort(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, true, false, "ArgSort");
}
int mx__cpu_partition(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, false, true, "Partition");
}
int mx__cpu_argpartition(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  return run_sort(node, inputs, outputs, true, true, "ArgPartition");
}

/* --- searchsorted ------------------------------------------------------------------------ */

#define DEF_SEARCH(E, ST, UK, KEYX, UNKEYX)                                                  \
  static void search_##E(int64_t n, const char* seqp, int64_t m, const char* valp, bool right, \
                         uint32_t* out, void* scratch) {                                      \
    UK* keys = scratch;                                                                       \
    unsigned special = 0;                                                                     \
    unsigned* sp = &special;                                                                  \
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
