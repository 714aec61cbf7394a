// The ARANGE kernel (host side in arange.c): element i is start + i * step,
// evaluated in parallel.
//
// As in MLX's GPU backend, start and the increment are first rounded to the
// output dtype (the increment as T(start + step) - T(start)), so an integer
// arange with a fractional step advances by whole numbers, and the 16-bit
// float types compute in float.  Values then come from one multiply-add per
// element rather than a running sum, so long float ranges do not accumulate
// rounding error.
#include "cuda_common.cuh"

namespace {

template <typename T>
__global__ void arange_kernel(T* out, int64_t n, double start, double step) {
  using C = Calc<T>;
  const C c0 = mx__convert<C>(mx__convert<T>(start));
  const C c1 = mx__convert<C>(mx__convert<T>(start + step));
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    if constexpr (std::is_integral_v<C>) {
      using U = std::make_unsigned_t<C>;
      U inc = static_cast<U>(c1) - static_cast<U>(c0);
      out[i] = mx__convert<T>(static_cast<C>(static_cast<U>(c0) + static_cast<U>(i) * inc));
    } else {
      C inc = c1 - c0;
      out[i] = mx__convert<T>(c0 + static_cast<C>(i) * inc);
    }
  }
}

}  // namespace

extern "C" int mx__cuda_arange_launch(mx_dtype dtype, void* out, int64_t n, double start,
                                      double step, cudaStream_t s) {
  if (n == 0) return 0;
  bool ok = false;
  if (dtype != MX_COMPLEX64 && dtype != MX_BOOL) {
    ok = mx__dispatch(dtype, [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!mx__is_cplx<T> && !std::is_same_v<T, bool>)
        arange_kernel<T><<<mx__grid(n, 256), 256, 0, s>>>(static_cast<T*>(out), n, start, step);
    });
  }
  if (!ok) return MX_KERNEL_FALLBACK; /* the CPU kernel runs it */
  return mx__cuda_check_launch("arange");
}
