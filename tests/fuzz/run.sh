#!/usr/bin/env bash
# Builds the libFuzzer targets for the four array-file parsers and runs each
# for N seconds (default 120) from seeds written by gen_seeds.py.
#
# Usage: tests/fuzz/run.sh [SECONDS] [BUILD_DIR]
# BUILD_DIR (default build) must hold a built libcmlx.a: only src/io is
# compiled again with clang's fuzzer and address-sanitizer instrumentation,
# and the rest of the library comes from that archive.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
secs="${1:-120}"
build="${2:-build}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
work="${FUZZ_WORK:-$build/fuzz}"
mkdir -p "$work"
python3 "$root/tests/fuzz/gen_seeds.py" "$work/seeds"
blas="$(pkg-config --libs openblas 2>/dev/null || echo -lopenblas)"
flags=(-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/src" -I"$root/include")
for fmt in npy npz safetensors gguf; do
  clang "${flags[@]}" "$root/tests/fuzz/fuzz_$fmt.c" "$root"/src/io/*.c \
    "$build/libcmlx.a" $blas -lz -lpthread -lm -o "$work/fuzz_$fmt"
done
status=0
for fmt in npy npz safetensors gguf; do
  mkdir -p "$work/corpus_$fmt"
  echo "== fuzz_$fmt for ${secs}s"
  (cd "$work" && "./fuzz_$fmt" -max_total_time="$secs" -rss_limit_mb=2048 -malloc_limit_mb=1024 \
     -print_final_stats=1 "corpus_$fmt" "seeds/$fmt" 2>&1 | tail -n 12) || status=1
done
exit $status
