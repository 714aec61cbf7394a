/* The CUDA backend's entry point, as seen by the core.
 *
 * mx_init() calls mx_cuda_init() once when the library was built with CUDA
 * (MX_HAVE_CUDA).  It asks the CUDA runtime how many GPUs there are; when the
 * answer is none (no driver, no device, or any runtime error) it returns
 * quietly and the library runs on the CPU alone.  When a GPU is present it
 * installs the device memory hooks (buffer.h), the GPU stream hooks
 * (stream.h) and registers the GPU kernel table (eval.h).
 *
 * Plain C: this header is included from C files. */
#ifndef MX_BACKEND_CUDA_BACKEND_H
#define MX_BACKEND_CUDA_BACKEND_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Idempotent; not thread safe on its own (mx_init() serialises it). */
void mx_cuda_init(void);
/* True after mx_cuda_init() found a GPU and registered the backend. */
bool mx_cuda_available(void);

#ifdef __cplusplus
}
#endif

#endif
