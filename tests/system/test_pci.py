# SPDX-License-Identifier: GPL-2.0-only
"""System tests for pciback and device assignment (issue 8, docs/pci.md).
QEMU gets a virtio-net-pci at 00:03.0 and a virtio-blk-pci at 00:04.0
(a hub port and a small temporary disk: nothing leaves the machine).
The system boots xenstored, ctld, pciback and two pci_check guests from a
manifest packed with `vmctl image pack`; every assignment is a plain
XenStore write on ctld's management channel, in Xen's layout, exactly
what vmctl pci-assign / pci-detach do (docs/pci.md, "vmctl")."""
import os
import re
import time

from atoll_test import Qemu, TestFailure, workdir
import mgmt_client as mc
from test_toolstack import system_head

XS_DIRECTORY, XS_TRANSACTION_START, XS_TRANSACTION_END, XS_MKDIR, XS_RM, \
    XS_SET_PERMS = 1, 6, 7, 12, 13, 14
NET, BLK = "0000:00:03.0", "0000:00:04.0"
INIT, INITWAIT, INITD, CONNECTED, CLOSING, CLOSED, RECONF = \
    1, 2, 3, 4, 5, 6, 7


def images(build):
    dom = os.path.join(build.dir, "images", "dom")
    return {n: os.path.join(dom, f"{n}.elf")
            for n in ("xenstored", "ctld", "pciback", "pci_check")}


def guest(n, name, img, extra=""):
    return f"""
  domain@{n} {{ compatible = "atoll,domain"; reg = <{n}>;
    domain-name = "{name}"; memory = <0 8192>; {extra}
    depends-on = "pciback"; bootargs = "pci_check";
    module {{ compatible = "multiboot,kernel";
      image = "{img['pci_check']}"; }}; }};"""


def write_manifest(w, img, guest1_extra=""):
    dts = os.path.join(w, "system.dts")
    with open(dts, "w") as f:
        f.write(system_head(img) + f"""  domain@3 {{ compatible = "atoll,domain"; reg = <3>;
    domain-name = "pciback"; memory = <0 8192>;
    capabilities = "pci", "device-assign";
    mmio = <0x0 0xb0000000 0x0 0x100000>,
           <0x0 0xc0000000 0x0 0x3ec00000>;
    ioports = <0xc000 0x4000>;
    irqs = <16 17 18 19 20 21 22 23>;
    depends-on = "xenstored";
    bootargs = "pciback ecam=0xb0000000 buses=1";
    module {{ compatible = "multiboot,kernel";
      image = "{img['pciback']}"; }}; }};{guest(4, "guest1", img, guest1_extra)}{
            guest(5, "guest2", img)}
}}; }}; }};
""")
    return dts


class System:
    """A booted system with the two PCI devices and a channel to ctld."""

    def __init__(self, build, w, iommu=False, guest1_extra=""):
        img = images(build)
        packed = os.path.join(w, "atoll.elf")
        build.vmctl("image", "pack", write_manifest(w, img, guest1_extra),
                    "-o", packed)
        disk = os.path.join(w, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(1 << 20)
        self.sock = os.path.join(w, "com2.sock")
        self.qemu = Qemu(["--kernel", packed, "--com2", f"unix:{self.sock}"] +
                         (["--iommu"] if iommu else []) + [
                          "--",
                          "-device", "virtio-net-pci,netdev=n0,addr=3",
                          "-netdev", "hubport,id=n0,hubid=0",
                          "-device", "virtio-blk-pci,drive=d0,addr=4",
                          "-drive", f"if=none,id=d0,file={disk},format=raw"],
                         timeout=170)

    def __enter__(self):
        self.qemu.__enter__()
        self.qemu.expect(r"\(d2 ctld\) ctld: ready")
        self.qemu.expect(r"pciback: ready: \d+ functions")
        self.ch = mc.Channel(self.sock)
        doms = self.ch.domains()
        self.pb = doms["pciback"][0]
        self.ids = {n: doms[n][0] for n in ("guest1", "guest2")}
        return self

    def __exit__(self, *exc):
        self.ch.close()
        self.qemu.__exit__(*exc)

    # ---- The XenStore protocol: what vmctl's pci commands do ----------

    def be(self, dom):
        return f"/local/domain/{self.pb}/backend/pci/{dom}/0"

    def read(self, path):
        typ, body = self.ch.request(mc.XS_READ, f"{path}\0")
        return None if typ == mc.XS_ERROR else body.decode()

    def txn(self, ops):
        """Runs [(type, payload)] in one transaction, retried on EAGAIN."""
        for _ in range(10):
            tx = int(self.ch.ok(XS_TRANSACTION_START, "\0").rstrip("\0"))
            for typ, payload in ops:
                rtyp, body = self.ch.request(typ, payload, tx)
                if rtyp == mc.XS_ERROR:
                    raise TestFailure(f"request {typ} {payload!r}: {body!r}")
            rtyp, body = self.ch.request(XS_TRANSACTION_END, "T\0", tx)
            if rtyp != mc.XS_ERROR:
                return
            if not body.startswith(b"EAGAIN"):
                raise TestFailure(f"transaction end: {body!r}")
        raise TestFailure("transaction kept conflicting")

    def wait(self, path, values, timeout=40):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            v = self.read(path)
            if v in values:
                return v
            time.sleep(0.1)
        raise TestFailure(f"{path} never became one of {values} "
                          f"(last {self.read(path)!r})")

    def assign(self, name, bdf):
        """vmctl pci-assign NAME BDF: returns (state-N, error-N)."""
        dom, be = self.ids[name], self.be(self.ids[name])
        fe = f"/local/domain/{dom}/device/pci/0"
        num = self.read(f"{be}/num_devs")
        n = int(num) if num is not None else 0
        w = lambda k, v: (mc.XS_WRITE, f"{be}/{k}\0{v}")  # noqa: E731
        ops = []
        if num is None:  # the first device creates both directories,
            # permissions first, so that every node inherits them
            ops += [(XS_MKDIR, f"{be}\0"),
                    (XS_SET_PERMS, f"{be}\0n{self.pb}\0r{dom}\0"),
                    w("frontend", fe), w("frontend-id", dom),
                    w("online", 1), w("state", INIT), w("domain", name),
                    (XS_MKDIR, f"{fe}\0"),
                    (XS_SET_PERMS, f"{fe}\0n{dom}\0r{self.pb}\0"),
                    (mc.XS_WRITE, f"{fe}/backend\0{be}"),
                    (mc.XS_WRITE, f"{fe}/backend-id\0{self.pb}"),
                    (mc.XS_WRITE, f"{fe}/state\0{INIT}")]
        else:  # hot-plug into a connected domain
            self.wait(f"{be}/state", [str(CONNECTED)])
        ops += [w(f"key-{n}", bdf), w(f"dev-{n}", bdf),
                w(f"opts-{n}", "msitranslate=0,power_mgmt=0,permissive=0"),
                w(f"state-{n}", INIT), w("num_devs", n + 1)]
        if num is not None:
            ops.append(w("state", RECONF))
        self.txn(ops)
        st = self.wait(f"{be}/state-{n}", [str(INITD), str(CLOSED)])
        if num is not None:
            self.wait(f"{be}/state", [str(CONNECTED)])
        return int(st), self.read(f"{be}/error-{n}")

    def devices(self, name):
        """vmctl pci-list NAME: {N: (bdf, state)}."""
        be = self.be(self.ids[name])
        out = {}
        for n in range(int(self.read(f"{be}/num_devs") or 0)):
            out[n] = (self.read(f"{be}/dev-{n}"),
                      int(self.read(f"{be}/state-{n}")))
        return out

    def detach(self, name, bdf):
        """vmctl pci-detach NAME BDF, as libxl does it."""
        be = self.be(self.ids[name])
        devs = self.devices(name)
        n = next(k for k, (b, _) in devs.items() if b == bdf)
        self.wait(f"{be}/state", [str(CONNECTED)])
        self.txn([(mc.XS_WRITE, f"{be}/state-{n}\0{CLOSING}"),
                  (mc.XS_WRITE, f"{be}/state\0{RECONF}")])
        self.wait(f"{be}/state", [str(CONNECTED)])
        keys = ("state", "key", "dev", "vdev", "opts", "error")
        ops = [(XS_RM, f"{be}/{k}-{n}\0") for k in keys
               if self.read(f"{be}/{k}-{n}") is not None]
        for j in range(n + 1, len(devs)):
            for k in keys:
                v = self.read(f"{be}/{k}-{j}")
                if v is not None:
                    ops += [(mc.XS_WRITE, f"{be}/{k}-{j - 1}\0{v}"),
                            (XS_RM, f"{be}/{k}-{j}\0")]
        ops.append((mc.XS_WRITE, f"{be}/num_devs\0{len(devs) - 1}"))
        self.txn(ops)

    def assignable(self):
        """vmctl pci-list-assignable: {bdf: owner}."""
        base = f"/local/domain/{self.pb}/pciback/devices"
        out = {}
        for d in self.ch.ok(XS_DIRECTORY, f"{base}\0").split("\0"):
            if d and self.read(f"{base}/{d}/assignable") == "1":
                s, b, dv, fn = d.split("-")
                out[f"{s}:{b}:{dv}.{fn}"] = int(
                    self.read(f"{base}/{d}/owner"))
        return out


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def assign_and_use(build):
    """pciback lists the two devices as assignable; a XenStore write gives
    00:03.0 to guest1, whose pcifront reads its config space and BARs, maps
    its memory BAR, reads its I/O BAR, binds its interrupt, and is refused
    a BAR move, MSI-X, the MSI-X table, ECAM and pciback's XenStore path.
    Hot-plugging 00:04.0 into the connected guest follows Xen's
    Reconfiguring/Reconfigured handshake."""
    with workdir() as w, System(build, w) as s:
        a = s.assignable()
        check(a.get(NET) == 0 and a.get(BLK) == 0, f"assignable: {a}")
        check("0000:00:00.0" not in a, "the host bridge is assignable")
        g1 = s.ids["guest1"]
        st, err = s.assign("guest1", NET)
        check(st == INITD and err is None, f"assign: {st} {err}")
        q = s.qemu
        q.expect(rf"\(d{g1} guest1\) pci_check: pcifront connected")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} 1af4:1000 attached")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} BAR\d mapped")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} io BAR0 read")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} BAR1 not mappable")
        q.expect(rf"pciback: d{g1}: write 0x10000000 to {NET} register")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} BAR move refused")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} MSI-X enable refused")
        q.expect(rf"\(d{g1} guest1\) pci_check: writing pciback's path "
                 r"refused")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} INTx bound")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} checks passed")
        check(s.read(f"{s.be(g1)}/state") == str(CONNECTED),
              "backend not connected")
        check(s.read(f"{s.be(g1)}/vdev-0") == "0000:00:03.00", "vdev-0")
        check(s.read(f"{s.be(g1)}/root-0") == "0000:00", "root-0")
        check(s.assignable()[NET] == g1, "owner not published")
        st, err = s.assign("guest1", BLK)
        check(st == INITD, f"hot-plug: {st} {err}")
        q.expect(rf"\(d{g1} guest1\) pci_check: {BLK} 1af4:1001 attached")
        q.expect(rf"\(d{g1} guest1\) pci_check: {BLK} checks passed")
        q.expect(rf"\(d{g1} guest1\) pci_check: 2 devices")
        q.expect_not(r"VERDICT FAIL")


def refusals_and_reassign(build):
    """A device already taken, a BDF that does not exist and a malformed
    dev-N are refused with a clear error and harm nothing; a device
    detached from one guest (reset, mappings revoked) goes to another."""
    with workdir() as w, System(build, w) as s:
        g1, g2 = s.ids["guest1"], s.ids["guest2"]
        q = s.qemu
        check(s.assign("guest1", NET)[0] == INITD, "first assign")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} checks passed")
        st, err = s.assign("guest2", NET)
        check(st == CLOSED and err.startswith("EBUSY") and
              f"assigned to d{g1}" in err, f"taken device: {st} {err}")
        q.expect(rf"\(d{g2} guest2\) pci_check: pcifront connected")
        st, err = s.assign("guest2", "0000:00:09.0")
        check(st == CLOSED and err.startswith("ENODEV"), f"no BDF: {err}")
        st, err = s.assign("guest2", "zz:1")
        check(st == CLOSED and err.startswith("EINVAL"), f"malformed: {err}")
        check(s.assignable()[NET] == g1, "the refusals moved the device")
        s.detach("guest1", NET)
        q.expect(rf"pciback: {NET} back from d{g1}")
        q.expect(rf"\(d{g1} guest1\) pci_check: {NET} detached, mapping "
                 r"revoked")
        check(s.assignable()[NET] == 0, "not back with pciback")
        st, err = s.assign("guest2", NET)
        check(st == INITD, f"reassign: {st} {err}")
        q.expect(rf"\(d{g2} guest2\) pci_check: {NET} checks passed")
        check(s.assignable()[NET] == g2, "owner after reassign")
        q.expect_not(r"VERDICT FAIL")


def assign_with_iommu(build):
    """With QEMU's intel-iommu, the assignment also puts the function's DMA
    under the IOMMU, and pciback reports it isolated."""
    with workdir() as w, System(build, w, iommu=True) as s:
        g1 = s.ids["guest1"]
        check(s.assign("guest1", NET)[0] == INITD, "assign")
        s.qemu.expect(rf"d{g1}: {NET} assigned, DMA isolated by VT-d")
        s.qemu.expect(rf"pciback: {NET} assigned to d{g1} \(DMA isolated")
        s.qemu.expect(rf"\(d{g1} guest1\) pci_check: {NET} checks passed")
        dma = s.read(f"/local/domain/{s.pb}/pciback/devices/0000-00-03-0/dma")
        check(dma == "isolated", f"dma = {dma!r}")


def mmio_core_kept(build):
    """A manifest giving away MMIO the core keeps (the local APIC, RAM)
    stops the boot, naming the domain and the range."""
    from atoll_test import EXIT_BAD_BOOT
    from test_devices import boot
    from test_manifest import domain_node, manifest
    io = build.tdom("ioport")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "thief", 1, io,
                        extra="mmio = <0x0 0xfee00000 0x0 0x1000>;"),
            domain_node(2, "thief2", 1, io,
                        extra="mmio = <0x0 0x200000 0x0 0x1000>;")])
        with boot(build, [dtb, io]) as q:
            q.expect(r"manifest: domain 'thief': mmio 0xfee00000-0xfee00fff:"
                     r" kept by the core \(the local APIC\)")
            q.expect(r"manifest: domain 'thief2': mmio 0x200000-0x200fff: "
                     r"kept by the core \(RAM\)")
            q.expect_exit(EXIT_BAD_BOOT)
            q.expect_not(r"created '")


def vmctl_pci_commands(build):
    """The same flow through vmctl's pci-* commands (docs/pci.md):
    list-assignable, assign (with the unsafe-DMA warning: no IOMMU here),
    list, refusals with pciback's reason, detach, reassign elsewhere."""
    import subprocess
    vmctl = os.path.join(build.dir, "vmctl")
    with workdir() as w, System(build, w) as s:
        s.ch.close()  # QEMU serves one client on the socket: vmctl's turn
        env = dict(os.environ, ATOLL_MGMT_SOCKET=s.sock,
                   ATOLL_RUN_DIR=os.path.join(w, "run"))

        def run(*args, ok=True):
            p = subprocess.run([vmctl, *args], capture_output=True,
                               text=True, env=env, timeout=120)
            if (p.returncode == 0) != ok:
                raise TestFailure(f"vmctl {' '.join(args)}: {p.returncode}"
                                  f" {p.stdout} {p.stderr}")
            return p.stdout + p.stderr

        out = run("pci-list-assignable")
        check(NET in out and BLK in out and "dma=" in out, out)
        out = run("pci-assign", "guest1", NET)
        check("assigned to guest1" in out and "NOT isolated" in out, out)
        s.qemu.expect(rf"\(d{s.ids['guest1']} guest1\) pci_check: {NET} "
                      "checks passed")
        out = run("pci-list", "guest1")
        check(re.search(rf"00\.0 +{NET} +attached", out), out)
        out = run("pci-assign", "guest2", NET, ok=False)
        check("refused" in out and "EBUSY" in out, out)
        out = run("pci-assign", "guest1", "0000:00:09.0", ok=False)
        check("ENODEV" in out, out)
        out = run("pci-assign", "guest1", NET, ok=False)
        check("EEXIST" in out, out)
        check(NET not in run("pci-list-assignable"), "taken device listed")
        out = run("pci-detach", "guest1", NET)
        check("detached" in out, out)
        check(NET not in run("pci-list", "guest1"), "device still listed")
        out = run("pci-assign", "guest2", NET)
        check("assigned to guest2" in out, out)
        run("pci-assign", "nosuch", NET, ok=False)


def manifest_pci_devices(build):
    """A manifest's pci-devices go through the same XenStore path at boot:
    ctld writes them on pciback's path, pciback moves the device, the
    guest's pcifront finds it."""
    with workdir() as w, System(build, w,
                                guest1_extra=f'pci-devices = "{NET}";') as s:
        g1 = s.ids["guest1"]
        s.qemu.expect(r"ctld: 1 PCI device\(s\) for 'guest1' written to "
                      r"pciback's path\n")
        s.qemu.expect(rf"\(d{g1} guest1\) pci_check: {NET} 1af4:1000 "
                      "attached")
        s.qemu.expect(rf"\(d{g1} guest1\) pci_check: {NET} checks passed")
        check(s.read(f"{s.be(g1)}/state-0") == str(INITD) or
              s.read(f"{s.be(g1)}/state-0") == str(CONNECTED),
              "state-0 not attached")
        check(s.assignable()[NET] == g1, "owner not published")
