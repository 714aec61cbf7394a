#!/usr/bin/env bash
# What the main job (make demo) needs beyond the build: the Fashion-MNIST
# files from Debian's dataset-fashion-mnist package and matplotlib (for the
# PNG plot) from PyPI.  Quiet when both are there.
set -euo pipefail
PY=${PYTHON:-python3}
if [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ]; then
  echo "installing: dataset-fashion-mnist"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi
if ! $PY -c "import matplotlib" 2>/dev/null; then
  echo "installing: matplotlib"
  $PY -m pip install -q matplotlib
fi
