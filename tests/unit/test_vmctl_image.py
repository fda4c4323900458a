#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`vmctl image build` and `vmctl image pack` end to end, without QEMU:
usage errors exit 2; problems in the manifest or its images exit 1 and are
reported at their line (marked /* HERE */ in the source); the compiled
manifest has every module-index and hash filled in (checked with fdtget and
xxhsum); the packed ELF has one more PT_LOAD holding the modules, described
by the core's packed-modules descriptor. Also `vmctl manifest check` on
manifests that name images.

usage: test_vmctl_image.py VMCTL IMAGES_DIR
(IMAGES_DIR is the build's images/: atoll.elf, atoll32.elf, tdom/*.elf)"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

VMCTL, IMAGES = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CORE64 = os.path.join(IMAGES, "atoll.elf")
CORE32 = os.path.join(IMAGES, "atoll32.elf")
FAILURES = []
BOOTARGS = "console=com1 testexit"


def domain(n, name, image, extra=""):
    image_line = f'image = "{image}";' if image else "module-index = <1>;"
    return f"""
			domain@{n} {{
				compatible = "atoll,domain";
				reg = <{n}>;
				domain-name = "{name}";
				memory = <0 4096>;
{extra}
				module {{
					compatible = "multiboot,kernel";
					{image_line}
				}};
			}};"""


def manifest(domains, top=f'bootargs = "{BOOTARGS}";'):
    return f"""/dts-v1/;

/ {{
	chosen {{
		hypervisor {{
			compatible = "hypervisor,atoll";
			{top}
			#address-cells = <1>;
			#size-cells = <0>;
{"".join(domains)}
		}};
	}};
}};
"""


def vmctl(*args, cwd=None):
    r = subprocess.run([VMCTL, *args], capture_output=True, text=True,
                       cwd=cwd, timeout=60)
    return r.returncode, r.stdout + r.stderr


def check(name, ok, output=""):
    if not ok:
        FAILURES.append(name)
        print(f"FAIL {name}\n---- output ----\n{output}----------------")
    else:
        print(f"ok   {name}")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def marked_lines(text):
    return {i for i, line in enumerate(text.splitlines(), 1)
            if "/* HERE */" in line}


def xxhsum(algo, path):
    out = subprocess.run(["xxhsum", algo, path], check=True,
                         capture_output=True, text=True).stdout
    return int(re.search(r"= ([0-9a-f]+)$|^([0-9a-f]+) ", out.strip())
               .group(1) or out.split()[0], 16)


def fdtget(dtb, node, prop, kind="u"):
    r = subprocess.run(["fdtget", "-t", kind, dtb, node, prop],
                       capture_output=True, text=True)
    return r.stdout.split() if r.returncode == 0 else None


def setup_images(tmp):
    """Copies two test domains into tmp/img/ (a directory of their own, so
    the manifests refer to them by relative paths)."""
    img = os.path.join(tmp, "img")
    os.makedirs(img)
    for name in ("hc_basic", "evtchn_ping"):
        src = os.path.join(IMAGES, "tdom", f"{name}.elf")
        if not os.path.exists(src):
            raise SystemExit(f"missing {src}: build the tdom_* targets")
        shutil.copy(src, img)
    return img


# ---- usage errors: exit 2 ----

def test_usage(tmp):
    good = write(os.path.join(tmp, "usage.dts"),
                 manifest([domain(1, "a", "img/hc_basic.elf")]))
    cases = [(("image", "build", good), r"no output given \(-o OUT\)"),
             (("image", "pack", good), r"no output given"),
             (("image", "build", good, "-o"), r"-o needs a value"),
             (("image", "build", good, "-o", "x.iso", "--frob"),
              r"unknown option '--frob'"),
             (("image", "pack", "-o", "x.elf"), r"no FILE\.dts given"),
             (("image", "build", good, good, "-o", "x.iso"),
              r"one FILE\.dts only"),
             (("image", "build", os.path.join(tmp, "absent.dts"), "-o",
               "x.iso"), r"cannot read .*absent\.dts"),
             (("image",), r"'image' needs a subcommand"),
             (("image", "frob"), r"'image' needs a subcommand")]
    for args, message in cases:
        rc, out = vmctl(*args)
        check(f"vmctl {' '.join(args[:3])} ...: exit 2, /{message}/",
              rc == 2 and re.search(message, out), out)
    for cmd in ("build", "pack"):
        rc, out = vmctl("image", cmd, "--help")
        check(f"vmctl image {cmd} --help: exit 0",
              rc == 0 and f"usage: vmctl image {cmd}" in out and
              "--core PATH" in out, out)


# ---- problems in the input: exit 1, at their line ----

def expect_error(tmp, name, text, message, cmd="build", args=()):
    path = write(os.path.join(tmp, name + ".dts"), text)
    out_file = os.path.join(tmp, name + ".out")
    rc, out = vmctl("image", cmd, path, "-o", out_file, *args)
    lines = marked_lines(text)
    found = [int(m.group(1)) for m in re.finditer(
        re.escape(path) + r":(\d+): error: (.*)", out)
        if re.search(message, m.group(2))]
    check(f"image {cmd} {name}: exit 1, /{message}/ at line {sorted(lines)}",
          rc == 1 and found and all(n in lines for n in found) and
          not os.path.exists(out_file), out)


def test_input_errors(tmp):
    here = "\t\t\t\t/* HERE */"
    expect_error(tmp, "missing_image", manifest([
        domain(1, "a", "img/hc_basic.elf"),
        domain(2, "b", "img/absent.elf").replace(
            'image = "img/absent.elf";',
            'image = "img/absent.elf"; /* HERE */')]),
        r"domain@2/module image: cannot read image '.*img/absent\.elf': "
        r"No such file")
    expect_error(tmp, "missing_image_pack", manifest([
        domain(1, "a", "img/gone.elf").replace(
            'image = "img/gone.elf";', 'image = "img/gone.elf"; /* HERE */')]),
        r"cannot read image", cmd="pack")
    expect_error(tmp, "no_image", manifest([
        domain(1, "a", "img/hc_basic.elf"),
        domain(2, "b", None).replace("module {", "module { /* HERE */")]),
        r"domain@2/module: module has no image")
    write(os.path.join(tmp, "img", "text.elf"), "not an ELF\n")
    expect_error(tmp, "not_elf", manifest([
        domain(1, "a", "img/text.elf").replace(
            'image = "img/text.elf";', 'image = "img/text.elf"; /* HERE */')]),
        r"image: '.*text\.elf' is not an image the core can load into 'a'")
    expect_error(tmp, "unknown_property", manifest([
        domain(1, "a", "img/hc_basic.elf", "\t\t\t\tcolour = <1>;" + here)]),
        r"domain@1 colour: unknown property")
    expect_error(tmp, "grub_special", manifest(
        [domain(1, "a", "img/hc_basic.elf")],
        top='bootargs = "console=com1 $x"; /* HERE */'),
        r"/chosen/hypervisor bootargs: character '\$' would be read by GRUB",
        args=("--core", CORE64))
    path = write(os.path.join(tmp, "syntax.dts"), "/dts-v1/;\n/ {\n\tx = <1;\n};\n")
    for cmd in ("build", "pack"):
        rc, out = vmctl("image", cmd, path, "-o", os.path.join(tmp, "s.out"))
        check(f"image {cmd}: dtc failure passed through, exit 1",
              rc == 1 and re.search(re.escape(path) + r":3[.:].*syntax error",
                                    out) and "dtc failed" in out, out)


def test_core_errors(tmp):
    path = write(os.path.join(tmp, "core.dts"),
                 manifest([domain(1, "a", "img/hc_basic.elf")]))
    rc, out = vmctl("image", "pack", path, "-o", os.path.join(tmp, "c.elf"),
                    "--core", CORE64)
    check("image pack --core ELF64: exit 1, asks for the ELF32 core",
          rc == 1 and "ELF32 core (atoll32.elf)" in out, out)
    rc, out = vmctl("image", "pack", path, "-o", os.path.join(tmp, "c.elf"),
                    "--core", os.path.join(tmp, "img", "hc_basic.elf"))
    check("image pack --core not a core: exit 1", rc == 1 and
          re.search(r"ELF64|not an ELF|no \.atoll_packed", out), out)
    rc, out = vmctl("image", "build", path, "-o", os.path.join(tmp, "c.iso"),
                    "--core", os.path.join(tmp, "absent.elf"))
    check("image build --core absent: exit 1", rc == 1 and
          "cannot read the core" in out, out)


# ---- what is produced ----

def two_images_manifest(top=f'bootargs = "{BOOTARGS}";'):
    """ping and pong share evtchn_ping (module 1), hc_basic is module 2."""
    return manifest([
        domain(1, "ping", "img/evtchn_ping.elf",
               '\t\t\t\tbootargs = "ping ping 2";'),
        domain(2, "hc_basic", "img/hc_basic.elf"),
        domain(3, "pong", "img/evtchn_ping.elf",
               '\t\t\t\tbootargs = "pong pong 1";')], top=top)


def check_dtb(what, dtb, img, algo="-H3"):
    hv = "/chosen/hypervisor"
    want = {1: ("evtchn_ping", 1), 2: ("hc_basic", 2), 3: ("evtchn_ping", 1)}
    ok = os.path.exists(dtb)
    got = []
    for n, (image, index) in want.items():
        node = f"{hv}/domain@{n}/module"
        idx = fdtget(dtb, node, "module-index") if ok else None
        h = fdtget(dtb, node, "hash", "x") if ok else None
        expect = xxhsum(algo, os.path.join(img, f"{image}.elf"))
        value = int(h[0], 16) << 32 | int(h[1], 16) if h and len(h) == 2 else None
        got.append((n, idx, h))
        ok = ok and idx == [str(index)] and value == expect
    alg = fdtget(dtb, hv, "hash-algorithm", "s") if os.path.exists(dtb) else None
    ok = ok and alg == [{"-H3": "xxh3-64", "-H1": "xxh64"}[algo]]
    check(f"{what}: indices 1,2,1 and {algo} hashes filled in", ok,
          f"{got} {alg}\n")


def test_build(tmp, img):
    src = write(os.path.join(tmp, "build.dts"), two_images_manifest())
    iso, dtb = os.path.join(tmp, "out.iso"), os.path.join(tmp, "build.dtb")
    # From another directory: image paths are relative to the .dts.
    rc, out = vmctl("image", "build", src, "-o", iso, "--dtb", dtb,
                    "--core", CORE64, cwd=img)
    check("image build: exit 0, summary", rc == 0 and re.search(
        r"out\.iso: manifest and 2 images for 3 domains, xxh3-64", out), out)
    with open(iso, "rb") as f:
        f.seek(0x8001)
        check("image build: an ISO 9660 image", f.read(5) == b"CD001")
    check_dtb("image build", dtb, img)
    listing = subprocess.run(["xorriso", "-indev", iso, "-ls", "/boot"],
                             capture_output=True, text=True).stdout
    check("image build: ISO holds the core, manifest and each image once",
          all(n in listing for n in ("atoll.elf", "manifest.dtb",
                                     "evtchn_ping.elf", "hc_basic.elf")),
          listing)
    stale = [n for n in os.listdir(tempfile.gettempdir())
             if n.startswith("vmctl-image-")]
    check("image build: staging directory removed", not stale, f"{stale}\n")


def test_xxh64(tmp, img):
    top = f'bootargs = "{BOOTARGS}";\n\t\t\thash-algorithm = "xxh64";'
    src = write(os.path.join(tmp, "xxh64.dts"), two_images_manifest(top))
    dtb = os.path.join(tmp, "xxh64.dtb")
    rc, out = vmctl("image", "pack", src, "-o", os.path.join(tmp, "x.elf"),
                    "--dtb", dtb, "--core", CORE32)
    check("image pack, hash-algorithm xxh64: exit 0", rc == 0, out)
    check_dtb("image pack xxh64", dtb, img, "-H1")


def elf32_sections(data):
    shoff, = struct.unpack_from("<I", data, 32)
    shnum, shstrndx = struct.unpack_from("<HH", data, 48)
    sh = [struct.unpack_from("<IIIIII", data, shoff + 40 * i)
          for i in range(shnum)]
    stroff = sh[shstrndx][4]
    named = {}
    for name, _, _, _, off, size in sh:
        end = data.index(b"\0", stroff + name)
        named[data[stroff + name:end].decode()] = (off, size)
    return named


def elf32_loads(data):
    phoff, = struct.unpack_from("<I", data, 28)
    phnum, = struct.unpack_from("<H", data, 44)
    return [struct.unpack_from("<IIIIIIII", data, phoff + 32 * i)
            for i in range(phnum)]


def c_string(data, off):
    return data[off:data.index(b"\0", off)].decode()


def test_pack(tmp, img):
    src = write(os.path.join(tmp, "pack.dts"), two_images_manifest())
    elf, dtb = os.path.join(tmp, "packed.elf"), os.path.join(tmp, "pack.dtb")
    rc, out = vmctl("image", "pack", src, "-o", elf, "--dtb", dtb,
                    "--core", CORE32)
    check("image pack: exit 0", rc == 0 and "packed.elf: manifest and 2 "
          "images for 3 domains" in out, out)
    check_dtb("image pack", dtb, img)
    with open(elf, "rb") as f:
        data = f.read()
    with open(CORE32, "rb") as f:
        core = f.read()
    before, after = elf32_loads(core), elf32_loads(data)
    new = after[-1]
    _, off, vaddr, paddr, filesz, memsz, flags, align = new
    core_end = max(p[3] + p[5] for p in before if p[0] == 1)
    check("image pack: one more PT_LOAD, read-only, page-aligned, above "
          "the core", len(after) == len(before) + 1 and after[:-1] == before
          and new[0] == 1 and paddr % 4096 == 0 and off % 4096 == 0 and
          paddr >= core_end and filesz == memsz and flags == 4, f"{new}\n")
    desc_off, size = elf32_sections(data)[".atoll_packed"]
    magic, version, count, start, end, cmdline = struct.unpack_from(
        "<8sIIQQQ", data, desc_off)
    mods = [struct.unpack_from("<QQQ", data, desc_off + 40 + 24 * i)
            for i in range(count)]

    def file_bytes(s, e):
        return data[off + s - start:off + e - start]

    expect = [open(p, "rb").read() for p in
              (dtb, os.path.join(img, "evtchn_ping.elf"),
               os.path.join(img, "hc_basic.elf"))]
    names = [c_string(data, off + n - start) for _, _, n in mods]
    check("image pack: descriptor lists the manifest, then each image once",
          magic == b"AtollPkd" and version == 1 and count == 3 and
          start == paddr and end == paddr + memsz and
          [file_bytes(s, e) for s, e, _ in mods] == expect and
          all(s % 4096 == 0 for s, _, _ in mods) and
          names == ["manifest.dtb", "evtchn_ping.elf", "hc_basic.elf"],
          f"{magic} {version} {count} {start:#x}-{end:#x} {mods} {names}\n")
    check("image pack: the command line is the manifest's bootargs",
          c_string(data, off + cmdline - start) == BOOTARGS)
    rc, out = vmctl("image", "pack", src, "-o", os.path.join(tmp, "2.elf"),
                    "--core", elf)
    check("image pack of a packed core: exit 1", rc == 1 and
          "already has packed modules" in out, out)


# ---- vmctl manifest check on manifests that name images ----

def test_manifest_check(tmp, img):
    text = manifest([domain(1, "a", "img/hc_basic.elf"),
                     domain(2, "b", "img/nope.elf").replace(
                         'image = "img/nope.elf";',
                         'image = "img/nope.elf"; /* HERE */')])
    path = write(os.path.join(tmp, "check.dts"), text)
    rc, out = vmctl("manifest", "check", path)
    m = re.search(re.escape(path) + r":(\d+): warning: .*domain@2/module "
                  r"image: cannot read image '.*img/nope\.elf'", out)
    check("manifest check: a missing image is a warning at its line",
          rc == 0 and m and int(m.group(1)) in marked_lines(text) and
          "manifest OK: 2 domains (1 warning)" in out, out)
    rc, out = vmctl("manifest", "check", path, "--modules", "2")
    check("manifest check --modules 2: image 2 is no such boot module",
          rc == 1 and "domain@2/module module-index: no such boot module" in out,
          out)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        img = setup_images(tmp)
        test_usage(tmp)
        test_input_errors(tmp)
        test_core_errors(tmp)
        test_build(tmp, img)
        test_xxh64(tmp, img)
        test_pack(tmp, img)
        test_manifest_check(tmp, img)
    if FAILURES:
        print(f"{len(FAILURES)} failed: {', '.join(FAILURES)}")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
