// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl: the Atoll toolstack's command-line tool. Every command is one row
 * of commands[]: the words that name it, a usage line, a one-line summary,
 * the text of its --help, and the function that runs it with the
 * arguments after its words. Exit statuses: 0 success, 1 the input (or
 * the operation) failed, 2 usage errors (see vmctl.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vmctl.h"

#define MAX_WORDS 2

struct command {
	const char *words[MAX_WORDS]; /* unused trailing words are NULL */
	const char *args;	      /* usage after the words */
	const char *summary;
	const char *help;
	int (*run)(int argc, char **argv);
};

/* What image build and image pack share in their --help. */
#define IMAGE_SOURCE_HELP                                                      \
	"FILE.dts is a source manifest (docs/manifest.md): each module "       \
	"names its ELF\n"                                                      \
	"with image = \"PATH\" (relative to FILE.dts's directory). The "       \
	"distinct images\n"                                                    \
	"become boot modules 1, 2, ... in document order (the manifest is "    \
	"module 0);\n"                                                         \
	"their module-index and xxHash (hash-algorithm, default xxh3-64) "     \
	"are written\n"                                                        \
	"into the compiled manifest, which must then pass the core's own "     \
	"check.\n"                                                             \
	"Every problem is printed as FILE.dts:LINE: error: ...\n\n"

#define IMAGE_COMMON_OPTIONS                                                   \
	"  -o, --output OUT  the file to write (required)\n"                   \
	"  --dtb PATH        also write the compiled, filled-in manifest "     \
	"there\n"

#define RUN_DIR_HELP                                                           \
	"  --run-dir DIR  the run directory (default $ATOLL_RUN_DIR, else "    \
	"/tmp/atoll-$USER):\n"                                                 \
	"                 qemu.pid, console.log, com1.sock, com2.sock, "       \
	"qemu.log\n"

/* What every command over the management channel shares in --help. */
#define MGMT_HELP                                                              \
	RUN_DIR_HELP                                                           \
	"\nTalks to ctld over the run directory's com2.sock "                  \
	"($ATOLL_MGMT_SOCKET names\n"                                          \
	"another, e.g. a xenstore-bridge's socket); waits 10 s for a reply "   \
	"(60 s for\n"                                                          \
	"create), $VMCTL_TIMEOUT=S seconds. An error from ctld is printed "    \
	"as\n"                                                                 \
	"'vmctl: ENAME: message'. Exit status: 0 done, 1 failed, 2 usage "     \
	"error.\n"

/* destroy, pause, ...: one DOM, one request, nothing printed. */
#define DOM_COMMAND(word, sum, fn)                                             \
	{                                                                      \
		.words = {word}, .args = "DOM [--run-dir DIR]",                \
		.summary = sum,                                                \
		.help = "DOM is a domain name or id.\n\n" MGMT_HELP,           \
		.run = fn,                                                     \
	}

static const struct command commands[] = {
    {
	.words = {"manifest", "check"},
	.args = "FILE.dts [--modules N]",
	.summary = "check a boot manifest against docs/manifest.md",
	.help = "Compiles FILE.dts with dtc (dtc must be on PATH, or "
		"named by $DTC) and\n"
		"checks it as the core would at boot. Every error is "
		"printed to stderr as\n"
		"  FILE.dts:LINE: error: NODE PROPERTY: MESSAGE: "
		"DETAIL\n"
		"followed by a summary on stdout. Modules that name an "
		"image instead of a\n"
		"module-index are numbered as 'vmctl image build' "
		"would; an image file that\n"
		"cannot be read is a warning (FILE.dts:LINE: warning: "
		"...).\n\n"
		"  --modules N  number of boot modules, counting the "
		"manifest as module 0;\n"
		"               module-index must be below N (default: "
		"not checked)\n\n"
		"Exit status: 0 no errors, 1 errors (or dtc failed), 2 "
		"usage error.\n",
	.run = cmd_manifest_check,
    },
    {
	.words = {"image", "build"},
	.args = "FILE.dts -o OUT.iso [--core PATH] [--dtb PATH]",
	.summary = "make a GRUB ISO from a manifest and its images",
	.help = IMAGE_SOURCE_HELP
	"Then writes a GRUB rescue ISO (toolstack/scripts/mkiso, "
	"grub-mkrescue): grub.cfg\n"
	"boots the core with multiboot2 and the manifest's bootargs as its "
	"command line,\n"
	"and loads the manifest, then each image, with "
	"module2.\n\n" IMAGE_COMMON_OPTIONS
	"  --core PATH       the core (ELF64, multiboot2); default "
	"$ATOLL_CORE, else\n"
	"                    " VMCTL_CORE "\n\n"
	"$DTC names dtc, $ATOLL_MKISO the mkiso script.\n"
	"Exit status: 0 written, 1 errors in the input (or a tool "
	"failed), 2 usage error.\n",
	.run = cmd_image_build,
    },
    {
	.words = {"image", "pack"},
	.args = "FILE.dts -o OUT.elf [--core PATH] [--dtb PATH]",
	.summary = "make one bootable ELF with the modules inside",
	.help = IMAGE_SOURCE_HELP
	"Then writes the ELF32 core with the manifest and the images "
	"appended as one\n"
	"more PT_LOAD segment, recorded in the core's packed-modules "
	"descriptor, and the\n"
	"manifest's bootargs as the command line for a loader that gives "
	"none. Loaders\n"
	"that take no modules boot it: qemu -kernel OUT.elf "
	"(docs/images.md).\n\n" IMAGE_COMMON_OPTIONS
	"  --core PATH       the ELF32 core; default $ATOLL_CORE32, else\n"
	"                    " VMCTL_CORE32 "\n\n"
	"$DTC names dtc.\n"
	"Exit status: 0 written, 1 errors in the input (or a tool "
	"failed), 2 usage error.\n",
	.run = cmd_image_pack,
    },

    /* ---- the system: run directory, QEMU, console ---- */
    {
	.words = {"up"},
	.args = "[MANIFEST] [--run-dir DIR] [--timeout S] [--core PATH]",
	.summary = "build the ISO, start Atoll in QEMU, wait until it is ready",
	.help = "Builds MANIFEST's ISO as 'image build' does (default:\n"
		"  " VMCTL_DEFAULT_MANIFEST ")\n"
		"into the run directory, starts QEMU in the background "
		"through atoll-qemu\n"
		"(TCG, -m 256, COM1 on com1.sock and logged to "
		"console.log, COM2 on com2.sock,\n"
		"both sockets mode 0600), then asks ctld HELLO until every "
		"boot domain is\n"
		"ready, printing progress. Refuses if QEMU already runs in "
		"that run directory.\n\n" RUN_DIR_HELP
		"  --timeout S    give up after S seconds (default 60): the "
		"last thing seen is\n"
		"                 said and QEMU is left running to look at "
		"('vmctl down')\n"
		"  --core PATH    the core for the ISO (as 'image build "
		"--core')\n\n"
		"$ATOLL_QEMU_LAUNCHER names another launcher; $ATOLL_ACCEL=kvm "
		"is passed on.\n"
		"Exit status: 0 ready, 1 failed or timed out, 2 usage "
		"error.\n",
	.run = cmd_up,
    },
    {
	.words = {"down"},
	.args = "[--run-dir DIR]",
	.summary = "stop the QEMU of a run directory and remove its sockets",
	.help = "Sends QEMU SIGTERM, then SIGKILL after 5 s, and removes "
		"com1.sock, com2.sock\n"
		"and qemu.pid (console.log and qemu.log stay). Doing it "
		"twice is harmless.\n\n" RUN_DIR_HELP,
	.run = cmd_down,
    },
    {
	.words = {"console"},
	.args = "[DOM] [--run-dir DIR]",
	.summary = "attach to the serial console (CTRL-] detaches)",
	.help = "Connects to com1.sock: the terminal goes raw and keys go "
		"to the console\n"
		"(CTRL-A three times reaches the core's debug console) "
		"until CTRL-] detaches.\n"
		"The console is shared: all domains' lines arrive on COM1, "
		"each prefixed\n"
		"(dN name); DOM is accepted for xl's sake but changes "
		"nothing. What was\n"
		"printed before attaching is in the run directory's "
		"console.log. QEMU\n"
		"serves one console client at a time.\n\n" RUN_DIR_HELP,
	.run = cmd_console,
    },
    /* ---- domains, over the management channel (com2.sock) ---- */
    {
	.words = {"list"},
	.args = "[--run-dir DIR]",
	.summary = "list the domains (xl list)",
	.help = "Columns: Name ID Mem(MiB) VCPUs State Time(s). State is "
		"xl's: r running,\n"
		"b blocked, p paused, s shutdown, c crashed, d "
		"dying.\n\n" MGMT_HELP,
	.run = cmd_list,
    },
    {
	.words = {"info"},
	.args = "[--run-dir DIR]",
	.summary = "about the hypervisor and its memory (xl info)",
	.help = "Prints ctld's INFO reply: version, free_kib, total_kib, "
		"domains, uptime_ns.\n\n" MGMT_HELP,
	.run = cmd_info,
    },
    {
	.words = {"dmesg"},
	.args = "[--run-dir DIR]",
	.summary = "the hypervisor's console log (xl dmesg)",
	.help = "What the core's log ring still holds.\n\n" MGMT_HELP,
	.run = cmd_dmesg,
    },
    {
	.words = {"create"},
	.args = "CFG [--run-dir DIR]",
	.summary = "create a domain from an xl.cfg file (xl create)",
	.help =
	    "CFG is read first (lib/xlcfg; keys in docs/mgmt.md): a "
	    "mistake is printed as\n"
	    "CFG:LINE: message and nothing is sent. If 'kernel' names a "
	    "file on this host\n"
	    "(absolute, or relative to the current directory, else to "
	    "CFG's), the file is\n"
	    "uploaded under its base name and the config sent naming "
	    "the upload;\n"
	    "otherwise ctld looks the name up among its boot modules. "
	    "Prints\n"
	    "'Domain ID (NAME) created' once the domain runs.\n\n" MGMT_HELP,
	.run = cmd_create,
    },
    DOM_COMMAND("destroy", "destroy a domain at once (xl destroy)",
		cmd_destroy),
    DOM_COMMAND("pause", "stop scheduling a domain (xl pause)", cmd_pause),
    DOM_COMMAND("unpause", "schedule a paused domain again (xl unpause)",
		cmd_unpause),
    DOM_COMMAND("shutdown",
		"ask a domain to power off: control/shutdown = poweroff",
		cmd_shutdown),
    DOM_COMMAND("reboot", "ask a domain to reboot: control/shutdown = reboot",
		cmd_reboot),
    {
	.words = {"sched-credit"},
	.args = "[-d DOM] [-w WEIGHT] [-c CAP] [--run-dir DIR]",
	.summary = "credit scheduler weight and cap (xl sched-credit)",
	.help = "Without options, every domain's weight and cap; with -d "
		"DOM, that domain's.\n"
		"With -w and/or -c (and -d), sets them (the one not given "
		"is kept).\n\n"
		"  -d, --domain DOM   name or id\n"
		"  -w, --weight N     1..65535 (relative share; 256 is "
		"xl's default)\n"
		"  -c, --cap N        percent of one CPU, 0 = no cap, at "
		"most 100 x vCPUs\n\n" MGMT_HELP,
	.run = cmd_sched_credit,
    },
    /* ---- PCI passthrough: XenStore writes on pciback's path ---- */
    {
	.words = {"pci-list-assignable"},
	.args = "[--run-dir DIR]",
	.summary = "the PCI functions pciback holds and could assign",
	.help = "Lists the free assignable functions pciback published "
		"under\n/local/domain/<pciback>/pciback/devices, with vendor:"
		"device class and\nwhether DMA from them is isolated (an "
		"IOMMU) or not.\n\n" MGMT_HELP,
	.run = cmd_pci_list_assignable,
    },
    {
	.words = {"pci-assign"},
	.args = "DOM SSSS:BB:DD.F [--run-dir DIR]",
	.summary = "give a PCI function to a domain (as xl pci-attach)",
	.help = "Writes Xen's keys under /local/domain/<pciback>/backend/pci/"
		"<dom>/0\n(dev-N, state-N, num_devs; the directories with "
		"the first device;\nstate 7 for hot-plug) and waits until "
		"pciback has moved the device\n(state-N 3) or refused it "
		"(state-N 6: its error-N is printed).\nWarns when DMA is not "
		"isolated (no IOMMU).\n\n" MGMT_HELP,
	.run = cmd_pci_assign,
    },
    {
	.words = {"pci-detach"},
	.args = "DOM SSSS:BB:DD.F [--run-dir DIR]",
	.summary = "take a PCI function back from a domain",
	.help = "Sets state-N to 5 (Closing) and the backend to 7, waits "
		"for pciback to\nreset the device and take it back, then "
		"removes its keys.\n\n" MGMT_HELP,
	.run = cmd_pci_detach,
    },
    {
	.words = {"pci-list"},
	.args = "DOM [--run-dir DIR]",
	.summary = "the PCI functions given to a domain",
	.help = "Reads num_devs, dev-N and state-N on pciback's path for "
		"DOM.\n\n" MGMT_HELP,
	.run = cmd_pci_list,
    },
    /* ---- the XenStore, over the management channel ---- */
    {
	.words = {"xenstore-ls"},
	.args = "[PATH] [--run-dir DIR]",
	.summary = "the XenStore tree under PATH (default /), as xenstore-ls",
	.help = "One line per node, 'name = \"value\"', indented one space "
		"per level; in one\n"
		"read-only transaction, so it is a snapshot.\n\n" MGMT_HELP,
	.run = cmd_xs_ls,
    },
    {
	.words = {"xenstore-read"},
	.args = "PATH... [--run-dir DIR]",
	.summary = "print the value of each PATH",
	.help = "One value per line, as xenstore-read.\n\n" MGMT_HELP,
	.run = cmd_xs_read,
    },
    {
	.words = {"xenstore-write"},
	.args = "PATH VALUE [PATH VALUE]... [--run-dir DIR]",
	.summary = "write values",
	.help = "A VALUE starting with '-' goes after '--'.\n\n" MGMT_HELP,
	.run = cmd_xs_write,
    },
    {
	.words = {"xenstore-rm"},
	.args = "PATH... [--run-dir DIR]",
	.summary = "remove nodes and everything below them",
	.help = MGMT_HELP,
	.run = cmd_xs_rm,
    },
    {
	.words = {"xenstore-watch"},
	.args = "[-n N] PATH [--run-dir DIR]",
	.summary = "print the path of each change under PATH",
	.help = "Prints one line per watch event (the first comes at once, "
		"as in Xen) until\n"
		"interrupted, or after N events with -n N. The watch is "
		"removed on the way\n"
		"out.\n\n" MGMT_HELP,
	.run = cmd_xs_watch,
    },
    {
	.words = {"xenstore-bridge"},
	.args = "[SOCKET] [--run-dir DIR]",
	.summary = "serve the XenStore on a unix socket for Xen's tools",
	.help = "Listens on SOCKET (default: the run directory's "
		"xenstore.sock, mode 0600)\n"
		"and relays the XenStore wire protocol between any number of "
		"local clients\n"
		"and the management channel, so that xenstore-utils work:\n"
		"  XENSTORED_PATH=SOCKET xenstore-ls /local\n"
		"Each client's req_ids, watches and transactions are its "
		"own; a client's\n"
		"watches are removed and its transactions aborted when it "
		"leaves. Control\n"
		"requests are relayed too: while the bridge holds "
		"com2.sock, other vmctl\n"
		"commands reach ctld through it with "
		"ATOLL_MGMT_SOCKET=SOCKET.\n"
		"Runs until interrupted.\n\n" MGMT_HELP,
	.run = cmd_xs_bridge,
    },
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static unsigned word_count(const struct command *c)
{
	unsigned n = 0;

	while (n < MAX_WORDS && c->words[n])
		n++;
	return n;
}

static void print_words(FILE *f, const struct command *c)
{
	for (unsigned i = 0; i < word_count(c); i++)
		fprintf(f, " %s", c->words[i]);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vmctl COMMAND [ARGS...]\n\ncommands:\n");
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		fprintf(f, " ");
		print_words(f, &commands[i]);
		fprintf(f, " %s\n      %s\n", commands[i].args,
			commands[i].summary);
	}
	fprintf(f, "\n'vmctl COMMAND --help' describes a command.\n");
}

static void command_help(const struct command *c)
{
	printf("usage: vmctl");
	print_words(stdout, c);
	printf(" %s\n\n%s.\n\n%s", c->args, c->summary, c->help);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Does argv[0..argc) start with c's words? */
static bool matches(const struct command *c, int argc, char **argv)
{
	unsigned n = word_count(c);

	if ((unsigned)argc < n)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(argv[i], c->words[i]))
			return false;
	return true;
}

/* Is argv[0] the first word of some command (so only the rest is wrong)? */
static bool known_prefix(const char *word)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (!strcmp(commands[i].words[0], word))
			return true;
	return false;
}

static int unknown_command(int argc, char **argv)
{
	if (argc >= 1 && known_prefix(argv[0])) {
		fprintf(stderr, "vmctl: '%s' needs a subcommand", argv[0]);
		if (argc >= 2)
			fprintf(stderr, " ('%s' is not one)", argv[1]);
		fprintf(stderr, "; try 'vmctl --help'\n");
	} else {
		fprintf(stderr,
			"vmctl: unknown command '%s'; try 'vmctl --help'\n",
			argv[0]);
	}
	return VMCTL_EXIT_USAGE;
}

static int dispatch(const struct command *c, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (is_help(argv[i])) {
			command_help(c);
			return VMCTL_EXIT_OK;
		}
	}
	return c->run(argc, argv);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "vmctl: no command given\n\n");
		usage(stderr);
		return VMCTL_EXIT_USAGE;
	}
	if (is_help(argv[1])) {
		usage(stdout);
		return VMCTL_EXIT_OK;
	}
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		const struct command *c = &commands[i];
		unsigned n = word_count(c);

		if (matches(c, argc - 1, argv + 1))
			return dispatch(c, argc - 1 - (int)n, argv + 1 + n);
	}
	return unknown_command(argc - 1, argv + 1);
}
