# SPDX-License-Identifier: GPL-2.0-only
"""System tests for delegated devices (docs/devices.md): a manifest gives a
domain COM2 (ports 0x2f8-0x2ff, ISA IRQ 3); it drives the UART through the
TSS I/O bitmap and gets its interrupt as an event channel. Domains touching
ports or IRQs they do not hold fail alone; a manifest giving away what the
core keeps stops the boot; ports and IRQs move between domains at run
time. QEMU gets a second UART (COM2) on /dev/null for all of these."""
from atoll_test import EXIT_BAD_BOOT, EXIT_PASS, Qemu, workdir
from test_manifest import domain_node, manifest

NO_LEAK = r"testexit: no domain left running; (\d+) frames free, \1 at start"
COM2 = "ioports = <0x2f8 8>; irqs = <3>;"


def boot(build, modules, append="testexit"):
    args = ["--kernel", build.core32, "--append", append,
            "--com2", "file:/dev/null"]
    for m in modules:
        args += ["--module", m]
    return Qemu(args, timeout=90)


def expect_pass(q, *names):
    for n in names:
        q.expect(rf"VERDICT PASS {n}\b")
    q.expect_not(r"VERDICT FAIL")


def uart_irq(build):
    """The holder of COM2 uses its scratch register and gets its
    transmitter-empty interrupt as events, EOIs, gets more; a domain
    without it gets EPERM/EINVAL from bind_pirq, PHYSDEVOP_eoi and
    irq_status_query."""
    io, by = build.tdom("ioport"), build.tdom("bystander")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "uart", 1, io, extra=COM2, bootargs="uart uart"),
            domain_node(2, "steal", 1, io, bootargs="steal steal"),
            domain_node(3, "bystander", 2, by)])
        with boot(build, [dtb, io, by]) as q:
            q.expect(r"\(d1 uart\) COM2 scratch register ok")
            q.expect(r"\(d1 uart\) COM2 interrupt: 4 events")
            expect_pass(q, "uart", "steal", "bystander")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)


def port_not_held(build):
    """Reading COM1 (the core's) or COM2 (not given) faults: that domain
    alone crashes; the run goes on and the bystander passes."""
    io, by = build.tdom("ioport"), build.tdom("bystander")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "poke1", 1, io, bootargs="poke1 poke 0x3f8"),
            domain_node(2, "poke2", 1, io, bootargs="poke2 poke 0x2f8"),
            domain_node(3, "bystander", 2, by)])
        with boot(build, [dtb, io, by]) as q:
            q.expect(r"d1: exception 13 \(general protection\)")
            q.expect(r"d2: exception 13 \(general protection\)")
            q.expect(r"d1: 'poke1' shut down: crash")
            q.expect(r"d2: 'poke2' shut down: crash")
            expect_pass(q, "bystander")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)


def core_kept(build):
    """A manifest giving away COM1's ports or IRQ stops the boot, naming
    the domain and the range."""
    io = build.tdom("ioport")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "thief", 1, io, extra="ioports = <0x3f8 8>;"),
            domain_node(2, "thief2", 1, io, extra="irqs = <4>;")])
        with boot(build, [dtb, io]) as q:
            q.expect(r"manifest: domain 'thief': ioports 0x3f8-0x3ff: kept "
                     r"by the core \(COM1 \(the console\)\)")
            q.expect(r"manifest: domain 'thief2': irq 4: kept by the core")
            q.expect(r"boot stopped: the manifest or a module is bad; no "
                     r"domain started")
            q.expect_exit(EXIT_BAD_BOOT)
            q.expect_not(r"created '")


def delegation(build):
    """ATOLL_DOMCTL_ioport/irq_permission: the holder (device-assign) gives
    COM2 and IRQ 3 to another domain, which uses them; it takes them back
    (closing the other's binding) and uses them again; the other domain,
    touching the ports it lost, crashes alone."""
    io = build.tdom("ioport")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "giver", 1, io, extra=COM2,
                        caps='"device-assign"', bootargs="giver give 2"),
            domain_node(2, "taker", 1, io, bootargs="taker take 1")])
        with boot(build, [dtb, io]) as q:
            q.expect(r"\(d2 taker\) COM2 interrupt: 4 events")
            q.expect(r"\(d1 giver\) took COM2 back from d2")
            q.expect(r"\(d2 taker\) touching COM2 after it was taken back")
            q.expect(r"d2: exception 13 \(general protection\)")
            q.expect(r"\(d1 giver\) COM2 interrupt: 4 events")
            expect_pass(q, "giver")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)
