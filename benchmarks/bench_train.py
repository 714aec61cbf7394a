"""One training epoch of the demo's network: cmlx against PyTorch CPU and real MLX.

SimpleNet(784, 128, 10) (two Linear layers, relu between), cross-entropy
(mean), SGD with learning rate 0.1, batch size 256, one epoch over the 60000
Fashion-MNIST training images (234 full batches and one of 96), in this order:

  cmlx           nn.value_and_grad + optimizer.update, evaluated every step
  cmlx-compiled  the same step under mx.compile with the model and optimizer
                 state as inputs/outputs (as examples/fashion_mnist.py does)
  torch          the same network in PyTorch CPU (float32, torch.set_num_threads(2))
  mlx            real MLX (/opt/mlxref/bin/python, run in a subprocess) when present

Every implementation starts from the same weights and sees the same batches,
so the mean epoch loss is printed as a check that they do the same work.
Each runs a few warm-up steps (both batch shapes: compile traces, thread
pools, allocator) in its own process and then `--epochs` timed epochs; the median is reported,
with ratios peer time / cmlx time (> 1: cmlx is faster).

    PYTHONPATH=build-NAME/py python3 benchmarks/bench_train.py [--epochs 3] [--threads 2]
"""

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

DATA_DIR = "/usr/share/datasets/fashion-mnist"
MLX_REF = "/opt/mlxref/bin/python"
HERE = os.path.dirname(os.path.abspath(__file__))


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_train():
    x = read_idx(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(DATA_DIR, "train-labels-idx1-ubyte.gz"))
    return (x.reshape(len(x), -1).astype(np.float32) / 255.0), y.astype(np.int32)


def init_weights(seed=0):
    """Linear's default init (uniform in +-1/sqrt(fan_in)), drawn with NumPy
    so that every implementation starts from the same point."""
    r = np.random.RandomState(seed)

    def lin(i, o):
        s = 1 / np.sqrt(i)
        return (r.uniform(-s, s, (o, i)).astype(np.float32), r.uniform(-s, s, (o,)).astype(np.float32))
    return lin(784, 128) + lin(128, 10)


def batches(n, batch, seed):
    perm = np.random.RandomState(seed).permutation(n).astype(np.int32)
    return [perm[i:i + batch] for i in range(0, n, batch)]


# -- the MLX side (cmlx or real MLX: the same code) ----------------------------------


def run_mlx(args, compiled):
    from functools import partial

    import mlx.core as mx
    import mlx.nn as nn
    import mlx.optimizers as optim

    class SimpleNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.l1 = nn.Linear(784, 128)
            self.l2 = nn.Linear(128, 10)

        def __call__(self, x):
            return self.l2(nn.relu(self.l1(x)))

    xs, ys = load_train()
    train_x, train_y = mx.array(xs), mx.array(ys)
    w1, b1, w2, b2 = init_weights()
    model = SimpleNet()
    model.update({"l1": {"weight": mx.array(w1), "bias": mx.array(b1)},
                  "l2": {"weight": mx.array(w2), "bias": mx.array(b2)}})
    mx.eval(model.parameters())
    opt = optim.SGD(learning_rate=0.1)

    def loss_fn(model, x, y):
        return nn.losses.cross_entropy(model(x), y, reduction="mean")

    loss_and_grad = nn.value_and_grad(model, loss_fn)
    state = [model.state, opt.state]

    def step(x, y):
        loss, grads = loss_and_grad(model, x, y)
        opt.update(model, grads)
        return loss

    if compiled:
        step = partial(mx.compile, inputs=state, outputs=state)(step)

    def epoch(order):
        losses = []
        for idx in order:
            idx = mx.array(idx)
            loss = step(train_x[idx], train_y[idx])
            mx.eval(state, loss)
            losses.append(loss)
        return float(mx.mean(mx.stack(losses)).item())

    return time_epochs(epoch, args)


# -- PyTorch ---------------------------------------------------------------------------


def run_torch(args):
    import torch

    torch.set_num_threads(args.threads)
    xs, ys = load_train()
    train_x, train_y = torch.from_numpy(xs), torch.from_numpy(ys.astype(np.int64))
    w1, b1, w2, b2 = init_weights()
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    with torch.no_grad():
        for layer, w, b in ((model[0], w1, b1), (model[2], w2, b2)):
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    lossf = torch.nn.CrossEntropyLoss()

    def epoch(order):
        losses = []
        for idx in order:
            idx = torch.from_numpy(idx).long()
            opt.zero_grad()
            loss = lossf(model(train_x[idx]), train_y[idx])
            loss.backward()
            opt.step()
            losses.append(loss.detach())
        return float(torch.stack(losses).mean())

    return time_epochs(epoch, args)


def time_epochs(epoch, args):
    # Warm-up: a few full batches and the short last one (both shapes get
    # their compile traces; thread pools and allocators start).
    order = batches(60000, args.batch_size, 1000)
    epoch(order[:3] + order[-1:])
    times, losses = [], []
    for e in range(args.epochs):
        order = batches(60000, args.batch_size, e)
        t0 = time.perf_counter()
        losses.append(epoch(order))
        times.append(time.perf_counter() - t0)
    return {"seconds": statistics.median(times), "all": times, "losses": losses}


# -- driver ---------------------------------------------------------------------------------


def run_child(impl, args, python, env):
    cmd = [python, os.path.abspath(__file__), "--impl", impl, "--epochs", str(args.epochs),
           "--batch-size", str(args.batch_size), "--threads", str(args.threads)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--impl", choices=["cmlx", "cmlx-compiled", "torch", "mlx"])
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()

    if args.impl:
        if args.impl == "torch":
            out = run_torch(args)
        else:
            out = run_mlx(args, compiled=args.impl == "cmlx-compiled")
        print(json.dumps(out))
        return

    if not os.path.isdir(DATA_DIR):
        sys.exit(f"{DATA_DIR} not found: apt-get install dataset-fashion-mnist")
    # Each implementation runs in its own process, so that thread pools and
    # allocators of one do not sit next to the other's.
    env = dict(os.environ, CMLX_NUM_THREADS=str(args.threads), OMP_NUM_THREADS=str(args.threads),
               OPENBLAS_NUM_THREADS=str(args.threads))
    # mlx.nn and mlx.optimizers of cmlx are pure Python in python/ (after
    # PYTHONPATH, which names the build's mlx.core, as conftest.py arranges).
    tree_py = os.path.join(os.path.dirname(HERE), "python")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), tree_py) if p)
    results = {}
    for impl in ("cmlx", "cmlx-compiled", "torch"):
        results[impl] = run_child(impl, args, sys.executable, env)
    if os.path.exists(MLX_REF):
        ref_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        results["mlx"] = run_child("mlx", args, MLX_REF, ref_env)
    print(f"SimpleNet(784,128,10), SGD lr 0.1, batch {args.batch_size}, one epoch of 60000 "
          f"Fashion-MNIST images; median of {args.epochs} epochs, {args.threads} threads")
    print(f"{'implementation':<16}{'s/epoch':>10}{'mean loss (epoch 1)':>22}")
    for impl, r in results.items():
        if "error" in r:
            print(f"{impl:<16}  failed: {r['error']}")
            continue
        print(f"{impl:<16}{r['seconds']:>10.3f}{r['losses'][0]:>22.5f}")
    for base in ("cmlx", "cmlx-compiled"):
        if "seconds" not in results[base]:
            continue
        ratios = ", ".join(f"{peer} {results[peer]['seconds'] / results[base]['seconds']:.2f}x"
                           for peer in results if peer != base and "seconds" in results[peer])
        print(f"peer time / {base} time: {ratios}")


if __name__ == "__main__":
    main()
