#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Benchmarks: boot Atoll in QEMU and print `BENCH <name> <value> <unit>`.

Each figure says the mode it was measured in. boot.banner_ms is wall-clock
time under plain TCG from starting QEMU to the banner on COM1, through the
real GRUB ISO (median of several boots).
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "system"))
from atoll_test import Build, Qemu, workdir  # noqa: E402

BANNER = r"\(atoll\) Atoll hypervisor"
BOOTS = 7


def bench_banner(build):
    times = []
    with workdir() as w:
        iso = build.iso(w, "console=com1 com1=115200,8n1 testexit")
        for _ in range(BOOTS):
            with Qemu(["--iso", iso], timeout=30) as q:
                q.expect(BANNER)
                times.append(q.elapsed() * 1000)
    print(f"# boot.banner_ms: {BOOTS} boots, min {min(times):.0f} "
          f"max {max(times):.0f} (plain TCG, wall clock)")
    print(f"BENCH boot.banner_ms {statistics.median(times):.0f} ms")


def main():
    build = Build(sys.argv[1] if len(sys.argv) > 1 else "build")
    bench_banner(build)


if __name__ == "__main__":
    main()
