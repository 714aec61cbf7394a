"""A short tour of cmlx: lazy arrays, printing, type promotion, devices and
streams, and a computation that moves between the CPU and the GPU with no
copies written by the user.  (A later version trains a network here.)"""
import time

import mlx.core as mx


def section(title):
    print(f"\n== {title} ==")


section("arrays")
a = mx.array([1, 2, 3, 4])
b = mx.array([5, 6, 7, 8])
print("a + b =", mx.add(a, b))
m = mx.array([[1.5, 2.0], [3.0, 4.0]])
print("m =", m)
print("m @ m.T =", m @ m.T)
print("sum over axis 0:", m.sum(axis=0))
print("bool:", mx.array([True, False]), " bfloat16:", mx.array([1.5, 2.25], mx.bfloat16))

section("type promotion (Python scalars are weakly typed)")
h = mx.array([1.0, 2.0], mx.float16)
print("float16 + 1.5 ->", (h + 1.5).dtype)
print("int32 / 2 ->", (a / 2).dtype, a / 2)
print("int8 + uint8 ->", (mx.array([1], mx.int8) + mx.array([1], mx.uint8)).dtype)

section("laziness")
x = mx.arange(1_000_000, dtype=mx.float32)
t0 = time.perf_counter()
y = (x * 2 + 1).sum()  # builds a graph, computes nothing yet
t1 = time.perf_counter()
mx.eval(y)
t2 = time.perf_counter()
print(f"graph built in {1e6 * (t1 - t0):.0f} us, evaluated in {1e3 * (t2 - t1):.2f} ms: {y.item():.6g}")

section("devices and streams")
print("default device:", mx.default_device())
print("CPU stream:", mx.default_stream(mx.cpu))
s = mx.new_stream(mx.cpu)
with mx.stream(s):
    z = (x - 1).sum()
print("on", s, "->", z)
print("GPU available:", mx.cuda.is_available())
if mx.cuda.is_available():
    a32 = mx.arange(256 * 256, dtype=mx.float32).reshape(256, 256) / 65536
    c = mx.ones((256, 256))
    with mx.stream(mx.gpu):
        g = (a32 @ a32 + c).sum()  # inputs made on the CPU stream
    cpu_check = (a32 @ a32 + c).sum(stream=mx.cpu)
    print("GPU result:", g.item(), " CPU result:", cpu_check.item())
else:
    print("no GPU here: the GPU stream needs a CUDA build and an NVIDIA GPU")

section("memory")
print(f"active {mx.get_active_memory()} bytes, peak {mx.get_peak_memory()} bytes, "
      f"cache {mx.get_cache_memory()} bytes")
