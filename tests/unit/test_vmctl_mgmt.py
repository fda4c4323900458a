#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""vmctl's host side end to end without QEMU: the management commands
against a fake ctld (fake_ctld.py) on a unix socket, the XenStore bridge
with Debian's xenstore-utils (and a small client of our own for what they
cannot show: two clients with the same watch token), the console against a
fake COM1, and `vmctl up`/`down` with the fake as the QEMU launcher.

usage: test_vmctl_mgmt.py VMCTL IMAGES_DIR
(IMAGES_DIR: the build's images/, for the ISO `vmctl up` builds: atoll.elf
and tdom/*.elf)"""
import os
import shutil
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_ctld  # noqa: E402
from fake_ctld import HDR, MGMT, XS, FakeConsole, FakeCtld  # noqa: E402

VMCTL, IMAGES = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
FAILURES = []
TMP = tempfile.mkdtemp(prefix="vmctl-mgmt-")
RUN = os.path.join(TMP, "run")
os.mkdir(RUN, 0o700)
ENV = dict(os.environ, ATOLL_RUN_DIR=RUN, VMCTL_TIMEOUT="5")
ENV.pop("ATOLL_MGMT_SOCKET", None)


def check(name, ok, output=""):
    if ok:
        print(f"ok   {name}")
    else:
        FAILURES.append(name)
        print(f"FAIL {name}\n---- output ----\n{output}\n----------------")


def vmctl(*args, env=None, stdin=None, cwd=None, timeout=20):
    r = subprocess.run([VMCTL, *args], capture_output=True, text=True,
                       env=env or ENV, input=stdin, cwd=cwd or TMP,
                       timeout=timeout)
    return r.returncode, r.stdout, r.stderr


def write(name, text, mode="w"):
    path = os.path.join(TMP, name)
    with open(path, mode) as f:
        f.write(text)
    return path


def wait_for(pred, seconds=5):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return pred()


def types_received(fake, mtype):
    return [r for r in fake.received if r[0] == mtype]


# ---------------------------------------------------------------- domains

def test_list(fake):
    fake.domains[1].cpu_ns = 1_300_000_000
    fake.domains[3].state = "paused"
    rc, out, err = vmctl("list")
    lines = out.splitlines()
    check("list: exit 0, header and 3 rows", rc == 0 and len(lines) == 4, out + err)
    check("list: xm list header",
          lines and lines[0].split() == ["Name", "ID", "Mem(MiB)", "VCPUs", "State", "Time(s)"],
          out)
    rows = {l.split()[0]: l.split() for l in lines[1:]}
    check("list: xenstored row", rows.get("xenstored") == ["xenstored", "1", "16", "1", "-b----", "1.3"], out)
    check("list: ctld running", rows.get("ctld", [""] * 5)[4] == "r-----", out)
    check("list: paused letter", rows.get("hello", [""] * 5)[4] == "--p---", out)
    fake.domains[3].state = "blocked"
    rc, out, err = vmctl("list", "extra")
    check("list: extra argument is a usage error", rc == 2 and "too many" in err, err)


def test_info_dmesg(fake):
    rc, out, err = vmctl("info")
    check("info: key : value lines", rc == 0 and any(
        l.split(":")[0].strip() == "free_kib" and l.split(":")[1].strip() == "180000"
        for l in out.splitlines()), out + err)
    rc, out, err = vmctl("dmesg")
    check("dmesg: the log, newline-terminated",
          rc == 0 and out.endswith("boot complete in 29 ms\n") and out.startswith("(atoll)"), out + err)


def test_create(fake):
    bad = write("bad.cfg", 'name = "web"\nmemory = 8\nmemroy = 9\nkernel = "hello.elf"\n')
    before = len(types_received(fake, MGMT["CREATE"]))
    rc, out, err = vmctl("create", bad)
    check("create: config error at its line", rc == 1 and f"{bad}:3: unknown key 'memroy'" in err, err)
    check("create: nothing sent for a bad config",
          len(types_received(fake, MGMT["CREATE"])) == before)
    rng = write("range.cfg", 'name = "web"\nmemory = 8\nvcpus = 9\nkernel = "hello.elf"\n')
    rc, out, err = vmctl("create", rng)
    check("create: out-of-range value named", rc == 1 and "vcpus 9 out of range 1..4" in err, err)

    cfg = write("web.cfg", '# a web server\nname = "web"\nmemory = 8\nkernel = "hello.elf"\n')
    rc, out, err = vmctl("create", cfg)
    check("create: boot-module kernel sent as written",
          rc == 0 and fake.created[-1] == open(cfg).read(), out + err)
    check("create: prints the new domain", "Domain 4 (web) created" in out, out)
    rc, out, err = vmctl("create", cfg)
    check("create: ctld's EEXIST shown", rc == 1 and err.strip() ==
          "vmctl: EEXIST: a domain named 'web' exists", err)

    os.makedirs(os.path.join(TMP, "img"), exist_ok=True)
    blob = os.urandom(200_000)
    with open(os.path.join(TMP, "img", "guest.elf"), "wb") as f:
        f.write(blob)
    cfg = write("img/up.cfg", 'name = "up"\nmemory = 4\n'
                'kernel = "guest.elf"  # next to the config\ncmdline = "x"\n')
    fake.received.clear()
    rc, out, err = vmctl("create", cfg)
    check("create: upload of a host kernel", rc == 0 and fake.images.get("guest.elf") == blob,
          out + err)
    data = types_received(fake, MGMT["IMAGE_DATA"])
    check("create: upload in pieces of at most 64 KiB",
          len(data) == 4 and all(len(d[3]) <= 65536 for d in data))
    check("create: IMAGE_BEGIN names the upload and its size",
          types_received(fake, MGMT["IMAGE_BEGIN"])[0][3] == b"guest.elf 200000")
    check("create: config sent naming the upload",
          'kernel = "guest.elf"  # next to the config' in fake.created[-1], fake.created[-1])

    cfg = write("missing.cfg", 'name = "m"\nmemory = 4\nkernel = "/no/such/k.elf"\n')
    rc, out, err = vmctl("create", cfg)
    check("create: a missing kernel path at its line",
          rc == 1 and f"{cfg}:3: kernel '/no/such/k.elf': no such file" in err, err)
    cfg = write("unknown.cfg", 'name = "u"\nmemory = 4\nkernel = "nosuch.elf"\n')
    rc, out, err = vmctl("create", cfg)
    check("create: unknown image is ctld's ENOENT",
          rc == 1 and err.startswith("vmctl: ENOENT: no image 'nosuch.elf'"), err)
    rc, out, err = vmctl("create")
    check("create: no CFG is a usage error", rc == 2, err)


def test_domain_ops(fake):
    rc, out, err = vmctl("destroy", "nosuch")
    check("destroy: unknown domain from ctld's ENOENT",
          rc == 1 and err.strip() == "vmctl: ENOENT: unknown domain 'nosuch'", err)
    rc, out, err = vmctl("pause", "web")
    rc2, out2, _ = vmctl("list")
    check("pause: state p in list", rc == 0 and out == "" and
          any(l.split()[0] == "web" and l.split()[4] == "--p---" for l in out2.splitlines()[1:]),
          out + err + out2)
    rc, out, err = vmctl("unpause", "4")
    check("unpause by id", rc == 0 and fake.domains[4].state == "running", err)
    rc, out, err = vmctl("shutdown", "web")
    check("shutdown: control/shutdown = poweroff",
          rc == 0 and fake.store.nodes.get("/local/domain/4/control/shutdown") == b"poweroff", err)
    rc, out, err = vmctl("reboot", "web")
    check("reboot: control/shutdown = reboot",
          rc == 0 and fake.store.nodes.get("/local/domain/4/control/shutdown") == b"reboot", err)
    rc, out, err = vmctl("destroy")
    check("destroy: DOM missing is a usage error", rc == 2 and "missing argument" in err, err)
    rc, out, err = vmctl("destroy", "web")
    check("destroy", rc == 0 and 4 not in fake.domains, err)


def test_sched(fake):
    rc, out, err = vmctl("sched-credit")
    lines = out.splitlines()
    check("sched-credit: table of all domains",
          rc == 0 and lines[0].split() == ["Name", "ID", "Weight", "Cap"] and len(lines) == 1 + len(fake.domains)
          and lines[1].split() == ["xenstored", "1", "256", "0"], out + err)
    rc, out, err = vmctl("sched-credit", "-d", "hello", "-w", "512")
    check("sched-credit: -w keeps the cap", rc == 0 and (fake.domains[3].weight, fake.domains[3].cap) == (512, 0), err)
    rc, out, err = vmctl("sched-credit", "-d", "hello")
    check("sched-credit -d: one row", rc == 0 and out.splitlines()[1].split() == ["hello", "3", "512", "0"], out + err)
    rc, out, err = vmctl("sched-credit", "-d", "hello", "-w", "0")
    check("sched-credit: weight out of range", rc == 2 and "weight 0 out of range 1..65535" in err, err)
    rc, out, err = vmctl("sched-credit", "-d", "hello", "-c", "150")
    check("sched-credit: ctld's range check shown",
          rc == 1 and "vmctl: EINVAL: cap 150 above 100 x 1 vcpus" in err, err)
    rc, out, err = vmctl("sched-credit", "-w", "5")
    check("sched-credit: -w without -d", rc == 2 and "need -d" in err, err)
    rc, out, err = vmctl("sched-credit", "-d", "ghost")
    check("sched-credit: unknown domain", rc == 1 and "unknown domain 'ghost'" in err, err)


# --------------------------------------------------------------- xenstore

def test_xenstore(fake):
    rc, out, err = vmctl("xenstore-write", "/test/a", "1", "/test/b/c", "hello world")
    check("xenstore-write: pairs", rc == 0 and fake.store.nodes.get("/test/b/c") == b"hello world", err)
    rc, out, err = vmctl("xenstore-read", "/test/a", "/test/b/c")
    check("xenstore-read: values one per line", rc == 0 and out == "1\nhello world\n", out + err)
    rc, out, err = vmctl("xenstore-read", "/test/nope")
    check("xenstore-read: ENOENT with the path",
          rc == 1 and err.strip() == "vmctl: ENOENT: /test/nope: no such entry", err)
    rc, out, err = vmctl("xenstore-write", "/test/a")
    check("xenstore-write: a PATH without VALUE", rc == 2, err)
    fake.store.write("/test/b/esc", b"a\\b\nc")
    rc, out, err = vmctl("xenstore-ls", "/test")
    check("xenstore-ls: tree", rc == 0 and out ==
          'a = "1"\nb = ""\n c = "hello world"\n esc = "a\\\\b\\012c"\n', out + err)
    check("xenstore-ls: in a transaction",
          types_received(fake, XS["TRANSACTION_START"]) and
          types_received(fake, XS["DIRECTORY"])[-1][2] != 0)
    rc, out, err = vmctl("xenstore-rm", "/test/b")
    check("xenstore-rm", rc == 0 and "/test/b/c" not in fake.store.nodes and "/test/a" in fake.store.nodes, err)

    # A watch: the first event at once, the second from a write.
    p = subprocess.Popen([VMCTL, "xenstore-watch", "-n", "2", "/test"], env=ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = p.stdout.readline()
    fake.store.write("/test/a", b"2")
    out, err = p.communicate(timeout=10)
    check("xenstore-watch -n 2: two events", p.returncode == 0 and first == "/test\n" and out == "/test/a\n",
          first + out + err)
    check("xenstore-watch: unwatched on the way out", fake.store.watches == [], str(fake.store.watches))

    # Interrupted: still unwatches.
    p = subprocess.Popen([VMCTL, "xenstore-watch", "/test"], env=ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout.readline()
    p.send_signal(2)
    out, err = p.communicate(timeout=10)
    check("xenstore-watch: SIGINT unwatches", p.returncode == 0 and fake.store.watches == [], err)


# ----------------------------------------------------------------- bridge

class Client:
    """A minimal XenStore wire client, for what xenstore-utils cannot do."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.s.settimeout(5)
        self.buf = b""

    def send(self, mtype, req_id, payload, tx=0):
        self.s.sendall(struct.pack("<IIII", mtype, req_id, tx, len(payload)) + payload)

    def recv(self):
        while True:
            if len(self.buf) >= 16:
                t, r, tx, n = HDR.unpack_from(self.buf)
                if len(self.buf) >= 16 + n:
                    msg = (t, r, tx, self.buf[16:16 + n])
                    self.buf = self.buf[16 + n:]
                    return msg
            data = self.s.recv(65536)
            if not data:
                raise EOFError
            self.buf += data

    def close(self):
        self.s.close()


def xs_tool(tool, *args, sock):
    env = dict(os.environ, XENSTORED_PATH=sock)
    r = subprocess.run([tool, *args], capture_output=True, text=True, env=env, timeout=10)
    return r.returncode, r.stdout, r.stderr


def test_bridge_debian(fake, sock):
    if not shutil.which("xenstore-read"):
        check("bridge: xenstore-utils installed (scripts/install-deps.sh)", False)
        return
    rc, out, err = xs_tool("xenstore-write", "/br/x", "via-bridge", sock=sock)
    check("bridge: Debian xenstore-write", rc == 0 and fake.store.nodes.get("/br/x") == b"via-bridge", out + err)
    rc, out, err = xs_tool("xenstore-read", "/br/x", sock=sock)
    check("bridge: Debian xenstore-read", rc == 0 and out == "via-bridge\n", out + err)
    rc, out, err = xs_tool("xenstore-ls", "/br", sock=sock)
    check("bridge: Debian xenstore-ls", rc == 0 and out.split() == ["x", "=", '"via-bridge"'], out + err)
    rc, out, err = xs_tool("xenstore-read", "/br/none", sock=sock)
    check("bridge: Debian xenstore-read of a missing key fails", rc != 0, out + err)
    rc, out, err = xs_tool("xenstore-rm", "/br", sock=sock)
    check("bridge: Debian xenstore-rm", rc == 0 and "/br/x" not in fake.store.nodes, out + err)
    watch = subprocess.Popen(["xenstore-watch", "-n", "2", "/bw"],
                             env=dict(os.environ, XENSTORED_PATH=sock),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = watch.stdout.readline()
    xs_tool("xenstore-write", "/bw/k", "v", sock=sock)
    out, err = watch.communicate(timeout=10)
    check("bridge: Debian xenstore-watch", watch.returncode == 0 and first.split()[:1] == ["/bw"]
          and out.split()[:1] == ["/bw/k"], first + out + err)


def test_bridge_clients(fake, sock):
    a, b = Client(sock), Client(sock)
    a.send(XS["WATCH"], 7, b"/same\0tok\0")
    b.send(XS["WATCH"], 7, b"/same\0tok\0")
    got_a = [a.recv(), a.recv()]
    got_b = [b.recv(), b.recv()]
    replies = [m for m in got_a + got_b if m[0] == XS["WATCH"]]
    check("bridge: each client's WATCH answered with its req_id",
          len(replies) == 2 and all(m[1] == 7 and m[3] == b"OK\0" for m in replies), str(got_a + got_b))
    tokens = [t for p, t in fake.store.watches if p == "/same"]
    check("bridge: tokens rewritten upstream, apart per client",
          len(set(tokens)) == 2 and all(t.startswith("vb") and t.endswith("-tok") for t in tokens),
          str(fake.store.watches))
    fake.store.write("/same/k", b"1")
    ev_a, ev_b = a.recv(), b.recv()
    check("bridge: event to each client with its own token",
          ev_a[0] == XS["WATCH_EVENT"] and ev_a[3] == b"/same/k\0tok\0" and ev_b[3] == b"/same/k\0tok\0",
          f"{ev_a} {ev_b}")
    a.send(XS["TRANSACTION_START"], 9, b"\0")
    t = a.recv()
    check("bridge: transaction start", t[0] == XS["TRANSACTION_START"] and t[1] == 9, str(t))
    a.close()
    check("bridge: a client's watches removed when it leaves",
          wait_for(lambda: len([w for w in fake.store.watches if w[0] == "/same"]) == 1), str(fake.store.watches))
    check("bridge: its transaction ended", wait_for(lambda: any(
        r[0] == XS["TRANSACTION_END"] and r[3] == b"F\0" for r in fake.received)))
    b.send(XS["READ"], 0xdeadbeef, b"/local/domain/3/name\0")
    r = b.recv()
    check("bridge: req_id given back", r[1] == 0xdeadbeef and r[3] == b"hello", str(r))
    b.send(XS["RESET_WATCHES"], 3, b"")
    r = b.recv()
    check("bridge: RESET_WATCHES only the client's own",
          r[0] == XS["RESET_WATCHES"] and wait_for(lambda: not [w for w in fake.store.watches if w[0] == "/same"]),
          str(r))
    b.close()
    rc, out, err = vmctl("list", env=dict(ENV, ATOLL_MGMT_SOCKET=sock))
    check("bridge: vmctl list through it (ATOLL_MGMT_SOCKET)", rc == 0 and "xenstored" in out, out + err)


def test_bridge(fake):
    sock = os.path.join(TMP, "xs.sock")
    p = subprocess.Popen([VMCTL, "xenstore-bridge", sock], env=ENV,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        check("bridge: listening", wait_for(lambda: os.path.exists(sock)), "")
        check("bridge: socket mode 0600", stat.S_IMODE(os.stat(sock).st_mode) == 0o600,
              oct(os.stat(sock).st_mode))
        test_bridge_debian(fake, sock)
        test_bridge_clients(fake, sock)
        rc, out, err = vmctl("xenstore-bridge", sock)
        check("bridge: a second one on the same socket refused", rc == 1 and "in use" in err, err)
    finally:
        p.send_signal(15)
        out, err = p.communicate(timeout=10)
    check("bridge: stops on SIGTERM and removes its socket", p.returncode == 0 and not os.path.exists(sock), err)


# ---------------------------------------------------------------- console

def test_console():
    con = FakeConsole(os.path.join(RUN, "com1.sock"))
    try:
        p = subprocess.Popen([VMCTL, "console", "3"], env=ENV, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        greeting = p.stdout.read(len(FakeConsole.GREETING))
        p.stdin.write(b"ls\r")
        p.stdin.flush()
        check("console: keys reach COM1", wait_for(lambda: bytes(con.typed) == b"ls\r"), repr(con.typed))
        p.stdin.write(b"more\x1dignored")
        p.stdin.flush()
        out, err = p.communicate(timeout=10)
        check("console: output copied", greeting == FakeConsole.GREETING, repr(greeting))
        check("console: CTRL-] detaches", p.returncode == 0 and b"detached" in err, err.decode())
        check("console: nothing after CTRL-] sent", wait_for(lambda: bytes(con.typed) == b"ls\rmore"),
              repr(con.typed))
        rc, out, err = vmctl("console", stdin="")
        check("console: stdin's end detaches", rc == 0 and "detached" in err, err)
    finally:
        con.close()
        os.unlink(os.path.join(RUN, "com1.sock"))
    rc, out, err = vmctl("console", stdin="")
    check("console: nothing running", rc == 1 and "is Atoll running?" in err, err)


# ------------------------------------------------------------ the channel

def test_channel_errors():
    rc, out, err = vmctl("list", env=dict(ENV, ATOLL_RUN_DIR=os.path.join(TMP, "none")))
    check("no system: says so", rc == 1 and "is Atoll running?" in err, err)
    # Something that accepts and never answers, after a stale reply.
    path = os.path.join(RUN, "com2.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(1)
    try:
        t0 = time.monotonic()
        p = subprocess.Popen([VMCTL, "info"], env=dict(ENV, VMCTL_TIMEOUT="0.5"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        conn, _ = s.accept()
        # Garbage, an earlier client's reply and a stray event: all ignored.
        conn.sendall(b"\x01\x02garbage" + fake_ctld.frame(MGMT["INFO"], 12345, b"stale 1\n")
                     + fake_ctld.frame(XS["WATCH_EVENT"], 0, b"/x\0tok\0"))
        out, err = p.communicate(timeout=10)
        check("timeout: no reply said, exit 1", p.returncode == 1 and "no reply from ctld" in err
              and out == "" and time.monotonic() - t0 < 5, out + err)
        # Out of step, then the right reply: found.
        p = subprocess.Popen([VMCTL, "info"], env=ENV, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        conn2, _ = s.accept()
        hdr = conn2.recv(16)
        req_id = struct.unpack("<IIII", hdr)[1]
        conn2.sendall(b"\xff\x00\x01" + fake_ctld.frame(MGMT["INFO"], req_id, b"version 9\n"))
        out, err = p.communicate(timeout=10)
        check("resync: the reply found after junk", p.returncode == 0 and "9" in out, out + err)
        conn.close()
        conn2.close()
    finally:
        s.close()
        os.unlink(path)


# ---------------------------------------------------------------- up/down

def manifest_for_up():
    src = os.path.join(IMAGES, "tdom", "idle.elf")
    if not os.path.exists(src) or not os.path.exists(os.path.join(IMAGES, "atoll.elf")):
        return None
    doms = "".join(f"""
			domain@{n} {{
				compatible = "atoll,domain";
				reg = <{n}>;
				domain-name = "d{n}";
				memory = <0 4096>;
				module {{ compatible = "multiboot,kernel"; image = "{src}"; }};
			}};""" for n in (1, 2, 3))
    return write("up.dts", f"""/dts-v1/;
/ {{ chosen {{ hypervisor {{
	compatible = "hypervisor,atoll";
	#address-cells = <1>;
	#size-cells = <0>;{doms}
}}; }}; }};
""")


def test_up_down():
    dts = manifest_for_up()
    if not dts:
        check("up: tdom images and the core built", False, IMAGES)
        return
    run = os.path.join(TMP, "uprun")
    launcher = write("fake-qemu", "#!/bin/sh\nexec %s %s \"$@\"\n" % (
        sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fake_ctld.py")))
    os.chmod(launcher, 0o755)
    env = dict(ENV, ATOLL_QEMU_LAUNCHER=launcher)
    t0 = time.monotonic()
    rc, out, err = vmctl("up", dts, "--run-dir", run, env=env, timeout=60)
    check("up: ready, with progress", rc == 0 and "waiting for ctld..." in out
          and "3/3 boot domains ready" in out and "Atoll is up" in out, out + err)
    check("up: run directory 0700 with its files",
          stat.S_IMODE(os.stat(run).st_mode) == 0o700 and all(
              os.path.exists(os.path.join(run, f)) for f in
              ("qemu.pid", "com1.sock", "com2.sock", "console.log", "qemu.log", "atoll.iso")),
          str(os.listdir(run)) if os.path.isdir(run) else "")
    check("up: sockets 0600", all(stat.S_IMODE(os.stat(os.path.join(run, f)).st_mode) == 0o600
                                  for f in ("com1.sock", "com2.sock")))
    print(f"     (up took {time.monotonic() - t0:.1f} s)")
    rc, out, err = vmctl("up", dts, "--run-dir", run, env=env)
    check("up: refused over a running system", rc == 1 and "already running" in err, err)
    rc, out, err = vmctl("list", "--run-dir", run)
    check("up: then list works", rc == 0 and "xenstored" in out, out + err)
    rc, out, err = vmctl("down", "--run-dir", run)
    check("down: stops it", rc == 0 and "stopped QEMU" in out and not any(
        os.path.exists(os.path.join(run, f)) for f in ("qemu.pid", "com1.sock", "com2.sock")),
        out + err + str(os.listdir(run)))
    rc, out, err = vmctl("down", "--run-dir", run)
    check("down: twice is harmless", rc == 0 and "nothing running" in out, out + err)

    rc, out, err = vmctl("up", dts, "--run-dir", run, env=dict(env, FAKE_HELLO_DELAY="1.3"), timeout=60)
    check("up: a ctld slower than the HELLO retry still gets through",
          rc == 0 and "Atoll is up" in out, out + err)
    vmctl("down", "--run-dir", run)

    env["FAKE_NEVER_READY"] = "1"
    rc, out, err = vmctl("up", dts, "--run-dir", run, "--timeout", "1.5", env=env, timeout=60)
    check("up: timeout says what it saw, exit 1",
          rc == 1 and "2 of 3 boot domains ready" in err and "still running" in err, out + err)
    pid = int(open(os.path.join(run, "qemu.pid")).read())
    check("up: QEMU left running after a timeout", os.path.exists(f"/proc/{pid}"))
    rc, out, err = vmctl("down", "--run-dir", run)
    check("down: after a timeout", rc == 0 and wait_for(lambda: not os.path.exists(f"/proc/{pid}")
                                                        or open(f"/proc/{pid}/stat").read().split()[2] == "Z"),
          out + err)
    rc, out, err = vmctl("up", dts, "--run-dir", run, env=dict(env, ATOLL_QEMU_LAUNCHER="/bin/false"))
    check("up: QEMU that exits at once is reported", rc == 1 and "QEMU exited" in err, err)


def main():
    fake = FakeCtld(os.path.join(RUN, "com2.sock"))
    try:
        test_list(fake)
        test_info_dmesg(fake)
        test_create(fake)
        test_domain_ops(fake)
        test_sched(fake)
        test_xenstore(fake)
        test_bridge(fake)
    finally:
        fake.close()
        os.unlink(os.path.join(RUN, "com2.sock"))
    test_console()
    test_channel_errors()
    test_up_down()
    rc, out, err = vmctl("--help")
    check("--help lists the commands", rc == 0 and all(
        c in out for c in ("up", "down", "console", "list", "create", "xenstore-bridge")), out)
    for cmd in ("up", "down", "console", "list", "info", "dmesg", "create", "destroy",
                "pause", "unpause", "shutdown", "reboot", "sched-credit", "xenstore-ls",
                "xenstore-read", "xenstore-write", "xenstore-rm", "xenstore-watch",
                "xenstore-bridge"):
        rc, out, err = vmctl(cmd, "--help")
        check(f"{cmd} --help", rc == 0 and out.startswith(f"usage: vmctl {cmd}"), out + err)
    shutil.rmtree(TMP, ignore_errors=True)
    if FAILURES:
        print(f"{len(FAILURES)} failed: {', '.join(FAILURES)}")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
