# SPDX-License-Identifier: GPL-2.0-only
"""System tests for DMA isolation with Intel VT-d (docs/iommu.md). QEMU
gets an e1000e at 00:04.0 on a hub port (no host network); with --iommu
the core programs QEMU's intel-iommu, without it assignment works but is
reported as not isolated. The dma test drives the NIC's own DMA from a
domain and judges the core's fault records."""
from atoll_test import EXIT_PASS, Qemu
from test_manifest import BootDomains

NO_LEAK = r"testexit: no domain left running; (\d+) frames free, \1 at start"
NIC = ["-device", "e1000e,netdev=n0,addr=04.0,romfile=",
       "-netdev", "hubport,id=n0,hubid=0"]
CTRL_A3 = b"\x01\x01\x01"
VTD_ON = r"VT-d: 1 unit, translation enabled \(\d-level tables\)"
NO_IOMMU = r"no IOMMU: device assignment will not isolate DMA"
PCI_PORTS = "ioports = <0xcf8 8>, <0xc000 0x1000>;"


def boot_log(build, iommu):
    args = ["--kernel", build.core32, "--append", "testexit"] + \
        (["--iommu"] if iommu else []) + ["--"] + NIC
    return Qemu(args, timeout=60)


def boot_with_iommu(build):
    """intel-iommu present: every unit translating, no domain needed."""
    with boot_log(build, True) as q:
        q.expect(r"VT-d: unit at 0xfed90000")
        q.expect(VTD_ON)
        q.expect_not(NO_IOMMU)
        q.expect(r"testexit: no domain left running")


def boot_without_iommu(build):
    """No DMAR: said once at boot."""
    with boot_log(build, False) as q:
        q.expect(NO_IOMMU)
        q.expect_not(r"VT-d:")
        q.expect(r"testexit: no domain left running")


def flag_run(build, iommu):
    img, by = build.tdom("iommu"), build.tdom("bystander")
    specs = [
        {"name": "owner", "image": img, "args": f"flag {int(iommu)} 2",
         "caps": ["device-assign"]},
        {"name": "bystander", "image": by},
        {"name": "nocap", "image": img, "args": "nocap"},
    ]
    extra = (["--iommu"] if iommu else []) + ["--"] + NIC
    return BootDomains(build, specs, extra_args=extra)


def expect_flag_run(q, isolated):
    nic = r"0000:00:04\.0"
    if isolated:
        q.expect(rf"d1: {nic} assigned, DMA isolated by VT-d")
        q.expect(rf"d2: {nic} assigned, DMA isolated by VT-d")
    else:
        q.expect(rf"d1: {nic} assigned, DMA not isolated: no IOMMU")
        q.expect(rf"d2: {nic} assigned, DMA not isolated: no IOMMU")
    q.expect(rf"d1: {nic} deassigned, DMA blocked")
    q.expect(rf"d2: {nic} deassigned, DMA blocked")
    q.expect(rf"\(d1 owner\) assigned 00:04.0 to itself, isolated "
             rf"{int(isolated)}")
    for n in ("owner", "nocap", "bystander"):
        q.expect(rf"VERDICT PASS {n}\b")
    q.expect(r"d1: 1 device blocked \(domain dying\)")
    q.expect_not(r"VERDICT FAIL")


def assign_isolated(build):
    """With VT-d: assign to itself and to another domain, move, deassign,
    hostile calls (bad flags, absent function, other segment, no such
    domain, not held, no capability); the holder's death blocks the
    device; the 'i' key lists the unit; the page tables are freed (no
    frame leaked)."""
    with flag_run(build, True) as q:
        q.expect(VTD_ON)
        expect_flag_run(q, True)
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def assign_not_isolated(build):
    """Without an IOMMU the same calls succeed, the flag says "not
    isolated" and the core says so at boot and per assignment."""
    with flag_run(build, False) as q:
        q.expect(NO_IOMMU)
        expect_flag_run(q, False)
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def debug_key(build):
    """'i' on the debug console dumps the units and assigned devices."""
    img = build.tdom("iommu")
    specs = [{"name": "owner", "image": img, "args": "flag 1 0",
              "caps": ["device-assign"]}]
    with BootDomains(build, specs, append="",
                     extra_args=["--iommu", "--"] + NIC) as q:
        q.expect(r"VERDICT PASS owner")
        q.send(CTRL_A3)
        q.expect(r"\*\*\* debug console: keys go to the hypervisor")
        q.send("i")
        q.expect(r"IOMMU: 1 VT-d unit translating, 3-level tables, 0 DMA "
                 r"faults")
        q.expect(r"unit 0xfed90000: translating")


def dma_isolation(build):
    """The NIC's own DMA under VT-d: a frame sent and received in loopback
    lands in the holder's RAM at its pseudo-physical addresses; a write
    outside its RAM, to a frame it gave back, and any DMA after deassign
    fault in the IOMMU (recorded and logged, the core carries on); the
    frame populated again is reachable again."""
    img = build.tdom("iommu")
    specs = [{"name": "dma", "image": img, "args": "dma",
              "caps": ["device-assign"], "extra": PCI_PORTS}]
    with BootDomains(build, specs,
                     extra_args=["--iommu", "--"] + NIC) as q:
        q.expect(VTD_ON)
        q.expect(r"\(d1 dma\) DMA within its RAM: frame looped back")
        m = q.expect(r"\(d1 dma\) DMA write to 0x40000000 \(outside")
        q.expect(r"VT-d: DMA fault: write at 0x40000000 by 00:04\.0 "
                 r"\(held by d1\)", start=m.start())
        m = q.expect(r"\(d1 dma\) DMA write to (0x[0-9a-f]+) \(given back\)")
        q.expect(rf"VT-d: DMA fault: write at {m.group(1)} by 00:04\.0 "
                 r"\(held by d1\)", start=m.start())
        q.expect(r"\(d1 dma\) DMA after populate: frame looped back")
        m = q.expect(r"\(d1 dma\) DMA after deassign")
        q.expect(r"VT-d: DMA fault: read at 0x[0-9a-f]+ by 00:04\.0 "
                 r"\(held by no domain\): reason [12], [^\n]*device blocked",
                 start=m.start())
        q.expect(r"VERDICT PASS dma")
        q.expect_not(r"VERDICT FAIL")
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)
