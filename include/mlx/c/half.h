/* Half-precision element types for the C API.
 *
 * C has no portable 16-bit float type.  Where the compiler offers a native
 * one (ARM targets with the FP16 / BF16 extensions), this header names it
 * float16_t / bfloat16_t and defines HAS_FLOAT16 / HAS_BFLOAT16, which
 * switches on the float16 and bfloat16 item and data accessors in array.h.
 * Elsewhere (x86-64 Linux) those accessors are not declared; read half
 * arrays as raw 16-bit words with mlx_array_data_uint16(), or convert them
 * with mlx_astype() first. */
#ifndef MLX_HALF_H
#define MLX_HALF_H

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __ARM_FEATURE_FP16_SCALAR_ARITHMETIC
#define HAS_FLOAT16
#include <arm_fp16.h>
typedef __fp16 float16_t;
#endif

#ifdef __ARM_FEATURE_BF16
#define HAS_BFLOAT16
#include <arm_bf16.h>
typedef __bf16 bfloat16_t;
#endif

#ifdef __cplusplus
}
#endif

#endif
