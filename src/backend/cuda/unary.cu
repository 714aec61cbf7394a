// Elementwise unary kernels (abs ... stop_gradient); the host side, which
// picks the path and prepares layouts, is unary.c.
//
// Each op gives the CPU kernel's values (src/backend/cpu/unary_kernels.c):
// float16 and bfloat16 compute in float and round once; integer negation,
// abs and square wrap (computed in unsigned arithmetic); sign of NaN is 0;
// round is round-half-to-even; erfinv is the same polynomial as the CPU's.
// Transcendental functions are CUDA's float versions, which agree with the
// CPU's vector math library to a few ulps.  complex64 has no GPU code here:
// those cases go back to the CPU kernel.
#include "ewise.cuh"
#include "../scalar_math.h"

namespace {

// Float-only math: compute in float, round once into T.
#define MX_FLOAT_OP(NAME, EXPR)                                        \
  struct NAME {                                                        \
    static constexpr bool to_bool = false;                             \
    template <class T>                                                 \
    static constexpr bool ok() { return mx__is_fp<T>; }                           \
    template <class T>                                                 \
    __device__ static T f(T x) {                                       \
      float v = mx__to_float(x);                                       \
      return mx__convert<T>(static_cast<float>(EXPR));                 \
    }                                                                  \
  };

// Inverse error function: the CPU kernel's polynomial (scalar_math.h).
__device__ __forceinline__ float erfinv_f(float x) {
  return mx_erfinv_from_w(x, -logf((1.0f - x) * (1.0f + x)));
}

MX_FLOAT_OP(OpSqrt, sqrtf(v))
MX_FLOAT_OP(OpRsqrt, 1.0f / sqrtf(v))
MX_FLOAT_OP(OpExp, expf(v))
MX_FLOAT_OP(OpExpm1, expm1f(v))
MX_FLOAT_OP(OpLog, logf(v))
MX_FLOAT_OP(OpLog2, log2f(v))
MX_FLOAT_OP(OpLog10, log10f(v))
MX_FLOAT_OP(OpLog1p, log1pf(v))
MX_FLOAT_OP(OpSin, sinf(v))
MX_FLOAT_OP(OpCos, cosf(v))
MX_FLOAT_OP(OpTan, tanf(v))
MX_FLOAT_OP(OpArcsin, asinf(v))
MX_FLOAT_OP(OpArccos, acosf(v))
MX_FLOAT_OP(OpArctan, atanf(v))
MX_FLOAT_OP(OpSinh, sinhf(v))
MX_FLOAT_OP(OpCosh, coshf(v))
MX_FLOAT_OP(OpTanh, tanhf(v))
MX_FLOAT_OP(OpArcsinh, asinhf(v))
MX_FLOAT_OP(OpArccosh, acoshf(v))
MX_FLOAT_OP(OpArctanh, atanhf(v))
MX_FLOAT_OP(OpErf, erff(v))
MX_FLOAT_OP(OpErfInv, erfinv_f(v))
MX_FLOAT_OP(OpSigmoid, 1.0f / (1.0f + expf(-v)))
MX_FLOAT_OP(OpFloor, floorf(v))
MX_FLOAT_OP(OpCeil, ceilf(v))
MX_FLOAT_OP(OpRound, rintf(v))
MX_FLOAT_OP(OpTrunc, truncf(v))

// The unsigned type integer arithmetic wraps in: at least 32 bits, so that
// narrow operands are not promoted to (overflowing) signed int.
template <class T>
using WrapU = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;

struct OpAbs {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_fp<T> || mx__is_int<T>; }
  template <class T>
  __device__ static T f(T x) {
    if constexpr (mx__is_fp<T>) return mx__convert<T>(fabsf(mx__to_float(x)));
    else if constexpr (std::is_signed_v<T>) return x < 0 ? T(WrapU<T>(0) - WrapU<T>(x)) : x;
    else return x;
  }
};

struct OpNegative {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_fp<T> || mx__is_int<T>; }
  template <class T>
  __device__ static T f(T x) {
    if constexpr (mx__is_fp<T>) return mx__convert<T>(-mx__to_float(x));
    else return T(WrapU<T>(0) - WrapU<T>(x));
  }
};

struct OpSign {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_fp<T> || mx__is_int<T>; }
  template <class T>
  __device__ static T f(T x) {
    if constexpr (mx__is_fp<T>) {
      float v = mx__to_float(x);
      return mx__convert<T>(v > 0 ? 1.0f : (v < 0 ? -1.0f : 0.0f));
    } else if constexpr (std::is_signed_v<T>) {
      return T((x > 0) - (x < 0));
    } else {
      return T(x != 0);
    }
  }
};

struct OpSquare {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_fp<T> || mx__is_int<T>; }
  template <class T>
  __device__ static T f(T x) {
    if constexpr (mx__is_fp<T>) {
      float v = mx__to_float(x);
      return mx__convert<T>(v * v);
    } else {
      return T(WrapU<T>(x) * WrapU<T>(x));
    }
  }
};

// Any real dtype to bool: true for zero (both zeros of a float).
struct OpLogicalNot {
  static constexpr bool to_bool = true;
  template <class T>
  static constexpr bool ok() { return !mx__is_cplx<T>; }
  template <class T>
  __device__ static bool f(T x) {
    return !mx__nonzero(x);
  }
};

struct OpBitwiseInvert {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_int<T> || mx__is_bool<T>; }
  template <class T>
  __device__ static T f(T x) {
    if constexpr (mx__is_bool<T>) return !x;
    else return T(~x);
  }
};

struct OpCopy {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return !mx__is_cplx<T>; }
  template <class T>
  __device__ static T f(T x) {
    return x;
  }
};

// Calls g(mx__tag<F>{}) with the op struct of `op`; returns false for ops
// with no GPU code (conjugate, real, imag: complex only).
template <class G>
bool with_op(int op, G&& g) {
  switch (op) {
#define MX_CASE(E, S) \
  case MX__CUDA_UN_##E: g(mx__tag<S>{}); return true;
    MX_CASE(ABS, OpAbs)
    MX_CASE(NEGATIVE, OpNegative)
    MX_CASE(SIGN, OpSign)
    MX_CASE(SQUARE, OpSquare)
    MX_CASE(SQRT, OpSqrt)
    MX_CASE(RSQRT, OpRsqrt)
    MX_CASE(EXP, OpExp)
    MX_CASE(EXPM1, OpExpm1)
    MX_CASE(LOG, OpLog)
    MX_CASE(LOG2, OpLog2)
    MX_CASE(LOG10, OpLog10)
    MX_CASE(LOG1P, OpLog1p)
    MX_CASE(SIN, OpSin)
    MX_CASE(COS, OpCos)
    MX_CASE(TAN, OpTan)
    MX_CASE(ARCSIN, OpArcsin)
    MX_CASE(ARCCOS, OpArccos)
    MX_CASE(ARCTAN, OpArctan)
    MX_CASE(SINH, OpSinh)
    MX_CASE(COSH, OpCosh)
    MX_CASE(TANH, OpTanh)
    MX_CASE(ARCSINH, OpArcsinh)
    MX_CASE(ARCCOSH, OpArccosh)
    MX_CASE(ARCTANH, OpArctanh)
    MX_CASE(ERF, OpErf)
    MX_CASE(ERF_INV, OpErfInv)
    MX_CASE(SIGMOID, OpSigmoid)
    MX_CASE(FLOOR, OpFloor)
    MX_CASE(CEIL, OpCeil)
    MX_CASE(ROUND, OpRound)
    MX_CASE(TRUNC, OpTrunc)
    MX_CASE(LOGICAL_NOT, OpLogicalNot)
    MX_CASE(BITWISE_INVERT, OpBitwiseInvert)
    MX_CASE(STOP_GRADIENT, OpCopy)
#undef MX_CASE
    default: return false;
  }
}

}  // namespace

extern "C" bool mx__cuda_unary_supported(int op, mx_dtype dtype) {
  bool ok = false;
  with_op(op, [&](auto ft) {
    using F = typename decltype(ft)::type;
    mx__dispatch(dtype, [&](auto tt) {
      using T = typename decltype(tt)::type;
      ok = F::template ok<T>();
    });
  });
  return ok;
}

extern "C" int mx__cuda_unary_launch(int op, mx_dtype dtype, const void* x, void* out, int64_t n,
                                     const mx__cuda_layout* l, cudaStream_t s) {
  if (n == 0) return 0;
  bool done = false;
  with_op(op, [&](auto ft) {
    using F = typename decltype(ft)::type;
    mx__dispatch(dtype, [&](auto tt) {
      using T = typename decltype(tt)::type;
      if constexpr (F::template ok<T>()) {
        using OT = mx__ew_out<F, T>;
        mx__ew1_launch<F, T>(static_cast<const T*>(x), static_cast<OT*>(out), n, l, s);
        done = true;
      }
    });
  });
  if (!done) return MX_KERNEL_FALLBACK;
  return mx__cuda_check_launch("unary");
}
