# SPDX-License-Identifier: GPL-2.0-only
"""System tests for the XenStore domain (issue 6), booted from manifests:
xenstored (d1) serves xs_check domains built on the runtime's xenbus
client. Every run ends with xenstored exiting once its clients are gone and
the core checking that every frame came back (so the store unmapped the
dead domains' rings)."""
from atoll_test import EXIT_PASS
from test_manifest import NO_LEAK, boot, domain_node, manifest, workdir
from test_runtime import dom_image


def with_store(build, clients):
    """Boots xenstored as d1 and the clients, (name, bootargs) each, as
    d2, d3, ... Returns the Qemu context manager and keeps its workdir
    alive through the run."""
    store, xs = dom_image(build, "xenstored"), dom_image(build, "xs_check")
    nodes = [domain_node(1, "xenstored", 1, store, caps='"xenstore"',
                         bootargs="xenstored --exit-when-alone",
                         memory_kib=16384)]
    for n, (name, args) in enumerate(clients, start=2):
        nodes.append(domain_node(n, name, 2, xs, bootargs=args,
                                 depends="xenstored"))
    return nodes, [store, xs]


def run(build, clients, expectations):
    nodes, images = with_store(build, clients)
    with workdir() as w:
        dtb = manifest(w, nodes)
        with boot(build, [dtb] + images) as q:
            for pattern in expectations:
                q.expect(pattern)
            q.expect(r"xenstored: every domain gone, exiting")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)
            q.expect_not(r"VERDICT FAIL")


def clients(build):
    """Two clients: every operation on their own keys (relative and
    absolute paths, watches on children, transactions with a conflict and
    an abort); each other's keys and the store's tree refused."""
    run(build, [("c2", "xs_check client 3"), ("c3", "xs_check client 2")],
        [r"\(d2 c2\) VERDICT PASS xs_check client",
         r"\(d3 c3\) VERDICT PASS xs_check client"])


def racing_transactions(build):
    """Two domains increment one counter 50 times each in transactions
    that yield mid-way: conflicts end in EAGAIN and retries, and the total
    is exactly 100."""
    run(build, [("r2", "xs_check racer owner 3 50"),
                ("r3", "xs_check racer guest 2 50")],
        [r"\(d2 r2\) xs_check: counter 100, expected 100",
         r"\(d3 r3\) xs_check: counter 100, expected 100",
         r"\(d2 r2\) VERDICT PASS", r"\(d3 r3\) VERDICT PASS"])


def hostile_client(build):
    """A hostile domain sends malformed headers, oversized messages,
    requests for paths it may not touch, privileged operations, and
    watch, transaction and node floods, and finally desynchronises its own
    stream; a bystander reading and writing meanwhile loses nothing."""
    run(build, [("hostile", "xs_check hostile 3"),
                ("bystander", "xs_check bystander 4")],
        # 128 is the quota; the runtime has its control/shutdown watch.
        [r"\(d2 hostile\) xs_check: 127 of 200 watches accepted",
         r"\(d2 hostile\) xs_check: 10 of 40 transactions accepted",
         r"\(d2 hostile\) xs_check: hostile requests refused",
         r"\(d2 hostile\) VERDICT PASS",
         r"\(d3 bystander\) xs_check: \d+ write/read rounds, every value "
         r"intact",
         r"\(d3 bystander\) VERDICT PASS"])


def hello_with_store(build):
    """The sample guest reads and writes its own XenStore keys, watches
    one, and counts in a transaction."""
    store, hello = dom_image(build, "xenstored"), dom_image(build, "hello")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "xenstored", 1, store, caps='"xenstore"',
                        bootargs="xenstored --exit-when-alone",
                        memory_kib=16384),
            domain_node(2, "hello", 2, hello, depends="xenstored")])
        with boot(build, [dtb, store, hello]) as q:
            q.expect(r"hello: XenStore home /local/domain/2 \(domid 2\)")
            q.expect(r"hello: read back 'hello, world'")
            q.expect(r"hello: data/ has 2 entries: greeting counter; "
                     r"counter 1")
            q.expect(r"hello: goodbye")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)
