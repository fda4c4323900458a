# SPDX-License-Identifier: GPL-2.0-only
"""System tests for booting from the manifest (issue 4, core side): a good
manifest starts its domains in dependency order after checking every hash;
a bad manifest or module stops the boot, naming the problem, before any
domain starts."""
import os
import subprocess

from atoll_test import EXIT_BAD_BOOT, EXIT_PASS, Qemu, workdir

NO_LEAK = r"testexit: no domain left running; (\d+) frames free, \1 at start"


def xxh3(path):
    out = subprocess.run(["xxhsum", "-H3", path], check=True,
                         capture_output=True, text=True).stdout
    return int(out.rsplit("=", 1)[1], 16)


def domain_node(n, name, index, image, extra="", hash_value=None,
                caps="", depends="", bootargs=None, memory_kib=4096):
    """One domain node; bootargs (default: the name) is DTS string syntax
    without the outer quotes."""
    h = xxh3(image) if hash_value is None else hash_value
    args = name if bootargs is None else bootargs
    lines = [f"domain@{n} {{", 'compatible = "atoll,domain";', f"reg = <{n}>;",
             f'domain-name = "{name}";', f"memory = <0 {memory_kib}>;",
             f'bootargs = "{args}";']
    if caps:
        lines.append(f"capabilities = {caps};")
    if depends:
        lines.append(f'depends-on = "{depends}";')
    lines.append(extra)
    lines += ["module {", 'compatible = "multiboot,kernel";',
              f"module-index = <{index}>;", f"hash = /bits/ 64 <{h:#x}>;",
              "};", "};"]
    return "\n".join(lines)


def manifest(w, nodes):
    dts = os.path.join(w, "manifest.dts")
    dtb = os.path.join(w, "manifest.dtb")
    with open(dts, "w") as f:
        f.write("/dts-v1/;\n/ { chosen { hypervisor {\n"
                'compatible = "hypervisor,atoll";\nhash-algorithm = "xxh3-64";\n'
                "#address-cells = <1>;\n#size-cells = <0>;\n")
        f.write("\n".join(nodes))
        f.write("\n}; }; };\n")
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts],
                   check=True)
    return dtb


def size_kib(text):
    """'4M' or '4096K' or '4096' (KiB) as KiB."""
    if text.endswith("M"):
        return int(text[:-1]) * 1024
    return int(text.rstrip("K"))


class BootDomains:
    """Boots test domains from a manifest written for the run: specs are
    dicts with name, image, args (the command line after the name), and
    optionally mem ("4M"), maxmem, caps (a list), extra (DTS lines). Each
    domain's command line starts with its name, as the test domains
    expect; images are modules 1, 2, ... in order of first use. Domains
    are destroyed when they stop (restart "never")."""

    def __init__(self, build, specs, append="testexit", timeout=90,
                 icount=False, extra_args=()):
        self.w = workdir()
        images, nodes = [], []
        for n, spec in enumerate(specs, start=1):
            if spec["image"] not in images:
                images.append(spec["image"])
            extra = spec.get("extra", "")
            if spec.get("maxmem"):
                extra += f"max-memory = <0 {size_kib(spec['maxmem'])}>;"
            caps = ", ".join(f'"{c}"' for c in spec.get("caps", ()))
            args = f"{spec['name']} {spec.get('args', '')}".strip()
            nodes.append(domain_node(
                n, spec["name"], images.index(spec["image"]) + 1,
                spec["image"], extra=extra, caps=caps, bootargs=args,
                memory_kib=size_kib(spec.get("mem", "4M"))))
        dtb = manifest(self.w.name, nodes)
        args = ["--kernel", build.core32, "--append", append]
        if icount:
            args.append("--icount")
        for m in [dtb] + images:
            args += ["--module", m]
        self.qemu = Qemu(args + list(extra_args), timeout=timeout)

    def __enter__(self):
        return self.qemu.__enter__()

    def __exit__(self, *exc):
        try:
            self.qemu.__exit__(*exc)
        finally:
            self.w.cleanup()


def boot(build, modules, append="testexit"):
    args = ["--kernel", build.core32, "--append", append]
    for m in modules:
        args += ["--module", m]
    return Qemu(args, timeout=90)


def good_manifest(build):
    """Two domains from the manifest, started in dependency order (the
    bystander is listed first but depends on hc_basic)."""
    hc, by = build.tdom("hc_basic"), build.tdom("bystander")
    with workdir() as w:
        dtb = manifest(w, [domain_node(1, "bystander", 2, by,
                                       depends="hc_basic"),
                           domain_node(2, "hc_basic", 1, hc)])
        with boot(build, [dtb, hc, by]) as q:
            q.expect(r"manifest: 2 domains, hashes verified")
            q.expect(r"d1: created 'hc_basic'")
            q.expect(r"d2: created 'bystander'")
            q.expect(r"VERDICT PASS hc_basic")
            q.expect(r"VERDICT PASS bystander")
            q.expect_exit(EXIT_PASS)


def expect_bad_boot(q, message):
    q.expect(message)
    q.expect(r"boot stopped: the manifest or a module is bad; no domain started")
    q.expect_exit(EXIT_BAD_BOOT)
    q.expect_not(r"created '")


def bad_hash(build):
    hc = build.tdom("hc_basic")
    with workdir() as w:
        dtb = manifest(w, [domain_node(1, "hc_basic", 1, hc,
                                       hash_value=0x1234)])
        with boot(build, [dtb, hc]) as q:
            expect_bad_boot(q, r"domain 'hc_basic': module 1 hash mismatch: "
                               r"expected 0000000000001234, found [0-9a-f]{16}")


def missing_module(build):
    hc = build.tdom("hc_basic")
    with workdir() as w:
        dtb = manifest(w, [domain_node(1, "hc_basic", 3, hc)])
        with boot(build, [dtb, hc]) as q:
            expect_bad_boot(q, r"manifest: /chosen/hypervisor/domain@1/module "
                               r"property module-index")


def malformed_dtb(build):
    hc = build.tdom("hc_basic")
    with workdir() as w:
        dtb = manifest(w, [domain_node(1, "hc_basic", 1, hc)])
        with open(dtb, "rb") as f:
            blob = bytearray(f.read())
        cut = os.path.join(w, "cut.dtb")
        with open(cut, "wb") as f:
            f.write(blob[:len(blob) // 2])  # the header says more
        with boot(build, [cut, hc]) as q:
            expect_bad_boot(q, r"manifest: ")


def unknown_capability(build):
    hc = build.tdom("hc_basic")
    with workdir() as w:
        dtb = manifest(w, [domain_node(1, "hc_basic", 1, hc,
                                       caps='"domctl", "superuser"')])
        with boot(build, [dtb, hc]) as q:
            expect_bad_boot(q, r"domain@1 property capabilities: [^\n]*superuser")


def resource_overlap(build):
    hc, by = build.tdom("hc_basic"), build.tdom("bystander")
    with workdir() as w:
        dtb = manifest(w, [
            domain_node(1, "hc_basic", 1, hc, extra="ioports = <0x2f8 8>;"),
            domain_node(2, "bystander", 2, by, extra="ioports = <0x2fc 4>;")])
        with boot(build, [dtb, hc, by]) as q:
            expect_bad_boot(q, r"property ioports")
