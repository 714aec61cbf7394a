// Copy and conversion kernels behind COPY, ASTYPE and FULL (host side in
// copy.c), which all "write the output row-contiguously from a possibly
// strided, broadcast input, converting the dtype on the way".
//
// A dense same-dtype copy is a cudaMemcpyAsync.  A strided same-dtype copy
// only moves bytes, so it is instantiated per element size, not per dtype,
// and indexes in 32 bits when it can (transposes feed matmuls and must be
// quick).  Conversions have a dense and a strided kernel per dtype pair.
#include "cuda_common.cuh"

namespace {

template <typename In, typename Out>
__global__ void cast_contig(const In* in, Out* out, int64_t n) {
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    out[i] = mx__convert<Out>(in[i]);
}

template <typename In, typename Out, typename IdxT>
__global__ void cast_general(const In* in, Out* out, int64_t n, mx__cuda_layout l) {
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    IdxT off[1];
    mx__offsets<1>(static_cast<IdxT>(i), l, off);
    out[i] = mx__convert<Out>(in[off[0]]);
  }
}

template <typename U>
void launch_strided_copy(const void* src, void* dst, int64_t n, const mx__cuda_layout& l,
                         cudaStream_t s) {
  unsigned grid = mx__grid(n, 256);
  if (mx__cuda_layout_fits_i32(&l, 1, n))
    cast_general<U, U, int32_t>
        <<<grid, 256, 0, s>>>(static_cast<const U*>(src), static_cast<U*>(dst), n, l);
  else
    cast_general<U, U, int64_t>
        <<<grid, 256, 0, s>>>(static_cast<const U*>(src), static_cast<U*>(dst), n, l);
}

int64_t shape_size(int ndim, const int* shape) {
  int64_t n = 1;
  for (int d = 0; d < ndim; d++) n *= shape[d];
  return n;
}

}  // namespace

extern "C" {

int mx__cuda_copy_general(const void* src, mx_dtype src_dtype, int ndim, const int* shape,
                          const int64_t* src_strides, void* dst, mx_dtype dst_dtype,
                          cudaStream_t s) {
  int64_t n = shape_size(ndim, shape);
  if (n == 0) return 0;
  if (ndim > MX_CUDA_MAX_NDIM) return mx_error(MX_ERR_RUNTIME, "[cuda] too many dims (%d)", ndim);
  int64_t shape64[MX_CUDA_MAX_NDIM];
  for (int d = 0; d < ndim; d++) shape64[d] = shape[d];
  const int64_t* st[1] = {src_strides};
  mx__cuda_layout l;
  if (mx__cuda_collapse(ndim, shape64, 1, st, &l) != 0) return -1;
  bool dense = l.ndim == 1 && (l.strides[0][0] == 1 || l.shape[0] == 1);

  if (src_dtype == dst_dtype) {
    size_t itemsize = mx_dtype_size(src_dtype);
    if (dense) {
      MX_CUDA_TRY(cudaMemcpyAsync(dst, src, (size_t)n * itemsize, cudaMemcpyDeviceToDevice, s),
                  "device copy");
      return 0;
    }
    switch (itemsize) {
      case 1: launch_strided_copy<uint8_t>(src, dst, n, l, s); break;
      case 2: launch_strided_copy<uint16_t>(src, dst, n, l, s); break;
      case 4: launch_strided_copy<uint32_t>(src, dst, n, l, s); break;
      case 8: launch_strided_copy<uint64_t>(src, dst, n, l, s); break;
      default: return mx_error(MX_ERR_RUNTIME, "[cuda] copy of %zu-byte elements", itemsize);
    }
    return mx__cuda_check_launch("copy");
  }

  bool ok_in = false, ok_out = false;
  ok_in = mx__dispatch(src_dtype, [&](auto tin) {
    using In = typename decltype(tin)::type;
    ok_out = mx__dispatch(dst_dtype, [&](auto tout) {
      using Out = typename decltype(tout)::type;
      const In* pi = static_cast<const In*>(src);
      Out* po = static_cast<Out*>(dst);
      if (dense)
        cast_contig<In, Out><<<mx__grid(n, 256), 256, 0, s>>>(pi, po, n);
      else
        cast_general<In, Out, int64_t><<<mx__grid(n, 256), 256, 0, s>>>(pi, po, n, l);
    });
  });
  if (!ok_in || !ok_out)
    return mx_error(MX_ERR_VALUE, "[cuda] conversion from %s to %s is not supported on the GPU",
                    mx_dtype_name(src_dtype), mx_dtype_name(dst_dtype));
  return mx__cuda_check_launch("astype");
}

}
