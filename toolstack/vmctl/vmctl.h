/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What vmctl's files share: exit statuses, the commands (each takes the
 * arguments after its words), and small helpers for running programs.
 */
#ifndef ATOLL_VMCTL_H
#define ATOLL_VMCTL_H

#include <stdbool.h>
#include <stddef.h>

/* Exit statuses shared by every vmctl command. */
#define VMCTL_EXIT_OK	 0 /* done, nothing wrong */
#define VMCTL_EXIT_FAIL	 1 /* the input has errors, or the operation failed */
#define VMCTL_EXIT_USAGE 2 /* bad command line, or the check could not run */

int cmd_manifest_check(int argc, char **argv);
int cmd_image_build(int argc, char **argv);
int cmd_image_pack(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_pause(int argc, char **argv);
int cmd_unpause(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_sched_credit(int argc, char **argv);
int cmd_xs_ls(int argc, char **argv);
int cmd_xs_read(int argc, char **argv);
int cmd_xs_write(int argc, char **argv);
int cmd_xs_rm(int argc, char **argv);
int cmd_xs_watch(int argc, char **argv);
int cmd_pci_list_assignable(int argc, char **argv);
int cmd_pci_assign(int argc, char **argv);
int cmd_pci_detach(int argc, char **argv);
int cmd_pci_list(int argc, char **argv);
int cmd_xs_bridge(int argc, char **argv);

/* A growing byte buffer (a child's stdout, a file, a blob). */
struct vmctl_buf {
	char *data; /* NUL-terminated after read_all/read_file */
	size_t len, cap;
};

/* realloc that exits (status 2) when memory runs out. */
void *vmctl_xrealloc(void *p, size_t size);

/*
 * Runs argv[0] (searched on PATH) with stdout captured in *out, or passed
 * through when out is NULL; its stderr is passed through unless quiet.
 * Returns its exit status, 127 if it could not be run (said on stderr),
 * 128 if it was killed.
 */
int vmctl_run(char *const argv[], bool quiet, struct vmctl_buf *out);

/* Reads all of path into *out; false (errno set) on failure. */
bool vmctl_read_file(const char *path, struct vmctl_buf *out);

/* Writes data[0..len) to path, replacing it; false (errno set) on failure. */
bool vmctl_write_file(const char *path, const void *data, size_t len);

#endif
