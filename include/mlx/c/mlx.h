/* The C API in one include: arrays, devices, streams, strings, vectors,
 * errors, memory statistics, the version, the array operations and
 * evaluation.
 * It is compatible with mlx-c: programs written for mlx-c's headers compile
 * against these and link against libcmlx (pkg-config name "cmlx").
 * Functions of mlx-c whose operations this library does not provide yet are
 * not declared. */
#ifndef MLX_ALL_H
#define MLX_ALL_H

#include "mlx/c/array.h"
#include "mlx/c/closure.h"
#include "mlx/c/compile.h"
#include "mlx/c/device.h"
#include "mlx/c/error.h"
#include "mlx/c/fft.h"
#include "mlx/c/half.h"
#include "mlx/c/io.h"
#include "mlx/c/linalg.h"
#include "mlx/c/memory.h"
#include "mlx/c/ops.h"
#include "mlx/c/random.h"
#include "mlx/c/stream.h"
#include "mlx/c/string.h"
#include "mlx/c/transforms.h"
#include "mlx/c/transforms_impl.h"
#include "mlx/c/vector.h"
#include "mlx/c/version.h"

#endif
