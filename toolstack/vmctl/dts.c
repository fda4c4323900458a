// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading a .dts for vmctl: dtc compiles it, and problems are reported at
 * the line where the node or property was written.
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dts.h"

/* Where a node (prop == NULL) or a property was written. */
struct line_entry {
	char *path;
	char *prop;
	unsigned line;
};

struct dts_lines {
	struct line_entry *entries;
	size_t count, cap;
};

static char *xstrndup(const char *s, size_t n)
{
	char *d = vmctl_xrealloc(NULL, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static const char *dtc_program(void)
{
	const char *dtc = getenv("DTC");

	return dtc && *dtc ? dtc : "dtc";
}

/* Runs dtc with "-I dts", extra and file; returns a vmctl exit status. */
static int run_dtc(const char *file, const char *const extra[], bool quiet,
		   struct vmctl_buf *out)
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
	status = vmctl_run(argv, quiet, out);
	if (status == 127)
		return VMCTL_EXIT_USAGE; /* vmctl_run said why */
	if (status) {
		if (!quiet)
			fprintf(stderr, "%s: dtc failed (exit status %d)\n",
				file, status);
		return VMCTL_EXIT_FAIL;
	}
	return VMCTL_EXIT_OK;
}

int dts_compile(const char *file, struct vmctl_buf *blob)
{
	static const char *const compile[] = {"-O", "dtb", NULL};

	return run_dtc(file, compile, false, blob);
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

static void map_add(struct dts_lines *map, const char *path, const char *prop,
		    size_t prop_len, unsigned line)
{
	struct line_entry *e;

	if (map->count == map->cap) {
		map->cap = map->cap * 2 + 64;
		map->entries = vmctl_xrealloc(map->entries,
					      map->cap * sizeof(*map->entries));
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

static void open_node(struct walk *w, struct dts_lines *map, const char *name,
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

static void add_property(struct walk *w, struct dts_lines *map, const char *s,
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
static void walk_line(struct walk *w, struct dts_lines *map, const char *s,
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
			   struct dts_lines *map)
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

unsigned dts_line(const struct dts_lines *map, const char *path,
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

void dts_lines_free(struct dts_lines *map)
{
	for (size_t i = 0; i < map->count; i++) {
		free(map->entries[i].path);
		free(map->entries[i].prop);
	}
	free(map->entries);
	free(map);
}

struct dts_lines *dts_lines_load(const char *file)
{
	static const char *const annotate[] = {"-O", "dts", "-T", "-T", NULL};
	struct dts_lines *map = vmctl_xrealloc(NULL, sizeof(*map));
	struct vmctl_buf text = {0};

	memset(map, 0, sizeof(*map));
	if (run_dtc(file, annotate, true, &text) == VMCTL_EXIT_OK)
		build_line_map(text.data, text.len, file, map);
	free(text.data);
	return map;
}

void dts_diag(const char *file, unsigned line, const char *kind,
	      const char *path, const char *prop, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: %s: ", file, line, kind);
	if (path && path[0])
		fprintf(stderr, "%s%s%s: ", path, prop && prop[0] ? " " : "",
			prop ? prop : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

void dts_report_errors(const char *file, const struct dts_lines *lines,
		       const struct manifest *m)
{
	for (unsigned i = 0; i < m->error_count; i++) {
		const struct manifest_error *e = &m->errors[i];

		dts_diag(file, dts_line(lines, e->path, e->property), "error",
			 e->path, e->property, "%s%s%s",
			 manifest_strerror(e->code), e->detail[0] ? ": " : "",
			 e->detail);
	}
}

void dts_print_error_count(const char *file, unsigned count, unsigned dropped)
{
	if (dropped)
		printf("%s: %u errors, %u more not listed\n", file,
		       count + dropped, dropped);
	else
		printf("%s: %u error%s\n", file, count, count == 1 ? "" : "s");
}
