// SPDX-License-Identifier: GPL-2.0-only
/*
 * Run directories and shared option handling (rundir.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rundir.h"
#include "vmctl.h"

static void args_remove(int *argc, char **argv, int at, int count)
{
	for (int i = at; i + count <= *argc; i++)
		argv[i] = i + count < *argc ? argv[i + count] : NULL;
	*argc -= count;
}

int args_take(int *argc, char **argv, const char *cmd, const char *name,
	      const char **value)
{
	size_t len = strlen(name);

	for (int i = 0; i < *argc && strcmp(argv[i], "--"); i++) {
		if (!strncmp(argv[i], name, len) && argv[i][len] == '=') {
			*value = argv[i] + len + 1;
			args_remove(argc, argv, i, 1);
			return 1;
		}
		if (strcmp(argv[i], name))
			continue;
		if (i + 1 >= *argc) {
			fprintf(stderr, "%s: %s needs a value\n", cmd, name);
			return -1;
		}
		*value = argv[i + 1];
		args_remove(argc, argv, i, 2);
		return 1;
	}
	return 0;
}

bool args_take_flag(int *argc, char **argv, const char *name)
{
	for (int i = 0; i < *argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], name)) {
			args_remove(argc, argv, i, 1);
			return true;
		}
	}
	return false;
}

static const char *user_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;
	static char uid[16];

	if (u && *u && !strchr(u, '/'))
		return u;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name[0] && !strchr(pw->pw_name, '/'))
		return pw->pw_name;
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	return uid;
}

bool rundir_from_args(int *argc, char **argv, const char *cmd,
		      struct run_dir *rd)
{
	const char *dir = NULL, *env = getenv("ATOLL_RUN_DIR");
	int n = args_take(argc, argv, cmd, "--run-dir", &dir);

	if (n < 0)
		return false;
	rd->is_default = false;
	if (!dir && env && *env)
		dir = env;
	if (dir)
		n = snprintf(rd->path, sizeof(rd->path), "%s", dir);
	else
		n = snprintf(rd->path, sizeof(rd->path), "/tmp/atoll-%s",
			     user_name());
	rd->is_default = !dir;
	/* Room for "/com2.sock" within a unix socket address (108). */
	if (n <= 0 || n > 96) {
		fprintf(stderr,
			"%s: run directory '%s' is too long for a unix socket "
			"path (96 bytes at most)\n",
			cmd, rd->path);
		return false;
	}
	while (n > 1 && rd->path[n - 1] == '/')
		rd->path[--n] = '\0';
	if (strchr(rd->path, ',')) { /* QEMU's option syntax would split it */
		fprintf(stderr, "%s: the run directory '%s' has a comma\n", cmd,
			rd->path);
		return false;
	}
	return true;
}

char *rundir_file(const struct run_dir *rd, const char *name, char *buf)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", rd->path, name);

	if (n < 0 || n >= PATH_MAX) /* rd->path is short: cannot happen */
		buf[0] = '\0';
	return buf;
}

bool rundir_prepare(const struct run_dir *rd, const char *cmd)
{
	struct stat st;

	if (mkdir(rd->path, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "%s: cannot create the run directory %s: %s\n",
			cmd, rd->path, strerror(errno));
		return false;
	}
	if (lstat(rd->path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s is not a directory\n", cmd, rd->path);
		return false;
	}
	if (st.st_uid != getuid()) {
		fprintf(stderr, "%s: the run directory %s belongs to uid %u\n",
			cmd, rd->path, (unsigned)st.st_uid);
		return false;
	}
	if (rd->is_default && (st.st_mode & 077)) {
		fprintf(stderr,
			"%s: the run directory %s is open to others (mode "
			"%03o): chmod 700 it\n",
			cmd, rd->path, (unsigned)(st.st_mode & 0777));
		return false;
	}
	return true;
}

/* Is the live process pid the QEMU of this run directory? */
static bool is_our_qemu(const struct run_dir *rd, pid_t pid)
{
	char path[64], sock[PATH_MAX], buf[8192], state = 0;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%*d %*s %c", &state) != 1) {
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	if (state == 'Z' || state == 'X')
		return false;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	rundir_file(rd, "com2.sock", sock);
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
	return strstr(buf, sock) != NULL;
}

pid_t rundir_qemu_pid(const struct run_dir *rd)
{
	char path[PATH_MAX];
	long pid = 0;
	FILE *f = fopen(rundir_file(rd, "qemu.pid", path), "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 1 || pid > 0x7fffffff)
		pid = 0;
	fclose(f);
	if (!pid || kill((pid_t)pid, 0) < 0 || !is_our_qemu(rd, (pid_t)pid))
		return 0;
	return (pid_t)pid;
}

void rundir_clean(const struct run_dir *rd)
{
	static const char *const names[] = {"com1.sock", "com2.sock",
					    "qemu.pid"};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(rundir_file(rd, names[i], path));
}

int rundir_connect(const struct run_dir *rd, const char *cmd, struct mgmt *m,
		   int timeout_s)
{
	char path[PATH_MAX];

	if (!mgmt_socket_path(rd->path, path, sizeof(path))) {
		fprintf(stderr, "%s: the socket path is too long\n", cmd);
		return VMCTL_EXIT_USAGE;
	}
	if (!mgmt_open(m, path, mgmt_default_timeout(timeout_s)))
		return VMCTL_EXIT_FAIL;
	return VMCTL_EXIT_OK;
}
