"""Run the conformance table without pytest.

    python3 tests/python/conformance/run.py [regex]

Under real MLX (/opt/mlxref/bin/python, which has no pytest) this checks that
the rows state MLX's behaviour: every case should pass there.  Prints one
line per failure and a summary; exits 1 if anything failed."""

import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import opspec  # noqa: E402


def main():
    pat = re.compile(sys.argv[1]) if len(sys.argv) > 1 else None
    tests = [(i, t) for i, t in opspec.all_tests(opspec.load_specs())
             if pat is None or pat.search(i)]
    passed = failed = skipped = 0
    t0 = time.perf_counter()
    for tid, thunk in tests:
        try:
            thunk()
            passed += 1
        except opspec.Skip:
            skipped += 1
        except Exception as e:  # noqa: BLE001 - report and go on
            failed += 1
            print(f"FAIL {tid}: {type(e).__name__}: {e}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped "
          f"in {time.perf_counter() - t0:.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
