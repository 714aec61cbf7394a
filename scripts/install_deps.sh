#!/usr/bin/env bash
# Installs what the build and tests need when it is missing: a C toolchain,
# CMake, OpenBLAS/LAPACKE, zlib and Python headers from Debian; NumPy and
# pytest from PyPI.  Quiet when everything is already there.
set -euo pipefail
need_apt=()
command -v cmake >/dev/null || need_apt+=(cmake)
command -v cc >/dev/null || need_apt+=(build-essential)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
pkg-config --exists openblas 2>/dev/null || need_apt+=(libopenblas-dev)
[ -f /usr/include/lapacke.h ] || need_apt+=(liblapacke-dev)
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
PY=${PYTHON:-python3}
$PY -c "import sysconfig,os,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()['include'],'Python.h')) else 1)" || need_apt+=(python3-dev)
if ((${#need_apt[@]})); then
  echo "installing: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
need_pip=()
$PY -c "import numpy" 2>/dev/null || need_pip+=(numpy)
$PY -c "import pytest" 2>/dev/null || need_pip+=(pytest)
if ((${#need_pip[@]})); then
  echo "installing: ${need_pip[*]}"
  $PY -m pip install -q "${need_pip[@]}"
fi
