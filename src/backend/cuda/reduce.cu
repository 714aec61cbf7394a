// Reduction kernels (host side in reduce.c): sum, prod, max, min, all (and),
// any (or), over any set of axes.
//
// The input's dims split into kept dims (one output element per position)
// and reduced dims (folded into that element).  Each group is collapsed like
// an elementwise layout, the reduced dims sorted so the smallest stride is
// innermost.  Then one of two kernels runs:
//  - rows: a warp or a 256-thread block folds one output's elements; used
//    when the reduced elements are adjacent in memory (a sum over the last
//    axis, an all-reduce), so the threads of a warp read consecutive
//    addresses, 16 bytes each when alignment allows;
//  - columns: one thread folds one output's elements, or those of as many
//    neighbouring outputs as fill a 16-byte load; used when the kept dims
//    are the adjacent ones (a sum over axis 0 of a matrix), so the threads
//    of a warp read consecutive outputs' elements.
// When there are too few outputs to fill the GPU, the reduced range is split
// over more blocks ("splits", sized so that one wave of resident blocks
// covers the work) that write partial results, and a small second kernel
// folds the partials.  Floats (and the 16-bit floats) accumulate in
// float, integers in 64-bit unsigned arithmetic (wrapping like the CPU), and
// max/min propagate NaN as MLX does.
#include <algorithm>
#include <atomic>
#include <limits>

#include "cuda_common.cuh"

extern "C" {
#include "core/primitive.h"
}

namespace {

enum { RSUM = MX_REDUCE_SUM, RPROD = MX_REDUCE_PROD, RMAX = MX_REDUCE_MAX, RMIN = MX_REDUCE_MIN,
       RAND = MX_REDUCE_AND, ROR = MX_REDUCE_OR };

template <typename T, int OP>
struct Red {
  static constexpr bool wide_int = std::is_integral_v<T> && !std::is_same_v<T, bool>;
  using Acc = std::conditional_t<(OP == RSUM || OP == RPROD) && wide_int, uint64_t,
                                 std::conditional_t<(OP == RAND || OP == ROR), bool, Calc<T>>>;

  __device__ static Acc init() {
    if constexpr (OP == RSUM) return mx__convert<Acc>(0);
    else if constexpr (OP == RPROD) return mx__convert<Acc>(1);
    else if constexpr (OP == RAND) return true;
    else if constexpr (OP == ROR) return false;
    else if constexpr (std::is_floating_point_v<Acc>)
      return OP == RMAX ? -std::numeric_limits<Acc>::infinity()
                        : std::numeric_limits<Acc>::infinity();
    else if constexpr (std::is_same_v<T, bool>) return OP == RMAX ? 0 : 1;
    else return OP == RMAX ? std::numeric_limits<Acc>::lowest() : std::numeric_limits<Acc>::max();
  }
  __device__ static Acc combine(Acc a, Acc b) {
    if constexpr (OP == RSUM) return a + b;
    else if constexpr (OP == RPROD) return a * b;
    else if constexpr (OP == RAND) return a && b;
    else if constexpr (OP == ROR) return a || b;
    else if constexpr (std::is_floating_point_v<Acc>) {
      // NaN wins: a comparison with NaN is false, so test it explicitly.
      if constexpr (OP == RMAX) return (a > b || a != a) ? a : b;
      else return (a < b || a != a) ? a : b;
    } else {
      if constexpr (OP == RMAX) return a > b ? a : b;
      else return a < b ? a : b;
    }
  }
  __device__ static Acc load(T x) { return mx__convert<Acc>(x); }
  __device__ static T store(Acc a) { return mx__convert<T>(a); }
};

template <typename A>
__device__ __forceinline__ A shfl_xor(A v, int m) {
  if constexpr (mx__is_cplx<A>) {
    return mx_cplx{__shfl_xor_sync(0xffffffffu, v.re, m), __shfl_xor_sync(0xffffffffu, v.im, m)};
  } else if constexpr (sizeof(A) == 8) {
    long long x;
    memcpy(&x, &v, 8);
    x = __shfl_xor_sync(0xffffffffu, x, m);
    memcpy(&v, &x, 8);
    return v;
  } else if constexpr (sizeof(A) == 4) {
    int x;
    memcpy(&x, &v, 4);
    x = __shfl_xor_sync(0xffffffffu, x, m);
    memcpy(&v, &x, 4);
    return v;
  } else {
    return static_cast<A>(__shfl_xor_sync(0xffffffffu, static_cast<int>(v), m));
  }
}

template <typename R, typename Acc>
__device__ __forceinline__ Acc warp_fold(Acc a) {
#pragma unroll
  for (int m = 16; m > 0; m >>= 1) a = R::combine(a, shfl_xor(a, m));
  return a;
}

// Folds the accumulators of a group of GROUP consecutive threads (1, 32 or
// a whole 256-thread block); the group's first thread holds the result.
template <typename R, int GROUP>
__device__ __forceinline__ typename R::Acc group_fold(typename R::Acc acc) {
  using Acc = typename R::Acc;
  if constexpr (GROUP == 1) {
    return acc;
  } else {
    acc = warp_fold<R>(acc);
    if constexpr (GROUP > 32) {
      __shared__ Acc smem[GROUP / 32];
      const int lane = threadIdx.x % GROUP;
      const int warp = lane / 32;
      if (lane % 32 == 0) smem[warp] = acc;
      __syncthreads();
      if (warp == 0) {
        acc = lane < GROUP / 32 ? smem[lane] : R::init();
        acc = warp_fold<R>(acc);
      }
    }
    return acc;
  }
}

// Offset of output `o` (row-major over the kept dims).
__device__ __forceinline__ int64_t kept_offset(int64_t o, const mx__cuda_layout& k) {
  int64_t off[1];
  mx__offsets<1>(o, k, off);
  return off[0];
}

__device__ __forceinline__ int64_t red_offset(int64_t r, const mx__cuda_layout& rl) {
  if (rl.ndim == 1) return r * rl.strides[0][0];
  int64_t off[1];
  mx__offsets<1>(r, rl, off);
  return off[0];
}

// Rows: GROUP threads fold one output's share [beg, end) of its reduced range.
// VEC > 1 only when the reduced range is one dense run, 16-byte aligned for
// every output, and `chunk` is a multiple of VEC.
template <typename T, int OP, int GROUP, int VEC>
__global__ void reduce_rows(const T* in, T* out, typename Red<T, OP>::Acc* partial, int64_t n_out,
                            int64_t R, int64_t chunk, mx__cuda_layout kl, mx__cuda_layout rl) {
  using Rd = Red<T, OP>;
  using Acc = typename Rd::Acc;
  constexpr int PER_BLOCK = 256 / GROUP;
  const int lane = threadIdx.x % GROUP;
  const int64_t o = (int64_t)blockIdx.x * PER_BLOCK + threadIdx.x / GROUP;
  const int64_t beg = (int64_t)blockIdx.y * chunk;
  const int64_t end = beg + chunk < R ? beg + chunk : R;
  Acc acc = Rd::init();
  if (o < n_out) {
    const T* base = in + kept_offset(o, kl);
    if constexpr (VEC > 1) {
      using V = mx__vec<T, VEC>;
      const V* pv = reinterpret_cast<const V*>(base);
      const int64_t vend = end / VEC;
      int64_t v = beg / VEC + lane;
      // Four independent 16-byte loads in flight per step.
      for (; v + 3 * GROUP < vend; v += 4 * GROUP) {
        V x0 = pv[v], x1 = pv[v + GROUP], x2 = pv[v + 2 * GROUP], x3 = pv[v + 3 * GROUP];
#pragma unroll
        for (int k = 0; k < VEC; k++)
          acc = Rd::combine(acc, Rd::combine(Rd::combine(Rd::load(x0.v[k]), Rd::load(x1.v[k])),
                                             Rd::combine(Rd::load(x2.v[k]), Rd::load(x3.v[k]))));
      }
      for (; v < vend; v += GROUP) {
        V x = pv[v];
#pragma unroll
        for (int k = 0; k < VEC; k++) acc = Rd::combine(acc, Rd::load(x.v[k]));
      }
      for (int64_t r = vend * VEC + lane; r < end; r += GROUP)
        acc = Rd::combine(acc, Rd::load(base[r]));
    } else if (rl.ndim == 1) {
      const int64_t st = rl.strides[0][0];
      int64_t r = beg + lane;
      // Four independent loads in flight per step.
      for (; r + 3 * GROUP < end; r += 4 * GROUP) {
        T x0 = base[r * st], x1 = base[(r + GROUP) * st];
        T x2 = base[(r + 2 * GROUP) * st], x3 = base[(r + 3 * GROUP) * st];
        acc = Rd::combine(acc, Rd::combine(Rd::combine(Rd::load(x0), Rd::load(x1)),
                                           Rd::combine(Rd::load(x2), Rd::load(x3))));
      }
      for (; r < end; r += GROUP) acc = Rd::combine(acc, Rd::load(base[r * st]));
    } else {
      for (int64_t r = beg + lane; r < end; r += GROUP)
        acc = Rd::combine(acc, Rd::load(base[red_offset(r, rl)]));
    }
  }
  acc = group_fold<Rd, GROUP>(acc);
  if (lane == 0 && o < n_out) {
    if (gridDim.y == 1) out[o] = Rd::store(acc);
    else partial[(int64_t)blockIdx.y * n_out + o] = acc;
  }
}

// Columns: one thread folds VEC neighbouring outputs' shares of their reduced
// range.  VEC > 1 only when those outputs are adjacent in memory, 16-byte
// aligned, and the reduced dim is one dim whose stride keeps that alignment;
// then each step is one 16-byte load.
template <typename T, int OP, int VEC>
__global__ void reduce_cols(const T* in, T* out, typename Red<T, OP>::Acc* partial, int64_t n_out,
                            int64_t R, int64_t chunk, mx__cuda_layout kl, mx__cuda_layout rl) {
  using Rd = Red<T, OP>;
  using Acc = typename Rd::Acc;
  const int64_t o = ((int64_t)blockIdx.x * blockDim.x + threadIdx.x) * VEC;
  if (o >= n_out) return;
  const int64_t beg = (int64_t)blockIdx.y * chunk;
  const int64_t end = beg + chunk < R ? beg + chunk : R;
  const T* base = in + kept_offset(o, kl);
  Acc acc[VEC];
#pragma unroll
  for (int k = 0; k < VEC; k++) acc[k] = Rd::init();
  if constexpr (VEC > 1) {
    using V = mx__vec<T, VEC>;
    const int64_t st = rl.strides[0][0];
    int64_t r = beg;
    for (; r + 1 < end; r += 2) {
      V x0 = *reinterpret_cast<const V*>(base + r * st);
      V x1 = *reinterpret_cast<const V*>(base + (r + 1) * st);
#pragma unroll
      for (int k = 0; k < VEC; k++)
        acc[k] = Rd::combine(acc[k], Rd::combine(Rd::load(x0.v[k]), Rd::load(x1.v[k])));
    }
    if (r < end) {
      V x = *reinterpret_cast<const V*>(base + r * st);
#pragma unroll
      for (int k = 0; k < VEC; k++) acc[k] = Rd::combine(acc[k], Rd::load(x.v[k]));
    }
  } else if (rl.ndim == 1) {
    const int64_t st = rl.strides[0][0];
    int64_t r = beg;
    // Four independent loads in flight per step.
    for (; r + 3 < end; r += 4) {
      T x0 = base[r * st], x1 = base[(r + 1) * st], x2 = base[(r + 2) * st],
        x3 = base[(r + 3) * st];
      acc[0] = Rd::combine(acc[0], Rd::combine(Rd::combine(Rd::load(x0), Rd::load(x1)),
                                               Rd::combine(Rd::load(x2), Rd::load(x3))));
    }
    for (; r < end; r++) acc[0] = Rd::combine(acc[0], Rd::load(base[r * st]));
  } else {
    for (int64_t r = beg; r < end; r++)
      acc[0] = Rd::combine(acc[0], Rd::load(base[red_offset(r, rl)]));
  }
#pragma unroll
  for (int k = 0; k < VEC; k++) {
    if (gridDim.y == 1) out[o + k] = Rd::store(acc[k]);
    else partial[(int64_t)blockIdx.y * n_out + o + k] = acc[k];
  }
}

// Folds the `splits` partial results of each output: one thread per output
// when there are many outputs (reads coalesce across outputs), a whole block
// per output when there are few outputs with many partials each.
template <typename T, int OP, int GROUP>
__global__ void reduce_partials(const typename Red<T, OP>::Acc* partial, T* out, int64_t n_out,
                                int splits) {
  using Rd = Red<T, OP>;
  constexpr int PER_BLOCK = 256 / GROUP;
  const int lane = threadIdx.x % GROUP;
  const int64_t o = (int64_t)blockIdx.x * PER_BLOCK + threadIdx.x / GROUP;
  typename Rd::Acc acc = Rd::init();
  if (o < n_out)
    for (int k = lane; k < splits; k += GROUP)
      acc = Rd::combine(acc, partial[(int64_t)k * n_out + o]);
  acc = group_fold<Rd, GROUP>(acc);
  if (lane == 0 && o < n_out) out[o] = Rd::store(acc);
}

template <typename T, int OP>
__global__ void reduce_empty(T* out, int64_t n_out) {
  using Rd = Red<T, OP>;
  const int64_t stride = (int64_t)gridDim.x * blockDim.x;
  for (int64_t o = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; o < n_out; o += stride)
    out[o] = Rd::store(Rd::init());
}

struct Plan {
  int64_t n_out, R;
  mx__cuda_layout kl, rl;
  bool rows;  // rows kernel (else columns)
  int group;  // rows: 32 or 256 threads per output
  bool vec;   // 16-byte loads (rows: along the reduction; columns: across outputs)
};

int64_t cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

template <typename T, int OP>
using RedKernel = void (*)(const T*, T*, typename Red<T, OP>::Acc*, int64_t, int64_t, int64_t,
                           mx__cuda_layout, mx__cuda_layout);

template <typename T, int OP>
int launch(const Plan& p, const T* in, T* out, cudaStream_t s) {
  using Acc = typename Red<T, OP>::Acc;
  constexpr int W = mx__vec_width<T>;
  if (p.R == 0) {
    reduce_empty<T, OP><<<mx__grid(p.n_out, 256), 256, 0, s>>>(out, p.n_out);
    return mx__cuda_check_launch("reduce");
  }
  RedKernel<T, OP> kernel;
  int variant;         // index into the occupancy cache
  int64_t blocks;      // along the outputs
  int64_t min_chunk;   // least reduced elements per output per split
  if (p.rows) {
    variant = p.group == 32 ? 0 : p.vec ? 1 : 2;
    kernel = variant == 0 ? reduce_rows<T, OP, 32, 1>
             : variant == 1 ? reduce_rows<T, OP, 256, W>
                            : reduce_rows<T, OP, 256, 1>;
    blocks = cdiv(p.n_out, 256 / p.group);
    min_chunk = (int64_t)p.group * 64;
  } else {
    variant = p.vec ? 3 : 4;
    kernel = p.vec ? reduce_cols<T, OP, W> : reduce_cols<T, OP, 1>;
    blocks = cdiv(p.n_out, 256 * (p.vec ? W : 1));
    min_chunk = 64;
  }
  // Too few outputs to fill the GPU: split each output's reduced range so
  // that one wave of resident blocks covers the work.  How many blocks of a
  // kernel fit on a multiprocessor depends on its registers; ask once.
  static std::atomic<int> occupancy[5];
  int per_sm = occupancy[variant].load(std::memory_order_relaxed);
  if (per_sm == 0) {
    if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, 256, 0) != cudaSuccess ||
        per_sm < 1) {
      (void)cudaGetLastError();
      per_sm = 4;
    }
    occupancy[variant].store(per_sm, std::memory_order_relaxed);
  }
  const int64_t resident = (int64_t)per_sm * mx__cuda_sm_count();
  int64_t splits = 1;
  if (blocks < resident && p.R > min_chunk)
    splits = std::min<int64_t>({cdiv(resident, blocks), cdiv(p.R, min_chunk), 65535});
  int64_t chunk = cdiv(p.R, splits);
  if (p.rows && p.vec) chunk = cdiv(chunk, W) * W;
  splits = cdiv(p.R, chunk);

  Acc* partial = nullptr;
  if (splits > 1) {
    partial = static_cast<Acc*>(
        mx__cuda_scratch_alloc(sizeof(Acc) * (size_t)splits * (size_t)p.n_out, s));
    if (!partial) return -1;
  }
  kernel<<<dim3((unsigned)blocks, (unsigned)splits), 256, 0, s>>>(in, out, partial, p.n_out, p.R,
                                                                  chunk, p.kl, p.rl);
  int rc = mx__cuda_check_launch("reduce");
  if (rc == 0 && splits > 1) {
    if (p.n_out >= 1024)
      reduce_partials<T, OP, 1><<<(unsigned)cdiv(p.n_out, 256), 256, 0, s>>>(partial, out,
                                                                            p.n_out, (int)splits);
    else
      reduce_partials<T, OP, 256><<<(unsigned)p.n_out, 256, 0, s>>>(partial, out, p.n_out,
                                                                     (int)splits);
    rc = mx__cuda_check_launch("reduce");
  }
  mx__cuda_scratch_free(partial, s);
  return rc;
}

// Chooses the kernel, group size and load width for a reduction; launch()
// sizes the splits from the chosen kernel's occupancy.
int make_plan(int ndim, const int* shape, const int64_t* strides, int naxes, const int* axes,
              size_t tsize, const void* data, Plan* p) {
  int64_t ks[MX_CUDA_MAX_NDIM], kst[MX_CUDA_MAX_NDIM], rs[MX_CUDA_MAX_NDIM], rst[MX_CUDA_MAX_NDIM];
  int nk = 0, nr = 0;
  if (ndim > MX_CUDA_MAX_NDIM) return mx_error(MX_ERR_RUNTIME, "[cuda] too many dims (%d)", ndim);
  for (int d = 0; d < ndim; d++) {
    bool red = false;
    for (int i = 0; i < naxes; i++) red |= axes[i] == d;
    if (red) rs[nr] = shape[d], rst[nr] = strides[d], nr++;
    else ks[nk] = shape[d], kst[nk] = strides[d], nk++;
  }
  // Reduced dims in decreasing stride order, so that dense runs merge and
  // the innermost reduced dim is the one with the smallest stride.
  for (int i = 1; i < nr; i++)
    for (int j = i; j > 0 && llabs(rst[j]) > llabs(rst[j - 1]); j--) {
      int64_t t = rst[j]; rst[j] = rst[j - 1]; rst[j - 1] = t;
      t = rs[j]; rs[j] = rs[j - 1]; rs[j - 1] = t;
    }
  const int64_t* kp[1] = {kst};
  const int64_t* rp[1] = {rst};
  if (mx__cuda_collapse(nk, ks, 1, kp, &p->kl) != 0) return -1;
  if (mx__cuda_collapse(nr, rs, 1, rp, &p->rl) != 0) return -1;
  p->n_out = 1;
  for (int i = 0; i < nk; i++) p->n_out *= ks[i];
  p->R = 1;
  for (int i = 0; i < nr; i++) p->R *= rs[i];

  const bool red_dense = p->rl.ndim == 1 && p->rl.strides[0][0] == 1;
  const int kd = p->kl.ndim - 1;
  const bool kept_dense = p->kl.strides[0][kd] == 1 && p->kl.shape[kd] > 1;
  if (p->R < 32 && p->n_out >= 32) p->rows = false;
  else if (red_dense || p->n_out == 1) p->rows = true;
  else if (kept_dense) p->rows = false;
  else p->rows = p->R >= 256;

  // 16-byte loads need every run they read to start 16-byte aligned.
  const int64_t w = 16 / (int64_t)tsize;
  bool aligned = mx__aligned16(data) && tsize <= 16;
  for (int d = 0; d < p->kl.ndim; d++) {
    // Columns step through the innermost kept dim W outputs at a time.
    bool stepped = !p->rows && d == kd;
    if (p->kl.shape[d] > 1 && !stepped && (p->kl.strides[0][d] * (int64_t)tsize) % 16 != 0)
      aligned = false;
  }
  if (p->rows) {
    p->group = (p->R >= 4096 || p->n_out < 8 * (int64_t)mx__cuda_sm_count()) ? 256 : 32;
    p->vec = p->group == 256 && red_dense && aligned;
  } else {
    p->group = 1;
    p->vec = aligned && kept_dense && p->kl.shape[kd] % w == 0 && p->rl.ndim == 1 &&
             (p->rl.strides[0][0] * (int64_t)tsize) % 16 == 0;
  }
  return 0;
}

}  // namespace

extern "C" int mx__cuda_reduce_launch(int op, mx_dtype dtype, const void* in, int ndim,
                                      const int* shape, const int64_t* strides, int naxes,
                                      const int* axes, void* out, cudaStream_t s) {
  Plan plan;
  if (make_plan(ndim, shape, strides, naxes, axes, mx_dtype_size(dtype), in, &plan) != 0)
    return -1;
  if (plan.n_out == 0) return 0;
  int rc = 0;
  bool supported = true;
  bool known = mx__dispatch(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    const T* ti = static_cast<const T*>(in);
    T* to = static_cast<T*>(out);
    if constexpr (std::is_same_v<T, bool>) {
      switch (op) {
        case RAND: rc = launch<T, RAND>(plan, ti, to, s); return;
        case ROR: rc = launch<T, ROR>(plan, ti, to, s); return;
        default: break;
      }
    }
    switch (op) {
      case RSUM: rc = launch<T, RSUM>(plan, ti, to, s); return;
      case RPROD: rc = launch<T, RPROD>(plan, ti, to, s); return;
      case RMAX:
      case RMIN:
        if constexpr (!mx__is_cplx<T>) {
          rc = op == RMAX ? launch<T, RMAX>(plan, ti, to, s) : launch<T, RMIN>(plan, ti, to, s);
          return;
        }
        break;
      default: break;
    }
    supported = false;
  });
  if (!known || !supported) return MX_KERNEL_FALLBACK; /* the CPU kernel runs it */
  return rc;
}
