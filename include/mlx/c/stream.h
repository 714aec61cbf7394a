/* mlx_stream: a handle naming a stream, an ordered queue of work on one
 * device.  Work on different streams may run at the same time; arrays made
 * on one stream can be used on any other.
 *
 * Handles are small owned values: release each with mlx_stream_free().
 * Ops take the stream to run on as their last argument.  As a convenience,
 * an empty stream handle there means "the default stream of the default
 * device". */
#ifndef MLX_STREAM_H
#define MLX_STREAM_H

#include <stdbool.h>

#include "mlx/c/device.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A stream handle.  `ctx` is private to the library (NULL when empty). */
typedef struct mlx_stream_ {
  void* ctx;
} mlx_stream;

/** An empty handle. */
mlx_stream mlx_stream_new(void);
/** A new stream on `dev` (empty handle on failure). */
mlx_stream mlx_stream_new_device(mlx_device dev);
/** Makes `*stream` name the same stream as `src`. */
int mlx_stream_set(mlx_stream* stream, const mlx_stream src);
/** Releases the handle (the stream itself lives on: streams are never
 * destroyed while the process runs).  Freeing an empty handle is a no-op. */
int mlx_stream_free(mlx_stream stream);
/** Writes the description, e.g. "Stream(Device(cpu, 0), 0)", into `*str`. */
int mlx_stream_tostring(mlx_string* str, mlx_stream stream);
/** Whether both handles name the same stream. */
bool mlx_stream_equal(mlx_stream lhs, mlx_stream rhs);
/** The device the stream runs on. */
int mlx_stream_get_device(mlx_device* dev, mlx_stream stream);
/** The stream's index, unique in the process. */
int mlx_stream_get_index(int* index, mlx_stream stream);
/** Waits until all work queued on the stream so far has finished. */
int mlx_synchronize(mlx_stream stream);
/** The default stream of `dev`. */
int mlx_get_default_stream(mlx_stream* stream, mlx_device dev);
/** Makes `stream` the default stream of its device. */
int mlx_set_default_stream(mlx_stream stream);
/** The CPU's default stream. */
mlx_stream mlx_default_cpu_stream_new(void);
/** The GPU's default stream (an empty handle, with an error reported, when
 * no GPU is present). */
mlx_stream mlx_default_gpu_stream_new(void);

#ifdef __cplusplus
}
#endif

#endif
