# cmlx: thin wrapper over CMake.  `make demo` and `make test` install what is
# missing (apt-get, pip) before building, so they work on a fresh machine.
PYTHON ?= python3
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
PREFIX ?= /usr/local
CMAKE_FLAGS ?=

.PHONY: all deps build test test-c test-install test-asan test-python test-gpu demo tour bench asan install clean

all: build

deps:
	@bash scripts/install_deps.sh

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: deps build test-c test-install asan test-python

test-c: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Sanitizer build (ASan + UBSan) of the library and C tests, then the tests.
asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMLX_SANITIZE=ON -DCMLX_PYTHON=OFF -DCMLX_CUDA=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

test-asan: asan

# Install into a temporary prefix and build the C example against it with pkg-config.
test-install: build
	bash tests/c/test_install.sh $(BUILD)

test-python: build
	PYTHONPATH=python $(PYTHON) -m pytest -q tests/python

# GPU tests: the Python suite's GPU cases plus the C GPU tests, on a machine with a GPU.
test-gpu: build
	cd $(BUILD) && ctest --output-on-failure -R gpu
	PYTHONPATH=python DEVICE=gpu $(PYTHON) -m pytest -q tests/python

# The main job: train SimpleNet on Fashion-MNIST (examples/fashion_mnist.py).
demo: deps build
	@bash scripts/install_demo_deps.sh
	PYTHONPATH=python $(PYTHON) examples/fashion_mnist.py --out out

# The short tour of arrays, devices and streams.
tour: build
	PYTHONPATH=python $(PYTHON) examples/demo.py

bench: deps build
	PYTHONPATH=python $(PYTHON) benchmarks/bench_core.py
	PYTHONPATH=python $(PYTHON) benchmarks/bench_ops.py
	PYTHONPATH=python $(PYTHON) benchmarks/bench_compile.py
	PYTHONPATH=python $(PYTHON) benchmarks/bench_linalg.py
	PYTHONPATH=python $(PYTHON) benchmarks/bench_fft.py
	@bash scripts/install_demo_deps.sh
	PYTHONPATH=python $(PYTHON) benchmarks/bench_train.py

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) python/mlx/core*.so
