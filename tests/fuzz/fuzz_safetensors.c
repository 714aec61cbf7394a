/* libFuzzer target: parses arbitrary bytes as a .safetensors file.  Any input must
 * give either arrays or a clean error, never a crash, a leak or a read
 * outside the buffer. */
#include <stddef.h>
#include <stdint.h>

#include "io/io.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mx_io_reader r = mx_io_reader_memory(data, size, "fuzz.safetensors");
  mx_io_arrays out = {0};
  mx_io_strings meta = {0};
  if (mx_load_safetensors(&r, &out, &meta) == 0) {
    mx_io_arrays_free(&out);
    mx_io_strings_free(&meta);
  }
  mx_error_clear();
  return 0;
}
