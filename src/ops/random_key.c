/* Keys, the global key sequence, random bits and split. */
#include <pthread.h>
#include <time.h>

#include "random_internal.h"

mx_array* mx_random_key(uint64_t seed) {
  uint32_t words[2] = {(uint32_t)(seed >> 32), (uint32_t)seed};
  int shape[1] = {2};
  return mx_array_from_data(words, MX_UINT32, 1, shape);
}

/* --- the global key ------------------------------------------------------------ */

/* One key for the whole process, guarded by a mutex so that threads drawing
 * without explicit keys each get a distinct key.  It is created on first
 * use from the wall clock, in milliseconds as MLX seeds it. */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static mx_array* g_key;

static int ensure_key_locked(void) {
  if (g_key) return 0;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
  g_key = mx_random_key(ms);
  return g_key ? 0 : -1;
}

void mx_random_seed(uint64_t seed) {
  mx_array* k = mx_random_key(seed);
  if (!k) return;
  pthread_mutex_lock(&g_lock);
  mx_array* old = g_key;
  g_key = k;
  pthread_mutex_unlock(&g_lock);
  if (old) mx_array_release(old);
}

mx_array* mx_random_state_get(void) {
  pthread_mutex_lock(&g_lock);
  mx_array* k = NULL;
  if (ensure_key_locked() == 0) {
    k = g_key;
    mx_array_retain(k);
  }
  pthread_mutex_unlock(&g_lock);
  return k;
}

static int check_key(const mx_array* key) {
  if (!key) return mx_error(MX_ERR_VALUE, "[bits] Invalid (null) key.");
  if (key->dtype != MX_UINT32)
    return mx_error(MX_ERR_VALUE, "[bits] Expected key type uint32 but received %s.",
                    mx_dtype_name(key->dtype));
  if (key->ndim != 1 || key->shape[0] != 2) {
    char buf[64];
    return mx_error(MX_ERR_VALUE, "[bits] Expected key shape (2) but received %s.",
                    mx_shape_str(key->ndim, key->shape, buf, sizeof buf));
  }
  return 0;
}

int mx_random_state_set(mx_array* key) {
  if (check_key(key) != 0) return -1;
  mx_array_retain(key);
  pthread_mutex_lock(&g_lock);
  mx_array* old = g_key;
  g_key = key;
  pthread_mutex_unlock(&g_lock);
  if (old) mx_array_release(old);
  return 0;
}

mx_array* mx__random_resolve_key(mx_array* key, mx_stream s) {
  if (key) {
    mx_array_retain(key);
    return key;
  }
  /* Split under the lock so that two threads never draw the same key; the
   * split only builds graph nodes, so the lock is held briefly. */
  pthread_mutex_lock(&g_lock);
  mx_array *next = NULL, *use = NULL;
  if (ensure_key_locked() == 0 && mx_random_split(g_key, s, &next, &use) == 0) {
    mx_array_release(g_key);
    g_key = next;
  }
  pthread_mutex_unlock(&g_lock);
  return use;
}

/* --- bits and split --------------------------------------------------------------- */

mx_array* mx_random_bits(int ndim, const int* shape, int width, mx_array* key, mx_stream s) {
  if (width != 1 && width != 2 && width != 4) {
    mx_error(MX_ERR_VALUE, "[bits] Bit width must be in {1, 2, 4} but got %d.", width);
    return NULL;
  }
  if (ndim < 0 || (ndim > 0 && !shape)) {
    mx_error(MX_ERR_VALUE, "[bits] Invalid shape.");
    return NULL;
  }
  for (int i = 0; i < ndim; i++)
    if (shape[i] < 0) {
      mx_error(MX_ERR_VALUE, "[bits] Negative dimensions not allowed.");
      return NULL;
    }
  if (key && check_key(key) != 0) return NULL;
  mx_array* k = mx__random_resolve_key(key, s);
  if (!k) return NULL;
  mx_random_bits_params p = {width};
  mx_dtype dt = width == 4 ? MX_UINT32 : (width == 2 ? MX_UINT16 : MX_UINT8);
  mx_array* out = mx_array_make(MX_PRIM_RANDOM_BITS, &p, sizeof p, s, 1, &k, dt, ndim, shape);
  mx_array_release(k);
  return out;
}

mx_array* mx_random_split_num(mx_array* key, int num, mx_stream s) {
  if (check_key(key) != 0) return NULL;
  if (num < 0) {
    mx_error(MX_ERR_VALUE, "[bits] Negative dimensions not allowed.");
    return NULL;
  }
  int shape[2] = {num, 2};
  return mx_random_bits(2, shape, 4, key, s);
}

int mx_random_split(mx_array* key, mx_stream s, mx_array** first, mx_array** second) {
  mx_array* both = mx_random_split_num(key, 2, s);
  if (!both) return -1;
  *first = mx_take_int(both, 0, 0, s);
  *second = *first ? mx_take_int(both, 1, 0, s) : NULL;
  mx_array_release(both);
  if (!*second) {
    if (*first) mx_array_release(*first);
    *first = NULL;
    return -1;
  }
  return 0;
}
