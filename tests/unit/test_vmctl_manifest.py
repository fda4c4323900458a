#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`vmctl manifest check` end to end (no system needed): small manifests
written to a temp dir, each with one known problem on a line marked
/* HERE */, must exit 1 and report that problem at FILE:LINE; a good
manifest and the example in docs/manifest.md must pass; usage errors exit
2 with a message that names the problem.

usage: test_vmctl_manifest.py VMCTL DOCS_MANIFEST_MD"""
import os
import re
import subprocess
import sys
import tempfile

VMCTL, DOCS = sys.argv[1], sys.argv[2]
FAILURES = []


def domain(n, name, extra="", index=None):
    return f"""
		domain@{n} {{
			compatible = "atoll,domain";
			reg = <{n}>;
			domain-name = "{name}";
			memory = <0 4096>;
{extra}
			module {{
				compatible = "multiboot,kernel";
				module-index = <{n if index is None else index}>;
			}};
		}};"""


def manifest(domains, top=""):
    return f"""/dts-v1/;

/ {{
	chosen {{
		hypervisor {{
			compatible = "hypervisor,atoll";
			#address-cells = <1>;
			#size-cells = <0>;
{top}
{"".join(domains)}
		}};
	}};
}};
"""


def marked_lines(text):
    return {i for i, line in enumerate(text.splitlines(), 1)
            if "/* HERE */" in line}


def vmctl(*args):
    r = subprocess.run([VMCTL, *args], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def check(name, ok, output):
    if not ok:
        FAILURES.append(name)
        print(f"FAIL {name}\n---- output ----\n{output}----------------")
    else:
        print(f"ok   {name}")


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def expect_error(tmp, name, text, message, args=()):
    """Exit 1 and an error `path:L: error: ...message` with L a HERE line."""
    path = write(tmp, name + ".dts", text)
    rc, out = vmctl("manifest", "check", path, *args)
    lines = marked_lines(text)
    found = [int(m.group(1)) for m in re.finditer(
        re.escape(path) + r":(\d+): error: (.*)", out)
        if re.search(message, m.group(2))]
    check(f"{name}: exit 1, '{message}' at line {sorted(lines)}",
          rc == 1 and found and all(n in lines for n in found), out)


def test_valid(tmp):
    text = manifest([domain(1, "a"), domain(2, "b", '\t\t\tdepends-on = "a";')])
    rc, out = vmctl("manifest", "check", write(tmp, "good.dts", text),
                    "--modules", "3")
    check("valid manifest: exit 0", rc == 0 and "manifest OK: 2 domains" in out,
          out)


def test_docs_example(tmp):
    with open(DOCS) as f:
        blocks = re.findall(r"```dts\n(.*?)```", f.read(), re.S)
    path = write(tmp, "example.dts", blocks[0] if blocks else "")
    rc, out = vmctl("manifest", "check", path, "--modules", "8")
    check("docs/manifest.md example: exit 0", len(blocks) == 1 and rc == 0,
          out)


def test_errors(tmp):
    p = "\t\t\t"
    expect_error(tmp, "unknown_property", manifest([domain(
        1, "a", p + "colour = \"blue\"; /* HERE */")]),
        r"/chosen/hypervisor/domain@1 colour: unknown property")
    expect_error(tmp, "wrong_type", manifest([domain(
        1, "a", p + "cpus = <1 2>; /* HERE */")]),
        r"domain@1 cpus: wrong property type or length")
    expect_error(tmp, "missing_image", manifest(
        [domain(1, "a"), domain(2, "b").replace(
            "module-index = <2>;", "module-index = <2>; /* HERE */")]),
        r"domain@2/module module-index: no such boot module", ["--modules", "2"])
    expect_error(tmp, "unknown_capability", manifest([domain(
        1, "a", p + 'capabilities = "domctl", "superuser"; /* HERE */')]),
        r"domain@1 capabilities: unknown capability.*superuser")
    expect_error(tmp, "duplicate_name", manifest(
        [domain(1, "same"), domain(2, "same").replace(
            'domain-name = "same";', 'domain-name = "same"; /* HERE */')]),
        r"domain@2 domain-name: duplicate domain name")
    expect_error(tmp, "dependency_cycle", manifest(
        [domain(1, "a", p + 'depends-on = "b"; /* HERE */'),
         domain(2, "b", p + 'depends-on = "a"; /* HERE */')]),
        r"depends-on: dependency cycle: (a -> b -> a|b -> a -> b)")
    expect_error(tmp, "over_machine_memory", manifest(
        [domain(1, "a"), domain(2, "b")],
        top=p + "machine-memory = <0 6000>; /* HERE */"),
        r"/chosen/hypervisor machine-memory: sum of memory over machine-memory")
    expect_error(tmp, "resource_conflict", manifest(
        [domain(1, "a", p + "irqs = <5>; /* HERE */"),
         domain(2, "b", p + "irqs = <4 5>; /* HERE */")]),
        r"irqs: resource given to two domains")


def test_syntax_error(tmp):
    path = write(tmp, "syntax.dts", "/dts-v1/;\n/ {\n\tx = <1;\n};\n")
    rc, out = vmctl("manifest", "check", path)
    check("dtc syntax error passed through: exit 1",
          rc == 1 and re.search(re.escape(path) + r":3[.:].*syntax error", out),
          out)


def test_usage(tmp):
    cases = [((), r"no command given"),
             (("frob",), r"unknown command 'frob'"),
             (("manifest", "frob", "x.dts"), r"'manifest' needs a subcommand"),
             (("manifest", "check"), r"no FILE\.dts given"),
             (("manifest", "check", os.path.join(tmp, "absent.dts")),
              r"cannot read .*absent\.dts"),
             (("manifest", "check", "x.dts", "--modules", "many"),
              r"--modules: 'many' is not a number")]
    for args, message in cases:
        rc, out = vmctl(*args)
        check(f"vmctl {' '.join(args)}: exit 2, '{message}'",
              rc == 2 and re.search(message, out), out)
    for args in (("--help",), ("manifest", "check", "--help")):
        rc, out = vmctl(*args)
        check(f"vmctl {' '.join(args)}: exit 0",
              rc == 0 and "usage: vmctl" in out, out)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_valid(tmp)
        test_docs_example(tmp)
        test_errors(tmp)
        test_syntax_error(tmp)
        test_usage(tmp)
    if FAILURES:
        print(f"{len(FAILURES)} failed: {', '.join(FAILURES)}")
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
