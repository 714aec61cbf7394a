// Elementwise binary kernels other than the four arithmetic ones
// (comparisons, logical, maximum/minimum, power, remainder, logaddexp,
// arctan2, bitwise, shifts) and select (where); the host side is
// binary_ew.c.
//
// Values follow the CPU kernels (src/backend/cpu/binary_kernels.c):
//   - float16/bfloat16 compute in float and round once;
//   - maximum/minimum return `a` when it is NaN, else the larger (smaller)
//     by a plain comparison, so a NaN in either operand comes through and
//     max(-0, +0) is the second operand, exactly as the CPU picks;
//   - integer power: negative exponent gives 0, overflow wraps (by
//     squaring in 64-bit unsigned arithmetic); bool power is a || !b;
//   - remainder takes the divisor's sign (fmod, then one correction), x % 0
//     is x for integers and NaN for floats; bool remainder is b ? 0 : a;
//   - shifts happen in 32 bits for types up to 32 bits (64 for 64-bit
//     types) with the count reduced modulo that width, as x86 does.
// complex64 and DivMod have no GPU code here: those go back to the CPU.
#include "ewise.cuh"
#include "../scalar_math.h"

namespace {

template <class T>
__device__ __forceinline__ Calc<T> calc(T x) {
  return mx__convert<Calc<T>>(x);
}

// Comparisons: every real dtype, result bool.
#define MX_CMP_OP(NAME, OPR)                          \
  struct NAME {                                       \
    static constexpr bool to_bool = true;             \
    template <class T>                                \
    static constexpr bool ok() { return !mx__is_cplx<T>; }       \
    template <class T>                                \
    __device__ static bool f(T a, T b) {              \
      return calc(a) OPR calc(b);                     \
    }                                                 \
  };
MX_CMP_OP(OpEq, ==)
MX_CMP_OP(OpNe, !=)
MX_CMP_OP(OpLt, <)
MX_CMP_OP(OpLe, <=)
MX_CMP_OP(OpGt, >)
MX_CMP_OP(OpGe, >=)

// Equal with equal_nan: two NaNs compare equal (integers: plain equality).
struct OpEqNan {
  static constexpr bool to_bool = true;
  template <class T>
  static constexpr bool ok() { return !mx__is_cplx<T>; }
  template <class T>
  __device__ static bool f(T a, T b) {
    auto x = calc(a), y = calc(b);
    return x == y || (x != x && y != y);
  }
};

struct OpLogicalAnd {
  static constexpr bool to_bool = true;
  template <class T>
  static constexpr bool ok() { return mx__is_bool<T>; }
  template <class T>
  __device__ static bool f(T a, T b) {
    return a && b;
  }
};

struct OpLogicalOr {
  static constexpr bool to_bool = true;
  template <class T>
  static constexpr bool ok() { return mx__is_bool<T>; }
  template <class T>
  __device__ static bool f(T a, T b) {
    return a || b;
  }
};

// The result is one of the operands, unrounded.
struct OpMaximum {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return !mx__is_cplx<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    if constexpr (mx__is_bool<T>) return a || b;
    else {
      auto x = calc(a), y = calc(b);
      return (x != x || x > y) ? a : b;
    }
  }
};

struct OpMinimum {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return !mx__is_cplx<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    if constexpr (mx__is_bool<T>) return a && b;
    else {
      auto x = calc(a), y = calc(b);
      return (x != x || x < y) ? a : b;
    }
  }
};


struct OpPower {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return !mx__is_cplx<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    if constexpr (mx__is_bool<T>) {
      return a || !b;
    } else if constexpr (mx__is_fp<T>) {
      return mx__convert<T>(powf(mx__to_float(a), mx__to_float(b)));
    } else if constexpr (std::is_signed_v<T>) {
      using U = std::make_unsigned_t<T>;
      return b < 0 ? T(0) : T(mx_ipow_u64(uint64_t(U(a)), uint64_t(b)));
    } else {
      return T(mx_ipow_u64(uint64_t(a), uint64_t(b)));
    }
  }
};

__device__ __forceinline__ float rem_f(float a, float b) {
  float r = fmodf(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

struct OpRemainder {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return !mx__is_cplx<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    if constexpr (mx__is_bool<T>) {
      return b ? false : a;
    } else if constexpr (mx__is_fp<T>) {
      return mx__convert<T>(rem_f(mx__to_float(a), mx__to_float(b)));
    } else if constexpr (std::is_signed_v<T>) {
      // b == -1 apart, so that INT_MIN % -1 cannot trap.
      if (b == 0) return a;
      if (b == T(-1)) return T(0);
      T r = T(a % b);
      return (r != 0 && ((r < 0) != (b < 0))) ? T(r + b) : r;
    } else {
      return b == 0 ? a : T(a % b);
    }
  }
};

// max + log1p(exp(-|a - b|)); infinite max is returned as is, so that
// (-inf, -inf) gives -inf; NaN in either operand gives NaN.
struct OpLogAddExp {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_fp<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    float x = mx__to_float(a), y = mx__to_float(b);
    float m = x > y ? x : y;
    float v = m + log1pf(expf(-fabsf(x - y)));
    v = (m == INFINITY || m == -INFINITY) ? m : v;
    return mx__convert<T>((x != x || y != y) ? x + y : v);
  }
};

struct OpArctan2 {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_fp<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    return mx__convert<T>(atan2f(mx__to_float(a), mx__to_float(b)));
  }
};

#define MX_BIT_OP(NAME, OPR, BOOL_EXPR)                   \
  struct NAME {                                           \
    static constexpr bool to_bool = false;                \
    template <class T>                                    \
    static constexpr bool ok() { return mx__is_int<T> || mx__is_bool<T>; } \
    template <class T>                                    \
    __device__ static T f(T a, T b) {                     \
      if constexpr (mx__is_bool<T>) return BOOL_EXPR;     \
      else return T(a OPR b);                             \
    }                                                     \
  };
MX_BIT_OP(OpBitAnd, &, a && b)
MX_BIT_OP(OpBitOr, |, a || b)
MX_BIT_OP(OpBitXor, ^, a != b)

// The signed and unsigned types a value of T is shifted in.
template <class T>
using ShiftS = std::conditional_t<sizeof(T) == 8, T,
                                  std::conditional_t<std::is_same_v<T, uint32_t>, uint32_t, int32_t>>;
template <class T>
using ShiftU = std::make_unsigned_t<ShiftS<T>>;

struct OpLeftShift {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_int<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    using WU = ShiftU<T>;
    constexpr WU mask = WU(sizeof(WU) * 8 - 1);
    return T(WU(WU(ShiftS<T>(a)) << (WU(b) & mask)));
  }
};

struct OpRightShift {
  static constexpr bool to_bool = false;
  template <class T>
  static constexpr bool ok() { return mx__is_int<T>; }
  template <class T>
  __device__ static T f(T a, T b) {
    using WU = ShiftU<T>;
    constexpr WU mask = WU(sizeof(WU) * 8 - 1);
    return T(ShiftS<T>(a) >> (WU(b) & mask));
  }
};

template <class G>
bool with_op(int op, G&& g) {
  switch (op) {
#define MX_CASE(E, S) \
  case MX__CUDA_BIN_##E: g(mx__tag<S>{}); return true;
    MX_CASE(EQUAL, OpEq)
    MX_CASE(NOT_EQUAL, OpNe)
    MX_CASE(LESS, OpLt)
    MX_CASE(LESS_EQUAL, OpLe)
    MX_CASE(GREATER, OpGt)
    MX_CASE(GREATER_EQUAL, OpGe)
    MX_CASE(EQUAL_NAN, OpEqNan)
    MX_CASE(LOGICAL_AND, OpLogicalAnd)
    MX_CASE(LOGICAL_OR, OpLogicalOr)
    MX_CASE(MAXIMUM, OpMaximum)
    MX_CASE(MINIMUM, OpMinimum)
    MX_CASE(POWER, OpPower)
    MX_CASE(REMAINDER, OpRemainder)
    MX_CASE(LOG_ADD_EXP, OpLogAddExp)
    MX_CASE(ARCTAN2, OpArctan2)
    MX_CASE(BITWISE_AND, OpBitAnd)
    MX_CASE(BITWISE_OR, OpBitOr)
    MX_CASE(BITWISE_XOR, OpBitXor)
    MX_CASE(LEFT_SHIFT, OpLeftShift)
    MX_CASE(RIGHT_SHIFT, OpRightShift)
#undef MX_CASE
    default: return false; /* DivMod, Select (own launcher) */
  }
}

// --- select -----------------------------------------------------------------------

// where(c, x, y) depends only on the element size: T is an unsigned integer
// of that size.  sc / sx / sy as in mx__ew2_contig.
template <typename T, int N>
__global__ void select_contig(const bool* c, const T* x, const T* y, T* out, int64_t n, bool sc,
                              bool sx, bool sy) {
  using V = mx__vec<T, N>;
  using VC = mx__vec<bool, N>;
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  const int64_t tid = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  const int64_t nv = n / N;
  const bool c0 = sc ? c[0] : false;
  const T x0 = sx ? x[0] : T(0);
  const T y0 = sy ? y[0] : T(0);
  for (int64_t i = tid; i < nv; i += stride) {
    VC vc;
    V vx, vy, o;
    if (sc) {
#pragma unroll
      for (int k = 0; k < N; k++) vc.v[k] = c0;
    } else {
      vc = reinterpret_cast<const VC*>(c)[i];
    }
    if (sx) {
#pragma unroll
      for (int k = 0; k < N; k++) vx.v[k] = x0;
    } else {
      vx = reinterpret_cast<const V*>(x)[i];
    }
    if (sy) {
#pragma unroll
      for (int k = 0; k < N; k++) vy.v[k] = y0;
    } else {
      vy = reinterpret_cast<const V*>(y)[i];
    }
#pragma unroll
    for (int k = 0; k < N; k++) o.v[k] = vc.v[k] ? vx.v[k] : vy.v[k];
    reinterpret_cast<V*>(out)[i] = o;
  }
  for (int64_t i = nv * N + tid; i < n; i += stride)
    out[i] = (sc ? c0 : c[i]) ? (sx ? x0 : x[i]) : (sy ? y0 : y[i]);
}

template <typename T, typename IdxT>
__global__ void select_general(const bool* c, const T* x, const T* y, T* out, int64_t n,
                               mx__cuda_layout l) {
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    IdxT off[3];
    mx__offsets<3>(static_cast<IdxT>(i), l, off);
    out[i] = c[off[0]] ? x[off[1]] : y[off[2]];
  }
}

template <typename T>
void select_launch(const void* c, const void* x, const void* y, void* out, int64_t n,
                   const bool* sc, const mx__cuda_layout* l, cudaStream_t s) {
  const bool* pc = static_cast<const bool*>(c);
  const T* px = static_cast<const T*>(x);
  const T* py = static_cast<const T*>(y);
  T* po = static_cast<T*>(out);
  if (!l) {
    constexpr int N = mx__vec_width<T>;
    select_contig<T, N><<<mx__grid(n / N + 1, 256), 256, 0, s>>>(pc, px, py, po, n, sc[0], sc[1],
                                                                sc[2]);
  } else if (mx__cuda_layout_fits_i32(l, 3, n)) {
    select_general<T, int32_t><<<mx__grid(n, 256), 256, 0, s>>>(pc, px, py, po, n, *l);
  } else {
    select_general<T, int64_t><<<mx__grid(n, 256), 256, 0, s>>>(pc, px, py, po, n, *l);
  }
}

}  // namespace

extern "C" bool mx__cuda_binary_ew_supported(int op, mx_dtype dtype) {
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

extern "C" int mx__cuda_binary_ew_launch(int op, mx_dtype dtype, const void* a, const void* b,
                                         void* out, int64_t n, bool a_scalar, bool b_scalar,
                                         const mx__cuda_layout* l, cudaStream_t s) {
  if (n == 0) return 0;
  bool done = false;
  with_op(op, [&](auto ft) {
    using F = typename decltype(ft)::type;
    mx__dispatch(dtype, [&](auto tt) {
      using T = typename decltype(tt)::type;
      if constexpr (F::template ok<T>()) {
        using OT = mx__ew_out<F, T>;
        mx__ew2_launch<F, T>(static_cast<const T*>(a), static_cast<const T*>(b),
                             static_cast<OT*>(out), n, a_scalar, b_scalar, l, s);
        done = true;
      }
    });
  });
  if (!done) return MX_KERNEL_FALLBACK;
  return mx__cuda_check_launch("binary elementwise");
}

extern "C" int mx__cuda_select_launch(size_t elem_size, const void* c, const void* x,
                                      const void* y, void* out, int64_t n, const bool* scalar,
                                      const mx__cuda_layout* l, cudaStream_t s) {
  if (n == 0) return 0;
  switch (elem_size) {
    case 1: select_launch<uint8_t>(c, x, y, out, n, scalar, l, s); break;
    case 2: select_launch<uint16_t>(c, x, y, out, n, scalar, l, s); break;
    case 4: select_launch<uint32_t>(c, x, y, out, n, scalar, l, s); break;
    case 8: select_launch<uint64_t>(c, x, y, out, n, scalar, l, s); break;
    default: return MX_KERNEL_FALLBACK;
  }
  return mx__cuda_check_launch("select");
}
