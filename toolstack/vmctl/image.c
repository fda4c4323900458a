// SPDX-License-Identifier: GPL-2.0-only
/*
 * `vmctl image build` and `vmctl image pack` (docs/images.md).
 *
 * Both start the same way: dtc compiles the source manifest, lib/manifest
 * reads it as a source (every module's image numbered: distinct `image`
 * strings are boot modules 1, 2, ... in document order), each image file
 * is read, checked as an ELF the core can load into its domain, and
 * hashed; module-index and hash are written into the blob (and
 * hash-algorithm, xxh3-64, if the source names none); then the blob gets
 * the core's own full check with the real module count. Every problem is
 * reported at its line in the .dts. Only then is anything written:
 *
 *  - build: grub.cfg and a GRUB rescue ISO through toolstack/scripts/mkiso
 *    (the one place that knows GRUB), the manifest as the first module2;
 *  - pack: the ELF32 core with the modules appended (elfpack.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arch/packed.h>
#include <atoll/layout.h>
#include <atoll_xxhash.h>
#include <libfdt.h>

#include "dts.h"
#include "elf.h"
#include "image.h"

#define DTB_NAME	 "manifest.dtb"
#define DEFAULT_HASH	 "xxh3-64"
#define FDT_ROOM_PER_DOM 64 /* module-index + hash props, with slack */
#define FDT_ROOM_FIXED	 256
#define GRUB_SPECIAL	 "\"'\\$;|&<>{}#\n\t"
#define MAX_IMAGES	 MANIFEST_MAX_DOMAINS

struct image_args {
	const char *cmd; /* "vmctl image build" or "vmctl image pack" */
	const char *file;
	const char *out;
	const char *core;
	const char *dtb_out;
};

/* One distinct image: boot module number (its index in plan.images). */
struct image_file {
	char *path; /* resolved */
	struct vmctl_buf data;
	uint64_t hash;
};

struct plan {
	const struct image_args *args;
	struct dts_lines *lines; /* loaded at the first problem */
	unsigned errors;
	struct vmctl_buf src; /* dtc's blob */
	struct vmctl_buf dtb; /* filled in */
	size_t dtb_len;
	struct image_file images[MAX_IMAGES + 1]; /* [1..image_count] */
	unsigned image_count;
	enum manifest_hash_algorithm algorithm;
};

static struct manifest source, filled; /* ~40 KiB each: off the stack */

char *image_resolve(const char *dts_file, const char *image)
{
	const char *slash = strrchr(dts_file, '/');
	size_t dir =
	    image[0] == '/' || !slash ? 0 : (size_t)(slash - dts_file) + 1;
	size_t len = strlen(image);
	char *path = vmctl_xrealloc(NULL, dir + len + 1);

	memcpy(path, dts_file, dir);
	memcpy(path + dir, image, len + 1);
	return path;
}

/* ---- problems, at their line ---- */

static void plan_error(struct plan *p, int node, const char *prop,
		       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void plan_error(struct plan *p, int node, const char *prop,
		       const char *fmt, ...)
{
	char path[256] = "", msg[512];
	va_list ap;

	if (node >= 0 && fdt_get_path(p->src.data, node, path, sizeof(path)))
		path[0] = '\0';
	if (!p->lines)
		p->lines = dts_lines_load(p->args->file);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	dts_diag(p->args->file, dts_line(p->lines, path, prop), "error", path,
		 prop, "%s", msg);
	p->errors++;
}

/* lib/manifest's errors (for m, read from blob) at their lines. */
static void plan_manifest_errors(struct plan *p, const struct manifest *m)
{
	if (!p->lines)
		p->lines = dts_lines_load(p->args->file);
	dts_report_errors(p->args->file, p->lines, m);
	p->errors += m->error_count + m->errors_dropped;
}

/* ---- arguments ---- */

static int usage_error(const struct image_args *a, const char *fmt,
		       const char *arg)
{
	fprintf(stderr, "%s: ", a->cmd);
	fprintf(stderr, fmt, arg);
	fprintf(stderr,
		"\nusage: %s FILE.dts -o OUT [--core PATH] "
		"[--dtb PATH] (see --help)\n",
		a->cmd);
	return VMCTL_EXIT_USAGE;
}

/* Options that take a value; *slot receives it. */
static const char **option_slot(struct image_args *a, const char *opt)
{
	if (!strcmp(opt, "-o") || !strcmp(opt, "--output"))
		return &a->out;
	if (!strcmp(opt, "--core"))
		return &a->core;
	if (!strcmp(opt, "--dtb"))
		return &a->dtb_out;
	return NULL;
}

static int parse_args(int argc, char **argv, struct image_args *a)
{
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], **slot = option_slot(a, arg);

		if (slot) {
			if (++i == argc)
				return usage_error(a, "%s needs a value", arg);
			*slot = argv[i];
		} else if (arg[0] == '-' && arg[1]) {
			return usage_error(a, "unknown option '%s'", arg);
		} else if (a->file) {
			return usage_error(
			    a, "one FILE.dts only ('%s' is extra)", arg);
		} else {
			a->file = arg;
		}
	}
	if (!a->file)
		return usage_error(a, "no FILE.dts given%s", "");
	if (!a->out)
		return usage_error(a, "no output given (-o OUT)%s", "");
	if (access(a->file, R_OK) < 0) {
		fprintf(stderr, "%s: cannot read '%s': %s\n", a->cmd, a->file,
			strerror(errno));
		return VMCTL_EXIT_USAGE;
	}
	return VMCTL_EXIT_OK;
}

/* --core, else $env, else the core of the build vmctl belongs to. */
static const char *core_path(const struct image_args *a, const char *env,
			     const char *built)
{
	const char *e = getenv(env);

	if (a->core)
		return a->core;
	return e && *e ? e : built;
}

/* ---- reading and hashing the images ---- */

static uint64_t hash_of(enum manifest_hash_algorithm alg, const void *data,
			size_t len)
{
	return alg == MANIFEST_HASH_XXH64 ? XXH64(data, len, 0)
					  : XXH3_64bits(data, len);
}

/* Reads image number mod->index the first time a domain names it. */
static void load_image(struct plan *p, const struct manifest_module *mod)
{
	struct image_file *f = &p->images[mod->index];

	if (f->path)
		return;
	f->path = image_resolve(p->args->file, mod->image);
	if (!vmctl_read_file(f->path, &f->data)) {
		plan_error(p, mod->node_offset, "image",
			   "cannot read image '%s': %s", f->path,
			   strerror(errno));
		return;
	}
	f->hash = hash_of(p->algorithm, f->data.data, f->data.len);
}

/* The ELF check the core makes, in a window the size of the domain. */
static void check_elf(struct plan *p, const struct manifest_domain *d)
{
	const struct image_file *f = &p->images[d->module.index];
	uint64_t top = ATOLL_DOMAIN_VA_LIMIT / 1024 < d->memory_kib
			   ? ATOLL_DOMAIN_VA_LIMIT
			   : d->memory_kib * 1024;
	struct elf_limits limits = {ATOLL_PAGE_SIZE, top};
	static struct elf_image img;
	enum elf_error err;

	if (!f->data.data)
		return; /* unreadable: said already */
	err = elf_parse(f->data.data, f->data.len, &limits, &img);
	if (err != ELF_OK)
		plan_error(p, d->module.node_offset, "image",
			   "'%s' is not an image the core can load into '%s': "
			   "%s",
			   f->path, d->name ? d->name : "?", elf_strerror(err));
}

static void load_images(struct plan *p)
{
	p->image_count = source.image_count;
	/* The core keeps PACKED_MAX_MODULES (= BOOT_MAX_MODULES) modules. */
	if (p->image_count + 1 > PACKED_MAX_MODULES)
		plan_error(p, source.node_offset, "",
			   "%u distinct images: the core takes at most %u "
			   "boot modules, the manifest included",
			   p->image_count, PACKED_MAX_MODULES);
	p->algorithm = source.hash_algorithm == MANIFEST_HASH_NONE
			   ? MANIFEST_HASH_XXH3_64
			   : source.hash_algorithm;
	for (unsigned i = 0; i < source.domain_count; i++) {
		const struct manifest_domain *d = &source.domains[i];

		if (!d->module.image) {
			plan_error(p, d->module.node_offset, "",
				   "module has no image: %s needs the file "
				   "(image = \"PATH\";)",
				   p->args->cmd);
			continue;
		}
		load_image(p, &d->module);
		check_elf(p, d);
	}
}

/* ---- the filled-in blob ---- */

/* Sets module-index and hash on the module at path in p->dtb. */
static int fill_module(struct plan *p, const char *path,
		       const struct manifest_module *mod)
{
	int off = fdt_path_offset(p->dtb.data, path), err;

	if (off < 0)
		return off;
	err = fdt_setprop_u32(p->dtb.data, off, "module-index", mod->index);
	if (!err)
		err = fdt_setprop_u64(p->dtb.data, off, "hash",
				      p->images[mod->index].hash);
	return err;
}

static int fill_modules(struct plan *p)
{
	char path[256];
	int err = 0;

	for (unsigned i = 0; i < source.domain_count && !err; i++) {
		const struct manifest_module *mod = &source.domains[i].module;

		err = fdt_get_path(p->src.data, mod->node_offset, path,
				   sizeof(path));
		if (!err)
			err = fill_module(p, path, mod);
	}
	if (!err && source.hash_algorithm == MANIFEST_HASH_NONE) {
		int hv = fdt_path_offset(p->dtb.data, MANIFEST_HYPERVISOR_PATH);

		err = hv < 0
			  ? hv
			  : fdt_setprop_string(p->dtb.data, hv,
					       "hash-algorithm", DEFAULT_HASH);
	}
	return err;
}

static bool fill_blob(struct plan *p)
{
	size_t room = p->src.len + FDT_ROOM_FIXED +
		      FDT_ROOM_PER_DOM * source.domain_count;
	int err;

	p->dtb.data = vmctl_xrealloc(NULL, room);
	err = fdt_open_into(p->src.data, p->dtb.data, (int)room);
	if (!err)
		err = fill_modules(p);
	if (!err)
		err = fdt_pack(p->dtb.data);
	if (err) {
		fprintf(stderr, "%s: cannot fill in the manifest: %s\n",
			p->args->cmd, fdt_strerror(err));
		return false;
	}
	p->dtb_len = fdt_totalsize(p->dtb.data);
	return true;
}

/*
 * Everything before anything is written. Returns a VMCTL_EXIT_* status;
 * on success `filled` describes p->dtb as the core will read it.
 */
static int prepare(struct plan *p)
{
	int rc = dts_compile(p->args->file, &p->src);

	if (rc != VMCTL_EXIT_OK)
		return rc;
	if (manifest_parse_source(p->src.data, p->src.len,
				  MANIFEST_NO_MODULE_COUNT, &source)) {
		plan_manifest_errors(p, &source);
		return VMCTL_EXIT_FAIL;
	}
	load_images(p);
	if (p->errors)
		return VMCTL_EXIT_FAIL;
	if (!fill_blob(p))
		return VMCTL_EXIT_FAIL;
	if (manifest_parse(p->dtb.data, p->dtb_len, (int)p->image_count + 1,
			   &filled)) {
		plan_manifest_errors(p, &filled);
		return VMCTL_EXIT_FAIL;
	}
	return VMCTL_EXIT_OK;
}

static void plan_free(struct plan *p)
{
	for (unsigned i = 1; i <= p->image_count; i++) {
		free(p->images[i].path);
		free(p->images[i].data.data);
	}
	free(p->src.data);
	free(p->dtb.data);
	if (p->lines)
		dts_lines_free(p->lines);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int write_dtb(const struct plan *p, const char *path)
{
	if (vmctl_write_file(path, p->dtb.data, p->dtb_len))
		return VMCTL_EXIT_OK;
	fprintf(stderr, "%s: cannot write '%s': %s\n", p->args->cmd, path,
		strerror(errno));
	return VMCTL_EXIT_FAIL;
}

static void print_done(const struct plan *p)
{
	printf("%s: manifest and %u image%s for %u domain%s, %s hashes\n",
	       p->args->out, p->image_count, p->image_count == 1 ? "" : "s",
	       filled.domain_count, filled.domain_count == 1 ? "" : "s",
	       p->algorithm == MANIFEST_HASH_XXH64 ? "xxh64" : "xxh3-64");
}

/* Runs the whole command: prepare, then make (build or pack). */
static int run_image_command(int argc, char **argv, const char *cmd,
			     int (*make)(struct plan *p))
{
	struct image_args a = {.cmd = cmd};
	static struct plan p;
	int rc = parse_args(argc, argv, &a);

	if (rc != VMCTL_EXIT_OK)
		return rc;
	memset(&p, 0, sizeof(p));
	p.args = &a;
	rc = prepare(&p);
	if (rc == VMCTL_EXIT_FAIL && p.errors)
		dts_print_error_count(a.file, p.errors, 0);
	if (rc == VMCTL_EXIT_OK && a.dtb_out)
		rc = write_dtb(&p, a.dtb_out);
	if (rc == VMCTL_EXIT_OK)
		rc = make(&p);
	if (rc == VMCTL_EXIT_OK)
		print_done(&p);
	plan_free(&p);
	return rc;
}

/* ---- build: a GRUB ISO through mkiso ---- */

/* The staging directory: the blob and a link to each image. */
struct stage {
	char dir[64];
	char *names[MAX_IMAGES + 2]; /* created entries, for removal */
	unsigned count;
};

static char *stage_path(const struct stage *s, const char *name)
{
	size_t len = strlen(s->dir) + 1 + strlen(name) + 1;
	char *path = vmctl_xrealloc(NULL, len);

	snprintf(path, len, "%s/%s", s->dir, name);
	return path;
}

/*
 * A module file name for image i: its base name with anything but
 * [A-Za-z0-9._-] made '_' (mkiso reads "FILE ARGS" lines), numbered if an
 * earlier image already has that name.
 */
static char *stage_name(const struct plan *p, unsigned i)
{
	const char *base = base_name(p->images[i].path);
	size_t len = strlen(base) + 16;
	char *name = vmctl_xrealloc(NULL, len);
	bool taken = !strcmp(base, DTB_NAME);

	for (unsigned j = 1; j < i; j++)
		taken |= !strcmp(base_name(p->images[j].path), base);
	if (taken)
		snprintf(name, len, "%u-%s", i, base);
	else
		snprintf(name, len, "%s", base);
	for (char *c = name; *c; c++)
		if (!strchr(
			"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789._-",
			*c))
			*c = '_';
	return name;
}

static void stage_remove(struct stage *s)
{
	for (unsigned i = 0; i < s->count; i++) {
		char *path = stage_path(s, s->names[i]);

		unlink(path);
		free(path);
		free(s->names[i]);
	}
	if (s->dir[0])
		rmdir(s->dir);
}

/* Links the resolved image into the stage (absolute, so the link works). */
static bool stage_link(struct stage *s, const char *target, char *name)
{
	char *abs = target[0] == '/' ? strdup(target) : realpath(target, NULL);
	char *path = stage_path(s, name);
	bool ok = abs && symlink(abs, path) == 0;

	if (ok)
		s->names[s->count++] = name;
	else
		free(name);
	free(abs);
	free(path);
	return ok;
}

static bool stage_fill(struct stage *s, const struct plan *p)
{
	const char *tmp = getenv("TMPDIR");
	char *path;
	bool ok;

	snprintf(s->dir, sizeof(s->dir), "%s/vmctl-image-XXXXXX",
		 tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (!mkdtemp(s->dir)) {
		s->dir[0] = '\0';
		return false;
	}
	path = stage_path(s, DTB_NAME);
	ok = vmctl_write_file(path, p->dtb.data, p->dtb_len);
	free(path);
	if (!ok)
		return false;
	s->names[s->count++] = strdup(DTB_NAME);
	for (unsigned i = 1; i <= p->image_count; i++)
		if (!stage_link(s, p->images[i].path, stage_name(p, i)))
			return false;
	return true;
}

/* GRUB's script parser would read these in a grub.cfg line. */
static bool check_bootargs(struct plan *p)
{
	const char *b = filled.bootargs;
	size_t bad = b ? strcspn(b, GRUB_SPECIAL) : 0;

	if (!b || !b[bad])
		return true;
	plan_error(p, source.node_offset, "bootargs",
		   "character '%c' would be read by GRUB in grub.cfg",
		   b[bad] == '\n' ? ' ' : b[bad]);
	dts_print_error_count(p->args->file, p->errors, 0);
	return false;
}

static int run_mkiso(struct plan *p, const struct stage *s, const char *core)
{
	const char *mkiso = getenv("ATOLL_MKISO");
	char *argv[8 + 2 * (MAX_IMAGES + 1)];
	int n = 0, status;

	argv[n++] = (char *)(mkiso && *mkiso ? mkiso : VMCTL_MKISO);
	argv[n++] = "-k";
	argv[n++] = (char *)core;
	argv[n++] = "-o";
	argv[n++] = (char *)p->args->out;
	argv[n++] = "-c";
	argv[n++] = (char *)(filled.bootargs ? filled.bootargs : "");
	for (unsigned i = 0; i < s->count; i++) {
		argv[n++] = "-m";
		argv[n++] = stage_path(s, s->names[i]);
	}
	argv[n] = NULL;
	status = vmctl_run(argv, false, NULL);
	for (int i = 8; i < n; i += 2)
		free(argv[i]);
	if (status == 0)
		return VMCTL_EXIT_OK;
	fprintf(stderr, "%s: mkiso failed (exit status %d)\n", p->args->cmd,
		status);
	return VMCTL_EXIT_FAIL;
}

static int make_iso(struct plan *p)
{
	const char *core = core_path(p->args, "ATOLL_CORE", VMCTL_CORE);
	static struct stage s;
	int rc;

	if (access(core, R_OK) < 0) {
		fprintf(stderr,
			"%s: cannot read the core '%s': %s (build the atoll "
			"target, or give --core or $ATOLL_CORE)\n",
			p->args->cmd, core, strerror(errno));
		return VMCTL_EXIT_FAIL;
	}
	if (!check_bootargs(p))
		return VMCTL_EXIT_FAIL;
	memset(&s, 0, sizeof(s));
	if (stage_fill(&s, p)) {
		rc = run_mkiso(p, &s, core);
	} else {
		fprintf(stderr, "%s: cannot stage the modules in '%s': %s\n",
			p->args->cmd, s.dir, strerror(errno));
		rc = VMCTL_EXIT_FAIL;
	}
	stage_remove(&s);
	return rc;
}

int cmd_image_build(int argc, char **argv)
{
	return run_image_command(argc, argv, "vmctl image build", make_iso);
}

/* ---- pack: the modules inside the ELF32 core ---- */

static int make_packed(struct plan *p)
{
	const char *core = core_path(p->args, "ATOLL_CORE32", VMCTL_CORE32);
	struct pack_module mods[MAX_IMAGES + 1];

	mods[0] = (struct pack_module){p->dtb.data, p->dtb_len, DTB_NAME};
	for (unsigned i = 1; i <= p->image_count; i++)
		mods[i] = (struct pack_module){p->images[i].data.data,
					       p->images[i].data.len,
					       base_name(p->images[i].path)};
	return elfpack_write(core, p->args->out, mods, p->image_count + 1,
			     filled.bootargs);
}

int cmd_image_pack(int argc, char **argv)
{
	return run_image_command(argc, argv, "vmctl image pack", make_packed);
}
