/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `vmctl manifest check FILE.dts [--modules N]`: compiles FILE.dts with
 * dtc, checks it with lib/manifest and prints every error gcc-style, with
 * the source line found through dtc's annotated output (-T -T).
 */
#ifndef ATOLL_VMCTL_MANIFEST_CHECK_H
#define ATOLL_VMCTL_MANIFEST_CHECK_H

/* Exit statuses shared by every vmctl command. */
#define VMCTL_EXIT_OK	 0 /* done, nothing wrong */
#define VMCTL_EXIT_FAIL	 1 /* the input has errors */
#define VMCTL_EXIT_USAGE 2 /* bad command line, or the check could not run */

/* argv[0..argc) are the arguments after "manifest check". */
int cmd_manifest_check(int argc, char **argv);

#endif
