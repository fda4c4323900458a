#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Runs one system test: run.py BUILD_DIR MODULE.FUNCTION

Prints PASS or FAIL with the reason; the exit status is what ctest reads.
"""
import importlib
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import atoll_test  # noqa: E402


def main():
    if len(sys.argv) != 3 or "." not in sys.argv[2]:
        print("usage: run.py BUILD_DIR MODULE.FUNCTION", file=sys.stderr)
        return 2
    module_name, func_name = sys.argv[2].rsplit(".", 1)
    test = getattr(importlib.import_module(module_name), func_name)
    try:
        test(atoll_test.Build(sys.argv[1]))
    except atoll_test.TestFailure as e:
        print(f"FAIL {sys.argv[2]}: {e}")
        return 1
    except Exception:
        traceback.print_exc()
        print(f"FAIL {sys.argv[2]}: harness error")
        return 1
    print(f"PASS {sys.argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
