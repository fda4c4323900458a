# SPDX-License-Identifier: GPL-2.0-only
"""System tests for the domain runtime (issue 5): domains built on
stubdoms/runtime with newlib, booted from manifests. rt_check exercises the
runtime from inside; hello is the sample guest."""
import os

from atoll_test import EXIT_PASS, TestFailure
from test_manifest import NO_LEAK, boot, domain_node, manifest, workdir


def dom_image(build, name):
    """Path of a runtime domain image (build/images/dom)."""
    path = os.path.join(build.dir, "images", "dom", f"{name}.elf")
    if not os.path.exists(path):
        raise TestFailure(f"missing domain image {path}: build first")
    return path


def runtime_basics(build):
    """argv with quotes, libc, heap limits, clocks, threads, timeouts,
    events and grants, checked by rt_check itself."""
    rt = dom_image(build, "rt_check")
    with workdir() as w:
        dtb = manifest(w, [domain_node(
            1, "rt_check", 1, rt,
            bootargs='rt_check basics \\"two words\\" x')])
        with boot(build, [dtb, rt]) as q:
            q.expect(r"VERDICT PASS rt_check")
            q.expect(r"'rt_check' shut down: poweroff")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)


def runtime_exit_status(build):
    """exit(0) powers off; exit(3) and abort() are crashes, with the status
    printed; out of heap, malloc returns NULL and the domain goes on."""
    rt = dom_image(build, "rt_check")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "zero", 1, rt, bootargs="rt_check exit 0"),
            domain_node(2, "three", 1, rt, bootargs="rt_check exit 3"),
            domain_node(3, "aborts", 1, rt, bootargs="rt_check abort"),
            domain_node(4, "oom", 1, rt, bootargs="rt_check oom")])
        with boot(build, [dtb, rt]) as q:
            q.expect(r"\(d1 zero\) rt_check: exit\(0\)")
            q.expect(r"'zero' shut down: poweroff")
            q.expect(r"\(d2 three\) exit status 3")
            q.expect(r"'three' shut down: crash")
            q.expect(r"\(d3 aborts\) exit status 134")
            q.expect(r"'aborts' shut down: crash")
            q.expect(r"\(d4 oom\) rt_check: \d+ pages allocated, then NULL")
            q.expect(r"\(d4 oom\) VERDICT PASS rt_check")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)


def hello_sample(build):
    """The sample guest without a XenStore: prints, allocates, sleeps,
    runs a thread, says goodbye."""
    hello = dom_image(build, "hello")
    with workdir() as w:
        dtb = manifest(w, [domain_node(1, "hello", 1, hello,
                                       bootargs="hello world")])
        with boot(build, [dtb, hello]) as q:
            q.expect(r"hello: main reached, argc=2 argv\[0\]=hello "
                     r"argv\[1\]=world")
            q.expect(r"hello: malloc ok, sqrt\(2\)=1.414214")
            q.expect(r"hello: slept (\d+) ms")
            q.expect(r"hello: worker step 2")
            q.expect(r"hello: goodbye")
            q.expect(NO_LEAK)
            q.expect_exit(EXIT_PASS)
            slept = int(q.expect(r"hello: slept (\d+) ms").group(1))
            if slept < 20:
                q.fail(f"nanosleep(20 ms) returned after {slept} ms")


def default_manifest(build):
    """What `make run` boots: toolstack/manifests/default.dts (its copy in
    the build tree), packed into one image: the XenStore, ctld, and hello
    using its own XenStore keys."""
    from atoll_test import Qemu
    dts = os.path.join(build.dir, "images", "default.dts")
    with workdir() as w:
        packed = os.path.join(w, "default.elf")
        build.vmctl("image", "pack", dts, "-o", packed)
        with Qemu(["--kernel", packed], timeout=90) as q:
            q.expect(r"\(d1 xenstored\) xenstored: serving as d1")
            q.expect(r"\(d2 ctld\) ctld: ready")
            q.expect(r"\(d3 hello\) hello: main reached")
            q.expect(r"\(d3 hello\) hello: read back 'hello, world'")
            q.expect(r"\(d3 hello\) hello: goodbye")
            q.expect(r"d3: 'hello' destroyed")
