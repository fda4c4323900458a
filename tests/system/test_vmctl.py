# SPDX-License-Identifier: GPL-2.0-only
"""System tests of the toolstack as people use it (issue 7): vmctl drives a
running system that `vmctl up` booted from a manifest — list, create from a
config file, Debian's xenstore-utils through `vmctl xenstore-bridge`,
destroy, name rules, a crashed service restarted per its policy, errors,
`vmctl down`. Every QEMU is stopped on the way out."""
import os
import re
import subprocess
import time

from atoll_test import TestFailure, workdir
from test_toolstack import images, write_manifest


class Vmctl:
    def __init__(self, build, run_dir, env=None):
        self.exe = os.path.join(build.dir, "vmctl")
        self.run_dir = run_dir
        self.env = dict(os.environ, ATOLL_RUN_DIR=run_dir, **(env or {}))

    def run(self, *args, ok=True, timeout=120):
        p = subprocess.run([self.exe, *args], capture_output=True, text=True,
                           env=self.env, timeout=timeout)
        if ok and p.returncode != 0:
            raise TestFailure(f"vmctl {' '.join(args)} failed "
                              f"({p.returncode}): {p.stderr.strip()}")
        if not ok and p.returncode == 0:
            raise TestFailure(f"vmctl {' '.join(args)} succeeded: "
                              f"{p.stdout.strip()}")
        return p

    def console_wait(self, pattern, timeout=60):
        log = os.path.join(self.run_dir, "console.log")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = open(log, errors="replace").read() if os.path.exists(
                log) else ""
            m = re.search(pattern, text)
            if m:
                return m
            time.sleep(0.02)
        raise TestFailure(f"console.log never showed /{pattern}/")


def list_table(v):
    rows = {}
    for line in v.run("list").stdout.splitlines()[1:]:
        f = line.split()
        rows[f[0]] = int(f[1])
    return rows


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def whole_story(build):
    """up, list, create a guest from a config file, read and write its
    XenStore keys with Debian's xenstore-utils through the bridge,
    destroy it, name rules, crash-and-restart, errors, down."""
    with workdir() as w:
        run_dir = os.path.join(w, "run")
        v = Vmctl(build, run_dir)
        dts = write_manifest(w, images(build))
        try:
            out = v.run("up", dts, "--timeout", "120").stdout
            check("ready" in out, f"up said {out!r}")
            v.run("up", dts, ok=False)  # one system per run directory
            rows = list_table(v)
            for name in ("xenstored", "ctld", "svc"):
                check(name in rows, f"{name} not listed: {rows}")

            cfg = write(os.path.join(w, "hello.cfg"),
                        "name = 'g1'\nmemory = 4\nkernel = 'hello.elf'\n"
                        "cmdline = 'hello from-a-config'\n")
            out = v.run("create", cfg).stdout
            gid = int(re.search(r"Domain (\d+) \(g1\) created", out).group(1))
            v.console_wait(rf"\(d{gid} g1\) hello: main reached, argc=2 "
                           r"argv\[0\]=hello argv\[1\]=from-a-config")
            v.console_wait(rf"\(d{gid} g1\) hello: goodbye")

            web = write(os.path.join(w, "web.cfg"),
                        "name = 'web'\nmemory = 4\n"
                        f"kernel = '{images(build)['xs_check']}'\n"
                        "cmdline = 'xs_check service'\n")
            wid = int(re.search(r"Domain (\d+)", v.run("create", web).stdout)
                      .group(1))
            v.console_wait(rf"\(d{wid} web\) xs_check: service up")
            err = v.run("create", web, ok=False).stderr
            check("EEXIST" in err and "'web' exists" in err, err)

            # The README's story: the example hello guest stays up; its
            # keys are read with Debian's xenstore-read through the bridge.
            example = os.path.join(os.path.dirname(os.path.abspath(
                __file__)), "..", "..", "toolstack", "examples", "hello.cfg")
            hid = int(re.search(r"Domain (\d+) \(hello2\) created",
                                v.run("create", example).stdout).group(1))
            v.console_wait(rf"\(d{hid} hello2\) hello: staying until shut "
                           "down")
            xs_via_bridge(v, w, hid)
            v.run("shutdown", "hello2")
            v.console_wait(rf"\(d{hid} hello2\) shutdown requested: "
                           "powering off")

            v.run("destroy", "web")
            check("web" not in list_table(v), "web still listed")
            wid = int(re.search(r"Domain (\d+)", v.run("create", web).stdout)
                      .group(1))
            v.console_wait(rf"\(d{wid} web\) xs_check: service up as d{wid}")

            svc = list_table(v)["svc"]
            v.run("xenstore-write", f"/local/domain/{svc}/crash-me", "now")
            m = v.console_wait(r"ctld: restarted 'svc' as d(\d+)")
            check(list_table(v)["svc"] == int(m.group(1)), "svc not back")

            bad = write(os.path.join(w, "bad.cfg"),
                        "name = 'x'\nmemroy = 4\nkernel = 'k'\n")
            err = v.run("create", bad, ok=False).stderr
            check(f"{bad}:2:" in err and "unknown key 'memroy'" in err, err)
            err = v.run("destroy", "nosuch", ok=False).stderr
            check("unknown domain 'nosuch'" in err, err)
            v.run("list", "--nonsense", ok=False)
        finally:
            subprocess.run([v.exe, "down"], env=v.env, timeout=60,
                           capture_output=True)
        check(not os.path.exists(os.path.join(run_dir, "qemu.pid")),
              "qemu.pid left after down")


def xs_via_bridge(v, w, dom):
    """Debian's xenstore-read/-write/-ls against the running system: the
    hello guest's own keys."""
    sock = os.path.join(w, "xs.sock")
    bridge = subprocess.Popen([v.exe, "xenstore-bridge", sock],
                              env=v.env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.1)
        env = dict(os.environ, XENSTORED_PATH=sock)

        def xs(*args):
            return subprocess.run(list(args), capture_output=True, text=True,
                                  env=env, timeout=30, check=True).stdout

        home = f"/local/domain/{dom}"
        check(xs("xenstore-read", f"{home}/name").strip() == "hello2",
              "xenstore-read of the guest's name")
        check(xs("xenstore-read", f"{home}/data/greeting").strip() ==
              "changed", "hello's greeting")
        xs("xenstore-write", f"{home}/data/colour", "blue")
        check(xs("xenstore-read", f"{home}/data/colour").strip() == "blue",
              "xenstore-write did not stick")
        listing = xs("xenstore-ls", home)
        check('colour = "blue"' in listing and 'counter = "1"' in listing,
              f"xenstore-ls: {listing}")
    finally:
        bridge.terminate()
        bridge.wait(timeout=10)
