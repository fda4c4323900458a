# SPDX-License-Identifier: GPL-2.0-only
"""System tests for ctld, the control domain (issue 7), speaking the
management channel directly over QEMU's COM2 socket: the boot domains'
status, creating domains from a boot module and from an upload, name
rules, restarting a crashed service per its manifest policy, control
operations, and hostile frames. The system is booted from a manifest
packed with `vmctl image pack`."""
import os
import re

from atoll_test import Qemu, TestFailure, workdir
import mgmt_client as mc

SVC_CRASHED = r"\(d\d+ svc\) xs_check: asked to crash"


def images(build):
    dom = os.path.join(build.dir, "images", "dom")
    return {n: os.path.join(dom, f"{n}.elf")
            for n in ("xenstored", "ctld", "hello", "xs_check", "rt_check")}


def system_head(img):
    """The start of a system manifest: the XenStore as d1 and ctld as d2,
    with COM2 for the management channel. Close with "}; }; };"."""
    return f"""/dts-v1/;
/ {{ chosen {{ hypervisor {{
  compatible = "hypervisor,atoll";
  #address-cells = <1>; #size-cells = <0>;
  domain@1 {{ compatible = "atoll,domain"; reg = <1>;
    domain-name = "xenstored"; memory = <0 16384>;
    capabilities = "xenstore"; bootargs = "xenstored";
    module {{ compatible = "multiboot,kernel";
      image = "{img['xenstored']}"; }}; }};
  domain@2 {{ compatible = "atoll,domain"; reg = <2>;
    domain-name = "ctld"; memory = <0 16384>;
    capabilities = "domctl", "console";
    ioports = <0x2f8 8>; irqs = <3>;
    depends-on = "xenstored"; bootargs = "ctld";
    module {{ compatible = "multiboot,kernel";
      image = "{img['ctld']}"; }}; }};
"""


def write_manifest(w, img):
    dts = os.path.join(w, "system.dts")
    with open(dts, "w") as f:
        f.write(system_head(img) + f"""  domain@3 {{ compatible = "atoll,domain"; reg = <3>;
    domain-name = "svc"; memory = <0 4096>; restart = "on-crash";
    depends-on = "xenstored"; bootargs = "xs_check service";
    module {{ compatible = "multiboot,kernel";
      image = "{img['xs_check']}"; }}; }};
  domain@4 {{ compatible = "atoll,domain"; reg = <4>;
    domain-name = "hello"; memory = <0 4096>;
    depends-on = "xenstored"; bootargs = "hello";
    module {{ compatible = "multiboot,kernel";
      image = "{img['hello']}"; }}; }};
}}; }}; }};
""")
    return dts


class System:
    """A booted system and a channel to its ctld."""

    def __init__(self, build, w):
        img = images(build)
        packed = os.path.join(w, "atoll.elf")
        build.vmctl("image", "pack", write_manifest(w, img), "-o", packed)
        self.sock = os.path.join(w, "com2.sock")
        self.qemu = Qemu(["--kernel", packed, "--com2",
                          f"unix:{self.sock}"], timeout=150)
        self.img = img

    def __enter__(self):
        self.qemu.__enter__()
        self.qemu.expect(r"\(d2 ctld\) ctld: ready")
        self.ch = mc.Channel(self.sock)
        return self

    def __exit__(self, *exc):
        self.ch.close()
        self.qemu.__exit__(*exc)


def check(cond, what):
    if not cond:
        raise TestFailure(what)


def boot_status(build):
    """HELLO counts the manifest's boot domains; LIST shows them; INFO and
    DMESG answer; the channel carries XenStore requests."""
    with workdir() as w, System(build, w) as s:
        head, f = s.ch.hello()
        check(head == "atoll-mgmt 1", f"hello says {head!r}")
        check(f["boot-domains"] == 4 and f["ready"] == 4,
              f"hello fields {f}")
        doms = s.ch.domains()
        for name in ("xenstored", "ctld", "svc"):
            check(name in doms, f"{name} missing from LIST {doms}")
        check("version 4." in s.ch.ok(mc.INFO) or "version" in
              s.ch.ok(mc.INFO), "INFO lacks version")
        check("Atoll hypervisor" in s.ch.ok(mc.DMESG), "DMESG lacks banner")
        svc = doms["svc"][0]
        name = s.ch.ok(mc.XS_READ, f"/local/domain/{svc}/name\0")
        check(name == "svc", f"XenStore name of svc: {name!r}")
        check(s.ch.ok(mc.XS_READ, f"/local/domain/{svc}/vm\0") ==
              f"/vm/{svc}", "vm path missing")


def create_and_destroy(build):
    """Domains from a boot module and from an uploaded image; a second
    create with a running domain's name is refused, a destroyed domain's
    name can be used again; unknown domains and bad configs get errors
    that name the problem."""
    with workdir() as w, System(build, w) as s:
        cfg = ("name = 'g1'\nmemory = 4\nkernel = 'hello.elf'\n"
               "cmdline = 'hello from-vmctl'\n")
        gid = int(s.ch.ok(mc.CREATE, cfg))
        s.qemu.expect(rf"\(d{gid} g1\) hello: main reached, argc=2 "
                      r"argv\[0\]=hello argv\[1\]=from-vmctl")
        data = open(s.img["xs_check"], "rb").read()
        s.ch.ok(mc.IMAGE_BEGIN, f"svcimg {len(data)}")
        for off in range(0, len(data), 60000):
            s.ch.ok(mc.IMAGE_DATA, data[off:off + 60000])
        s.ch.ok(mc.IMAGE_END)
        svc2 = ("name = 'svc2'\nmemory = 4\nkernel = 'svcimg'\n"
                "cmdline = 'xs_check service'\n")
        sid = int(s.ch.ok(mc.CREATE, svc2))
        s.qemu.expect(rf"\(d{sid} svc2\) xs_check: service up as d{sid}")
        name, msg = s.ch.error(mc.CREATE, svc2)
        check(name == "EEXIST" and "'svc2' exists" in msg, msg)
        name, msg = s.ch.error(mc.DESTROY, "nosuch")
        check(name == "ENOENT" and msg == "unknown domain 'nosuch'", msg)
        name, msg = s.ch.error(mc.CREATE, "name = 'x'\nmemroy = 4\n")
        check(name == "EINVAL" and "line 2: unknown key 'memroy'" in msg,
              msg)
        name, msg = s.ch.error(mc.CREATE, "name='y'\nmemory=4\n"
                               "kernel='nosuch.elf'\n")
        check(name == "ENOENT" and "no image 'nosuch.elf'" in msg, msg)
        s.ch.ok(mc.DESTROY, "svc2")
        s.qemu.expect(rf"d{sid}: 'svc2' destroyed")
        sid2 = int(s.ch.ok(mc.CREATE, svc2))
        s.qemu.expect(rf"\(d{sid2} svc2\) xs_check: service up")
        check("svc2" in s.ch.domains(), "svc2 not listed again")
        # Shutdown asks the domain through the XenStore; it powers off.
        s.ch.ok(mc.SHUTDOWN, "svc2")
        s.qemu.expect(rf"\(d{sid2} svc2\) shutdown requested: powering off")
        s.qemu.expect(rf"d{sid2}: 'svc2' destroyed")


def crash_restart(build):
    """The manifest says svc restarts on crash: when it crashes, ctld
    builds it again from its boot module, with its XenStore entries."""
    with workdir() as w, System(build, w) as s:
        old = s.ch.domains()["svc"][0]
        s.ch.ok(mc.XS_WRITE, f"/local/domain/{old}/crash-me\0yes")
        s.qemu.expect(SVC_CRASHED)
        m = s.qemu.expect(r"ctld: restarted 'svc' as d(\d+)")
        new = int(m.group(1))
        # The id may be the old one again (ids are reused): count starts.
        s.qemu.expect(rf"(?s)service up as d{old}.*asked to crash.*"
                      rf"\(d{new} svc\) xs_check: service up as d{new}")
        check(s.ch.domains()["svc"][0] == new, "LIST shows the old svc")
        f = s.ch.hello()[1]
        check(f["ready"] == 4, f"hello after restart {f}")


def control_ops(build):
    """pause/unpause, scheduler parameters, and refusals."""
    with workdir() as w, System(build, w) as s:
        s.ch.ok(mc.PAUSE, "svc")
        check(s.ch.domains()["svc"][1] == "paused", "svc not paused")
        s.ch.ok(mc.UNPAUSE, "svc")
        check(s.ch.domains()["svc"][1] != "paused", "svc still paused")
        check(s.ch.ok(mc.SCHED_CREDIT, "svc").split() == ["256", "0"],
              "default weight/cap")
        s.ch.ok(mc.SCHED_CREDIT, "svc 512 50")
        check(s.ch.ok(mc.SCHED_CREDIT, "svc").split() == ["512", "50"],
              "weight/cap not set")
        name, msg = s.ch.error(mc.SCHED_CREDIT, "svc 0 50")
        check(name == "EINVAL", msg)
        name, msg = s.ch.error(mc.DESTROY, "ctld")
        check(name == "EINVAL" and "itself" in msg, msg)
        # XenStore quotas, per domain at run time, from the privileged
        # toolstack (a driver domain serving many guests needs more).
        svc = s.ch.domains()["svc"][0]
        s.ch.ok(26, f"{svc}\0nodes\0" "5000\0")  # XS_SET_QUOTA
        got = s.ch.ok(25, f"{svc}\0nodes\0").rstrip("\0")  # XS_GET_QUOTA
        check(got == "5000", f"quota read back {got!r}")


def hostile_frames(build):
    """Frames a confused or hostile host could send: unknown types and
    lengths over the limit (taken as lost framing: ctld finds the next
    real header), uploads out of order, garbage configs. ctld keeps
    serving."""
    with workdir() as w, System(build, w) as s:
        # Out of step: an unknown type, then an impossible length. No
        # reply; the reader slides to the next real header.
        s.ch.send_raw(mc.HDR.pack(0x1ff, 77, 0, 0))
        big = 70000
        s.ch.send_raw(mc.HDR.pack(mc.HELLO, 99, 0, big) + b"x" * big)
        s.ch.send_raw(b"\x00" * 40)
        check(s.ch.hello()[1]["boot-domains"] == 4, "no resync after junk")
        name, _ = s.ch.error(mc.IMAGE_DATA, b"zz")
        check(name == "EINVAL", "data without an upload")
        name, _ = s.ch.error(mc.IMAGE_BEGIN, "x 0")
        check(name == "EINVAL", "empty upload accepted")
        s.ch.ok(mc.IMAGE_BEGIN, "part 100")
        s.ch.ok(mc.IMAGE_DATA, b"a" * 10)
        name, _ = s.ch.error(mc.IMAGE_END)
        check(name == "EIO", "incomplete upload accepted")
        name, _ = s.ch.error(mc.CREATE, b"name='z'\nmemory=4\nkernel='part'\n")
        check(name == "ENOENT", "incomplete upload usable")
        name, _ = s.ch.error(mc.CREATE, b"\xff\xfe\0garbage")
        check(name == "EINVAL", "garbage config")
        check(s.ch.hello()[1]["boot-domains"] == 4, "ctld stopped serving")
