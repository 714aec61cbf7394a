#!/usr/bin/env bash
# One pass on a machine with an NVIDIA GPU: build with CUDA, run the GPU
# tests (C and Python), the rest of the C tests with a GPU present, and the
# GPU benchmark, then the same memory-bound and matmul measurements through
# PyTorch for comparison.  Logs go to $OUT (default /tmp/cmlx-gpu-out).
#
# OpenBLAS may be missing on such machines: unpack the Debian packages into
# .deps/ first (CMakeLists.txt looks there), e.g.
#   apt-get download libopenblas0-pthread libopenblas-pthread-dev libgfortran5 libquadmath0
#   for f in *.deb; do dpkg -x $f .deps; done
set -u
OUT=${OUT:-/tmp/cmlx-gpu-out}
mkdir -p "$OUT"
B=${BUILD:-build-gpu}
export LD_LIBRARY_PATH=$PWD/.deps/usr/lib/x86_64-linux-gnu/openblas-pthread:$PWD/.deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}
export PYTHONUNBUFFERED=1

nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm --format=csv,noheader
PY=$(command -v python3)
if ! cmake -S . -B "$B" -DCMLX_CUDA=ON -DCMLX_PYTHON=ON -DPython3_EXECUTABLE="$PY" \
     >"$OUT/cmake.log" 2>&1; then
  echo "== configuring with the Python extension failed; building without it"
  tail -5 "$OUT/cmake.log"
  cmake -S . -B "$B" -DCMLX_CUDA=ON -DCMLX_PYTHON=OFF >"$OUT/cmake.log" 2>&1 || {
    tail -30 "$OUT/cmake.log"; exit 1; }
fi
t0=$(date +%s)
cmake --build "$B" -j "$(nproc)" >"$OUT/build.log" 2>&1 || {
  grep -E "error|Error" "$OUT/build.log" | head -40; exit 1; }
echo "== build: $(( $(date +%s) - t0 )) s"

echo "== C GPU tests"
(cd "$B" && timeout 300 ctest --output-on-failure -R gpu) >"$OUT/ctest_gpu.log" 2>&1
grep -E "CHECK failed|differs|failed:|error|passed|skip|Test #|tests passed" "$OUT/ctest_gpu.log" | head -60

echo "== C GPU tests with MLX_ENABLE_TF32=0 (full float32 matmuls)"
MLX_ENABLE_TF32=0 timeout 120 "$B/test_gpu_ops" 2>&1 | tail -2

echo "== Python GPU test"
PYTHONPATH=python timeout 300 "$PY" -m pytest -q tests/python/test_gpu.py >"$OUT/pytest_gpu.log" 2>&1
tail -25 "$OUT/pytest_gpu.log"

if [ "${FULL_PY:-1}" = 1 ]; then
  echo "== whole Python suite with DEVICE=gpu (the GPU is the default device)"
  PYTHONPATH=python DEVICE=gpu timeout 420 "$PY" -m pytest -q -rf --tb=line -p no:cacheprovider tests/python \
    >"$OUT/pytest_all_gpu.log" 2>&1
  grep -E "^FAILED|passed|failed" "$OUT/pytest_all_gpu.log" | cut -c1-160 | tail -40
fi

echo "== other C tests with a GPU present (default device may be the GPU)"
(cd "$B" && timeout 300 ctest -j 8 -E gpu) >"$OUT/ctest_rest.log" 2>&1
grep -E "tests passed|Failed|\*\*\*" "$OUT/ctest_rest.log" | head -20

if command -v compute-sanitizer >/dev/null && [ "${SANITIZE:-1}" = 1 ]; then
  echo "== compute-sanitizer memcheck on test_gpu_ops"
  timeout 240 compute-sanitizer --tool memcheck --print-limit 5 "$B/test_gpu_ops" \
    >"$OUT/memcheck.log" 2>&1
  grep -E "ERROR SUMMARY|Invalid|passed" "$OUT/memcheck.log" | head -12
fi

echo "== bench_gpu"
timeout 300 "$B/bench_gpu" 2>&1 | tee "$OUT/bench.log"

echo "== PyTorch, same machine, same sizes"
timeout 200 "$PY" - <<'EOF' 2>&1 | tee "$OUT/bench_torch.log"
import torch
torch.backends.cuda.matmul.allow_tf32 = True
def t(fn, reps=10):
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    for _ in range(2): fn()
    ts = []
    for _ in range(reps):
        s.record(); fn(); e.record(); e.synchronize(); ts.append(s.elapsed_time(e) * 1e-3)
    return sorted(ts)[reps // 2]
n = 1 << 28
a = torch.rand(n, device="cuda") * 2 - 1
b = torch.rand(n, device="cuda") * 2 - 1
print(f"torch add float32 2^28                {t(lambda: a + b) * 1e3:9.3f} ms {3 * n * 4 / t(lambda: a + b) * 1e-9:8.1f} GB/s")
print(f"torch sum float32 2^28                {t(lambda: a.sum()) * 1e3:9.3f} ms {n * 4 / t(lambda: a.sum()) * 1e-9:8.1f} GB/s")
m = a.view(16384, 16384)
print(f"torch sum axis 0 16384^2              {t(lambda: m.sum(0)) * 1e3:9.3f} ms")
print(f"torch sum axis 1 16384^2              {t(lambda: m.sum(1)) * 1e3:9.3f} ms")
print(f"torch transpose copy 16384^2          {t(lambda: m.t().contiguous()) * 1e3:9.3f} ms")
del a, b, m
for dt, name in [(torch.bfloat16, "bfloat16"), (torch.float16, "float16"), (torch.float32, "float32 tf32")]:
    x = (torch.rand(8192, 8192, device="cuda") * 2 - 1).to(dt)
    y = (torch.rand(8192, 8192, device="cuda") * 2 - 1).to(dt)
    s = t(lambda: x @ y)
    print(f"torch matmul {name:<12} 8192^3         {s * 1e3:9.3f} ms {2 * 8192**3 / s * 1e-12:8.1f} TFLOP/s")
EOF
