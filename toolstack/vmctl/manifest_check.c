// SPDX-License-Identifier: GPL-2.0-only
/*
 * `vmctl manifest check`: dtc compiles the .dts to a blob, lib/manifest
 * checks it as a source manifest (modules may name an image instead of a
 * module-index: they are numbered as vmctl image build would), and each
 * error is printed as FILE:LINE: error: ... (dts.c finds the lines). An
 * image file that cannot be read is a warning here, not an error: the
 * manifest may be checked before its images are built, and `vmctl image
 * build` and `pack` stop on it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "dts.h"
#include "image.h"

#define CMD "vmctl manifest check"

static struct manifest manifest; /* ~40 KiB: off the stack */

/* ---- the command ---- */

struct check_args {
	const char *file;
	int module_count;
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, CMD ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: vmctl manifest check FILE.dts [--modules N]"
			" (see --help)\n");
	return VMCTL_EXIT_USAGE;
}

static bool parse_count(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < 1 || v > 4096)
		return false;
	*out = (int)v;
	return true;
}

static int parse_args(int argc, char **argv, struct check_args *a)
{
	a->file = NULL;
	a->module_count = MANIFEST_NO_MODULE_COUNT;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--modules")) {
			if (++i == argc)
				return usage_error("%s needs a number", arg);
			if (!parse_count(argv[i], &a->module_count))
				return usage_error("--modules: '%s' is not a "
						   "number from 1 to 4096",
						   argv[i]);
		} else if (arg[0] == '-' && arg[1]) {
			return usage_error("unknown option '%s'", arg);
		} else if (a->file) {
			return usage_error("one FILE.dts only ('%s' is extra)",
					   arg);
		} else {
			a->file = arg;
		}
	}
	if (!a->file)
		return usage_error("no FILE.dts given%s", "");
	if (access(a->file, R_OK) < 0) {
		fprintf(stderr, CMD ": cannot read '%s': %s\n", a->file,
			strerror(errno));
		return VMCTL_EXIT_USAGE;
	}
	return VMCTL_EXIT_OK;
}

/* Warns about each image that cannot be read; returns how many. */
static unsigned check_images(const char *file, const struct manifest *m,
			     struct dts_lines **lines)
{
	unsigned warnings = 0;
	char path[256];

	for (unsigned i = 0; i < m->domain_count; i++) {
		const struct manifest_module *mod = &m->domains[i].module;
		char *image;

		if (!m->domains[i].has_module || !mod->image)
			continue;
		image = image_resolve(file, mod->image);
		if (access(image, R_OK) < 0) {
			if (fdt_get_path(m->blob, mod->node_offset, path,
					 sizeof(path)))
				path[0] = '\0';
			if (!*lines)
				*lines = dts_lines_load(file);
			dts_diag(file, dts_line(*lines, path, "image"),
				 "warning", path, "image",
				 "cannot read image '%s': %s", image,
				 strerror(errno));
			warnings++;
		}
		free(image);
	}
	return warnings;
}

static void print_ok(const char *file, const struct manifest *m,
		     unsigned warnings)
{
	printf("%s: manifest OK: %u domain%s", file, m->domain_count,
	       m->domain_count == 1 ? "" : "s");
	if (warnings)
		printf(" (%u warning%s)", warnings, warnings == 1 ? "" : "s");
	printf("\n");
}

int cmd_manifest_check(int argc, char **argv)
{
	struct check_args a;
	struct vmctl_buf blob = {0};
	struct dts_lines *lines = NULL;
	unsigned warnings;
	int rc = parse_args(argc, argv, &a);

	if (rc != VMCTL_EXIT_OK)
		return rc;
	rc = dts_compile(a.file, &blob);
	if (rc == VMCTL_EXIT_OK) {
		bool ok =
		    manifest_parse_source(blob.data, blob.len, a.module_count,
					  &manifest) == MANIFEST_OK;

		if (!ok) {
			lines = dts_lines_load(a.file);
			dts_report_errors(a.file, lines, &manifest);
		}
		warnings = check_images(a.file, &manifest, &lines);
		if (ok) {
			print_ok(a.file, &manifest, warnings);
		} else {
			dts_print_error_count(a.file, manifest.error_count,
					      manifest.errors_dropped);
			rc = VMCTL_EXIT_FAIL;
		}
	}
	if (lines)
		dts_lines_free(lines);
	free(blob.data);
	return rc;
}
