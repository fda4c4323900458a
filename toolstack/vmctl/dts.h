/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A .dts file as vmctl reads it: compiled with dtc (dtc on PATH, or named
 * by $DTC), and its problems reported gcc-style at the line in the .dts
 * where the node or property was written, found through dtc's annotated
 * output (-T -T).
 */
#ifndef ATOLL_VMCTL_DTS_H
#define ATOLL_VMCTL_DTS_H

#include "manifest.h"
#include "vmctl.h"

struct dts_lines;

/*
 * Compiles file to a blob in *blob. dtc's own errors go to stderr. Returns
 * VMCTL_EXIT_OK, VMCTL_EXIT_FAIL (dtc failed: "FILE: dtc failed" said) or
 * VMCTL_EXIT_USAGE (dtc could not be run).
 */
int dts_compile(const char *file, struct vmctl_buf *blob);

/* Where each node and property of file was written; never NULL. */
struct dts_lines *dts_lines_load(const char *file);
void dts_lines_free(struct dts_lines *lines);

/*
 * The line of property prop ("" for the node itself) of the node at path;
 * the node's line if the property's is unknown, 0 if neither is.
 */
unsigned dts_line(const struct dts_lines *lines, const char *path,
		  const char *prop);

/* Prints "FILE:LINE: KIND: PATH PROP: MESSAGE" to stderr. */
void dts_diag(const char *file, unsigned line, const char *kind,
	      const char *path, const char *prop, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Prints each of m's errors with dts_diag() (no summary line). */
void dts_report_errors(const char *file, const struct dts_lines *lines,
		       const struct manifest *m);

/* The summary: "FILE: N errors" (and how many were not listed). */
void dts_print_error_count(const char *file, unsigned count, unsigned dropped);

#endif
