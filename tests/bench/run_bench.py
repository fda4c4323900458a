#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Benchmarks: boot Atoll in QEMU and print `BENCH <name> <value> <unit>`.

Each figure says the mode it was measured in. boot.banner_ms is wall-clock
time under plain TCG from starting QEMU to the banner on COM1, through the
real GRUB ISO (median of several boots). The primitives' figures come from
test domains (tests/system/domains/bench.c, evtchn_ping.c): *_insns under
-icount shift=0 (TSC ticks = guest instructions, verified with a loop of
known length), the others under plain TCG.
"""
import os
import re
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


def run_domains(build, specs, icount):
    """Boots domains from a manifest (test_manifest.BootDomains specs) and
    returns {name: value} from BENCH-RAW lines and the calibration
    figure."""
    from test_manifest import BootDomains
    with BootDomains(build, specs, "testexit loglvl=info", timeout=240,
                     icount=icount) as q:
        q.wait_exit()
        text = q.text()
    if "VERDICT FAIL" in text or "VERDICT PASS" not in text:
        tail = "\n".join(text.splitlines()[-20:])
        raise SystemExit(f"benchmark domains failed:\n{tail}")
    raw = {m.group(1): int(m.group(2))
           for m in re.finditer(r"BENCH-RAW (\S+) (\d+)", text)}
    cal = re.search(r"(\d+)-instruction loop took (\d+) TSC ticks", text)
    if cal:
        raw["calibration"] = (int(cal.group(1)), int(cal.group(2)))
    return raw


def tdom(build, image, name, args="", caps=()):
    return {"image": build.tdom(image), "name": name, "args": args,
            "mem": "8M", "caps": caps}


def dom(build, image, name, args="", mem="4M", caps=()):
    return {"image": os.path.join(build.dir, "images", "dom",
                                  f"{image}.elf"),
            "name": name, "args": args, "mem": mem, "caps": caps}


def bench_primitives(build):
    mods = [tdom(build, "bench", "bench", caps=["domctl"])]
    ic = run_domains(build, mods, icount=True)
    insns, ticks = ic["calibration"]
    print(f"# icount check: a {insns}-instruction loop took {ticks} TSC ticks"
          f" under -icount shift=0 (ratio {ticks / insns:.3f})")
    print(f"BENCH hypercall.null_insns {ic['hypercall.null']} insns")
    print(f"BENCH gnttab.map_unmap_insns {ic['gnttab.map_unmap']} insns")
    print(f"BENCH domain.create_destroy_insns {ic['domain.create_destroy']} insns")
    print(f"BENCH domain.start_to_main_insns {ic['domain.start_to_main']} insns")
    size = os.path.getsize(os.path.join(build.dir, "images", "dom",
                                        "minimal.elf"))
    print(f"BENCH domain.minimal_image_kib {size / 1024:.0f} KiB")
    tcg = run_domains(build, mods, icount=False)
    print(f"BENCH gnttab.copy_ratio {tcg['gnttab.copy_ratio_x1000'] / 1000:.2f} ratio")
    print(f"BENCH domain.create_destroy_us {tcg['domain.create_destroy_ns'] / 1000:.0f} us")
    pair = [tdom(build, "evtchn_ping", "ping", "ping 2"),
            tdom(build, "evtchn_ping", "pong", "pong 1")]
    ev = run_domains(build, pair, icount=True)
    print(f"BENCH evtchn.rtt_insns {ev['evtchn.rtt']} insns")


def bench_xenstore(build):
    """Round trips from an xs_check domain to xenstored: guest instructions
    of both domains (and the core) per operation under -icount shift=0,
    reads per second under plain TCG."""
    mods = [dom(build, "xenstored", "xenstored", "--exit-when-alone",
                mem="16M", caps=["xenstore"]),
            dom(build, "xs_check", "bench", "bench")]
    ic = run_domains(build, mods, icount=True)
    for op in ("read", "write", "txn_commit", "watch_fire"):
        print(f"BENCH xenstore.{op}_insns {ic['xenstore.' + op]} insns")
    tcg = run_domains(build, mods, icount=False)
    print(f"BENCH xenstore.read_ops {tcg['xenstore.read_ops']} ops/s")


def bench_mgmt(build):
    """Bytes per second through the management channel (COM2, vmctl to
    ctld and back), plain TCG: ECHO replies of 60000 bytes."""
    import mgmt_client as mc
    import test_toolstack as tt
    import time
    with workdir() as w, tt.System(build, w) as s:
        total, t0 = 0, time.monotonic()
        for _ in range(10):
            total += len(s.ch.ok(mc.ECHO, "60000"))
        dt = time.monotonic() - t0
        image = open(s.img["xs_check"], "rb").read()
        t0 = time.monotonic()
        s.ch.ok(mc.IMAGE_BEGIN, f"bench {len(image)}")
        for off in range(0, len(image), 60000):
            s.ch.ok(mc.IMAGE_DATA, image[off:off + 60000])
        s.ch.ok(mc.IMAGE_END)
        up = time.monotonic() - t0
    print(f"# mgmt.channel_kbps: {total} bytes from ctld in {dt:.2f} s "
          "(plain TCG, 16550 at 115200 configured; QEMU does not pace)")
    print(f"BENCH mgmt.channel_kbps {total / dt / 1024:.0f} KiB/s")
    print(f"# upload: a {len(image) // 1024} KiB image to ctld in {up:.2f} s")
    print(f"BENCH mgmt.upload_kbps {len(image) / up / 1024:.0f} KiB/s")


def bench_vmctl(build):
    """vmctl against a running system (plain TCG, wall clock on the host):
    `vmctl list`, and `vmctl create` until the new domain's main() has
    printed (hello's first line in console.log)."""
    import subprocess
    import time
    import test_toolstack as tt
    import test_vmctl as tv
    with workdir() as w:
        v = tv.Vmctl(build, os.path.join(w, "run"))
        try:
            v.run("up", tt.write_manifest(w, tt.images(build)),
                  "--timeout", "120")
            lists = []
            for _ in range(10):
                t0 = time.monotonic()
                v.run("list")
                lists.append((time.monotonic() - t0) * 1000)
            creates = []
            for i in range(5):
                cfg = os.path.join(w, f"g{i}.cfg")
                with open(cfg, "w") as f:
                    f.write(f"name = 'g{i}'\nmemory = 4\n"
                            "kernel = 'hello.elf'\ncmdline = 'hello'\n")
                t0 = time.monotonic()
                v.run("create", cfg)
                v.console_wait(rf"\(d\d+ g{i}\) hello: main reached",
                               timeout=30)
                creates.append((time.monotonic() - t0) * 1000)
        finally:
            subprocess.run([v.exe, "down"], env=v.env, timeout=60,
                           capture_output=True)
    print(f"# vmctl: list {min(lists):.0f}-{max(lists):.0f} ms, create "
          f"{min(creates):.0f}-{max(creates):.0f} ms (plain TCG, host wall "
          "clock, console.log polled every 20 ms)")
    print(f"BENCH vmctl.list_ms {statistics.median(lists):.0f} ms")
    print(f"BENCH vmctl.create_to_running_ms "
          f"{statistics.median(creates):.0f} ms")


def qemu_cpu_seconds(pid):
    """User + system CPU time of QEMU (the launcher execs it: same pid)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bench_idle(build):
    """Host CPU used by QEMU while every domain is blocked (plain TCG)."""
    from test_manifest import BootDomains
    with BootDomains(build, [tdom(build, "idle", "idle")],
                     timeout=60) as q:
        q.expect(r"IDLE-START")
        c0, t0 = qemu_cpu_seconds(q.proc.pid), q.elapsed()
        q.expect(r"IDLE-END")
        c1, t1 = qemu_cpu_seconds(q.proc.pid), q.elapsed()
    print(f"BENCH idle.qemu_cpu_percent {100 * (c1 - c0) / (t1 - t0):.1f} %")


def bench_all_ready(build):
    """QEMU start to every boot domain running, through GRUB with a
    manifest (plain TCG, wall clock): the last domain's first line."""
    import test_manifest as tm
    hc, idle = build.tdom("hc_basic"), build.tdom("idle")
    times = []
    with workdir() as w:
        dtb = tm.manifest(w, [tm.domain_node(1, "hc_basic", 1, hc),
                              tm.domain_node(2, "idle", 2, idle)])
        iso = build.iso(w, "console=com1 testexit", modules=[dtb, hc, idle])
        for _ in range(5):
            with Qemu(["--iso", iso], timeout=60) as q:
                q.expect(r"\(d1 hc_basic\) ")
                q.expect(r"\(d2 idle\) IDLE-START")
                times.append(q.elapsed() * 1000)
    print(f"# boot.all_ready_ms: 5 boots, min {min(times):.0f} max "
          f"{max(times):.0f} (plain TCG, GRUB, manifest with 2 domains)")
    print(f"BENCH boot.all_ready_ms {statistics.median(times):.0f} ms")


def main():
    build = Build(sys.argv[1] if len(sys.argv) > 1 else "build")
    bench_banner(build)
    bench_all_ready(build)
    bench_primitives(build)
    bench_xenstore(build)
    bench_mgmt(build)
    bench_vmctl(build)
    bench_idle(build)


if __name__ == "__main__":
    main()
