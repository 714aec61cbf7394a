/* Saving and loading .gguf files with the C API (the mlx_io_gguf container).
 *
 * Puts two zero-filled arrays and some metadata into a container, saves it,
 * loads it back and lists each array with its shape, dtype and the kinds of
 * metadata stored under the same name.  Exits with status 0 on success. */
#include <stdio.h>

#include "mlx/c/mlx.h"

static const char* dtype_name(mlx_dtype t) {
  static const char* names[] = {"bool",  "uint8",   "uint16",  "uint32",  "uint64",
                                "int8",  "int16",   "int32",   "int64",   "float16",
                                "float32", "float64", "bfloat16", "complex64"};
  return (int)t >= 0 && (int)t < 14 ? names[t] : "?";
}

int main(void) {
  int status = 1;
  mlx_stream cpu = mlx_default_cpu_stream_new();
  const char* path = "/tmp/cmlx_example.gguf";

  mlx_io_gguf out = mlx_io_gguf_new();
  mlx_array cube = mlx_array_new(), plane = mlx_array_new();
  mlx_zeros(&cube, (int[]){3, 4, 5}, 3, MLX_FLOAT16, cpu);
  mlx_zeros(&plane, (int[]){6, 7}, 2, MLX_FLOAT32, cpu);
  mlx_io_gguf_set_array(out, "cube", cube);
  mlx_io_gguf_set_array(out, "plane", plane);
  mlx_io_gguf_set_metadata_string(out, "plane", "six rows of seven zeros");

  mlx_io_gguf in = mlx_io_gguf_new();
  mlx_vector_string names = mlx_vector_string_new();
  mlx_array value = mlx_array_new();
  if (mlx_save_gguf(path, out) != 0) goto done;
  if (mlx_load_gguf(&in, path, cpu) != 0) goto done;
  if (mlx_io_gguf_get_keys(&names, in) != 0) goto done;

  for (size_t i = 0; i < mlx_vector_string_size(names); i++) {
    char* name;
    mlx_vector_string_get(&name, names, i);
    if (mlx_io_gguf_get_array(&value, in, name) != 0) goto done;
    printf("%s: shape (", name);
    for (size_t d = 0; d < mlx_array_ndim(value); d++)
      printf(d ? ", %d" : "%d", mlx_array_shape(value)[d]);
    printf("), %s", dtype_name(mlx_array_dtype(value)));
    bool has;
    mlx_io_gguf_has_metadata_string(&has, in, name);
    if (has) {
      mlx_string text = mlx_string_new();
      mlx_io_gguf_get_metadata_string(&text, in, name);
      printf(", metadata string \"%s\"", mlx_string_data(text));
      mlx_string_free(text);
    }
    mlx_io_gguf_has_metadata_array(&has, in, name);
    if (has) printf(", metadata array");
    mlx_io_gguf_has_metadata_vector_string(&has, in, name);
    if (has) printf(", metadata string list");
    printf("\n");
  }
  status = mlx_vector_string_size(names) == 2 ? 0 : 1;

done:
  if (status) printf("FAILED\n");
  remove(path);
  mlx_array_free(value);
  mlx_vector_string_free(names);
  mlx_array_free(cube);
  mlx_array_free(plane);
  mlx_io_gguf_free(in);
  mlx_io_gguf_free(out);
  mlx_stream_free(cpu);
  return status;
}
