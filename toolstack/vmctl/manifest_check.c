// SPDX-License-Identifier: GPL-2.0-only
/*
 * `vmctl manifest check`: dtc compiles the .dts to a blob, lib/manifest
 * checks it, and each error is printed as FILE:LINE: error: ....
 *
 * Lines come from a second dtc run, `dtc -I dts -O dts -T -T FILE`, whose
 * output annotates every node and property with where it was written:
 *
 *	domain@1 { /\* FILE.dts:9:13-19:6 *\/
 *		memory = <0x00 0x400>; /\* FILE.dts:13:5-13:23 *\/
 *	}; /\* FILE.dts:9:13-19:6 *\/
 *
 * Tracking `name {` / `};` nesting gives each line's node path, so the
 * annotations map (path) and (path, property) to a line. A node or
 * property defined in several places has several positions, ", "
 * separated; the first one in FILE itself is used. Positions only in
 * included files give no line, so the node's line (or 0) is printed.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manifest.h"
#include "manifest_check.h"

#define CMD "vmctl manifest check"

/* A growing byte buffer: a child's stdout. */
struct buf {
	char *data;
	size_t len, cap;
};

/* Where a node (prop == NULL) or a property was written. */
struct line_entry {
	char *path;
	char *prop;
	unsigned line;
};

struct line_map {
	struct line_entry *entries;
	size_t count, cap;
};

static struct manifest manifest; /* ~40 KiB: off the stack */

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p) {
		fprintf(stderr, CMD ": out of memory\n");
		exit(VMCTL_EXIT_USAGE);
	}
	return p;
}

static char *xstrndup(const char *s, size_t n)
{
	char *d = xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- running dtc ---- */

static const char *dtc_program(void)
{
	const char *dtc = getenv("DTC");

	return dtc && *dtc ? dtc : "dtc";
}

static void child_exec(char *const argv[], int out_fd, bool quiet)
{
	dup2(out_fd, STDOUT_FILENO);
	close(out_fd);
	if (quiet) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDERR_FILENO);
	}
	execvp(argv[0], argv);
	fprintf(stderr, CMD ": cannot run '%s': %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

static void read_all(int fd, struct buf *out)
{
	for (;;) {
		if (out->cap - out->len < 4096) {
			out->cap = out->cap * 2 + 65536;
			out->data = xrealloc(out->data, out->cap);
		}
		ssize_t n =
		    read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += (size_t)n;
	}
	out->data[out->len] = '\0';
}

/*
 * Runs argv with stdout captured in *out; its stderr is passed through
 * unless quiet. Returns the exit status, 127 if it could not be run.
 */
static int run_capture(char *const argv[], bool quiet, struct buf *out)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds) < 0)
		return 127;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return 127;
	}
	if (pid == 0) {
		close(fds[0]);
		child_exec(argv, fds[1], quiet);
	}
	close(fds[1]);
	read_all(fds[0], out);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	if (!WIFEXITED(status))
		return 128;
	return WEXITSTATUS(status);
}

/* ---- the line map ---- */

/*
 * Steps *p back over the digits ending there and then over the character
 * sep (skipped if 0). Returns their value, or -1 if either is missing.
 */
static long back_number(const char *start, const char **p, char sep)
{
	const char *q = *p;

	while (q > start && q[-1] >= '0' && q[-1] <= '9')
		q--;
	if (q == *p || (sep && (q == start || q[-1] != sep)))
		return -1;
	long v = strtol(q, NULL, 10);
	*p = sep ? q - 1 : q;
	return v;
}

/* The first line of one "FILE:L:C-L:C" (or "FILE:L") position, 0 if none. */
static unsigned position_line(const char *pos, size_t len)
{
	const char *p = pos + len;
	long line;

	if (back_number(pos, &p, ':') >= 0 && back_number(pos, &p, '-') >= 0 &&
	    back_number(pos, &p, ':') >= 0) {
		line = back_number(pos, &p, ':');
		if (line >= 0)
			return (unsigned)line;
	}
	p = pos + len;
	line = back_number(pos, &p, ':');
	return line > 0 ? (unsigned)line : 0;
}

/*
 * The line of the first position in ann ("P1, P2, ...") that is in file
 * itself; 0 if all are in included files, whose lines would mislead.
 */
static unsigned annotation_line(const char *ann, size_t len, const char *file)
{
	size_t flen = strlen(file);
	const char *p = ann, *end = ann + len;

	while (p < end) {
		const char *sep = memmem(p, (size_t)(end - p), ", ", 2);
		size_t plen = sep ? (size_t)(sep - p) : (size_t)(end - p);

		if (plen > flen && !memcmp(p, file, flen) && p[flen] == ':')
			return position_line(p + flen, plen - flen);
		p += plen + (sep ? 2 : 0);
	}
	return 0;
}

static void map_add(struct line_map *map, const char *path, const char *prop,
		    size_t prop_len, unsigned line)
{
	struct line_entry *e;

	if (map->count == map->cap) {
		map->cap = map->cap * 2 + 64;
		map->entries =
		    xrealloc(map->entries, map->cap * sizeof(*map->entries));
	}
	e = &map->entries[map->count++];
	e->path = xstrndup(path, strlen(path));
	e->prop = prop ? xstrndup(prop, prop_len) : NULL;
	e->line = line;
}

/* Skips "label: " prefixes (labels end in ':', names never contain one). */
static const char *skip_labels(const char *s, const char *end)
{
	for (;;) {
		const char *sp = memchr(s, ' ', (size_t)(end - s));

		if (!sp || sp == s || sp[-1] != ':')
			return s;
		s = sp + 1;
	}
}

/* Nesting state while reading the annotated dts. */
struct walk {
	char path[1024];
	size_t saved[64]; /* path length before each open node */
	unsigned depth;
	unsigned skipped; /* nodes too deep or too long to track */
};

static void open_node(struct walk *w, struct line_map *map, const char *name,
		      size_t len, unsigned line)
{
	size_t plen = strlen(w->path);
	bool root = w->depth == 0;
	size_t need = plen + (root ? 0 : 1) + len + 1;

	if (w->skipped || w->depth == 64 || need > sizeof(w->path) ||
	    (root && (len != 1 || name[0] != '/'))) {
		w->skipped++;
		return;
	}
	w->saved[w->depth++] = plen;
	if (!root && plen > 1)
		w->path[plen++] = '/';
	memcpy(w->path + plen, name, len);
	w->path[plen + len] = '\0';
	map_add(map, w->path, NULL, 0, line);
}

static void close_node(struct walk *w)
{
	if (w->skipped)
		w->skipped--;
	else if (w->depth)
		w->path[w->saved[--w->depth]] = '\0';
}

static void add_property(struct walk *w, struct line_map *map, const char *s,
			 const char *end, unsigned line)
{
	size_t n = strcspn(s, " =;");

	if (w->depth == 0 || w->skipped || s + n > end)
		return;
	map_add(map, w->path, s, n, line);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims [*s, *end) of blanks on both sides. */
static void trim(const char **s, const char **end)
{
	while (*s < *end && is_blank(**s))
		(*s)++;
	while (*end > *s && is_blank((*end)[-1]))
		(*end)--;
}

/*
 * Takes a trailing "/\* ... *\/" off [s, *end) and returns the line it
 * gives for file (0 if none); *end is left at the end of the code.
 */
static unsigned take_annotation(const char *s, const char **end,
				const char *file)
{
	const char *ann = NULL, *a, *ae;

	if (*end - s < 4 || memcmp(*end - 2, "*/", 2))
		return 0;
	ae = *end - 2;
	for (const char *p = ae; p > s && !ann; p--)
		if (!memcmp(p - 1, "/*", 2))
			ann = p - 1;
	if (!ann)
		return 0;
	a = ann + 2;
	trim(&a, &ae);
	*end = ann;
	return annotation_line(a, (size_t)(ae - a), file);
}

/* Handles one line of annotated dts: code, then its annotation. */
static void walk_line(struct walk *w, struct line_map *map, const char *s,
		      const char *end, const char *file)
{
	unsigned line;

	trim(&s, &end);
	line = take_annotation(s, &end, file);
	trim(&s, &end);
	if (end == s)
		return;
	s = skip_labels(s, end);
	if (end - s == 2 && !memcmp(s, "};", 2)) {
		close_node(w);
	} else if (end[-1] == '{') {
		const char *ne = end - 1;

		trim(&s, &ne);
		open_node(w, map, s, (size_t)(ne - s), line);
	} else if (end[-1] == ';') {
		add_property(w, map, s, end, line);
	}
}

static void build_line_map(const char *text, size_t len, const char *file,
			   struct line_map *map)
{
	static struct walk w;
	const char *p = text, *end = text + len;

	memset(&w, 0, sizeof(w));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		walk_line(&w, map, p, le, file);
		p = le + 1;
	}
}

static unsigned lookup_line(const struct line_map *map, const char *path,
			    const char *prop)
{
	unsigned node_line = 0;

	for (size_t i = 0; i < map->count; i++) {
		const struct line_entry *e = &map->entries[i];

		if (strcmp(e->path, path))
			continue;
		if (!e->prop && !node_line)
			node_line = e->line;
		if (e->prop && *prop && !strcmp(e->prop, prop) && e->line)
			return e->line;
	}
	return node_line;
}

static void free_line_map(struct line_map *map)
{
	for (size_t i = 0; i < map->count; i++) {
		free(map->entries[i].path);
		free(map->entries[i].prop);
	}
	free(map->entries);
}

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

/* Runs dtc with "-I dts" and extra; returns a vmctl exit status. */
static int run_dtc(const char *file, const char *const extra[], bool quiet,
		   struct buf *out)
{
	char *argv[12];
	int n = 0, status;

	argv[n++] = (char *)dtc_program();
	argv[n++] = "-I";
	argv[n++] = "dts";
	while (*extra)
		argv[n++] = (char *)*extra++;
	argv[n++] = (char *)file;
	argv[n] = NULL;
	status = run_capture(argv, quiet, out);
	if (status == 127)
		return VMCTL_EXIT_USAGE; /* child_exec said why */
	if (status) {
		if (!quiet)
			fprintf(stderr, "%s: dtc failed (exit status %d)\n",
				file, status);
		return VMCTL_EXIT_FAIL;
	}
	return VMCTL_EXIT_OK;
}

static void print_error(const char *file, unsigned line,
			const struct manifest_error *e)
{
	fprintf(stderr, "%s:%u: error: ", file, line);
	if (e->path[0])
		fprintf(stderr, "%s%s%s: ", e->path, e->property[0] ? " " : "",
			e->property);
	fprintf(stderr, "%s", manifest_strerror(e->code));
	if (e->detail[0])
		fprintf(stderr, ": %s", e->detail);
	fprintf(stderr, "\n");
}

static void report_errors(const char *file, const struct manifest *m)
{
	static const char *const annotate[] = {"-O", "dts", "-T", "-T", NULL};
	struct buf text = {0};
	struct line_map map = {0};

	if (run_dtc(file, annotate, true, &text) == VMCTL_EXIT_OK)
		build_line_map(text.data, text.len, file, &map);
	for (unsigned i = 0; i < m->error_count; i++) {
		const struct manifest_error *e = &m->errors[i];

		print_error(file, lookup_line(&map, e->path, e->property), e);
	}
	if (m->errors_dropped)
		printf("%s: %u errors, %u more not listed\n", file,
		       m->error_count + m->errors_dropped, m->errors_dropped);
	else
		printf("%s: %u error%s\n", file, m->error_count,
		       m->error_count == 1 ? "" : "s");
	free_line_map(&map);
	free(text.data);
}

int cmd_manifest_check(int argc, char **argv)
{
	static const char *const compile[] = {"-O", "dtb", NULL};
	struct check_args a;
	struct buf blob = {0};
	int rc = parse_args(argc, argv, &a);

	if (rc != VMCTL_EXIT_OK)
		return rc;
	rc = run_dtc(a.file, compile, false, &blob);
	if (rc == VMCTL_EXIT_OK) {
		if (manifest_parse(blob.data, blob.len, a.module_count,
				   &manifest) == MANIFEST_OK) {
			printf("%s: manifest OK: %u domain%s\n", a.file,
			       manifest.domain_count,
			       manifest.domain_count == 1 ? "" : "s");
		} else {
			report_errors(a.file, &manifest);
			rc = VMCTL_EXIT_FAIL;
		}
	}
	free(blob.data);
	return rc;
}
