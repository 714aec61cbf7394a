"""Builds the mlx.core extension with CMake and packages python/mlx.

`pip install .` runs CMake in a temporary build directory and places the
extension inside the wheel's mlx/ folder, beside the pure-Python modules."""
import os
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        out_dir = Path(self.get_ext_fullpath(ext.name)).resolve().parent
        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        cuda = os.environ.get("CMLX_CUDA", "AUTO")
        subprocess.check_call([
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release", "-DCMLX_TESTS=OFF", f"-DCMLX_CUDA={cuda}",
            f"-DCMLX_PYTHON_OUT={out_dir}", f"-DPython3_EXECUTABLE={sys.executable}",
        ])
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "mlx_core",
                               "-j", str(os.cpu_count() or 2)])


def python_packages():
    base = ROOT / "python"
    return sorted(str(p.parent.relative_to(base)).replace(os.sep, ".")
                  for p in base.glob("mlx/**/*.py")) or []


setup(
    package_dir={"": "python"},
    packages=sorted(set(python_packages())),
    ext_modules=[CMakeExtension("mlx.core")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
