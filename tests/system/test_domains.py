# SPDX-License-Identifier: GPL-2.0-only
"""System tests for domains and the four primitives (issue 3): XTF-style
test domains booted from a manifest; each ends with a VERDICT line, and
with `testexit` the core ends the run when no domain is left, checking
that every frame came back."""
from atoll_test import EXIT_PASS
from test_manifest import NO_LEAK, BootDomains


def domain(build, image, name, args="", mem="4M", maxmem=None, caps=()):
    """A test domain for boot()."""
    return {"image": build.tdom(image), "name": name, "args": args,
            "mem": mem, "maxmem": maxmem, "caps": caps}


def boot(build, specs, append="testexit", timeout=90, icount=False):
    return BootDomains(build, specs, append, timeout, icount)


def expect_pass(q, *names):
    for n in names:
        q.expect(rf"VERDICT PASS {n}\b")
    q.expect_not(r"VERDICT FAIL")


def hypercalls(build):
    """Every hypercall, normal and hostile, from one domain; no leak."""
    with boot(build, [domain(build, "hc_basic", "hc_basic")]) as q:
        q.expect(r"\(d1 hc_basic\) console_io from a test domain")
        expect_pass(q, "hc_basic")
        q.expect(r"d1: 'hc_basic' destroyed")
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def event_channels(build):
    """Two domains bounce events; hostile port use fails cleanly."""
    with boot(build, [domain(build, "evtchn_ping", "ping", "ping 2"),
                      domain(build, "evtchn_ping", "pong", "pong 1")]) as q:
        expect_pass(q, "ping", "pong")
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def grant_tables(build):
    """Map, unmap and copy grants between two domains; bad uses refused."""
    with boot(build, [domain(build, "gnttab_pair", "granter", "grant 2"),
                      domain(build, "gnttab_pair", "mapper", "map 1")]) as q:
        expect_pass(q, "granter", "mapper")
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def memory_reservation(build):
    """populate_physmap up to max_pages and no further; decrease."""
    with boot(build, [domain(build, "memory", "memory", maxmem="5M")]) as q:
        expect_pass(q, "memory")
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def domain_control(build):
    """A domctl-capable domain builds, pauses, inspects and destroys a
    child; capabilities only pass on as a subset."""
    with boot(build, [domain(build, "domctl", "domctl", caps=["domctl"])]) as q:
        q.expect(r"d2: created 'child'")
        q.expect(r"d2: 'child' destroyed")
        expect_pass(q, "domctl")
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def crash_isolated(build, how, message):
    with boot(build, [domain(build, "hostile", "hostile", how),
                      domain(build, "bystander", "bystander")]) as q:
        q.expect(message)
        q.expect(r"d1: 'hostile' shut down: crash")
        q.expect(r"d1: RIP [0-9a-f]{16} RSP")
        expect_pass(q, "bystander")
        q.expect(NO_LEAK)
        q.expect_exit(EXIT_PASS)


def hostile_poke_core(build):
    """Writing to the core's memory crashes that domain only."""
    crash_isolated(build, "poke-core", r"d1: exception 14 \(page fault\)")


def hostile_poke_other(build):
    """Writing outside its own RAM crashes that domain only."""
    crash_isolated(build, "poke-other", r"d1: exception 14 \(page fault\)")


def hostile_bad_iret(build):
    """HYPERVISOR_iret with an unreadable frame crashes that domain only."""
    crash_isolated(build, "bad-iret", r"HYPERVISOR_iret with an unreadable frame")


def hostile_invalid_opcode(build):
    crash_isolated(build, "ud", r"d1: exception 6 \(invalid opcode\)")


def runaway(build, how):
    """A domain that never yields (or storms hypercalls) is preempted: the
    bystander's timers still fire and it finishes."""
    with boot(build, [domain(build, "hostile", "hostile", how),
                      domain(build, "bystander", "bystander")]) as q:
        expect_pass(q, "bystander")
        q.expect(r"d2: 'bystander' destroyed")


def hostile_spin(build):
    runaway(build, "spin")


def hostile_storm(build):
    runaway(build, "storm")


def debug_keys_with_domains(build):
    """The debug console's domain keys answer while domains run."""
    mods = [domain(build, "evtchn_ping", "ping", "ping 2"),
            domain(build, "hostile", "spinner", "spin")]
    with boot(build, mods, append="") as q:
        q.expect(r"d2: created 'spinner'")
        q.expect(r"misbehaving: spin")
        # ping has its ports once it has offered one (under load it may
        # not have run yet when the spinner starts).
        q.expect(r"\(d1 ping\) offered port")
        q.send(b"\x01\x01\x01")
        pos = q.expect(r"debug console: keys go to the hypervisor").end()
        for key, answer in (("q", r"d2 +spinner +running"),
                            ("r", r"run queue of CPU 0: \d+ runnable"),
                            ("e", r"d1 'ping' event channels:\n\(atoll\) +\d+ "),
                            ("g", r"grant tables \(ref flags dom frame pins r/w\):"),
                            ("0", r"d2 v0 'spinner'")):
            q.send(key)
            pos = q.expect(answer, start=pos).end()
        q.expect(r"d2: RIP [0-9a-f]{16}", start=pos)
