/* Saving and loading .safetensors files with the C API.
 *
 * Builds two arrays and a metadata entry, saves them to a file, loads the
 * file back and prints each array, then does the same round trip through a
 * user-defined in-memory stream (mlx_io_writer / mlx_io_reader).
 * Exits with status 0 when every step worked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlx/c/mlx.h"

/* An in-memory byte stream driven through mlx_io_vtable. */
typedef struct buffer_stream {
  char* bytes;
  size_t length, capacity, position;
  bool failed;
} buffer_stream;

static bool bs_is_open(void* self) { return self != NULL; }
static bool bs_good(void* self) { return !((buffer_stream*)self)->failed; }
static size_t bs_tell(void* self) { return ((buffer_stream*)self)->position; }

static void bs_seek(void* self, int64_t offset, int whence) {
  buffer_stream* b = self;
  int64_t from = whence == SEEK_SET ? 0
               : whence == SEEK_CUR ? (int64_t)b->position
                                    : (int64_t)b->length;
  if (from + offset < 0 || (size_t)(from + offset) > b->length) b->failed = true;
  else b->position = (size_t)(from + offset);
}

static void bs_read(void* self, char* out, size_t n) {
  buffer_stream* b = self;
  if (b->position + n > b->length) {
    b->failed = true;
    return;
  }
  memcpy(out, b->bytes + b->position, n);
  b->position += n;
}

static void bs_read_at(void* self, char* out, size_t n, size_t offset) {
  buffer_stream* b = self;
  b->position = offset;
  bs_read(self, out, n);
}

static void bs_write(void* self, const char* in, size_t n) {
  buffer_stream* b = self;
  if (b->position + n > b->capacity) {
    size_t want = 2 * (b->position + n);
    char* grown = realloc(b->bytes, want);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->bytes = grown;
    b->capacity = want;
  }
  memcpy(b->bytes + b->position, in, n);
  b->position += n;
  if (b->position > b->length) b->length = b->position;
}

static const char* bs_label(void* self) {
  (void)self;
  return "<buffer stream>";
}

static void bs_release(void* self) { (void)self; /* the stream lives on main's stack */ }

static void show(const char* name, mlx_array a) {
  mlx_string text = mlx_string_new();
  mlx_array_tostring(&text, a);
  printf("%s:\n%s\n", name, mlx_string_data(text));
  mlx_string_free(text);
}

/* Prints every array of a map; returns how many there were. */
static int show_all(mlx_map_string_to_array arrays) {
  mlx_map_string_to_array_iterator it = mlx_map_string_to_array_iterator_new(arrays);
  const char* name;
  mlx_array value = mlx_array_new();
  int count = 0;
  while (mlx_map_string_to_array_iterator_next(&name, &value, it) == 0) {
    show(name, value);
    count++;
  }
  mlx_array_free(value);
  mlx_map_string_to_array_iterator_free(it);
  return count;
}

int main(void) {
  int status = 1;
  mlx_stream cpu = mlx_default_cpu_stream_new();
  const char* path = "/tmp/cmlx_example.safetensors";

  float weights[] = {0.5f, -1.0f, 2.0f, 4.0f, 8.0f, -16.0f};
  int shape[] = {2, 3};
  mlx_array w = mlx_array_new_data(weights, shape, 2, MLX_FLOAT32);
  mlx_array steps = mlx_array_new();
  mlx_arange(&steps, 0, 4, 1, MLX_INT32, cpu);

  mlx_map_string_to_array to_save = mlx_map_string_to_array_new();
  mlx_map_string_to_array_insert(to_save, "weights", w);
  mlx_map_string_to_array_insert(to_save, "steps", steps);
  mlx_map_string_to_string info = mlx_map_string_to_string_new();
  mlx_map_string_to_string_insert(info, "created_by", "cmlx example");

  mlx_map_string_to_array loaded = mlx_map_string_to_array_new();
  mlx_map_string_to_string loaded_info = mlx_map_string_to_string_new();
  buffer_stream mem = {0};
  mlx_io_vtable vtable = {bs_is_open, bs_good,  bs_tell,  bs_seek,   bs_read,
                          bs_read_at, bs_write, bs_label, bs_release};

  printf("== through a file\n");
  if (mlx_save_safetensors(path, to_save, info) != 0) goto done;
  if (mlx_load_safetensors(&loaded, &loaded_info, path, cpu) != 0) goto done;
  if (show_all(loaded) != 2) goto done;
  const char* who = NULL;
  if (mlx_map_string_to_string_get(&who, loaded_info, "created_by") != 0) goto done;
  printf("metadata created_by = %s\n", who);

  printf("== through a memory stream\n");
  mlx_io_writer writer = mlx_io_writer_new(&mem, vtable);
  int rc = mlx_save_safetensors_writer(writer, loaded, loaded_info);
  mlx_io_writer_free(writer);
  if (rc != 0) goto done;
  printf("%zu bytes written\n", mem.length);
  mem.position = 0;
  mlx_io_reader reader = mlx_io_reader_new(&mem, vtable);
  rc = mlx_load_safetensors_reader(&loaded, &loaded_info, reader, cpu);
  mlx_io_reader_free(reader);
  if (rc != 0 || show_all(loaded) != 2) goto done;
  status = 0;

done:
  if (status) printf("FAILED\n");
  free(mem.bytes);
  remove(path);
  mlx_map_string_to_array_free(loaded);
  mlx_map_string_to_string_free(loaded_info);
  mlx_map_string_to_array_free(to_save);
  mlx_map_string_to_string_free(info);
  mlx_array_free(w);
  mlx_array_free(steps);
  mlx_stream_free(cpu);
  return status;
}
