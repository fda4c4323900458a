/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The run directory of a running system (docs/vmctl.md): --run-dir DIR,
 * else $ATOLL_RUN_DIR, else /tmp/atoll-$USER. It holds qemu.pid,
 * console.log (all COM1 printed), com1.sock (the console), com2.sock (the
 * management channel), qemu.log (QEMU's own output) and atoll.iso.
 * Also the option handling the commands share.
 */
#ifndef ATOLL_VMCTL_RUNDIR_H
#define ATOLL_VMCTL_RUNDIR_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "mgmt.h"

struct run_dir {
	char path[PATH_MAX];
	bool is_default; /* /tmp/atoll-$USER: must be private to the user */
};

/*
 * Removes option `name` and its value ("--opt V" or "--opt=V") from
 * argv[0..*argc), up to a "--". Returns 1 (found, *value set), 0 (absent)
 * or -1 (no value: said on stderr, prefixed by cmd).
 */
int args_take(int *argc, char **argv, const char *cmd, const char *name,
	      const char **value);

/* Removes a flag (no value) from argv; true if it was there. */
bool args_take_flag(int *argc, char **argv, const char *name);

/* Takes --run-dir from argv and resolves the directory; false if bad. */
bool rundir_from_args(int *argc, char **argv, const char *cmd,
		      struct run_dir *rd);

/* rd->path/name into buf (PATH_MAX bytes); returns buf. */
char *rundir_file(const struct run_dir *rd, const char *name, char *buf);

/* Creates the directory (0700) if missing and checks it is usable. */
bool rundir_prepare(const struct run_dir *rd, const char *cmd);

/*
 * The pid of the QEMU this run directory started, if it is still alive
 * (its command line names this directory's com2.sock); 0 if none.
 */
pid_t rundir_qemu_pid(const struct run_dir *rd);

/* Removes the sockets and the pid file (not the logs). */
void rundir_clean(const struct run_dir *rd);

/*
 * Connects to rd's com2.sock (or $ATOLL_MGMT_SOCKET) with a default
 * timeout of timeout_s. VMCTL_EXIT_OK, or the status to exit with.
 */
int rundir_connect(const struct run_dir *rd, const char *cmd, struct mgmt *m,
		   int timeout_s);

#endif
