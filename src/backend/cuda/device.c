/* CUDA backend start-up: device probe, memory hooks, stream table and the GPU
 * kernel table.
 *
 * The probe must never fail loudly: CI machines have the CUDA toolkit but no
 * driver or GPU, and there the library simply runs without a GPU device.
 * Only device 0 is used; MLX exposes a single GPU device as well. */
#include "cuda_backend.h"
#include "cuda_internal.h"

#include <pthread.h>
#include <stdatomic.h>

static bool gpu_ready;
static int sm_count = 1;

/* One CUDA stream per mx stream index, created lazily.  Streams are created
 * as blocking streams on purpose: plain cudaMemcpy (the copy hooks) then
 * waits for kernels still running on them, so a cached device block handed
 * to a host-to-device copy is never overwritten under a kernel that still
 * reads it. */
static _Atomic(cudaStream_t) streams[MX_MAX_STREAMS];
static pthread_mutex_t streams_lock = PTHREAD_MUTEX_INITIALIZER;

bool mx_cuda_available(void) { return gpu_ready; }

int mx__cuda_sm_count(void) { return sm_count; }

int mx__cuda_check(cudaError_t err, const char* what) {
  if (err == cudaSuccess) return 0;
  /* Clear the non-sticky error so the next call starts clean. */
  (void)cudaGetLastError();
  if (err == cudaErrorMemoryAllocation)
    return mx_error(MX_ERR_MEMORY, "[cuda] %s: out of GPU memory (%s)", what,
                    cudaGetErrorString(err));
  return mx_error(MX_ERR_RUNTIME, "[cuda] %s failed: %s (%s)", what, cudaGetErrorString(err),
                  cudaGetErrorName(err));
}

int mx__cuda_check_launch(const char* what) { return mx__cuda_check(cudaGetLastError(), what); }

cudaStream_t mx__cuda_stream(int index) {
  if (index < 0 || index >= MX_MAX_STREAMS) {
    mx_error(MX_ERR_RUNTIME, "[cuda] stream index %d out of range", index);
    return NULL;
  }
  cudaStream_t s = atomic_load(&streams[index]);
  if (s) return s;
  pthread_mutex_lock(&streams_lock);
  s = atomic_load(&streams[index]);
  if (!s) {
    if (mx__cuda_check(cudaStreamCreate(&s), "cudaStreamCreate") == 0)
      atomic_store(&streams[index], s);
    else
      s = NULL;
  }
  pthread_mutex_unlock(&streams_lock);
  return s;
}

int mx__cuda_reject_f64(mx_node* node, mx_array* const* inputs, mx_array* const* outputs) {
  for (int i = 0; i < node->n_inputs; i++)
    if (inputs[i]->dtype == MX_FLOAT64)
      return mx_error(MX_ERR_VALUE, "float64 is not supported on the GPU");
  for (int i = 0; i < node->n_outputs; i++)
    if (outputs[i] && outputs[i]->dtype == MX_FLOAT64)
      return mx_error(MX_ERR_VALUE, "float64 is not supported on the GPU");
  return 0;
}

void* mx__cuda_scratch_alloc(size_t nbytes, cudaStream_t s) {
  void* p = NULL;
  if (mx__cuda_check(cudaMallocAsync(&p, nbytes ? nbytes : 1, s), "scratch allocation") != 0)
    return NULL;
  return p;
}

void mx__cuda_scratch_free(void* p, cudaStream_t s) {
  if (p) (void)cudaFreeAsync(p, s);
}

void* mx__cuda_alloc_out(mx_array* out) {
  if (mx_array_alloc_data(out, true) != 0) return NULL;
  /* A fresh buffer starts at element 0; read the device side directly so no
   * migration of not-yet-written bytes is attempted. */
  return (char*)out->buffer->device + out->offset * (int64_t)mx_array_itemsize(out);
}

void mx__cuda_mark_written(mx_array* out) {
  if (out->buffer) mx_buffer_mark_written(out->buffer, MX_VALID_DEVICE);
}

/* --- memory hooks -------------------------------------------------------- */

static void* dev_malloc(size_t nbytes) {
  void* p = NULL;
  /* cudaMalloc(0) yields NULL, which the buffer layer would read as failure. */
  if (cudaMalloc(&p, nbytes ? nbytes : 1) != cudaSuccess) {
    (void)cudaGetLastError();
    return NULL;
  }
  return p;
}

static void dev_free(void* p) {
  if (p) (void)cudaFree(p);
}

static int dev_to_host(void* dst, const void* src, size_t nbytes) {
  if (nbytes == 0) return 0;
  return mx__cuda_check(cudaMemcpy(dst, src, nbytes, cudaMemcpyDeviceToHost),
                        "copy from GPU to host");
}

static int host_to_dev(void* dst, const void* src, size_t nbytes) {
  if (nbytes == 0) return 0;
  return mx__cuda_check(cudaMemcpy(dst, src, nbytes, cudaMemcpyHostToDevice),
                        "copy from host to GPU");
}

static size_t dev_free_bytes(void) {
  size_t free_b = 0, total = 0;
  if (cudaMemGetInfo(&free_b, &total) != cudaSuccess) {
    (void)cudaGetLastError();
    return 0;
  }
  return free_b;
}

static int dev_wait_all(void) {
  return mx__cuda_check(cudaDeviceSynchronize(), "synchronize before reusing a device block");
}

static const mx_device_memory_hooks memory_hooks = {
    .wait_all = dev_wait_all,
    .malloc = dev_malloc,
    .free = dev_free,
    .copy_to_host = dev_to_host,
    .copy_to_device = host_to_dev,
    .free_bytes = dev_free_bytes,
};

/* --- stream hooks -------------------------------------------------------- */

static int stream_new_hook(int index) { return mx__cuda_stream(index) ? 0 : -1; }

static int stream_sync_hook(int index) {
  cudaStream_t s = mx__cuda_stream(index);
  if (!s) return -1;
  return mx__cuda_check(cudaStreamSynchronize(s), "stream synchronize");
}

static const mx_stream_hooks stream_hooks = {
    .stream_new = stream_new_hook,
    .synchronize = stream_sync_hook,
};

/* --- the GPU kernel table -------------------------------------------------- */

/* Every primitive of the unary and binary families goes to one entry each;
 * the entry declines the cases it has no GPU code for. */
#define MX__CUDA_UNARY_ROW(e, n) [MX_PRIM_##e] = mx__cuda_unary,
#define MX__CUDA_BINARY_ROW(e, n) [MX_PRIM_##e] = mx__cuda_binary_ew,

static const mx_backend cuda_backend = {
    .name = "cuda",
    .kernels =
        {
            [MX_PRIM_ADD] = mx__cuda_add,
            [MX_PRIM_SUBTRACT] = mx__cuda_subtract,
            [MX_PRIM_MULTIPLY] = mx__cuda_multiply,
            [MX_PRIM_DIVIDE] = mx__cuda_divide,
            [MX_PRIM_REDUCE] = mx__cuda_reduce,
            [MX_PRIM_RESHAPE] = mx__cuda_reshape,
            [MX_PRIM_TRANSPOSE] = mx__cuda_transpose,
            [MX_PRIM_BROADCAST] = mx__cuda_broadcast,
            [MX_PRIM_ASTYPE] = mx__cuda_astype,
            [MX_PRIM_COPY] = mx__cuda_copy,
            [MX_PRIM_FULL] = mx__cuda_full,
            [MX_PRIM_ARANGE] = mx__cuda_arange,
            [MX_PRIM_MATMUL] = mx__cuda_matmul,
            MX_PRIMS_UNARY(MX__CUDA_UNARY_ROW)
            MX_PRIMS_BINARY(MX__CUDA_BINARY_ROW)
        },
};

void mx_cuda_init(void) {
  static bool probed;
  if (probed) return;
  probed = true;

  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count <= 0) {
    /* No driver or no device: stay CPU-only without a word. */
    (void)cudaGetLastError();
    return;
  }
  if (cudaSetDevice(0) != cudaSuccess) {
    (void)cudaGetLastError();
    return;
  }
  int sms = 0;
  if (cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0) == cudaSuccess && sms > 0)
    sm_count = sms;
  else
    (void)cudaGetLastError();

  /* Scratch memory comes from the stream-ordered pool.  By default the pool
   * hands its memory back to the driver at every synchronisation, which
   * makes the next scratch allocation map pages again; keeping up to 256 MiB
   * makes repeated reductions cheap, and larger spikes are still returned. */
  cudaMemPool_t pool;
  if (cudaDeviceGetDefaultMemPool(&pool, 0) == cudaSuccess) {
    uint64_t keep = (uint64_t)256 << 20;
    (void)cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep);
  }
  (void)cudaGetLastError();

  mx_buffer_set_device_hooks(&memory_hooks);
  mx_stream_set_gpu_hooks(&stream_hooks, 1);
  mx_register_gpu_backend(&cuda_backend);
  gpu_ready = true;
}
