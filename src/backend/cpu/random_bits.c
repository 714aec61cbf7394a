/* RANDOM_BITS: counter-based random bits from the Threefry-2x32 block
 * cipher (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011), 20 rounds, keyed by a pair of 32-bit words.
 *
 * Layout, which fixes every random number the library produces and matches
 * MLX: each key owns a run of B output bytes, filled from W = ceil(B/4)
 * 32-bit words.  With h = W/2 and o = W%2, the cipher applied to the counter
 * pair (j, j+h+o) gives words j and j+h+o for j < h; when W is odd, the middle
 * word h is the first half of the cipher applied to (h, 0).  A run that is
 * not a whole number of words keeps the leading bytes of its last word
 * (little-endian).  Keys are taken in order, key k from elements 2k and
 * 2k+1 of the key array. */
#include <stdlib.h>

#include "cpu_internal.h"

#define TF_PARITY 0x1BD11BDAu

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

/* One mixing round of the 2x32 variant. */
#define TF_ROUND(x0, x1, r) \
  do {                      \
    x0 += x1;               \
    x1 = rotl32(x1, r);     \
    x1 ^= x0;               \
  } while (0)

/* Four rounds with rotation constants (a,b,c,d), then the key injection
 * number `n` (1-based) using key words ka, kb. */
#define TF_FOUR(x0, x1, a, b, c, d, ka, kb, n) \
  do {                                         \
    TF_ROUND(x0, x1, a);                       \
    TF_ROUND(x0, x1, b);                       \
    TF_ROUND(x0, x1, c);                       \
    TF_ROUND(x0, x1, d);                       \
    x0 += ka;                                  \
    x1 += kb + (uint32_t)(n);                  \
  } while (0)

/* The cipher on one counter pair; the rotation constants are the paper's
 * for Threefry-2x32 (R = 13,15,26,6 then 17,29,16,24). */
static inline void threefry2x32(uint32_t k0, uint32_t k1, uint32_t c0, uint32_t c1, uint32_t* o0,
                                uint32_t* o1) {
  uint32_t k2 = k0 ^ k1 ^ TF_PARITY;
  uint32_t x0 = c0 + k0, x1 = c1 + k1;
  TF_FOUR(x0, x1, 13, 15, 26, 6, k1, k2, 1);
  TF_FOUR(x0, x1, 17, 29, 16, 24, k2, k0, 2);
  TF_FOUR(x0, x1, 13, 15, 26, 6, k0, k1, 3);
  TF_FOUR(x0, x1, 17, 29, 16, 24, k1, k2, 4);
  TF_FOUR(x0, x1, 13, 15, 26, 6, k2, k0, 5);
  *o0 = x0;
  *o1 = x1;
}

/* Words j in [j0, j1) of one key's run: lo[j] and hi[j] receive the two
 * halves of the cipher on (j, j + off).  Written as a plain loop over
 * independent counters so the compiler vectorizes it. */
MX__SIMD static void tf_block(uint32_t k0, uint32_t k1, int64_t j0, int64_t j1, uint32_t off,
                              uint32_t* restrict lo, uint32_t* restrict hi) {
  for (int64_t j = j0; j < j1; j++) {
    uint32_t a, b;
    threefry2x32(k0, k1, (uint32_t)j, (uint32_t)j + off, &a, &b);
    lo[j - j0] = a;
    hi[j - j0] = b;
  }
}

typedef struct run_job {
  const uint32_t* keys; /* 2 words per key, gathered */
  char* out;
  int64_t bytes; /* per key */
  int64_t nkeys;
} run_job;

/* Fills the whole run of key k.  Words go straight into the output when the
 * run is word aligned; otherwise through a small staging buffer. */
static void fill_run(const run_job* jb, int64_t k, int64_t j0, int64_t j1) {
  uint32_t k0 = jb->keys[2 * k], k1 = jb->keys[2 * k + 1];
  int64_t B = jb->bytes, W = (B + 3) / 4, h = W / 2, o = W % 2;
  char* run = jb->out + k * B;
  uint32_t lo[256], hi[256];
  for (int64_t j = j0; j < j1; j += 256) {
    int64_t e = j + 256 < j1 ? j + 256 : j1;
    tf_block(k0, k1, j, e, (uint32_t)(h + o), lo, hi);
    /* Low halves land on words [j, e), high halves on [j+h+o, e+h+o); only
     * the very last word of the run may be partial. */
    memcpy(run + 4 * j, lo, (size_t)(e - j) * 4);
    int64_t first = j + h + o, nfull = e - j;
    int64_t avail = B - 4 * first; /* bytes left from word `first` on */
    size_t n = (size_t)(avail < 4 * nfull ? avail : 4 * nfull);
    memcpy(run + 4 * first, hi, n);
  }
  if (o && j0 == 0) {
    /* The middle word of an odd run (computed once, by the first chunk). */
    uint32_t a, b;
    threefry2x32(k0, k1, (uint32_t)h, 0, &a, &b);
    int64_t avail = B - 4 * h;
    memcpy(run + 4 * h, &a, (size_t)(avail < 4 ? avail : 4));
  }
}

static void runs_task(int64_t b, int64_t e, void* ctx) {
  const run_job* jb = ctx;
  int64_t h = ((jb->bytes + 3) / 4) / 2;
  for (int64_t k = b; k < e; k++) fill_run(jb, k, 0, h);
}

/* Chunks of one key's pairs; the chunk starting at 0 also writes the
 * middle word of an odd run. */
static void pairs_task(int64_t b, int64_t e, void* ctx) { fill_run(ctx, 0, b, e); }

int mx__cpu_random_bits(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  mx_array* key = inputs[0];
  mx_array* out = outputs[0];
  const mx_random_bits_params* p = node->params;
  if (!p || (p->width != 1 && p->width != 2 && p->width != 4))
    return mx_error(MX_ERR_RUNTIME, "[RandomBits] Invalid parameters.");
  char* po = mx__cpu_alloc(out);
  if (!po && out->size > 0) return -1;
  int64_t nkeys = key->size / 2;
  if (out->size == 0 || nkeys == 0) {
    if (out->buffer) mx__cpu_written(out);
    return 0;
  }
  /* Gather the key words in logical order (the key may be any view). */
  uint32_t one[2];
  uint32_t* kw = nkeys == 1 ? one : malloc((size_t)nkeys * 2 * sizeof(uint32_t));
  if (!kw) return mx_error(MX_ERR_MEMORY, "[RandomBits] Out of memory.");
  const uint32_t* kp = (const uint32_t*)mx__cpu_in_ptr(key);
  for (int64_t i = 0; i < 2 * nkeys; i++) {
    int64_t rem = i, loc = 0;
    for (int d = key->ndim - 1; d >= 0; d--) {
      loc += (rem % key->shape[d]) * key->strides[d];
      rem /= key->shape[d];
    }
    kw[i] = kp[loc];
  }
  run_job jb = {kw, po, (out->size / nkeys) * p->width, nkeys};
  int64_t pairs = ((jb.bytes + 3) / 4) / 2;
  if (nkeys == 1) {
    if (pairs == 0)
      fill_run(&jb, 0, 0, 0);
    else
      mx_parallel_for(pairs, MX__GRAIN / 4, pairs_task, &jb);
  } else {
    int64_t grain = pairs > 0 ? (MX__GRAIN / 4) / pairs + 1 : 1024;
    mx_parallel_for(nkeys, grain, runs_task, &jb);
  }
  if (kw != one) free(kw);
  mx__cpu_written(out);
  return 0;
}
