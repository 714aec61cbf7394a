/* A small tour of the C API, written against mlx-c's headers only.
 *
 * Build it against an installed cmlx with
 *     cc example.c $(pkg-config --cflags --libs cmlx) -o example
 * It runs on the default device (the GPU when one is present, else the
 * CPU) and prints each result the way MLX prints arrays. */
#include <stdio.h>
#include <stdlib.h>

#include "mlx/c/mlx.h"

/* Prints a title and the array's text form. */
static void show(const char* title, mlx_array arr) {
  mlx_string text = mlx_string_new();
  if (mlx_array_tostring(&text, arr) == 0) printf("%s\n%s\n", title, mlx_string_data(text));
  mlx_string_free(text);
}

/* Releases the caller-owned buffer once no array uses it any more. */
static void release_buffer(void* ptr) {
  printf("(the library released the user buffer)\n");
  free(ptr);
}

int main(void) {
  /* Every failing call returns nonzero after the error handler printed the
   * message; stop at the first one. */
  int rc = 0;
#define TRY(call) \
  if (rc == 0 && (call) != 0) rc = 1

  mlx_device dev = mlx_device_new();
  mlx_stream stream = mlx_stream_new();
  TRY(mlx_get_default_device(&dev));
  TRY(mlx_get_default_stream(&stream, dev));

  float values[6] = {1, 2, 3, 4, 5, 6};
  int shape[2] = {2, 3};
  mlx_array arr = mlx_array_new_data(values, shape, 2, MLX_FLOAT32);
  show("hello world!", arr);

  mlx_array two = mlx_array_new_int(2);
  mlx_array res = mlx_array_new();
  TRY(mlx_divide(&res, arr, two, stream));
  show("divide by 2!", res);

  TRY(mlx_arange(&res, 0, 3, 0.5, MLX_FLOAT32, stream));
  show("arange", res);

  /* Column sums and the Gram matrix arr @ arr^T. */
  TRY(mlx_sum_axis(&res, arr, 0, false, stream));
  show("sum over axis 0", res);
  mlx_array t = mlx_array_new();
  TRY(mlx_transpose(&t, arr, stream));
  TRY(mlx_matmul(&res, arr, t, stream));
  show("arr @ arr.T", res);

  /* An array over memory the program owns, used without a copy. */
  float* buffer = malloc(6 * sizeof(float));
  for (int i = 0; i < 6; i++) buffer[i] = (float)(i * i);
  mlx_array user = mlx_array_new_data_managed(buffer, shape, 2, MLX_FLOAT32, release_buffer);
  TRY(mlx_add(&res, user, arr, stream));
  show("from user buffer, plus arr", res);

  float total = 0;
  TRY(mlx_sum(&res, res, false, stream));
  TRY(mlx_array_item_float32(&total, res));
  printf("total: %g\n", total);

  mlx_array_free(user);
  mlx_array_free(t);
  mlx_array_free(res);
  mlx_array_free(two);
  mlx_array_free(arr);
  mlx_stream_free(stream);
  mlx_device_free(dev);
  return rc;
}
