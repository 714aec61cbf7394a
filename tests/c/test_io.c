/* Array files through the mlx-c API: round trips of every dtype a format
 * holds, ranks 0-4 and empty arrays, user reader/writer vtables, maps, the
 * GGUF container, and truncated / garbage files giving errors.  Expected
 * values are the arrays written (round trips must be bit exact). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mlx/c/mlx.h"

static int errors_seen;
static void quiet_handler(const char* msg, void* data) {
  (void)msg;
  (void)data;
  errors_seen++;
}

static char tmpdir[] = "/tmp/cmlx_test_io_XXXXXX";
static char path_buf[512];
static const char* tmp_path(const char* name) {
  snprintf(path_buf, sizeof path_buf, "%s/%s", tmpdir, name);
  return path_buf;
}

static const int shapes[][4] = {{0}, {5}, {2, 3}, {2, 1, 3}, {1, 2, 2, 3}};
static const int ranks[] = {0, 1, 2, 3, 4};

/* An array of `dtype` with distinct, exactly representable values. */
static mlx_array make(mlx_dtype dtype, int rank, const int* shape) {
  mlx_stream s = mlx_default_cpu_stream_new();
  int n = 1;
  for (int i = 0; i < rank; i++) n *= shape[i];
  mlx_array a = mlx_array_new(), f = mlx_array_new();
  mlx_arange(&f, 0, n, 1, MLX_FLOAT32, s);
  mlx_reshape(&a, f, shape, (size_t)rank, s);
  mlx_astype(&f, a, dtype, s);
  mlx_array_eval(f);
  mlx_array_free(a);
  mlx_stream_free(s);
  return f;
}

static bool same(mlx_array a, mlx_array b) {
  if (mlx_array_dtype(a) != mlx_array_dtype(b) || mlx_array_ndim(a) != mlx_array_ndim(b))
    return false;
  for (size_t i = 0; i < mlx_array_ndim(a); i++)
    if (mlx_array_shape(a)[i] != mlx_array_shape(b)[i]) return false;
  mlx_array_eval(a);
  mlx_array_eval(b);
  size_t nb = mlx_array_nbytes(a);
  if (nb != mlx_array_nbytes(b)) return false;
  /* Both are row-contiguous: made by astype, or loaded. */
  const void* pa = mlx_array_data_uint8(a);
  const void* pb = mlx_array_data_uint8(b);
  return nb == 0 || memcmp(pa, pb, nb) == 0;
}

static void test_npy_all_dtypes(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  for (int dt = MLX_BOOL; dt <= MLX_COMPLEX64; dt++)
    for (int k = 0; k < 5; k++) {
      mlx_array a = make((mlx_dtype)dt, ranks[k], shapes[k]);
      mlx_array b = mlx_array_new();
      CHECK(mlx_save(tmp_path("x"), a) == 0); /* .npy is appended */
      CHECK(mlx_load(&b, tmp_path("x.npy"), s) == 0);
      CHECK(same(a, b));
      mlx_array_free(a);
      mlx_array_free(b);
    }
  /* Empty arrays. */
  int eshape[] = {2, 0, 3};
  mlx_array e = make(MLX_FLOAT32, 3, eshape), b = mlx_array_new();
  CHECK(mlx_save(tmp_path("e.npy"), e) == 0);
  CHECK(mlx_load(&b, tmp_path("e.npy"), s) == 0);
  CHECK(same(e, b) && mlx_array_size(b) == 0);
  mlx_array_free(e);
  mlx_array_free(b);
  mlx_stream_free(s);
}

static void test_safetensors_all_dtypes(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_map_string_to_array m = mlx_map_string_to_array_new();
  mlx_map_string_to_string meta = mlx_map_string_to_string_new();
  CHECK(mlx_map_string_to_string_insert(meta, "format", "mlx") == 0);
  CHECK(mlx_map_string_to_string_insert(meta, "quote\"key", "line\nbreak") == 0);
  int count = 0;
  for (int dt = MLX_BOOL; dt <= MLX_COMPLEX64; dt++) {
    if (dt == MLX_FLOAT64) continue; /* MLX writes no F64 safetensors */
    for (int k = 0; k < 5; k++) {
      char name[32];
      snprintf(name, sizeof name, "t%d_%d", dt, k);
      mlx_array a = make((mlx_dtype)dt, ranks[k], shapes[k]);
      CHECK(mlx_map_string_to_array_insert(m, name, a) == 0);
      mlx_array_free(a);
      count++;
    }
  }
  CHECK(mlx_save_safetensors(tmp_path("st"), m, meta) == 0);
  mlx_map_string_to_array got = mlx_map_string_to_array_new();
  mlx_map_string_to_string gmeta = mlx_map_string_to_string_new();
  CHECK(mlx_load_safetensors(&got, &gmeta, tmp_path("st.safetensors"), s) == 0);
  mlx_map_string_to_array_iterator it = mlx_map_string_to_array_iterator_new(m);
  const char* key;
  mlx_array v = mlx_array_new(), w = mlx_array_new();
  int seen = 0;
  while (mlx_map_string_to_array_iterator_next(&key, &v, it) == 0) {
    CHECK(mlx_map_string_to_array_get(&w, got, key) == 0);
    CHECK(same(v, w));
    seen++;
  }
  CHECK(seen == count);
  CHECK(mlx_map_string_to_array_get(&w, got, "missing") == 2);
  const char* val = NULL;
  CHECK(mlx_map_string_to_string_get(&val, gmeta, "quote\"key") == 0 && val &&
        strcmp(val, "line\nbreak") == 0);
  CHECK(mlx_map_string_to_string_get(&val, gmeta, "format") == 0 && strcmp(val, "mlx") == 0);
  /* float64 is refused, as MLX refuses it. */
  mlx_map_string_to_array d = mlx_map_string_to_array_new();
  mlx_array f64 = make(MLX_FLOAT64, 1, shapes[1]);
  mlx_map_string_to_array_insert(d, "d", f64);
  int before = errors_seen;
  CHECK(mlx_save_safetensors(tmp_path("d"), d, meta) == 1 && errors_seen == before + 1);
  mlx_array_free(f64);
  mlx_map_string_to_array_free(d);
  mlx_array_free(v);
  mlx_array_free(w);
  mlx_map_string_to_array_iterator_free(it);
  mlx_map_string_to_array_free(m);
  mlx_map_string_to_array_free(got);
  mlx_map_string_to_string_free(meta);
  mlx_map_string_to_string_free(gmeta);
  mlx_stream_free(s);
}

/* --- a memory stream behind the reader/writer vtable ------------------------------ */

typedef struct memfile {
  char* data;
  size_t size, cap, pos;
  bool err;
  int frees;
} memfile;

static bool mf_is_open(void* d) { return d != NULL; }
static bool mf_good(void* d) { return !((memfile*)d)->err; }
static size_t mf_tell(void* d) { return ((memfile*)d)->pos; }
static void mf_seek(void* d, int64_t off, int whence) {
  memfile* m = d;
  int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)m->pos : (int64_t)m->size;
  if (base + off < 0 || (size_t)(base + off) > m->size) m->err = true;
  else m->pos = (size_t)(base + off);
}
static void mf_read(void* d, char* out, size_t n) {
  memfile* m = d;
  if (m->pos + n > m->size) {
    m->err = true;
    return;
  }
  memcpy(out, m->data + m->pos, n);
  m->pos += n;
}
static void mf_read_at(void* d, char* out, size_t n, size_t off) {
  memfile* m = d;
  if (off + n > m->size) {
    m->err = true;
    return;
  }
  memcpy(out, m->data + off, n);
  m->pos = off + n;
}
static void mf_write(void* d, const char* src, size_t n) {
  memfile* m = d;
  if (m->pos + n > m->cap) {
    m->cap = (m->pos + n) * 2;
    m->data = realloc(m->data, m->cap);
  }
  memcpy(m->data + m->pos, src, n);
  m->pos += n;
  if (m->pos > m->size) m->size = m->pos;
}
static const char* mf_label(void* d) {
  (void)d;
  return "<memfile>";
}
static void mf_free(void* d) { ((memfile*)d)->frees++; }
static const mlx_io_vtable mf_vtable = {mf_is_open, mf_good,  mf_tell,  mf_seek, mf_read,
                                        mf_read_at, mf_write, mf_label, mf_free};

static void test_reader_writer(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  memfile mf = {0};
  mlx_io_writer w = mlx_io_writer_new(&mf, mf_vtable);
  void* desc = NULL;
  CHECK(mlx_io_writer_descriptor(&desc, w) == 0 && desc == &mf);
  mlx_string label = mlx_string_new();
  CHECK(mlx_io_writer_tostring(&label, w) == 0 && strcmp(mlx_string_data(label), "<memfile>") == 0);
  mlx_array a = make(MLX_BFLOAT16, 2, shapes[2]);
  CHECK(mlx_save_writer(w, a) == 0);
  CHECK(mlx_io_writer_free(w) == 0 && mf.frees == 1);
  CHECK(mf.size > 128 && memcmp(mf.data, "\x93NUMPY", 6) == 0);
  mf.pos = 0;
  mlx_io_reader r = mlx_io_reader_new(&mf, mf_vtable);
  CHECK(mlx_io_reader_tostring(&label, r) == 0);
  mlx_array b = mlx_array_new();
  CHECK(mlx_load_reader(&b, r, s) == 0);
  CHECK(same(a, b));
  CHECK(mlx_io_reader_free(r) == 0 && mf.frees == 2);

  /* safetensors through the vtables. */
  mlx_map_string_to_array m = mlx_map_string_to_array_new();
  mlx_map_string_to_string meta = mlx_map_string_to_string_new();
  mlx_map_string_to_array_insert(m, "a", a);
  mlx_map_string_to_string_insert(meta, "k", "v");
  mf.pos = mf.size = 0;
  w = mlx_io_writer_new(&mf, mf_vtable);
  CHECK(mlx_save_safetensors_writer(w, m, meta) == 0);
  mlx_io_writer_free(w);
  mf.pos = 0;
  r = mlx_io_reader_new(&mf, mf_vtable);
  mlx_map_string_to_array got = mlx_map_string_to_array_new();
  mlx_map_string_to_string gmeta = mlx_map_string_to_string_new();
  CHECK(mlx_load_safetensors_reader(&got, &gmeta, r, s) == 0);
  CHECK(mlx_map_string_to_array_get(&b, got, "a") == 0 && same(a, b));
  mlx_map_string_to_string_iterator sit = mlx_map_string_to_string_iterator_new(gmeta);
  const char *k, *v;
  CHECK(mlx_map_string_to_string_iterator_next(&k, &v, sit) == 0 && strcmp(k, "k") == 0 &&
        strcmp(v, "v") == 0);
  CHECK(mlx_map_string_to_string_iterator_next(&k, &v, sit) == 2);
  mlx_map_string_to_string_iterator_free(sit);
  mlx_io_reader_free(r);

  /* A truncated stream is an error, not a crash. */
  mf.size = 20;
  mf.pos = 0;
  mf.err = false;
  r = mlx_io_reader_new(&mf, mf_vtable);
  int before = errors_seen;
  CHECK(mlx_load_safetensors_reader(&got, &gmeta, r, s) == 1 && errors_seen == before + 1);
  mlx_io_reader_free(r);

  mlx_map_string_to_array_free(m);
  mlx_map_string_to_array_free(got);
  mlx_map_string_to_string_free(meta);
  mlx_map_string_to_string_free(gmeta);
  mlx_string_free(label);
  mlx_array_free(a);
  mlx_array_free(b);
  free(mf.data);
  mlx_stream_free(s);
}

static void test_gguf(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  mlx_io_gguf g = mlx_io_gguf_new();
  const mlx_dtype dts[] = {MLX_FLOAT32, MLX_FLOAT16, MLX_INT8, MLX_INT16, MLX_INT32};
  for (int d = 0; d < 5; d++)
    for (int k = 0; k < 5; k++) {
      char name[32];
      snprintf(name, sizeof name, "w%d_%d", d, k);
      mlx_array a = make(dts[d], ranks[k], shapes[k]);
      CHECK(mlx_io_gguf_set_array(g, name, a) == 0);
      mlx_array_free(a);
    }
  mlx_array marr = make(MLX_UINT16, 1, shapes[1]);
  mlx_array mscalar = make(MLX_INT64, 0, shapes[0]);
  const char* strs[] = {"a", "bc", ""};
  mlx_vector_string vs = mlx_vector_string_new_data(strs, 3);
  CHECK(mlx_io_gguf_set_metadata_array(g, "arr", marr) == 0);
  CHECK(mlx_io_gguf_set_metadata_array(g, "scalar", mscalar) == 0);
  CHECK(mlx_io_gguf_set_metadata_string(g, "name", "test model") == 0);
  CHECK(mlx_io_gguf_set_metadata_vector_string(g, "tokens", vs) == 0);
  CHECK(mlx_save_gguf(tmp_path("g"), g) == 0);

  mlx_io_gguf h = mlx_io_gguf_new();
  CHECK(mlx_load_gguf(&h, tmp_path("g.gguf"), s) == 0);
  mlx_vector_string keys = mlx_vector_string_new();
  CHECK(mlx_io_gguf_get_keys(&keys, h) == 0 && mlx_vector_string_size(keys) == 25);
  mlx_array a = mlx_array_new(), b = mlx_array_new();
  for (size_t i = 0; i < mlx_vector_string_size(keys); i++) {
    char* key;
    mlx_vector_string_get(&key, keys, i);
    CHECK(mlx_io_gguf_get_array(&a, g, key) == 0);
    CHECK(mlx_io_gguf_get_array(&b, h, key) == 0);
    CHECK(same(a, b));
  }
  bool flag;
  CHECK(mlx_io_gguf_has_metadata_string(&flag, h, "name") == 0 && flag);
  CHECK(mlx_io_gguf_has_metadata_array(&flag, h, "name") == 0 && !flag);
  CHECK(mlx_io_gguf_has_metadata_array(&flag, h, "nothing") == 2 && !flag);
  mlx_string str = mlx_string_new();
  CHECK(mlx_io_gguf_get_metadata_string(&str, h, "name") == 0 &&
        strcmp(mlx_string_data(str), "test model") == 0);
  CHECK(mlx_io_gguf_get_metadata_string(&str, h, "arr") == 3);
  CHECK(mlx_io_gguf_get_metadata_array(&a, h, "arr") == 0 && same(a, marr));
  CHECK(mlx_io_gguf_get_metadata_array(&a, h, "scalar") == 0 && same(a, mscalar));
  mlx_vector_string got = mlx_vector_string_new();
  CHECK(mlx_io_gguf_get_metadata_vector_string(&got, h, "tokens") == 0 &&
        mlx_vector_string_size(got) == 3);
  char* t;
  CHECK(mlx_vector_string_get(&t, got, 1) == 0 && strcmp(t, "bc") == 0);

  /* Types GGUF tensors cannot hold are refused before anything is written. */
  mlx_io_gguf bad = mlx_io_gguf_new();
  mlx_array bf = make(MLX_BFLOAT16, 1, shapes[1]);
  mlx_io_gguf_set_array(bad, "bf", bf);
  int before = errors_seen;
  CHECK(mlx_save_gguf(tmp_path("bad"), bad) == 1 && errors_seen == before + 1);

  mlx_array_free(bf);
  mlx_io_gguf_free(bad);
  mlx_vector_string_free(got);
  mlx_string_free(str);
  mlx_array_free(a);
  mlx_array_free(b);
  mlx_vector_string_free(keys);
  mlx_vector_string_free(vs);
  mlx_array_free(marr);
  mlx_array_free(mscalar);
  mlx_io_gguf_free(g);
  mlx_io_gguf_free(h);
  mlx_stream_free(s);
}

static long file_size(const char* p) {
  FILE* f = fopen(p, "rb");
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fclose(f);
  return n;
}

/* Writes the first n bytes of `src` to `dst`. */
static void truncate_copy(const char* src, const char* dst, long n) {
  FILE* f = fopen(src, "rb");
  char* buf = malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  fclose(f);
  f = fopen(dst, "wb");
  fwrite(buf, 1, got, f);
  fclose(f);
  free(buf);
}

static void test_truncated(void) {
  mlx_stream s = mlx_default_cpu_stream_new();
  char full[512], cut[512];
  /* Every prefix of each file (short of the whole) must fail cleanly. */
  const char* names[] = {"x.npy", "st.safetensors", "g.gguf"};
  for (int f = 0; f < 3; f++) {
    snprintf(full, sizeof full, "%s", tmp_path(names[f]));
    long n = file_size(full);
    CHECK(n > 0);
    int failures = 0, tries = 0;
    for (long k = 0; k < n; k += (k < 200 ? 1 : 97)) {
      snprintf(cut, sizeof cut, "%s/cut_%s", tmpdir, names[f]);
      truncate_copy(full, cut, k);
      tries++;
      int before = errors_seen, rc;
      if (f == 0) {
        mlx_array a = mlx_array_new();
        rc = mlx_load(&a, cut, s);
        mlx_array_free(a);
      } else if (f == 1) {
        mlx_map_string_to_array m = mlx_map_string_to_array_new();
        mlx_map_string_to_string meta = mlx_map_string_to_string_new();
        rc = mlx_load_safetensors(&m, &meta, cut, s);
        mlx_map_string_to_array_free(m);
        mlx_map_string_to_string_free(meta);
      } else {
        mlx_io_gguf g = mlx_io_gguf_new();
        rc = mlx_load_gguf(&g, cut, s);
        mlx_io_gguf_free(g);
      }
      if (rc == 1 && errors_seen == before + 1) failures++;
    }
    CHECK(failures == tries);
  }
  /* Garbage and a missing file. */
  FILE* g = fopen(tmp_path("junk.npy"), "wb");
  fputs("this is not an array file at all, just some text", g);
  fclose(g);
  mlx_array a = mlx_array_new();
  CHECK(mlx_load(&a, tmp_path("junk.npy"), s) == 1);
  CHECK(mlx_load(&a, tmp_path("does_not_exist.npy"), s) == 1);
  mlx_array_free(a);
  mlx_stream_free(s);
}

int main(void) {
  if (!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  mlx_set_error_handler(quiet_handler, NULL, NULL);
  RUN(test_npy_all_dtypes);
  RUN(test_safetensors_all_dtypes);
  RUN(test_reader_writer);
  RUN(test_gguf);
  RUN(test_truncated);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
  return test_summary();
}
