// Copy and conversion kernels behind COPY, ASTYPE and FULL (host side in
// copy.c), which all "write the output row-contiguously from a possibly
// strided, broadcast input, converting the dtype on the way".
//
// A dense same-dtype copy is a cudaMemcpyAsync.  A strided same-dtype copy
// only moves bytes, so it is instantiated per element size, not per dtype.
// When the source is dense along some dim other than the output's last (a
// transpose), a tiled kernel stages 32x32 tiles in shared memory so that
// both the reads and the writes of a warp touch consecutive addresses;
// other strided copies index each element, in 32-bit arithmetic when the
// offsets fit.  Conversions have a dense kernel (16-byte accesses when
// aligned) and a strided kernel per dtype pair.
#include "cuda_common.cuh"

namespace {

// E elements per step: E = 1, or enough that the narrower side moves 16
// bytes (the wider side then moves 16 to 64 bytes, in 16-byte pieces).
template <typename In, typename Out, int E>
__global__ void cast_contig(const In* in, Out* out, int64_t n) {
  using VI = mx__vec<In, E>;
  using VO = mx__vec<Out, E>;
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  const int64_t tid = (int64_t)blockIdx.x * blockDim.x + threadIdx.x;
  const int64_t nv = n / E;
  for (int64_t i = tid; i < nv; i += stride) {
    VI x = reinterpret_cast<const VI*>(in)[i];
    VO y;
#pragma unroll
    for (int k = 0; k < E; k++) y.v[k] = mx__convert<Out>(x.v[k]);
    reinterpret_cast<VO*>(out)[i] = y;
  }
  for (int64_t i = nv * E + tid; i < n; i += stride) out[i] = mx__convert<Out>(in[i]);
}

template <typename In, typename Out>
void launch_cast_contig(const In* in, Out* out, int64_t n, cudaStream_t s) {
  constexpr size_t lo = sizeof(In) < sizeof(Out) ? sizeof(In) : sizeof(Out);
  constexpr size_t hi = sizeof(In) < sizeof(Out) ? sizeof(Out) : sizeof(In);
  constexpr int E = (int)(16 / lo < 64 / hi ? 16 / lo : 64 / hi);
  auto aligned = [](const void* p, size_t a) { return reinterpret_cast<uintptr_t>(p) % a == 0; };
  if (aligned(in, sizeof(In) * E) && aligned(out, sizeof(Out) * E))
    cast_contig<In, Out, E><<<mx__grid(n / E + 1, 256), 256, 0, s>>>(in, out, n);
  else
    cast_contig<In, Out, 1><<<mx__grid(n, 256), 256, 0, s>>>(in, out, n);
}

// Transpose-like copy: dim `a` of the collapsed layout is dense in the
// source, the last dim `b` is dense in the destination.  Each block moves a
// 32x32 tile of (a, b) through shared memory for every position of the other
// dims ("rest", enumerated by blockIdx.z).  The tile row is padded by one
// element so that reading a column hits 32 different banks.
template <typename U>
__global__ void copy_tiled(const U* src, U* dst, int64_t na, int64_t nb, int64_t src_sb,
                           int64_t dst_sa, int64_t nrest, mx__cuda_layout rest) {
  __shared__ U tile[32][33];
  const int64_t a0 = (int64_t)blockIdx.y * 32, b0 = (int64_t)blockIdx.x * 32;
  for (int64_t z = blockIdx.z; z < nrest; z += gridDim.z) {
    int64_t off[2];
    mx__offsets<2>(z, rest, off);
    const U* s = src + off[0];
    U* d = dst + off[1];
    const int64_t a = a0 + threadIdx.x;
    for (int i = threadIdx.y; i < 32; i += blockDim.y) {
      const int64_t b = b0 + i;
      if (a < na && b < nb) tile[i][threadIdx.x] = s[a + b * src_sb];
    }
    __syncthreads();
    const int64_t b = b0 + threadIdx.x;
    for (int i = threadIdx.y; i < 32; i += blockDim.y) {
      const int64_t aa = a0 + i;
      if (aa < na && b < nb) d[aa * dst_sa + b] = tile[threadIdx.x][i];
    }
    __syncthreads();
  }
}

// Launches copy_tiled when the collapsed layout fits it; returns false when
// it does not (the caller then uses the element-wise kernel).
template <typename U>
bool launch_tiled_copy(const void* src, void* dst, const mx__cuda_layout& l, cudaStream_t s) {
  const int last = l.ndim - 1;
  int a = -1;
  for (int d = 0; d < last; d++)
    if (l.strides[0][d] == 1) a = d;
  if (a < 0 || l.shape[a] < 8 || l.shape[last] < 8) return false;
  // Row-major strides of the destination over the collapsed shape.
  int64_t dst_st[MX_CUDA_MAX_DIMS];
  int64_t st = 1;
  for (int d = last; d >= 0; d--) dst_st[d] = st, st *= l.shape[d];
  mx__cuda_layout rest;
  rest.ndim = 0;
  int64_t nrest = 1;
  for (int d = 0; d < last; d++) {
    if (d == a) continue;
    rest.shape[rest.ndim] = l.shape[d];
    rest.strides[0][rest.ndim] = l.strides[0][d];
    rest.strides[1][rest.ndim] = dst_st[d];
    rest.ndim++;
    nrest *= l.shape[d];
  }
  const int64_t gx = (l.shape[last] + 31) / 32, gy = (l.shape[a] + 31) / 32;
  if (gy > 65535 || gx > INT32_MAX) return false;
  dim3 grid((unsigned)gx, (unsigned)gy, (unsigned)(nrest < 65535 ? nrest : 65535));
  copy_tiled<U><<<grid, dim3(32, 8), 0, s>>>(static_cast<const U*>(src), static_cast<U*>(dst),
                                             l.shape[a], l.shape[last], l.strides[0][last],
                                             dst_st[a], nrest, rest);
  return true;
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
  if (launch_tiled_copy<U>(src, dst, l, s)) return;
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
        launch_cast_contig<In, Out>(pi, po, n, s);
      else
        cast_general<In, Out, int64_t><<<mx__grid(n, 256), 256, 0, s>>>(pi, po, n, l);
    });
  });
  if (!ok_in || !ok_out) return MX_KERNEL_FALLBACK; /* the CPU kernel runs it */
  return mx__cuda_check_launch("astype");
}

}
