/* libFuzzer target: parses arbitrary bytes as a .npy file.  Any input must
 * give either arrays or a clean error, never a crash, a leak or a read
 * outside the buffer. */
#include <stddef.h>
#include <stdint.h>

#include "io/io.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mx_io_reader r = mx_io_reader_memory(data, size, "fuzz.npy");
  mx_array* a = mx_load_npy(&r);
  if (a) mx_array_release(a);
  mx_error_clear();
  return 0;
}
