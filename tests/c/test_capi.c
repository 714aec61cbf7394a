/* The mlx-c compatible C API: handles, ownership, errors and the ops it
 * wraps.  Expected printed forms and values were read off MLX 0.32.4
 * (/opt/mlxref) for the same inputs. */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "harness.h"
#include "mlx/c/mlx.h"

/* --- error capture ----------------------------------------------------------- */

static int error_count = 0;
static char last_error[1024];

static void capture(const char* msg, void* data) {
  error_count++;
  snprintf(last_error, sizeof last_error, "%s", msg);
  if (data) (*(int*)data)++;
}

/* Runs `expr`, expecting it to fail through the handler. */
#define CHECK_FAILS(expr)                     \
  do {                                        \
    int before_ = error_count;                \
    CHECK((expr) != 0);                       \
    CHECK(error_count == before_ + 1);        \
  } while (0)

static bool str_is(mlx_string s, const char* text) { return strcmp(mlx_string_data(s), text) == 0; }

/* Prints `a` into a string and compares with MLX's text. */
static bool prints_as(mlx_array a, const char* text) {
  mlx_string s = mlx_string_new();
  bool ok = mlx_array_tostring(&s, a) == 0 && str_is(s, text);
  if (!ok) fprintf(stderr, "printed:\n%s\nexpected:\n%s\n", mlx_string_data(s), text);
  mlx_string_free(s);
  return ok;
}

/* --- strings ------------------------------------------------------------------- */

static void test_strings(void) {
  mlx_string s = mlx_string_new();
  CHECK(s.ctx == NULL);
  CHECK(str_is(s, ""));
  mlx_string t = mlx_string_new_data("hello");
  CHECK(str_is(t, "hello"));
  CHECK(mlx_string_set(&s, t) == 0);
  CHECK(str_is(s, "hello"));
  CHECK(mlx_string_data(s) != mlx_string_data(t)); /* a copy */
  CHECK(mlx_string_set(&s, s) == 0);
  CHECK(str_is(s, "hello"));
  mlx_string_free(s);
  mlx_string_free(t);
  CHECK(mlx_string_free(mlx_string_new()) == 0);
}

/* --- arrays ---------------------------------------------------------------------- */

static void test_scalars(void) {
  mlx_array b = mlx_array_new_bool(true);
  mlx_array i = mlx_array_new_int(-7);
  mlx_array f = mlx_array_new_float(1.5f);
  mlx_array d = mlx_array_new_double(1.5);
  mlx_array c = mlx_array_new_complex(1.0f, 2.0f);
  CHECK(mlx_array_dtype(b) == MLX_BOOL && mlx_array_dtype(i) == MLX_INT32);
  CHECK(mlx_array_dtype(f) == MLX_FLOAT32 && mlx_array_dtype(d) == MLX_FLOAT64);
  CHECK(mlx_array_dtype(c) == MLX_COMPLEX64);
  CHECK(mlx_array_ndim(i) == 0 && mlx_array_size(i) == 1 && mlx_array_nbytes(d) == 8);
  bool bv = false;
  int32_t iv = 0;
  float fv = 0;
  double dv = 0;
  mlx_complex64_t cv = 0;
  CHECK(mlx_array_item_bool(&bv, b) == 0 && bv);
  CHECK(mlx_array_item_int32(&iv, i) == 0 && iv == -7);
  CHECK(mlx_array_item_float32(&fv, f) == 0 && fv == 1.5f);
  CHECK(mlx_array_item_float64(&dv, d) == 0 && dv == 1.5);
  CHECK(mlx_array_item_complex64(&cv, c) == 0 && crealf(cv) == 1.0f && cimagf(cv) == 2.0f);
  CHECK(prints_as(b, "array(True, dtype=bool)"));
  CHECK(prints_as(i, "array(-7, dtype=int32)"));
  CHECK(prints_as(f, "array(1.5, dtype=float32)"));
  CHECK(prints_as(d, "array(1.5, dtype=float64)"));
  CHECK(prints_as(c, "array(1+2j, dtype=complex64)"));
  /* Same-size reinterpretation is allowed (mlx-c passes bytes through);
   * a size mismatch is refused instead of reading past the element. */
  uint32_t uv = 0;
  CHECK(mlx_array_item_uint32(&uv, i) == 0 && uv == (uint32_t)-7);
  int64_t lv = 0;
  CHECK_FAILS(mlx_array_item_int64(&lv, i));
  /* The setters replace what a handle holds. */
  CHECK(mlx_array_set_float64(&i, 2.25) == 0);
  CHECK(mlx_array_dtype(i) == MLX_FLOAT64);
  CHECK(mlx_array_item_float64(&dv, i) == 0 && dv == 2.25);
  CHECK(mlx_array_set_int(&i, 5) == 0 && mlx_array_item_int32(&iv, i) == 0 && iv == 5);
  CHECK(mlx_array_set_bool(&i, false) == 0 && mlx_array_item_bool(&bv, i) == 0 && !bv);
  CHECK(mlx_array_set_complex(&i, 0, -1) == 0 && mlx_array_dtype(i) == MLX_COMPLEX64);
  CHECK(mlx_array_set_float(&i, 4) == 0 && mlx_array_item_float32(&fv, i) == 0 && fv == 4);
  mlx_array_free(b);
  mlx_array_free(i);
  mlx_array_free(f);
  mlx_array_free(d);
  mlx_array_free(c);
}

static void test_from_data(void) {
  float data[6] = {1, 2, 3, 4, 5, 6};
  int shape[2] = {2, 3};
  mlx_array a = mlx_array_new_data(data, shape, 2, MLX_FLOAT32);
  data[0] = 100; /* the array holds a copy */
  CHECK(a.ctx != NULL);
  CHECK(mlx_array_ndim(a) == 2 && mlx_array_size(a) == 6);
  CHECK(mlx_array_shape(a)[0] == 2 && mlx_array_shape(a)[1] == 3);
  CHECK(mlx_array_dim(a, 1) == 3 && mlx_array_dim(a, -2) == 2);
  CHECK(mlx_array_itemsize(a) == 4 && mlx_array_nbytes(a) == 24);
  CHECK(mlx_array_strides(a)[0] == 3 && mlx_array_strides(a)[1] == 1);
  CHECK(mlx_dtype_size(MLX_BFLOAT16) == 2 && mlx_dtype_size(MLX_FLOAT64) == 8);
  const float* p = mlx_array_data_float32(a);
  CHECK(p && p[0] == 1 && p[5] == 6);
  CHECK(prints_as(a, "array([[1, 2, 3],\n       [4, 5, 6]], dtype=float32)"));
  bool flag = false;
  CHECK(_mlx_array_is_available(&flag, a) == 0 && flag);
  CHECK(_mlx_array_is_row_contiguous(&flag, a) == 0 && flag);
  CHECK(_mlx_array_is_col_contiguous(&flag, a) == 0 && !flag);
  CHECK(_mlx_array_wait(a) == 0);
  /* Out-of-range dimension: reported, answered with 0. */
  int before = error_count;
  CHECK(mlx_array_dim(a, 2) == 0 && error_count == before + 1);

  /* set / set_data and aliasing: the source stays valid. */
  mlx_array b = mlx_array_new();
  CHECK(mlx_array_set(&b, a) == 0 && b.ctx == a.ctx);
  mlx_array_free(a);
  CHECK(mlx_array_size(b) == 6); /* b still holds a reference */
  int64_t ints[3] = {-1, 0, 1};
  int n = 3;
  CHECK(mlx_array_set_data(&b, ints, &n, 1, MLX_INT64) == 0);
  CHECK(mlx_array_dtype(b) == MLX_INT64 && mlx_array_data_int64(b)[0] == -1);
  CHECK(prints_as(b, "array([-1, 0, 1], dtype=int64)"));
  mlx_array_free(b);

  /* Empty and zero-size arrays. */
  int zero = 0;
  mlx_array e = mlx_array_new_data(NULL, &zero, 1, MLX_FLOAT32);
  CHECK(e.ctx != NULL && mlx_array_size(e) == 0);
  CHECK(prints_as(e, "array([], dtype=float32)"));
  mlx_array_free(e);

  /* Bad arguments are reported, not crashes. */
  int neg = -1;
  mlx_array bad = mlx_array_new_data(data, &neg, 1, MLX_FLOAT32);
  CHECK(bad.ctx == NULL);
  bad = mlx_array_new_data(data, shape, 2, (mlx_dtype)99);
  CHECK(bad.ctx == NULL);
  bad = mlx_array_new_data(NULL, shape, 2, MLX_FLOAT32);
  CHECK(bad.ctx == NULL);
  mlx_array none = mlx_array_new();
  CHECK(mlx_array_free(none) == 0);
  CHECK_FAILS(mlx_array_eval(none));
  CHECK(mlx_array_data_float32(none) == NULL);
  CHECK(mlx_array_shape(none) == NULL);
  float fv;
  CHECK_FAILS(mlx_array_item_float32(&fv, none));
}

static int released = 0;
static void count_release(void* p) {
  released++;
  (void)p;
}
static void free_payload(void* p) {
  released += 10;
  free(p);
}

static void test_managed(void) {
  static float buf[4] = {1, 2, 3, 4};
  int shape[1] = {4};
  released = 0;
  mlx_array a = mlx_array_new_data_managed(buf, shape, 1, MLX_FLOAT32, count_release);
  CHECK(a.ctx != NULL);
  CHECK(mlx_array_data_float32(a) == buf); /* no copy */
  mlx_array b = mlx_array_new();
  mlx_array_set(&b, a);
  mlx_array_free(a);
  CHECK(released == 0); /* b still uses the memory */
  mlx_array_free(b);
  CHECK(released == 1);

  /* The payload variant hands `payload`, not `data`, to the callback. */
  char* block = malloc(64);
  float* inner = (float*)(block + 16);
  for (int i = 0; i < 4; i++) inner[i] = (float)(i * 2);
  released = 0;
  a = mlx_array_new_data_managed_payload(inner, shape, 1, MLX_FLOAT32, block, free_payload);
  CHECK(prints_as(a, "array([0, 2, 4, 6], dtype=float32)"));
  mlx_array_free(a);
  CHECK(released == 10);

  /* On failure the callback does not run: the caller still owns the data. */
  released = 0;
  int neg = -2;
  a = mlx_array_new_data_managed(buf, &neg, 1, MLX_FLOAT32, count_release);
  CHECK(a.ctx == NULL && released == 0);
}

/* --- devices and streams ------------------------------------------------------- */

static void test_devices(void) {
  mlx_device cpu = mlx_device_new_type(MLX_CPU, 0);
  mlx_string s = mlx_string_new();
  CHECK(mlx_device_tostring(&s, cpu) == 0 && str_is(s, "Device(cpu, 0)"));
  mlx_device_type type;
  int index = -1;
  CHECK(mlx_device_get_type(&type, cpu) == 0 && type == MLX_CPU);
  CHECK(mlx_device_get_index(&index, cpu) == 0 && index == 0);
  int count = 0;
  CHECK(mlx_device_count(&count, MLX_CPU) == 0 && count == 1);
  CHECK(mlx_device_count(&count, MLX_GPU) == 0);
  bool avail = false;
  CHECK(mlx_device_is_available(&avail, cpu) == 0 && avail);
  mlx_device gpu = mlx_device_new_type(MLX_GPU, 0);
  CHECK(mlx_device_is_available(&avail, gpu) == 0 && avail == (count > 0));
  CHECK(!mlx_device_equal(cpu, gpu));
  mlx_device copy = mlx_device_new();
  CHECK(mlx_device_set(&copy, cpu) == 0 && mlx_device_equal(copy, cpu));
  mlx_device def = mlx_device_new();
  CHECK(mlx_get_default_device(&def) == 0);
  mlx_device_type def_type;
  CHECK(mlx_device_get_type(&def_type, def) == 0 && def_type == (count > 0 ? MLX_GPU : MLX_CPU));
  CHECK(mlx_set_default_device(cpu) == 0);
  if (count == 0) CHECK_FAILS(mlx_set_default_device(gpu));
  CHECK(mlx_set_default_device(def) == 0);

  /* Device properties: MLX reports the machine and the processor model. */
  mlx_device_info info = mlx_device_info_new();
  CHECK(mlx_device_info_get(&info, cpu) == 0);
  const char* arch = NULL;
  struct utsname u;
  uname(&u);
  CHECK(mlx_device_info_get_string(&arch, info, "architecture") == 0 && strcmp(arch, u.machine) == 0);
  bool has = false, is_str = false;
  CHECK(mlx_device_info_has_key(&has, info, "device_name") == 0 && has);
  CHECK(mlx_device_info_is_string(&is_str, info, "device_name") == 0 && is_str);
  CHECK(mlx_device_info_has_key(&has, info, "nope") == 0 && !has);
  size_t sz;
  CHECK(mlx_device_info_get_size(&sz, info, "device_name") == 2);
  mlx_vector_string keys = mlx_vector_string_new();
  CHECK(mlx_device_info_get_keys(&keys, info) == 0 && mlx_vector_string_size(keys) == 2);
  mlx_vector_string_free(keys);
  mlx_device_info_free(info);

  mlx_device_free(cpu);
  mlx_device_free(gpu);
  mlx_device_free(copy);
  mlx_device_free(def);
  mlx_string_free(s);
  CHECK_FAILS(mlx_device_get_index(&index, mlx_device_new()));
}

static void test_streams(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_string str = mlx_string_new();
  CHECK(mlx_stream_tostring(&str, s) == 0 && str_is(str, "Stream(Device(cpu, 0), 0)"));
  int index = -1;
  CHECK(mlx_stream_get_index(&index, s) == 0 && index == 0);
  mlx_device dev = mlx_device_new();
  CHECK(mlx_stream_get_device(&dev, s) == 0);
  mlx_device_type type;
  CHECK(mlx_device_get_type(&type, dev) == 0 && type == MLX_CPU);
  CHECK(mlx_synchronize(s) == 0);

  /* A new stream gets a fresh index and can become the default. */
  mlx_stream t = mlx_stream_new_device(dev);
  CHECK(t.ctx != NULL && !mlx_stream_equal(s, t));
  int tindex = -1;
  CHECK(mlx_stream_get_index(&tindex, t) == 0 && tindex > 0);
  CHECK(mlx_set_default_stream(t) == 0);
  mlx_stream d = mlx_stream_new();
  CHECK(mlx_get_default_stream(&d, dev) == 0 && mlx_stream_equal(d, t));
  CHECK(mlx_set_default_stream(s) == 0);
  CHECK(mlx_get_default_stream(&d, dev) == 0 && mlx_stream_equal(d, s));
  mlx_stream copy = mlx_stream_new();
  CHECK(mlx_stream_set(&copy, t) == 0 && mlx_stream_equal(copy, t));

  /* Work on the new stream, then the default one reads it. */
  mlx_array a = mlx_array_new_float(2.0f), r = mlx_array_new();
  CHECK(mlx_add(&r, a, a, t) == 0);
  CHECK(mlx_multiply(&r, r, a, s) == 0);
  float v = 0;
  CHECK(mlx_array_item_float32(&v, r) == 0 && v == 8.0f);
  CHECK(mlx_synchronize(t) == 0);
  mlx_array_free(a);
  mlx_array_free(r);

  int gpus = 0;
  mlx_device_count(&gpus, MLX_GPU);
  if (gpus == 0) {
    int before = error_count;
    mlx_stream g = mlx_default_gpu_stream_new();
    CHECK(g.ctx == NULL && error_count == before + 1);
    CHECK(strstr(last_error, "Cannot get gpu stream without gpu backend") != NULL);
  }
  CHECK_FAILS(mlx_synchronize(mlx_stream_new()));
  mlx_stream_free(s);
  mlx_stream_free(t);
  mlx_stream_free(d);
  mlx_stream_free(copy);
  mlx_device_free(dev);
  mlx_string_free(str);
}

/* --- vectors ------------------------------------------------------------------- */

static void test_vectors(void) {
  mlx_array x = mlx_array_new_int(1), y = mlx_array_new_int(2);
  mlx_array both[2] = {x, y};
  mlx_vector_array v = mlx_vector_array_new_data(both, 2);
  CHECK(mlx_vector_array_size(v) == 2);
  CHECK(mlx_vector_array_append_value(v, x) == 0 && mlx_vector_array_size(v) == 3);
  mlx_array_free(x); /* the vector keeps its own reference */
  mlx_array got = mlx_array_new();
  int32_t iv = 0;
  CHECK(mlx_vector_array_get(&got, v, 2) == 0 && mlx_array_item_int32(&iv, got) == 0 && iv == 1);
  CHECK_FAILS(mlx_vector_array_get(&got, v, 3));
  CHECK_FAILS(mlx_vector_array_append_value(v, mlx_array_new()));
  CHECK(mlx_vector_array_size(v) == 3);

  /* set copies; the copy is independent of later appends. */
  mlx_vector_array w = mlx_vector_array_new();
  CHECK(mlx_vector_array_set(&w, v) == 0 && mlx_vector_array_size(w) == 3);
  CHECK(mlx_vector_array_append_data(v, both + 1, 1) == 0);
  CHECK(mlx_vector_array_size(v) == 4 && mlx_vector_array_size(w) == 3);
  void* before = w.ctx;
  CHECK(mlx_vector_array_set_value(&w, y) == 0 && w.ctx == before && mlx_vector_array_size(w) == 1);

  /* vectors of vectors hold copies of the inner vectors */
  mlx_vector_vector_array vv = mlx_vector_vector_array_new_value(v);
  CHECK(mlx_vector_vector_array_append_value(vv, w) == 0);
  mlx_vector_array_free(v);
  mlx_vector_array inner = mlx_vector_array_new();
  CHECK(mlx_vector_vector_array_size(vv) == 2);
  CHECK(mlx_vector_vector_array_get(&inner, vv, 0) == 0 && mlx_vector_array_size(inner) == 4);
  CHECK(mlx_vector_vector_array_get(&inner, vv, 1) == 0 && mlx_vector_array_size(inner) == 1);
  mlx_vector_array_free(inner);
  mlx_vector_array_free(w);
  mlx_vector_vector_array_free(vv);

  int ints[3] = {4, 5, 6};
  mlx_vector_int vi = mlx_vector_int_new_data(ints, 3);
  CHECK(mlx_vector_int_append_value(vi, 7) == 0 && mlx_vector_int_size(vi) == 4);
  int out = 0;
  CHECK(mlx_vector_int_get(&out, vi, 3) == 0 && out == 7);
  CHECK(mlx_vector_int_set_data(&vi, ints, 1) == 0 && mlx_vector_int_size(vi) == 1);
  mlx_vector_int_free(vi);

  const char* words[2] = {"alpha", "beta"};
  mlx_vector_string vs = mlx_vector_string_new_data(words, 2);
  CHECK(mlx_vector_string_append_value(vs, "gamma") == 0);
  char* word = NULL;
  CHECK(mlx_vector_string_get(&word, vs, 2) == 0 && strcmp(word, "gamma") == 0);
  CHECK(mlx_vector_string_get(&word, vs, 0) == 0 && strcmp(word, "alpha") == 0);
  mlx_vector_string_free(vs);

  mlx_array_free(y);
  mlx_array_free(got);
}

/* --- errors, version, memory ------------------------------------------------------ */

static int dtor_calls = 0;
static void count_dtor(void* p) {
  dtor_calls++;
  (void)p;
}

static void test_errors(void) {
  /* A handler's data reaches it, and its destructor runs on replacement. */
  int hits = 0;
  mlx_set_error_handler(capture, &hits, count_dtor);
  mlx_array r = mlx_array_new();
  CHECK_FAILS(mlx_add(&r, mlx_array_new(), mlx_array_new(), mlx_stream_new()));
  CHECK(hits == 1);
  mlx_error("custom %d", 42);
  CHECK(strncmp(last_error, "custom 42 at ", 13) == 0);
  mlx_set_error_handler(capture, NULL, NULL);
  CHECK(dtor_calls == 1);

  /* The default handler prints and returns; the process continues. */
  mlx_set_error_handler(NULL, NULL, NULL);
  CHECK(mlx_array_eval(mlx_array_new()) == 1);
  mlx_set_error_handler(capture, NULL, NULL);
}

static void test_version_memory(void) {
  mlx_string v = mlx_string_new();
  CHECK(mlx_version(&v) == 0 && str_is(v, "0.1.0"));
  mlx_string_free(v);

  size_t before = 0, after = 0, peak = 0, limit = 0, old = 0, cache = 0;
  CHECK(mlx_clear_cache() == 0);
  CHECK(mlx_get_active_memory(&before) == 0);
  int shape[1] = {1 << 20};
  mlx_array z = mlx_array_new();
  CHECK(mlx_zeros(&z, shape, 1, MLX_FLOAT32, mlx_stream_new()) == 0 && mlx_array_eval(z) == 0);
  CHECK(mlx_get_active_memory(&after) == 0 && after >= before + (4u << 20));
  CHECK(mlx_get_peak_memory(&peak) == 0 && peak >= after);
  mlx_array_free(z);
  CHECK(mlx_get_cache_memory(&cache) == 0 && cache >= (4u << 20));
  CHECK(mlx_clear_cache() == 0 && mlx_get_cache_memory(&cache) == 0 && cache == 0);
  CHECK(mlx_reset_peak_memory() == 0);
  CHECK(mlx_get_memory_limit(&limit) == 0 && limit > 0);
  CHECK(mlx_set_memory_limit(&old, 1 << 20) == 0 && old == limit);
  /* The limit is a guideline, as in MLX: going past it still works. */
  z = mlx_array_new();
  CHECK(mlx_zeros(&z, shape, 1, MLX_FLOAT32, mlx_stream_new()) == 0);
  CHECK(mlx_array_eval(z) == 0);
  mlx_array_free(z);
  /* More than the system can give: a reported error, not a crash. */
  int huge[2] = {1 << 30, 1 << 30};
  z = mlx_array_new();
  CHECK(mlx_zeros(&z, huge, 2, MLX_FLOAT32, mlx_stream_new()) == 0);
  CHECK_FAILS(mlx_array_eval(z));
  mlx_array_free(z);
  CHECK(mlx_set_memory_limit(&old, limit) == 0 && old == (1u << 20));
  CHECK(mlx_set_cache_limit(&old, 0) == 0 && mlx_set_cache_limit(&cache, old) == 0 && cache == 0);
  CHECK(mlx_set_wired_limit(&old, 0) == 0);
  CHECK_FAILS(mlx_get_active_memory(NULL));
}

/* --- ops ------------------------------------------------------------------------- */

static void test_ops(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  float data[6] = {1, 2, 3, 4, 5, 6};
  int shape[2] = {2, 3};
  int32_t bdata[3] = {10, 20, 30};
  int bshape[1] = {3};
  mlx_array a = mlx_array_new_data(data, shape, 2, MLX_FLOAT32);
  mlx_array b = mlx_array_new_data(bdata, bshape, 1, MLX_INT32);
  mlx_array r = mlx_array_new();

  CHECK(mlx_add(&r, a, b, s) == 0);
  CHECK(prints_as(r, "array([[11, 22, 33],\n       [14, 25, 36]], dtype=float32)"));
  CHECK(mlx_subtract(&r, a, b, s) == 0);
  CHECK(prints_as(r, "array([[-9, -18, -27],\n       [-6, -15, -24]], dtype=float32)"));
  CHECK(mlx_multiply(&r, a, b, s) == 0);
  CHECK(prints_as(r, "array([[10, 40, 90],\n       [40, 100, 180]], dtype=float32)"));
  CHECK(mlx_divide(&r, a, b, s) == 0);
  CHECK(prints_as(r, "array([[0.1, 0.1, 0.1],\n       [0.4, 0.25, 0.2]], dtype=float32)"));
  /* Integer division is true division, giving float32. */
  mlx_array two = mlx_array_new_int(2);
  CHECK(mlx_divide(&r, b, two, s) == 0);
  CHECK(prints_as(r, "array([5, 10, 15], dtype=float32)"));

  /* A result may alias an input. */
  mlx_array c = mlx_array_new();
  mlx_array_set(&c, a);
  CHECK(mlx_divide(&c, c, two, s) == 0);
  CHECK(prints_as(c, "array([[0.5, 1, 1.5],\n       [2, 2.5, 3]], dtype=float32)"));
  CHECK(prints_as(a, "array([[1, 2, 3],\n       [4, 5, 6]], dtype=float32)"));

  /* Reductions. */
  CHECK(mlx_sum(&r, a, false, s) == 0 && prints_as(r, "array(21, dtype=float32)"));
  CHECK(mlx_sum_axis(&r, a, 1, false, s) == 0 && prints_as(r, "array([6, 15], dtype=float32)"));
  int axis0 = 0;
  CHECK(mlx_sum_axes(&r, a, &axis0, 1, true, s) == 0);
  CHECK(prints_as(r, "array([[5, 7, 9]], dtype=float32)"));
  CHECK(mlx_sum_axis(&r, a, -1, true, s) == 0);
  CHECK(prints_as(r, "array([[6],\n       [15]], dtype=float32)"));
  CHECK(mlx_sum_axes(&r, a, NULL, 0, false, s) == 0); /* no axes: nothing summed */
  CHECK(prints_as(r, "array([[1, 2, 3],\n       [4, 5, 6]], dtype=float32)"));
  CHECK_FAILS(mlx_sum_axis(&r, a, 2, false, s));

  /* Shape and type. */
  int rs[2] = {3, -1};
  CHECK(mlx_reshape(&r, a, rs, 2, s) == 0);
  CHECK(prints_as(r, "array([[1, 2],\n       [3, 4],\n       [5, 6]], dtype=float32)"));
  int bad[1] = {4};
  CHECK_FAILS(mlx_reshape(&r, a, bad, 1, s));
  CHECK(strstr(last_error, "Cannot reshape array of size 6 into shape (4)") != NULL);
  CHECK(mlx_transpose(&r, a, s) == 0);
  CHECK(prints_as(r, "array([[1, 4],\n       [2, 5],\n       [3, 6]], dtype=float32)"));
  mlx_array t = mlx_array_new();
  int s3[3] = {2, 3, 4}, perm[3] = {1, 0, 2};
  CHECK(mlx_arange(&t, 0, 24, 1, MLX_INT32, s) == 0 && mlx_reshape(&t, t, s3, 3, s) == 0);
  CHECK(mlx_transpose_axes(&r, t, perm, 3, s) == 0);
  const int* rshape = mlx_array_shape(r);
  CHECK(rshape && rshape[0] == 3 && rshape[1] == 2 && rshape[2] == 4);
  CHECK(mlx_copy(&r, r, s) == 0);
  /* Element [1][1][2] of the transposed array is t[1][1][2] = 12 + 4 + 2. */
  const int32_t* tp = mlx_array_data_int32(r);
  CHECK(tp && tp[(1 * 2 + 1) * 4 + 2] == 18);
  CHECK_FAILS(mlx_transpose_axes(&r, t, perm, 2, s));
  int bs[2] = {2, 3};
  CHECK(mlx_broadcast_to(&r, b, bs, 2, s) == 0);
  CHECK(prints_as(r, "array([[10, 20, 30],\n       [10, 20, 30]], dtype=int32)"));
  CHECK(mlx_astype(&r, a, MLX_INT32, s) == 0);
  CHECK(prints_as(r, "array([[1, 2, 3],\n       [4, 5, 6]], dtype=int32)"));
  float fr[2] = {1.7f, -1.7f};
  int two_shape[1] = {2};
  mlx_array f = mlx_array_new_data(fr, two_shape, 1, MLX_FLOAT32);
  CHECK(mlx_astype(&r, f, MLX_INT32, s) == 0 && prints_as(r, "array([1, -1], dtype=int32)"));
  CHECK_FAILS(mlx_astype(&r, f, (mlx_dtype)-1, s));

  /* Linear algebra. */
  float md[4] = {1, 2, 3, 4};
  int ms[2] = {2, 2};
  mlx_array m = mlx_array_new_data(md, ms, 2, MLX_FLOAT32);
  CHECK(mlx_matmul(&r, m, m, s) == 0);
  CHECK(prints_as(r, "array([[7, 10],\n       [15, 22]], dtype=float32)"));
  mlx_array ones3 = mlx_array_new();
  CHECK(mlx_ones(&ones3, bshape, 1, MLX_FLOAT32, s) == 0);
  CHECK(mlx_matmul(&r, a, ones3, s) == 0 && prints_as(r, "array([6, 15], dtype=float32)"));
  CHECK_FAILS(mlx_matmul(&r, a, a, s));

  /* Creation. */
  int zs[2] = {2, 2};
  CHECK(mlx_zeros(&r, zs, 2, MLX_INT32, s) == 0);
  CHECK(prints_as(r, "array([[0, 0],\n       [0, 0]], dtype=int32)"));
  CHECK(prints_as(ones3, "array([1, 1, 1], dtype=float32)"));
  mlx_array seven = mlx_array_new_int(7);
  CHECK(mlx_full(&r, two_shape, 1, seven, MLX_INT32, s) == 0);
  CHECK(prints_as(r, "array([7, 7], dtype=int32)"));
  mlx_array half = mlx_array_new_float(2.5f);
  CHECK(mlx_full(&r, zs, 2, half, MLX_FLOAT16, s) == 0 && mlx_array_dtype(r) == MLX_FLOAT16);
  CHECK(prints_as(r, "array([[2.5, 2.5],\n       [2.5, 2.5]], dtype=float16)"));
  CHECK(mlx_arange(&r, 0, 3, 0.5, MLX_FLOAT32, s) == 0);
  CHECK(prints_as(r, "array([0, 0.5, 1, 1.5, 2, 2.5], dtype=float32)"));
  CHECK(mlx_arange(&r, 5, 0, -2, MLX_INT32, s) == 0);
  CHECK(prints_as(r, "array([5, 3, 1], dtype=int32)"));
  CHECK(mlx_zeros_like(&r, b, s) == 0 && prints_as(r, "array([0, 0, 0], dtype=int32)"));
  CHECK(mlx_ones_like(&r, a, s) == 0);
  CHECK(prints_as(r, "array([[1, 1, 1],\n       [1, 1, 1]], dtype=float32)"));

  /* An empty stream handle means the default stream. */
  CHECK(mlx_add(&r, two, two, mlx_stream_new()) == 0 && prints_as(r, "array(4, dtype=int32)"));

  /* Broadcast failure: reported with MLX's message, *res left as it was. */
  mlx_array keep = r;
  int s4[1] = {4};
  mlx_array o4 = mlx_array_new();
  CHECK(mlx_ones(&o4, s4, 1, MLX_FLOAT32, s) == 0);
  CHECK_FAILS(mlx_add(&r, a, o4, s));
  CHECK(strstr(last_error, "[broadcast_shapes] Shapes (2,3) and (4) cannot be broadcast.") != NULL);
  CHECK(r.ctx == keep.ctx);
  CHECK_FAILS(mlx_add(NULL, a, a, s));

  mlx_array to_free[] = {a, b, r, c, two, t, f, m, ones3, seven, half, o4};
  for (size_t i = 0; i < sizeof to_free / sizeof *to_free; i++) mlx_array_free(to_free[i]);
  mlx_stream_free(s);
}

static void test_eval(void) {
  mlx_stream s = mlx_stream_new();
  mlx_array x = mlx_array_new_float(3.0f), y = mlx_array_new(), z = mlx_array_new();
  CHECK(mlx_multiply(&y, x, x, s) == 0 && mlx_add(&z, y, x, s) == 0);
  bool avail = true;
  CHECK(_mlx_array_is_available(&avail, z) == 0 && !avail); /* lazy until asked */
  mlx_array both[2] = {y, z};
  mlx_vector_array outs = mlx_vector_array_new_data(both, 2);
  CHECK(mlx_async_eval(outs) == 0);
  CHECK(_mlx_array_wait(z) == 0);
  CHECK(_mlx_array_is_available(&avail, z) == 0 && avail);
  CHECK(mlx_eval(outs) == 0);
  float v = 0;
  CHECK(mlx_array_item_float32(&v, y) == 0 && v == 9.0f);
  CHECK(mlx_array_item_float32(&v, z) == 0 && v == 12.0f);
  mlx_vector_array empty = mlx_vector_array_new();
  CHECK(mlx_eval(empty) == 0);
  mlx_vector_array_free(empty);
  CHECK_FAILS(mlx_eval((mlx_vector_array){NULL}));
  mlx_vector_array_free(outs);
  mlx_array_free(x);
  mlx_array_free(y);
  mlx_array_free(z);
}

int main(void) {
  mlx_set_error_handler(capture, NULL, NULL);
  RUN(test_strings);
  RUN(test_scalars);
  RUN(test_from_data);
  RUN(test_managed);
  RUN(test_devices);
  RUN(test_streams);
  RUN(test_vectors);
  RUN(test_errors);
  RUN(test_version_memory);
  RUN(test_ops);
  RUN(test_eval);
  return test_summary();
}
