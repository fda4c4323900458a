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
