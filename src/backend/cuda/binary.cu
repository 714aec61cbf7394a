// Elementwise arithmetic kernels: add, subtract, multiply, divide (the host
// side, which picks the path and prepares layouts, is binary.c).
//
// Two kernels per (dtype, op).  The contiguous one covers operands that are
// either dense with the output's shape or single scalars; it moves 16 bytes
// per load and store when every pointer allows it.  The general one walks any
// strided or broadcast layout through a collapsed index space, in 32-bit
// arithmetic when the offsets fit.  Integer arithmetic wraps (done in the
// unsigned type, where wrapping is defined), 16-bit floats compute in float
// and round once, and bool computes as int and stores "nonzero", which is
// what MLX gives (True - True is False, False - True is True).
#include "cuda_common.cuh"

namespace {

enum BinOp { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

template <int OP, typename C>
__device__ __forceinline__ C apply(C a, C b) {
  if constexpr (std::is_integral_v<C>) {
    using U = std::make_unsigned_t<C>;
    if constexpr (OP == OP_ADD) return static_cast<C>(static_cast<U>(a) + static_cast<U>(b));
    if constexpr (OP == OP_SUB) return static_cast<C>(static_cast<U>(a) - static_cast<U>(b));
    if constexpr (OP == OP_MUL) return static_cast<C>(static_cast<U>(a) * static_cast<U>(b));
    if constexpr (OP == OP_DIV) {
      // True division of integers is formed by the op layer as a float
      // computation; an integer divide node still must not fault.
      // Integer divide nodes floor (MLX's floor_divide), as the CPU kernel
      // does; division by zero gives 0 and INT_MIN / -1 wraps.
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<C>) {
        if (b == C(-1)) return static_cast<C>(U(0) - static_cast<U>(a));
        C q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
        return q;
      }
      return a / b;
    }
  } else {
    if constexpr (OP == OP_ADD) return a + b;
    if constexpr (OP == OP_SUB) return a - b;
    if constexpr (OP == OP_MUL) return a * b;
    if constexpr (OP == OP_DIV) return a / b;
  }
}

template <int OP, typename T>
__device__ __forceinline__ T apply_t(T a, T b) {
  using C = Calc<T>;
  return mx__convert<T>(apply<OP, C>(mx__convert<C>(a), mx__convert<C>(b)));
}

// SA / SB: operand is a single scalar broadcast to every element.
template <int OP, typename T, bool SA, bool SB, int N>
__global__ void binary_contig(const T* a, const T* b, T* out, int64_t n) {
  using V = mx__vec<T, N>;
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  const int64_t tid = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  const int64_t nv = n / N;
  const T sa = SA ? a[0] : T{};
  const T sb = SB ? b[0] : T{};
  for (int64_t i = tid; i < nv; i += stride) {
    V va, vb, vo;
    if constexpr (!SA) va = reinterpret_cast<const V*>(a)[i];
    if constexpr (!SB) vb = reinterpret_cast<const V*>(b)[i];
#pragma unroll
    for (int k = 0; k < N; k++) vo.v[k] = apply_t<OP>(SA ? sa : va.v[k], SB ? sb : vb.v[k]);
    reinterpret_cast<V*>(out)[i] = vo;
  }
  for (int64_t i = nv * N + tid; i < n; i += stride)
    out[i] = apply_t<OP>(SA ? sa : a[i], SB ? sb : b[i]);
}

template <int OP, typename T, typename IdxT>
__global__ void binary_general(const T* a, const T* b, T* out, int64_t n, mx__cuda_layout l) {
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    IdxT off[2];
    mx__offsets<2>(static_cast<IdxT>(i), l, off);
    out[i] = apply_t<OP>(a[off[0]], b[off[1]]);
  }
}

template <int OP, typename T, bool SA, bool SB>
void launch_contig(const T* a, const T* b, T* out, int64_t n, cudaStream_t s) {
  constexpr int N = mx__vec_width<T>;
  bool vec = mx__aligned16(out) && (SA || mx__aligned16(a)) && (SB || mx__aligned16(b));
  if (vec) {
    binary_contig<OP, T, SA, SB, N><<<mx__grid(n / N + 1, 256), 256, 0, s>>>(a, b, out, n);
  } else {
    binary_contig<OP, T, SA, SB, 1><<<mx__grid(n, 256), 256, 0, s>>>(a, b, out, n);
  }
}

}  // namespace

extern "C" int mx__cuda_binary_launch(int op, mx_dtype dtype, const void* a, const void* b,
                                      void* out, int64_t n, bool a_scalar, bool b_scalar,
                                      const mx__cuda_layout* l, cudaStream_t s) {
  if (n == 0) return 0;
  // Complex division here is the textbook formula, which gets infinities and
  // NaNs wrong (NumPy's scaled form gets them right); the CPU kernel has that.
  if (dtype == MX_COMPLEX64 && op == OP_DIV) return MX_KERNEL_FALLBACK;
  bool ok = mx__dispatch(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* ta = static_cast<const T*>(a);
    const T* tb = static_cast<const T*>(b);
    T* to = static_cast<T*>(out);
    auto run = [&](auto opc) {
      constexpr int OP = decltype(opc)::value;
      if (!l) {
        if (a_scalar && b_scalar) launch_contig<OP, T, true, true>(ta, tb, to, n, s);
        else if (a_scalar) launch_contig<OP, T, true, false>(ta, tb, to, n, s);
        else if (b_scalar) launch_contig<OP, T, false, true>(ta, tb, to, n, s);
        else launch_contig<OP, T, false, false>(ta, tb, to, n, s);
        return;
      }
      unsigned grid = mx__grid(n, 256);
      if (mx__cuda_layout_fits_i32(l, 2, n))
        binary_general<OP, T, int32_t><<<grid, 256, 0, s>>>(ta, tb, to, n, *l);
      else
        binary_general<OP, T, int64_t><<<grid, 256, 0, s>>>(ta, tb, to, n, *l);
    };
    switch (op) {
      case OP_ADD: run(std::integral_constant<int, OP_ADD>{}); break;
      case OP_SUB: run(std::integral_constant<int, OP_SUB>{}); break;
      case OP_MUL: run(std::integral_constant<int, OP_MUL>{}); break;
      default: run(std::integral_constant<int, OP_DIV>{}); break;
    }
  });
  if (!ok) return MX_KERNEL_FALLBACK; /* e.g. complex: the CPU kernel runs it */
  return mx__cuda_check_launch("binary");
}
