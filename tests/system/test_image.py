# SPDX-License-Identifier: GPL-2.0-only
"""System tests for `vmctl image build` and `vmctl image pack`: a source
manifest naming its images becomes a GRUB ISO, or one ELF that QEMU's
-kernel boots with no modules and no command line; either way the domains
start and pass. A module changed after the manifest was built stops the
boot, naming the domain and the module."""
import os
import shutil
import struct

from atoll_test import EXIT_BAD_BOOT, EXIT_PASS, Qemu, workdir

BOOTARGS = "console=com1 testexit"
HASH_MISMATCH = (r"manifest: domain '{}': module {} hash mismatch: "
                 r"expected [0-9a-f]{{16}}, found [0-9a-f]{{16}}")


def domain(n, name, image, args):
    return f"""
			domain@{n} {{
				compatible = "atoll,domain";
				reg = <{n}>;
				domain-name = "{name}";
				memory = <0 4096>;
				bootargs = "{name} {args}";
				module {{
					compatible = "multiboot,kernel";
					image = "{image}";
				}};
			}};"""


def source_manifest(build, w, bootargs=BOOTARGS):
    """ping and pong (d1, d3) bounce events from one image, module 1;
    hc_basic (d2) is module 2. The images are copied next to the .dts and
    named relative to it."""
    for name in ("evtchn_ping", "hc_basic"):
        shutil.copy(build.tdom(name), w)
    dts = os.path.join(w, "system.dts")
    with open(dts, "w") as f:
        f.write(f"""/dts-v1/;
/ {{
	chosen {{
		hypervisor {{
			compatible = "hypervisor,atoll";
			bootargs = "{bootargs}";
			#address-cells = <1>;
			#size-cells = <0>;
{domain(1, "ping", "evtchn_ping.elf", "ping 3")}
{domain(2, "hc_basic", "hc_basic.elf", "")}
{domain(3, "pong", "evtchn_ping.elf", "pong 1")}
		}};
	}};
}};
""")
    return dts


def expect_domains_pass(q):
    q.expect(r"manifest: 3 domains, hashes verified")
    q.expect(r"d1: created 'ping'")
    q.expect(r"d2: created 'hc_basic'")
    q.expect(r"d3: created 'pong'")
    for name in ("hc_basic", "ping", "pong"):
        q.expect(rf"VERDICT PASS {name}\b")
    q.expect_not(r"VERDICT FAIL")
    q.expect_exit(EXIT_PASS)


def iso_boot(build):
    """vmctl image build: GRUB loads the manifest and two images; the
    manifest's bootargs are the core's command line."""
    with workdir() as w:
        iso = os.path.join(w, "atoll.iso")
        build.vmctl("image", "build", source_manifest(build, w), "-o", iso)
        with Qemu(["--iso", iso], timeout=90) as q:
            q.expect(r"loaded by GRUB[^\n]* via multiboot2")
            q.expect(rf"command line: {BOOTARGS}\n")
            q.expect(r"modules: 3\n[^\n]*module 0: [^\n]*'manifest\.dtb'")
            expect_domains_pass(q)


def packed_kernel(build):
    """vmctl image pack: qemu -kernel with neither modules nor a command
    line; the core finds its packed modules and the manifest's bootargs."""
    with workdir() as w:
        elf = os.path.join(w, "packed.elf")
        build.vmctl("image", "pack", source_manifest(build, w), "-o", elf)
        with Qemu(["--kernel", elf], timeout=90) as q:
            q.expect(r"via multiboot1")
            q.expect(rf"command line: \S*packed\.elf {BOOTARGS}\n")
            q.expect(r"module 0: [^\n]*'manifest\.dtb'\n[^\n]*"
                     r"module 1: [^\n]*'evtchn_ping\.elf'\n[^\n]*"
                     r"module 2: [^\n]*'hc_basic\.elf'")
            expect_domains_pass(q)


def packed_loader_cmdline_wins(build):
    """A command line from the loader replaces the packed bootargs: here
    without testexit, the core stays up once the domains are done."""
    with workdir() as w:
        elf = os.path.join(w, "packed.elf")
        build.vmctl("image", "pack", source_manifest(build, w), "-o", elf)
        with Qemu(["--kernel", elf, "--append", "console=com1"],
                  timeout=90) as q:
            q.expect(r"command line: \S*packed\.elf console=com1\n")
            q.expect(r"VERDICT PASS pong\b")
            q.expect_not(r"testexit")


def changed_module_after_build(build):
    """The manifest vmctl built, booted with hc_basic.elf rebuilt (one
    byte changed) since: the hash check names the domain and module."""
    with workdir() as w:
        dts = source_manifest(build, w)
        dtb = os.path.join(w, "manifest.dtb")
        build.vmctl("image", "build", dts, "-o", os.path.join(w, "a.iso"),
                    "--dtb", dtb)
        hc = os.path.join(w, "hc_basic.elf")
        with open(hc, "r+b") as f:
            f.seek(-1, os.SEEK_END)
            last = f.read(1)
            f.seek(-1, os.SEEK_END)
            f.write(bytes([last[0] ^ 0xff]))
        mods = [dtb, os.path.join(w, "evtchn_ping.elf"), hc]
        args = ["--kernel", build.core32, "--append", "testexit"]
        for m in mods:
            args += ["--module", m]
        with Qemu(args, timeout=90) as q:
            q.expect(HASH_MISMATCH.format("hc_basic", 2))
            q.expect(r"boot stopped: the manifest or a module is bad; "
                     r"no domain started")
            q.expect_exit(EXIT_BAD_BOOT)
            q.expect_not(r"created '")


def packed_module_changed(build):
    """One byte of the evtchn_ping image inside a packed ELF changed after
    packing: both domains using it are named."""
    with workdir() as w:
        elf = os.path.join(w, "packed.elf")
        build.vmctl("image", "pack", source_manifest(build, w), "-o", elf)
        with open(elf, "r+b") as f:
            data = f.read()
            phoff, = struct.unpack_from("<I", data, 28)
            phnum, = struct.unpack_from("<H", data, 44)
            _, off, _, paddr = struct.unpack_from(
                "<IIII", data, phoff + 32 * (phnum - 1))
            # module 1 starts on the page after the manifest's
            dtb_size = struct.unpack_from(">I", data, off + 4)[0]
            target = off + ((dtb_size + 4095) & ~4095) + 100
            f.seek(target)
            f.write(bytes([data[target] ^ 0xff]))
        with Qemu(["--kernel", elf], timeout=90) as q:
            q.expect(HASH_MISMATCH.format("ping", 1))
            q.expect(HASH_MISMATCH.format("pong", 1))
            q.expect(r"boot stopped: the manifest or a module is bad")
            q.expect_exit(EXIT_BAD_BOOT)
            q.expect_not(r"created '")
