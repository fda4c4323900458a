# SPDX-License-Identifier: GPL-2.0-only
"""System tests for the bootable core (issue 2): real GRUB and multiboot1
boots, the console and its options, the debug console, crash handling, and
hostile boot conditions."""
import os
import re

from atoll_test import (EXIT_PASS, Qemu, TestFailure, workdir)

BANNER = r"\(atoll\) Atoll hypervisor \S+ \(x86_64\)"
MEMORY = r"\(atoll\) memory: (\d+) MiB usable RAM in \d+ ranges, (\d+) frames free"
SELFTEST_PASS = r"testexit: boot self-tests passed"
CTRL_A3 = b"\x01\x01\x01"


def check_clean_boot(q):
    q.expect(BANNER)
    mem = q.expect(MEMORY)
    q.expect(r"local APIC \d+ at fee00000")
    q.expect(r"time: TSC \d+\.\d+ MHz, APIC timer \d+\.\d+ MHz")
    q.expect(r"boot complete in \d+ ms")
    q.expect_not(r"Panic|fatal exception|W\^X not enforced")
    return int(mem.group(1)), int(mem.group(2))


def kernel_args(build, append, memory=256, modules=()):
    args = ["--kernel", build.core32, "--append", append, "-m", str(memory)]
    for m in modules:
        args += ["--module", m]
    return args


def grub_iso_multiboot2(build):
    """The real GRUB ISO boots through multiboot2 and passes its self-tests."""
    with workdir() as w:
        iso = build.iso(w, "console=com1 com1=115200,8n1 loglvl=all testexit")
        with Qemu(["--iso", iso]) as q:
            q.expect(r"loaded by GRUB [^\n]* via multiboot2")
            mib, _ = check_clean_boot(q)
            if not 240 <= mib <= 256:
                q.fail(f"256 MiB machine reported {mib} MiB usable")
            q.expect(r"ACPI: \d+ CPUs, \d+ IO APICs")
            q.expect(r"modules: 0")
            q.expect(r"selftest: frame allocator ok")
            q.expect(r"selftest: timer ok")
            q.expect(SELFTEST_PASS)
            q.expect_exit(EXIT_PASS)


def kernel_multiboot1(build):
    """The fast path: qemu -kernel with the ELF32 image (multiboot1)."""
    with Qemu(kernel_args(build, "console=com1 testexit")) as q:
        q.expect(r"loaded by qemu via multiboot1")
        check_clean_boot(q)
        q.expect_not(r"unknown option")  # the kernel path is not an option
        q.expect(SELFTEST_PASS)
        q.expect_exit(EXIT_PASS)


def modules_listed(build):
    """Modules handed over by the loader are found with their arguments."""
    with workdir() as w:
        a = os.path.join(w, "first.bin")
        b = os.path.join(w, "second.bin")
        with open(a, "wb") as f:
            f.write(b"A" * 5000)
        with open(b, "wb") as f:
            f.write(b"B" * 123)
        iso = build.iso(w, "testexit", modules=[f"{a} role=manifest", b])
        with Qemu(["--iso", iso]) as q:
            q.expect(r"modules: 2")
            q.expect(r"module 0: [0-9a-f]+-[0-9a-f]+ \(5000 bytes\) 'first.bin role=manifest'")
            q.expect(r"module 1: [0-9a-f]+-[0-9a-f]+ \(123 bytes\) 'second.bin'")
            q.expect(SELFTEST_PASS)
            q.expect_exit(EXIT_PASS)


def garbled_cmdline(build):
    """A hostile command line gets warnings, never a crash."""
    line = ('testexit com1=99999999,9z3 loglvl=bogus = =x noreboot=maybe '
            '"unterminated dom0_mem=1G \x7f\x02\x1b[2J ' + "x" * 3000)
    with Qemu(kernel_args(build, line)) as q:
        q.expect(r"cmdline: bad value [^\n]* for 'com1'")
        q.expect(r"cmdline: [^\n]*loglvl")
        check_clean_boot(q)
        if "\x1b[2J" in q.text():
            q.fail("a raw escape sequence from the command line reached the console")
        q.expect(r"unterminated quote")
        q.expect_exit(EXIT_PASS)  # `testexit` before the garbage still counts


def command_line_options(build):
    """Known options take effect; unknown ones are named and ignored."""
    with Qemu(kernel_args(build, "console=com1 com1=115200,8n1,0x3f8,4 "
                          "dom0_mem=512M loglvl=warning testexit")) as q:
        q.expect(r"unknown option 'dom0_mem' ignored")
        q.wait_exit()
        # loglvl=warning: info lines after the command line is read (the
        # memory map, the self-tests) stay off the console; warnings don't.
        q.expect(BANNER)
        q.expect_not(r"memory map from")
        q.expect_not(r"selftest")
        if q.returncode != (EXIT_PASS << 1) | 1:
            q.fail(f"exit status {q.returncode}")


def tiny_memory(build):
    """32 MiB is enough to boot and pass the self-tests."""
    with Qemu(kernel_args(build, "testexit", memory=32)) as q:
        mib, frames = check_clean_boot(q)
        if not 28 <= mib <= 32 or frames < 4000:
            q.fail(f"32 MiB machine: {mib} MiB usable, {frames} frames free")
        q.expect(SELFTEST_PASS)
        q.expect_exit(EXIT_PASS)


def enter_debug_console(q):
    q.expect(r"debug console: press CTRL-A three times")
    q.send(CTRL_A3)
    return q.expect(r"\*\*\* debug console: keys go to the hypervisor").end()


def debug_console_keys(build):
    """CTRL-A x3 enters the debug console; h and m answer; x3 leaves."""
    with workdir() as w:
        iso = build.iso(w, "console=com1 com1=115200,8n1")
        with Qemu(["--iso", iso]) as q:
            check_clean_boot(q)
            pos = enter_debug_console(q)
            q.send("h")
            for key in "hmRC":
                q.expect(rf"  '{key}' ", start=pos)
            pos = q.expect(r"'C' crash the hypervisor").end()
            q.send("m")
            m = q.expect(r"memory: (\d+) frames \(\d+ MiB\) managed, (\d+) free, (\d+) used",
                         start=pos)
            total, free, used = map(int, m.groups())
            if total != free + used or free == 0:
                q.fail(f"inconsistent memory dump {m.group(0)}")
            q.expect(r"memory:   order +\d+: \d+ free blocks", start=pos)
            q.send("z")
            q.expect(r"unknown debug key 'z'", start=pos)
            q.send(CTRL_A3)
            pos = q.expect(r"debug console left").end()
            q.send("h")  # now goes to the (absent) domain console
            q.expect(r"no domain console takes input yet", start=pos)


def crash_key_noreboot(build):
    """'C' faults in the core: register dump, backtrace, halt (noreboot)."""
    with Qemu(kernel_args(build, "noreboot")) as q:
        pos = enter_debug_console(q)
        q.send("C")
        q.expect(r"fatal exception 14 \(page fault\)", start=pos)
        q.expect(r"page fault at 0000000000000008: write not present", start=pos)
        q.expect(r"RIP: 0008:ffffffff8[0-9a-f]+", start=pos)
        q.expect(r"CR0: [0-9a-f]{16} CR2: 0000000000000008", start=pos)
        q.expect(r"backtrace:\n\(atoll\)   \[<ffffffff8", start=pos)
        q.expect(r"Panic on CPU 0", start=pos)
        q.expect(r"noreboot: halted", start=pos)
        q.expect_not(r"Rebooting")


def crash_then_reboot(build):
    """Without noreboot a panic reboots after 5 s (QEMU -no-reboot exits)."""
    with Qemu(kernel_args(build, "")) as q:
        pos = enter_debug_console(q)
        q.send("C")
        q.expect(r"Panic on CPU 0", start=pos)
        q.expect(r"Rebooting in 5 seconds", start=pos)
        rc = q.wait_exit(timeout=30)
        if rc != 0:
            q.fail(f"expected QEMU to exit on the reset (status 0), got {rc}")


def reboot_key(build):
    """'R' resets the machine."""
    with Qemu(kernel_args(build, "")) as q:
        pos = enter_debug_console(q)
        q.send("R")
        q.expect(r"Rebooting\.\.\.", start=pos)
        if q.wait_exit(timeout=20) != 0:
            q.fail(f"expected a reset (QEMU status 0), got {q.returncode}")
