#!/usr/bin/env bash
# Installs cmlx into a temporary prefix, builds examples/c/example.c against
# the installed headers and library the way a user would (pkg-config), runs
# it, and compares what it prints with what MLX prints for the same values.
#
# Usage: tests/c/test_install.sh [BUILD_DIR]   (default: build)
# The build directory must already be configured and built.  The expected
# text comes from the reference MLX at $MLX_REF_PYTHON (default
# /opt/mlxref/bin/python) when it is present, else from
# tests/c/example_expected.txt, which holds the same text recorded from it.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
ref_python="${MLX_REF_PYTHON:-/opt/mlxref/bin/python}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"

cmake --install "$build" --prefix "$prefix" >/dev/null
pc="$(find "$prefix" -name cmlx.pc | head -n 1)"
export PKG_CONFIG_PATH="$(dirname "$pc")"
# The installed headers must stand alone: only the prefix is on the include
# path, never the source tree.
cc -std=c11 -Wall -Wextra -Werror "$root/examples/c/example.c" \
  $(pkg-config --cflags --libs cmlx) -o "$tmp/example"
"$tmp/example" >"$tmp/out.txt"

# The last line is the example's own note that the library released the
# user's buffer; MLX has no such line, so it is checked separately.
release_note="(the library released the user buffer)"
if [ "$(grep -cxF "$release_note" "$tmp/out.txt")" != 1 ]; then
  echo "FAIL: the user buffer was not released exactly once" >&2
  cat "$tmp/out.txt" >&2
  exit 1
fi
grep -vxF "$release_note" "$tmp/out.txt" >"$tmp/got.txt"

if [ -x "$ref_python" ]; then
  "$ref_python" - >"$tmp/expected.txt" <<'PY'
import mlx.core as mx
a = mx.array([[1, 2, 3], [4, 5, 6]], dtype=mx.float32)
print("hello world!"); print(a)
print("divide by 2!"); print(a / mx.array(2))
print("arange"); print(mx.arange(0, 3, 0.5, dtype=mx.float32))
print("sum over axis 0"); print(mx.sum(a, axis=0))
print("arr @ arr.T"); print(a @ a.T)
u = mx.array([float(i * i) for i in range(6)], dtype=mx.float32).reshape(2, 3)
r = u + a
print("from user buffer, plus arr"); print(r)
print("total: %g" % mx.sum(r).item())
PY
  # Keep the recorded copy honest: it must match the reference too.
  if ! diff -u "$root/tests/c/example_expected.txt" "$tmp/expected.txt" >&2; then
    echo "FAIL: tests/c/example_expected.txt differs from what MLX prints" >&2
    exit 1
  fi
else
  cp "$root/tests/c/example_expected.txt" "$tmp/expected.txt"
fi

if ! diff -u "$tmp/expected.txt" "$tmp/got.txt" >&2; then
  echo "FAIL: example output differs from MLX" >&2
  exit 1
fi
# Every other example must build the same way and exit with status 0.
for src in "$root"/examples/c/*.c; do
  [ "$(basename "$src")" = example.c ] && continue
  exe="$tmp/$(basename "$src" .c)"
  cc -std=c11 -Wall -Wextra -Werror "$src" $(pkg-config --cflags --libs cmlx) -o "$exe"
  if ! "$exe" >"$exe.out" 2>&1; then
    echo "FAIL: examples/c/$(basename "$src") exited with an error" >&2
    cat "$exe.out" >&2
    exit 1
  fi
done
echo "test_install: OK (installed to a temporary prefix, example matches MLX, other examples run)"
