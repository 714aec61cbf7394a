// Generic elementwise kernels for the unary and binary op families
// (unary.cu, binary_ew.cu); C++ only.
//
// An op is a struct F with a device function template F::f (one or two
// operands of type T, returning the output type) and a compile-time
// predicate F::ok<T> saying which dtypes it accepts.  Each supported
// (op, dtype) gets three kernels:
//   - contig: every operand dense in the output's order or a single scalar
//     element, 16-byte aligned; it moves N = 16 / sizeof(T) elements per
//     load (the output vector is N elements of the output type);
//   - general, with 32-bit or 64-bit index arithmetic: any strided or
//     broadcast layout, through the collapsed layout's offsets.
// Output may alias a dense input (donation): each element, or each vector,
// is read before the same position is written, so no __restrict__ here.
#ifndef MX_BACKEND_CUDA_EWISE_CUH
#define MX_BACKEND_CUDA_EWISE_CUH

#include "cuda_common.cuh"

template <class T>
inline constexpr bool mx__is_fp = std::is_same_v<T, float> || mx__is_half<T>;
template <class T>
inline constexpr bool mx__is_int = std::is_integral_v<T> && !std::is_same_v<T, bool>;
template <class T>
inline constexpr bool mx__is_bool = std::is_same_v<T, bool>;

template <class F, typename T>
using mx__ew_out = std::conditional_t<F::to_bool, bool, T>;

// --- one operand --------------------------------------------------------------

template <class F, typename T, int N>
__global__ void mx__ew1_contig(const T* x, mx__ew_out<F, T>* out, int64_t n) {
  using OT = mx__ew_out<F, T>;
  using VI = mx__vec<T, N>;
  using VO = mx__vec<OT, N>;
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  const int64_t tid = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  const int64_t nv = n / N;
  for (int64_t i = tid; i < nv; i += stride) {
    VI v = reinterpret_cast<const VI*>(x)[i];
    VO o;
#pragma unroll
    for (int k = 0; k < N; k++) o.v[k] = F::f(v.v[k]);
    reinterpret_cast<VO*>(out)[i] = o;
  }
  for (int64_t i = nv * N + tid; i < n; i += stride) out[i] = F::f(x[i]);
}

template <class F, typename T, typename IdxT>
__global__ void mx__ew1_general(const T* x, mx__ew_out<F, T>* out, int64_t n, mx__cuda_layout l) {
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    IdxT off[1];
    mx__offsets<1>(static_cast<IdxT>(i), l, off);
    out[i] = F::f(x[off[0]]);
  }
}

template <class F, typename T>
void mx__ew1_launch(const T* x, mx__ew_out<F, T>* out, int64_t n, const mx__cuda_layout* l,
                    cudaStream_t s) {
  if (!l) {
    constexpr int N = mx__vec_width<T>;
    mx__ew1_contig<F, T, N><<<mx__grid(n / N + 1, 256), 256, 0, s>>>(x, out, n);
  } else if (mx__cuda_layout_fits_i32(l, 1, n)) {
    mx__ew1_general<F, T, int32_t><<<mx__grid(n, 256), 256, 0, s>>>(x, out, n, *l);
  } else {
    mx__ew1_general<F, T, int64_t><<<mx__grid(n, 256), 256, 0, s>>>(x, out, n, *l);
  }
}

// --- two operands -------------------------------------------------------------

// sa / sb: that operand is one element read for every output.  The flags are
// the same for every thread, so the branches cost nothing measurable next to
// the memory traffic, and one kernel serves all four cases.
template <class F, typename T, int N>
__global__ void mx__ew2_contig(const T* a, const T* b, mx__ew_out<F, T>* out, int64_t n, bool sa,
                               bool sb) {
  using OT = mx__ew_out<F, T>;
  using VI = mx__vec<T, N>;
  using VO = mx__vec<OT, N>;
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  const int64_t tid = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  const int64_t nv = n / N;
  const T a0 = sa ? a[0] : T{};
  const T b0 = sb ? b[0] : T{};
  for (int64_t i = tid; i < nv; i += stride) {
    VI va, vb;
    if (sa) {
#pragma unroll
      for (int k = 0; k < N; k++) va.v[k] = a0;
    } else {
      va = reinterpret_cast<const VI*>(a)[i];
    }
    if (sb) {
#pragma unroll
      for (int k = 0; k < N; k++) vb.v[k] = b0;
    } else {
      vb = reinterpret_cast<const VI*>(b)[i];
    }
    VO o;
#pragma unroll
    for (int k = 0; k < N; k++) o.v[k] = F::f(va.v[k], vb.v[k]);
    reinterpret_cast<VO*>(out)[i] = o;
  }
  for (int64_t i = nv * N + tid; i < n; i += stride) out[i] = F::f(sa ? a0 : a[i], sb ? b0 : b[i]);
}

template <class F, typename T, typename IdxT>
__global__ void mx__ew2_general(const T* a, const T* b, mx__ew_out<F, T>* out, int64_t n,
                                mx__cuda_layout l) {
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    IdxT off[2];
    mx__offsets<2>(static_cast<IdxT>(i), l, off);
    out[i] = F::f(a[off[0]], b[off[1]]);
  }
}

template <class F, typename T>
void mx__ew2_launch(const T* a, const T* b, mx__ew_out<F, T>* out, int64_t n, bool sa, bool sb,
                    const mx__cuda_layout* l, cudaStream_t s) {
  if (!l) {
    constexpr int N = mx__vec_width<T>;
    mx__ew2_contig<F, T, N><<<mx__grid(n / N + 1, 256), 256, 0, s>>>(a, b, out, n, sa, sb);
  } else if (mx__cuda_layout_fits_i32(l, 2, n)) {
    mx__ew2_general<F, T, int32_t><<<mx__grid(n, 256), 256, 0, s>>>(a, b, out, n, *l);
  } else {
    mx__ew2_general<F, T, int64_t><<<mx__grid(n, 256), 256, 0, s>>>(a, b, out, n, *l);
  }
}

#endif
