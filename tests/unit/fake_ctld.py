#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A stand-in for ctld and QEMU's serial sockets, for testing vmctl without
QEMU (tests/unit/test_vmctl_mgmt.py).

FakeCtld listens on a unix socket like QEMU's COM2 (one client at a time;
the state, watches included, outlives a connection, as on a serial line)
and answers the management protocol of docs/mgmt.md with canned but
protocol-correct replies: HELLO, LIST, INFO, DMESG, CREATE, DESTROY, PAUSE,
UNPAUSE, SHUTDOWN, REBOOT, SCHED_CREDIT, IMAGE_BEGIN/DATA/END, ECHO, and
XenStore requests from an in-memory tree, with watch events. Everything it
received is kept for the test to check.

FakeConsole listens like QEMU's COM1: it greets each client with a line
and records what the client typed.

Run as a script with atoll-qemu's arguments (--iso ... --serial unix:P
--serial-log L --com2 unix:Q), it is a fake QEMU for `vmctl up`
(ATOLL_QEMU_LAUNCHER): the boot domains become ready one by one.
"""
import os
import re
import socket
import struct
import sys
import threading
import time

HDR = struct.Struct("<IIII")
PAYLOAD_MAX = 65536

XS = {name: n for n, name in enumerate(
    "CONTROL DIRECTORY READ GET_PERMS WATCH UNWATCH TRANSACTION_START "
    "TRANSACTION_END INTRODUCE RELEASE GET_DOMAIN_PATH WRITE MKDIR RM "
    "SET_PERMS WATCH_EVENT ERROR IS_DOMAIN_INTRODUCED RESUME SET_TARGET "
    "RESTRICT RESET_WATCHES DIRECTORY_PART".split())}
MGMT_BASE = 0x100
MGMT = {name: MGMT_BASE + n for n, name in enumerate(
    "HELLO LIST INFO DMESG CREATE DESTROY PAUSE UNPAUSE SHUTDOWN REBOOT "
    "SCHED_CREDIT IMAGE_BEGIN IMAGE_DATA IMAGE_END ECHO".split())}
MGMT_END = MGMT_BASE + len(MGMT)

BOOT_MODULES = {"xenstored.elf", "ctld.elf", "hello.elf"}


class Error(Exception):
    """An XS_ERROR reply: ENAME and a message ('' for the store's)."""

    def __init__(self, name, message=""):
        super().__init__(name, message)
        self.name, self.message = name, message


class Domain:
    def __init__(self, domid, name, mem_kib, vcpus, state="blocked"):
        self.id, self.name, self.mem_kib, self.vcpus = domid, name, mem_kib, vcpus
        self.state, self.cpu_ns, self.weight, self.cap = state, 0, 256, 0


def frame(mtype, req_id, payload=b"", tx_id=0):
    return HDR.pack(mtype, req_id, tx_id, len(payload)) + payload


def cstr(payload):
    """The strings of a payload of NUL-terminated strings."""
    return [p.decode() for p in payload.split(b"\0")[:-1]]


class FakeStore:
    """A XenStore tree: {path: bytes}, parents implicit, watches fire."""

    def __init__(self, send_event):
        self.nodes = {"/": b"", "/local": b"", "/local/domain": b""}
        self.watches = []  # [path, token]
        self.send_event = send_event
        self.next_tx = 1

    def fire(self, path):
        for wpath, token in list(self.watches):
            if path == wpath or path.startswith(wpath.rstrip("/") + "/"):
                self.send_event(path, token)

    def write(self, path, value):
        if not path.startswith("/"):
            raise Error("EINVAL")
        parts = path.strip("/").split("/")
        for i in range(1, len(parts)):
            self.nodes.setdefault("/" + "/".join(parts[:i]), b"")
        self.nodes[path] = value
        self.fire(path)

    def children(self, path):
        prefix = path.rstrip("/") + "/"
        return sorted({p[len(prefix):].split("/")[0] for p in self.nodes
                       if p.startswith(prefix) and p != prefix})

    def rm(self, path):
        if path not in self.nodes:
            parent = path.rsplit("/", 1)[0] or "/"
            if parent not in self.nodes:
                raise Error("ENOENT")
            return
        for p in [p for p in self.nodes if p == path or p.startswith(path + "/")]:
            del self.nodes[p]
        self.fire(path)

    def request(self, mtype, payload):
        args = cstr(payload)
        if mtype == XS["READ"]:
            if args[0] not in self.nodes:
                raise Error("ENOENT")
            return self.nodes[args[0]]
        if mtype == XS["WRITE"]:
            path, _, value = payload.partition(b"\0")
            self.write(path.decode(), value)
        elif mtype == XS["MKDIR"]:
            if args[0] not in self.nodes:
                self.write(args[0], b"")
        elif mtype == XS["RM"]:
            self.rm(args[0])
        elif mtype == XS["DIRECTORY"]:
            if args[0] not in self.nodes:
                raise Error("ENOENT")
            return b"".join(c.encode() + b"\0" for c in self.children(args[0]))
        elif mtype == XS["GET_PERMS"]:
            if args[0] not in self.nodes:
                raise Error("ENOENT")
            return b"n0\0"
        elif mtype == XS["WATCH"]:
            if [args[0], args[1]] in self.watches:
                raise Error("EEXIST")
            self.watches.append([args[0], args[1]])
            return (b"OK\0", lambda: self.send_event(args[0], args[1]))
        elif mtype == XS["UNWATCH"]:
            if [args[0], args[1]] not in self.watches:
                raise Error("ENOENT")
            self.watches.remove([args[0], args[1]])
        elif mtype == XS["TRANSACTION_START"]:
            self.next_tx += 1
            return b"%d\0" % self.next_tx
        elif mtype == XS["TRANSACTION_END"]:
            pass
        elif mtype == XS["GET_DOMAIN_PATH"]:
            return b"/local/domain/%s\0" % args[0].encode()
        elif mtype == XS["RESET_WATCHES"]:
            self.watches.clear()
        else:
            raise Error("ENOSYS")
        return b"OK\0"


class FakeCtld:
    """The management channel's far end on a unix socket (see the module
    docstring). boot: number of boot domains; ready: a function returning
    how many are ready (default: all)."""

    def __init__(self, path, boot=3, ready=None):
        self.path = path
        self.boot, self.ready = boot, ready or (lambda: boot)
        self.hello_delay = float(os.environ.get("FAKE_HELLO_DELAY", "0"))
        self.lock = threading.Lock()
        self.conn = None
        self.received = []  # (type, req_id, tx_id, payload)
        self.created = []  # CREATE payloads
        self.images = {}  # name -> bytes
        self.upload = None  # [name, size, bytearray]
        self.domains = {d.id: d for d in (
            Domain(1, "xenstored", 16384, 1), Domain(2, "ctld", 16384, 1, "running"),
            Domain(3, "hello", 4096, 1))}
        self.domains[1].cpu_ns = 1_250_000_000
        self.store = FakeStore(self.event)
        for d in self.domains.values():
            self.store.write(f"/local/domain/{d.id}/name", d.name.encode())
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            self.sock.bind(path)
        finally:
            os.umask(old)
        self.sock.listen(8)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.stopping = False
        self.thread.start()

    # ---- the connection ----

    def send(self, data):
        with self.lock:
            if self.conn:
                try:
                    self.conn.sendall(data)
                except OSError:
                    pass

    def event(self, path, token):
        """A watch event: sent to whoever is connected, else lost."""
        self.send(frame(XS["WATCH_EVENT"], 0, path.encode() + b"\0" + token.encode() + b"\0"))

    def serve(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.conn = conn
            self.serve_conn(conn)
            with self.lock:
                self.conn = None
            conn.close()

    def serve_conn(self, conn):
        buf = b""
        while True:
            try:
                data = conn.recv(1 << 16)
            except OSError:
                return
            if not data:
                return
            buf += data
            while len(buf) >= HDR.size:
                mtype, req_id, tx_id, length = HDR.unpack_from(buf)
                if length > PAYLOAD_MAX:
                    self.send(frame(XS["ERROR"], req_id, b"E2BIG\0payload too big\0"))
                    return  # out of step: a real ctld would skip
                if len(buf) < HDR.size + length:
                    break
                payload = buf[HDR.size:HDR.size + length]
                buf = buf[HDR.size + length:]
                self.received.append((mtype, req_id, tx_id, payload))
                self.answer(mtype, req_id, tx_id, payload)

    def answer(self, mtype, req_id, tx_id, payload):
        after = None
        try:
            if mtype < MGMT_BASE:
                reply = self.store.request(mtype, payload)
            else:
                reply = self.control(mtype, payload)
            if isinstance(reply, tuple):
                reply, after = reply
            out = frame(mtype, req_id, reply, tx_id)
        except Error as e:
            msg = e.name.encode() + b"\0"
            if e.message:
                msg += e.message.encode() + b"\0"
            out = frame(XS["ERROR"], req_id, msg)
        self.send(out)
        if after:
            after()

    # ---- control operations ----

    def find(self, dom):
        for d in self.domains.values():
            if d.name == dom or str(d.id) == dom:
                return d
        raise Error("ENOENT", f"unknown domain '{dom}'")

    def control(self, mtype, payload):
        text = payload.decode(errors="replace")
        if mtype == MGMT["HELLO"]:
            time.sleep(self.hello_delay)
            return (b"atoll-mgmt 1\0boot-domains %d\nready %d\nctld-domid 2\n"
                    % (self.boot, self.ready()))
        if mtype == MGMT["LIST"]:
            return "".join(f"{d.id} {d.name} {d.mem_kib} {d.vcpus} {d.state} {d.cpu_ns}\n"
                           for d in sorted(self.domains.values(), key=lambda d: d.id)).encode()
        if mtype == MGMT["INFO"]:
            return (b"version 0.1.0\nfree_kib 180000\ntotal_kib 262144\n"
                    b"domains %d\nuptime_ns 5000000000\n" % len(self.domains))
        if mtype == MGMT["DMESG"]:
            return b"(atoll) Atoll hypervisor 0.1.0 (x86_64)\n(atoll) boot complete in 29 ms"
        if mtype == MGMT["CREATE"]:
            return self.create(text)
        if MGMT["DESTROY"] <= mtype <= MGMT["REBOOT"]:
            return self.domain_op(mtype, text)
        if mtype == MGMT["SCHED_CREDIT"]:
            return self.sched(text)
        if MGMT["IMAGE_BEGIN"] <= mtype <= MGMT["IMAGE_END"]:
            return self.image(mtype, payload)
        if mtype == MGMT["ECHO"]:
            return b"x" * int(text)
        raise Error("EINVAL", f"unknown request type {mtype:#x}")

    def create(self, text):
        self.created.append(text)
        cfg = {}
        for line in text.splitlines():
            m = re.match(r"\s*(\w+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\d+))", line)
            if m:
                cfg[m.group(1)] = next(g for g in m.groups()[1:] if g is not None)
        name, kernel = cfg.get("name", ""), cfg.get("kernel", "")
        if any(d.name == name for d in self.domains.values()):
            raise Error("EEXIST", f"a domain named '{name}' exists")
        if kernel not in BOOT_MODULES and kernel not in self.images:
            raise Error("ENOENT", f"no image '{kernel}' among the boot modules or uploads")
        domid = max(self.domains) + 1
        self.domains[domid] = Domain(domid, name, int(cfg.get("memory", "1")) * 1024,
                                     int(cfg.get("vcpus", "1")), "running")
        self.store.write(f"/local/domain/{domid}/name", name.encode())
        return b"%d\n" % domid

    def domain_op(self, mtype, text):
        d = self.find(text)
        if mtype == MGMT["DESTROY"]:
            del self.domains[d.id]
            self.store.rm(f"/local/domain/{d.id}")
        elif mtype == MGMT["PAUSE"]:
            d.state = "paused"
        elif mtype == MGMT["UNPAUSE"]:
            d.state = "running"
        else:
            word = "poweroff" if mtype == MGMT["SHUTDOWN"] else "reboot"
            self.store.write(f"/local/domain/{d.id}/control/shutdown", word.encode())
        return b""

    def sched(self, text):
        words = text.split()
        d = self.find(words[0] if words else "")
        if len(words) == 1:
            return b"%d %d" % (d.weight, d.cap)
        weight, cap = int(words[1]), int(words[2])
        if cap > 100 * d.vcpus:
            raise Error("EINVAL", f"cap {cap} above 100 x {d.vcpus} vcpus")
        d.weight, d.cap = weight, cap
        return b""

    def image(self, mtype, payload):
        if mtype == MGMT["IMAGE_BEGIN"]:
            name, size = payload.decode().split()
            self.upload = [name, int(size), bytearray()]
        elif self.upload is None:
            raise Error("EINVAL", "no upload in progress (IMAGE_BEGIN first)")
        elif mtype == MGMT["IMAGE_DATA"]:
            self.upload[2] += payload
        else:
            name, size, data = self.upload
            self.upload = None
            if len(data) != size:
                raise Error("EINVAL", f"upload '{name}': {len(data)} bytes of {size}")
            self.images[name] = bytes(data)
        return b""

    def close(self):
        self.stopping = True
        self.sock.close()
        with self.lock:
            if self.conn:
                self.conn.shutdown(socket.SHUT_RDWR)


class FakeConsole:
    """COM1 as QEMU serves it: a greeting per client, input recorded (and
    echoed back as 'echo: ...' lines), optionally logged to log_path."""

    GREETING = b"(d3 hello) hello from the fake console\r\n"

    def __init__(self, path, log_path=None):
        self.typed = bytearray()
        self.log = open(log_path, "ab") if log_path else None
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            self.sock.bind(path)
        finally:
            os.umask(old)
        self.sock.listen(4)
        if self.log:
            # vmctl up sends nothing before ctld's "ready" line.
            self.log.write(b"(atoll) Atoll hypervisor (fake)\n(d2 ctld) ctld: ready\n")
            self.log.flush()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                conn.sendall(self.GREETING)
                while True:
                    data = conn.recv(4096)
                    if not data:
                        break
                    self.typed += data
                    conn.sendall(b"echo: " + data + b"\r\n")
            except OSError:
                pass  # the client went away mid-write
            conn.close()

    def close(self):
        self.sock.close()


def fake_qemu(argv):
    """Acts as atoll-qemu + QEMU for `vmctl up`: the domains become ready
    one per 0.2 s; runs until killed."""
    opts = dict(zip(argv[::2], argv[1::2]))
    com1, com2 = opts["--serial"][5:], opts["--com2"][5:]
    start = time.monotonic()
    boot = int(os.environ.get("FAKE_BOOT_DOMAINS", "3"))
    never = os.environ.get("FAKE_NEVER_READY") == "1"
    FakeConsole(com1, opts.get("--serial-log"))
    FakeCtld(com2, boot=boot,
             ready=lambda: min(boot - never, int((time.monotonic() - start) / 0.2)))
    print("fake qemu running", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    if "--iso" in sys.argv:
        fake_qemu(sys.argv[1:])
    else:
        sys.exit(__doc__)
