# SPDX-License-Identifier: GPL-2.0-only
"""Harness for system tests: boot Atoll in QEMU, talk over COM1, judge.

Every QEMU run is bounded by a timeout and killed on the way out, whatever
happens. Output is matched with regular expressions against what COM1
printed since boot; on failure the tail of the console is shown.
"""
import os
import re
import select
import signal
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LAUNCHER = os.path.join(ROOT, "toolstack", "scripts", "atoll-qemu")
MKISO = os.path.join(ROOT, "toolstack", "scripts", "mkiso")

# enum core_exit_code in kernel/include/atoll/core.h; QEMU's isa-debug-exit
# turns code c into the exit status (c << 1) | 1.
EXIT_PASS, EXIT_FAIL, EXIT_PANIC, EXIT_REBOOT, EXIT_BAD_BOOT = 0, 1, 2, 3, 4


def qemu_status(code):
    return (code << 1) | 1


class TestFailure(Exception):
    pass


class Build:
    """Where the build put the core images."""

    def __init__(self, build_dir):
        self.dir = os.path.abspath(build_dir)
        self.core64 = os.path.join(self.dir, "images", "atoll.elf")
        self.core32 = os.path.join(self.dir, "images", "atoll32.elf")
        for f in (self.core64, self.core32):
            if not os.path.exists(f):
                raise TestFailure(f"missing {f}: build first")

    def tdom(self, name):
        """Path of a test domain image (tests/system/domains)."""
        path = os.path.join(self.dir, "images", "tdom", f"{name}.elf")
        if not os.path.exists(path):
            raise TestFailure(f"missing test domain {path}: build first")
        return path

    def vmctl(self, *args):
        """Runs this build's vmctl (e.g. image build/pack); returns its
        output. A non-zero exit is a test failure."""
        exe = os.path.join(self.dir, "vmctl")
        if not os.path.exists(exe):
            raise TestFailure(f"missing {exe}: build the vmctl target")
        r = subprocess.run([exe, *args], capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            raise TestFailure(f"vmctl {' '.join(args)}: exit "
                              f"{r.returncode}\n{r.stdout}{r.stderr}")
        return r.stdout + r.stderr

    def iso(self, workdir, cmdline, modules=()):
        """Makes a GRUB ISO for this test with the given core command line."""
        out = os.path.join(workdir, "atoll.iso")
        cmd = [MKISO, "-k", self.core64, "-o", out, "-c", cmdline]
        for m in modules:
            cmd += ["-m", m]
        subprocess.run(cmd, check=True, timeout=60)
        return out


class Qemu:
    """One QEMU run with COM1 on a pipe. Use as a context manager."""

    def __init__(self, launcher_args, timeout=60):
        self.cmd = [LAUNCHER] + launcher_args
        self.timeout = timeout
        self.output = b""
        self.proc = None
        self.started = None
        self.returncode = None

    def __enter__(self):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        return self

    def __exit__(self, *exc):
        self.kill()
        return False

    def kill(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc:
            self.proc.wait()

    def elapsed(self):
        return time.monotonic() - self.started

    def _read(self, until):
        """Reads what is available until the monotonic time `until`.
        Returns False at end of file."""
        wait = max(0.0, until - time.monotonic())
        ready, _, _ = select.select([self.proc.stdout], [], [], wait)
        if not ready:
            return True
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        self.output += data
        return True

    def text(self):
        return self.output.decode("utf-8", "replace").replace("\r", "")

    def expect(self, pattern, timeout=None, start=0):
        """Waits until pattern matches the console (from offset start)."""
        deadline = time.monotonic() + (timeout or self.timeout)
        regex = re.compile(pattern, re.MULTILINE)
        while True:
            m = regex.search(self.text(), start)
            if m:
                return m
            if time.monotonic() >= deadline or self.elapsed() > self.timeout:
                self.fail(f"timed out waiting for /{pattern}/")
            if not self._read(min(deadline, time.monotonic() + 0.2)):
                m = regex.search(self.text(), start)
                if m:
                    return m
                self.fail(f"QEMU exited before /{pattern}/ appeared")

    def expect_not(self, pattern):
        if re.search(pattern, self.text(), re.MULTILINE):
            self.fail(f"unexpected /{pattern}/ on the console")

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_exit(self, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while self.proc.poll() is None or self._read(time.monotonic()):
            if time.monotonic() >= deadline:
                self.fail("timed out waiting for QEMU to exit")
            if not self._read(min(deadline, time.monotonic() + 0.2)):
                break
        self.proc.wait()
        self.returncode = self.proc.returncode
        return self.returncode

    def expect_exit(self, code, timeout=None):
        rc = self.wait_exit(timeout)
        if rc != qemu_status(code):
            self.fail(f"QEMU exit status {rc}, expected {qemu_status(code)}"
                      f" (core exit code {code})")

    def fail(self, why):
        tail = "\n".join(self.text().splitlines()[-40:])
        raise TestFailure(f"{why}\n--- console (last 40 lines) ---\n{tail}")


def workdir():
    return tempfile.TemporaryDirectory(prefix="atoll-test-")
