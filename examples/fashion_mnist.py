"""The main job: train MLX's introductory network on Fashion-MNIST.

SimpleNet(784, 128, 10) -- two Linear layers with a relu between them --
trained with nn.value_and_grad and optim.SGD, the way MLX's introductory
example trains it, on the Fashion-MNIST files of Debian's
`dataset-fashion-mnist` package.  Each training step is one compiled
function (mx.compile with the model and optimizer state captured).

Prints a progress bar and per-epoch loss and accuracy, then saves the
weights (safetensors) and a loss/accuracy plot (PNG) and says where.

    make demo                     # installs what is missing, builds, runs this
    python examples/fashion_mnist.py --epochs 10 --out out/
"""

import argparse
import gzip
import os
import sys
import time
from functools import partial

import numpy as np

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim

DATA_DIR = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    """An IDX file (the MNIST format: big-endian dims, then uint8 data)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    x = mx.array(images.reshape(len(images), -1)).astype(mx.float32) / 255.0
    return x, mx.array(labels.astype(np.int32))


class SimpleNet(nn.Module):
    def __init__(self, in_dims, hidden_dims, out_dims):
        super().__init__()
        self.l1 = nn.Linear(in_dims, hidden_dims)
        self.l2 = nn.Linear(hidden_dims, out_dims)

    def __call__(self, x):
        return self.l2(nn.relu(self.l1(x)))


def loss_fn(model, x, y):
    return nn.losses.cross_entropy(model(x), y, reduction="mean")


def progress(epoch, epochs, done, total, loss, width=30):
    filled = int(width * done / total)
    bar = "#" * filled + "-" * (width - filled)
    sys.stdout.write(f"\repoch {epoch:2d}/{epochs} [{bar}] {done:5d}/{total} loss {loss:.4f}")
    sys.stdout.flush()


def save_plot(path, history):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    epochs = [h["epoch"] for h in history]
    fig, ax1 = plt.subplots(figsize=(7, 4.2))
    ax1.plot(epochs, [h["loss"] for h in history], "o-", color="tab:red", label="train loss")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("train loss (cross-entropy)", color="tab:red")
    ax2 = ax1.twinx()
    ax2.plot(epochs, [100 * h["train_acc"] for h in history], "s--", color="tab:blue",
             label="train accuracy")
    ax2.plot(epochs, [100 * h["test_acc"] for h in history], "s-", color="tab:green",
             label="test accuracy")
    ax2.set_ylabel("accuracy (%)")
    lines = ax1.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax2.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="center right")
    ax1.set_title("SimpleNet(784, 128, 10) on Fashion-MNIST (cmlx)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def accuracy(model, x, y, batch=10000):
    correct = 0
    for i in range(0, x.shape[0], batch):
        correct += (mx.argmax(model(x[i:i + batch]), axis=1) == y[i:i + batch]).sum().item()
    return correct / x.shape[0]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="out")
    p.add_argument("--no-compile", action="store_true", help="run the step uncompiled")
    args = p.parse_args()

    if not os.path.isdir(DATA_DIR):
        sys.exit(f"{DATA_DIR} not found: apt-get install dataset-fashion-mnist")
    mx.random.seed(args.seed)
    np.random.seed(args.seed)
    train_x, train_y = load("train")
    test_x, test_y = load("test")
    print(f"Fashion-MNIST: {train_x.shape[0]} training and {test_x.shape[0]} test images, "
          f"device {mx.default_device()}")

    model = SimpleNet(784, 128, 10)
    mx.eval(model.parameters())
    optimizer = optim.SGD(learning_rate=args.lr)
    loss_and_grad = nn.value_and_grad(model, loss_fn)
    state = [model.state, optimizer.state]

    def step(x, y):
        loss, grads = loss_and_grad(model, x, y)
        optimizer.update(model, grads)
        return loss

    if not args.no_compile:
        step = partial(mx.compile, inputs=state, outputs=state)(step)

    history = []
    n = train_x.shape[0]
    steps = n // args.batch_size
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        tic = time.perf_counter()
        perm = mx.array(np.random.permutation(n).astype(np.int32))
        total = 0.0
        for s in range(steps):
            idx = perm[s * args.batch_size:(s + 1) * args.batch_size]
            loss = step(train_x[idx], train_y[idx])
            mx.eval(state, loss)
            total += loss.item()
            if s % 20 == 0 or s == steps - 1:
                progress(epoch, args.epochs, (s + 1) * args.batch_size, steps * args.batch_size,
                         total / (s + 1))
        train_acc = accuracy(model, train_x, train_y)
        test_acc = accuracy(model, test_x, test_y)
        history.append({"epoch": epoch, "loss": total / steps, "train_acc": train_acc,
                        "test_acc": test_acc})
        print(f"  | train acc {100 * train_acc:.2f}%  test acc {100 * test_acc:.2f}%  "
              f"({time.perf_counter() - tic:.1f} s)")
    print(f"trained {args.epochs} epochs in {time.perf_counter() - start:.1f} s; "
          f"final test accuracy {100 * history[-1]['test_acc']:.2f}%")

    os.makedirs(args.out, exist_ok=True)
    weights = os.path.abspath(os.path.join(args.out, "fashion_mnist_simplenet.safetensors"))
    model.save_weights(weights)
    # The saved file must give back the same network.
    reloaded = SimpleNet(784, 128, 10)
    reloaded.load_weights(weights)
    same = accuracy(reloaded, test_x, test_y) == history[-1]["test_acc"]
    plot = os.path.abspath(os.path.join(args.out, "fashion_mnist_training.png"))
    save_plot(plot, history)
    print(f"weights saved to {weights} (reloaded: {'same' if same else 'DIFFERENT'} test accuracy)")
    print(f"loss/accuracy plot saved to {plot}")
    if history[-1]["test_acc"] < 0.84:
        sys.exit("test accuracy below 84%")


if __name__ == "__main__":
    main()
