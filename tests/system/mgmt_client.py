# SPDX-License-Identifier: GPL-2.0-only
"""A minimal management-channel client (docs/mgmt.md) for the system tests
that speak the protocol directly: hostile frames, and checks of ctld
itself. Users and the other tests use vmctl."""
import socket
import struct
import time

HDR = struct.Struct("<IIII")
XS_READ, XS_WRITE, XS_ERROR, XS_WATCH_EVENT = 2, 11, 16, 15
HELLO, LIST, INFO, DMESG, CREATE, DESTROY, PAUSE, UNPAUSE, SHUTDOWN, \
    REBOOT, SCHED_CREDIT, IMAGE_BEGIN, IMAGE_DATA, IMAGE_END, ECHO = \
    range(0x100, 0x10f)


class Channel:
    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.sock.settimeout(timeout)
        self.next_id = 1

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def _recv(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("channel closed")
            buf += chunk
        return buf

    def read_frame(self):
        typ, rid, tx, length = HDR.unpack(self._recv(HDR.size))
        return typ, rid, self._recv(length)

    def request(self, typ, payload=b"", tx=0):
        """Sends one request; returns (type, payload) of its reply (watch
        events arriving meanwhile are skipped)."""
        if isinstance(payload, str):
            payload = payload.encode()
        rid = self.next_id
        self.next_id += 1
        self.sock.sendall(HDR.pack(typ, rid, tx, len(payload)) + payload)
        while True:
            rtyp, rrid, body = self.read_frame()
            if rrid == rid:
                return rtyp, body

    def ok(self, typ, payload=b""):
        rtyp, body = self.request(typ, payload)
        if rtyp == XS_ERROR:
            raise AssertionError(f"request {typ:#x} failed: {body!r}")
        return body.decode(errors="replace")

    def error(self, typ, payload=b""):
        """The error name and message of a request that must fail."""
        rtyp, body = self.request(typ, payload)
        if rtyp != XS_ERROR:
            raise AssertionError(f"request {typ:#x} succeeded: {body!r}")
        parts = body.split(b"\0")
        return parts[0].decode(), (parts[1].decode() if len(parts) > 1
                                   else "")

    def hello(self):
        text = self.ok(HELLO)
        head, _, rest = text.partition("\0")
        fields = dict(line.split(" ", 1) for line in rest.splitlines())
        return head, {k: int(v) for k, v in fields.items()}

    def domains(self):
        """{name: (id, state)} from LIST."""
        out = {}
        for line in self.ok(LIST).splitlines():
            f = line.split()
            out[f[1]] = (int(f[0]), f[4])
        return out
