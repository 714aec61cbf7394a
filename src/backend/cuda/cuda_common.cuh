/* Device-side helpers shared by the CUDA kernel files (C++, .cu only).
 *
 * - mx_cplx: complex64 as two floats, with the arithmetic the kernels need.
 * - mx__dispatch: calls a generic lambda with the C++ type of an mx_dtype.
 * - mx__convert<To>(x): the element conversion every cast uses, written to
 *   give the same values as the CPU backend (src/backend/cpu/convert.c):
 *   16-bit floats go through float, out-of-range floats become integers the
 *   way x86 converts them, complex keeps its real part.
 * - Calc<T>: the type arithmetic happens in (float for the 16-bit floats,
 *   int for bool).
 * - mx__offsets: linear index -> per-operand offsets over a collapsed layout. */
#ifndef MX_BACKEND_CUDA_COMMON_CUH
#define MX_BACKEND_CUDA_COMMON_CUH

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "cuda_launch.h"

struct alignas(8) mx_cplx {
  float re, im;
};

__host__ __device__ inline mx_cplx operator+(mx_cplx a, mx_cplx b) {
  return {a.re + b.re, a.im + b.im};
}
__host__ __device__ inline mx_cplx operator-(mx_cplx a, mx_cplx b) {
  return {a.re - b.re, a.im - b.im};
}
__host__ __device__ inline mx_cplx operator*(mx_cplx a, mx_cplx b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
__host__ __device__ inline mx_cplx operator/(mx_cplx a, mx_cplx b) {
  float d = b.re * b.re + b.im * b.im;
  return {(a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d};
}

template <typename T>
struct mx__tag {
  using type = T;
};

/* Calls f(mx__tag<T>{}) for every dtype the GPU supports; returns false for
 * float64 and unknown dtypes so the caller can report them. */
template <typename F>
inline bool mx__dispatch(mx_dtype t, F&& f) {
  switch (t) {
    case MX_BOOL: f(mx__tag<bool>{}); return true;
    case MX_UINT8: f(mx__tag<uint8_t>{}); return true;
    case MX_UINT16: f(mx__tag<uint16_t>{}); return true;
    case MX_UINT32: f(mx__tag<uint32_t>{}); return true;
    case MX_UINT64: f(mx__tag<uint64_t>{}); return true;
    case MX_INT8: f(mx__tag<int8_t>{}); return true;
    case MX_INT16: f(mx__tag<int16_t>{}); return true;
    case MX_INT32: f(mx__tag<int32_t>{}); return true;
    case MX_INT64: f(mx__tag<int64_t>{}); return true;
    case MX_FLOAT16: f(mx__tag<__half>{}); return true;
    case MX_FLOAT32: f(mx__tag<float>{}); return true;
    case MX_BFLOAT16: f(mx__tag<__nv_bfloat16>{}); return true;
    case MX_COMPLEX64: f(mx__tag<mx_cplx>{}); return true;
    default: return false;
  }
}

template <typename T>
inline constexpr bool mx__is_half =
    std::is_same_v<T, __half> || std::is_same_v<T, __nv_bfloat16>;
template <typename T>
inline constexpr bool mx__is_cplx = std::is_same_v<T, mx_cplx>;

template <typename T>
__device__ __forceinline__ float mx__to_float(T x) {
  if constexpr (std::is_same_v<T, __half>) return __half2float(x);
  else if constexpr (std::is_same_v<T, __nv_bfloat16>) return __bfloat162float(x);
  else if constexpr (mx__is_cplx<T>) return x.re;
  else return static_cast<float>(x);
}

template <typename T>
__device__ __forceinline__ bool mx__nonzero(T x) {
  if constexpr (mx__is_half<T>) return mx__to_float(x) != 0.0f;
  else if constexpr (mx__is_cplx<T>) return x.re != 0.0f || x.im != 0.0f;
  else return x != T(0);
}

/* Float to integer the way the CPU backend pins it (C leaves out-of-range
 * conversions undefined): values outside the intermediate's range, and NaN,
 * become its minimum, then wrap into the target. */
template <typename F>
__device__ __forceinline__ int32_t mx__f2i32(F x) {
  return (x >= F(-2147483648.0) && x < F(2147483648.0)) ? static_cast<int32_t>(x) : INT32_MIN;
}
template <typename F>
__device__ __forceinline__ int64_t mx__f2i64(F x) {
  return (x >= F(-9223372036854775808.0) && x < F(9223372036854775808.0))
             ? static_cast<int64_t>(x)
             : INT64_MIN;
}

template <typename To, typename From>
__device__ __forceinline__ To mx__convert(From x) {
  if constexpr (std::is_same_v<To, From>) {
    return x;
  } else if constexpr (std::is_same_v<To, bool>) {
    return mx__nonzero(x);
  } else if constexpr (mx__is_cplx<To>) {
    return mx_cplx{mx__to_float(x), 0.0f};
  } else if constexpr (mx__is_cplx<From>) {
    return mx__convert<To>(x.re);
  } else if constexpr (std::is_same_v<To, __half>) {
    /* Wide integers round once, from double, like a direct conversion. */
    if constexpr (std::is_integral_v<From> && sizeof(From) >= 4)
      return __double2half(static_cast<double>(x));
    else
      return __float2half_rn(mx__to_float(x));
  } else if constexpr (std::is_same_v<To, __nv_bfloat16>) {
    return __float2bfloat16_rn(mx__to_float(x));
  } else if constexpr (mx__is_half<From>) {
    return mx__convert<To>(mx__to_float(x));
  } else if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(x);
  } else if constexpr (std::is_floating_point_v<From>) {
    /* float -> integer: truncate through int32 for targets of 32 bits or
     * fewer (except uint32), through int64 for uint32 and int64, and keep
     * uint64's upper half. */
    if constexpr (std::is_same_v<To, uint64_t>) {
      return (x >= From(9223372036854775808.0) && x < From(18446744073709551616.0))
                 ? static_cast<uint64_t>(x)
                 : static_cast<uint64_t>(mx__f2i64(x));
    } else if constexpr (std::is_same_v<To, uint32_t> || std::is_same_v<To, int64_t>) {
      return static_cast<To>(mx__f2i64(x));
    } else {
      return static_cast<To>(mx__f2i32(x));
    }
  } else {
    return static_cast<To>(x); /* integer -> integer wraps modulo 2^n */
  }
}

/* The type arithmetic is done in. */
template <typename T>
struct mx__calc {
  using type = T;
};
template <>
struct mx__calc<__half> {
  using type = float;
};
template <>
struct mx__calc<__nv_bfloat16> {
  using type = float;
};
template <>
struct mx__calc<bool> {
  using type = int;
};
template <typename T>
using Calc = typename mx__calc<T>::type;

/* A 16-byte (or smaller, N elements) vector for wide loads and stores. */
template <typename T, int N>
struct alignas(sizeof(T) * N) mx__vec {
  T v[N];
};

template <typename T>
inline constexpr int mx__vec_width = (16 / sizeof(T)) > 0 ? int(16 / sizeof(T)) : 1;

inline bool mx__aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15u) == 0; }

/* Grid for a grid-stride loop over `work` items with `block` threads: enough
 * blocks to fill the device several times over, never more than needed. */
inline unsigned mx__grid(int64_t work, int block) {
  int64_t want = (work + block - 1) / block;
  int64_t cap = (int64_t)mx__cuda_sm_count() * 32;
  if (want > cap) want = cap;
  if (want < 1) want = 1;
  return (unsigned)want;
}

/* Offsets of linear row-major index `i` for the first NOPS operands of `l`. */
template <int NOPS, typename IdxT>
__device__ __forceinline__ void mx__offsets(IdxT i, const mx__cuda_layout& l, IdxT* off) {
#pragma unroll
  for (int k = 0; k < NOPS; k++) off[k] = 0;
  for (int d = l.ndim - 1; d >= 0; d--) {
    IdxT n = static_cast<IdxT>(l.shape[d]);
    IdxT c = i % n;
    i /= n;
#pragma unroll
    for (int k = 0; k < NOPS; k++) off[k] += c * static_cast<IdxT>(l.strides[k][d]);
  }
}

#define MX_CUDA_TRY(call, what)                              \
  do {                                                      \
    if (mx__cuda_check((call), (what)) != 0) return -1;     \
  } while (0)

#endif
