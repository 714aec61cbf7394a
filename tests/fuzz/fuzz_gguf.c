/* libFuzzer target: parses arbitrary bytes as a .gguf file.  Any input must
 * give either arrays or a clean error, never a crash, a leak or a read
 * outside the buffer. */
#include <stddef.h>
#include <stdint.h>

#include "io/io.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mx_io_reader r = mx_io_reader_memory(data, size, "fuzz.gguf");
  mx_io_arrays out = {0};
  mx_io_gguf_meta meta = {0};
  if (mx_load_gguf(&r, &out, &meta) == 0) {
    mx_io_arrays_free(&out);
    mx_io_gguf_meta_free(&meta);
  }
  mx_error_clear();
  return 0;
}
