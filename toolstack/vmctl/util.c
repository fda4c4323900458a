// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl's helpers for memory, files and child programs (vmctl.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmctl.h"

void *vmctl_xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fprintf(stderr, "vmctl: out of memory\n");
		exit(VMCTL_EXIT_USAGE);
	}
	return p;
}

/* In the child: stdout to out_fd (unless -1), stderr to /dev/null if quiet. */
static void child_exec(char *const argv[], int out_fd, bool quiet)
{
	if (out_fd >= 0) {
		dup2(out_fd, STDOUT_FILENO);
		close(out_fd);
	}
	if (quiet) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDERR_FILENO);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "vmctl: cannot run '%s': %s\n", argv[0],
		strerror(errno));
	_exit(127);
}

/* Reads fd to its end into *out, keeping a NUL after the data. */
static bool read_all(int fd, struct vmctl_buf *out)
{
	for (;;) {
		if (out->cap - out->len < 4096) {
			out->cap = out->cap * 2 + 65536;
			out->data = vmctl_xrealloc(out->data, out->cap);
		}
		ssize_t n =
		    read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->data[out->len] = '\0';
	return true;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 127;
	if (!WIFEXITED(status))
		return 128;
	return WEXITSTATUS(status);
}

int vmctl_run(char *const argv[], bool quiet, struct vmctl_buf *out)
{
	int fds[2] = {-1, -1};
	pid_t pid;

	if (out && pipe(fds) < 0)
		return 127;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		if (out) {
			close(fds[0]);
			close(fds[1]);
		}
		return 127;
	}
	if (pid == 0) {
		if (out)
			close(fds[0]);
		child_exec(argv, fds[1], quiet);
	}
	if (out) {
		close(fds[1]);
		read_all(fds[0], out);
		close(fds[0]);
	}
	return wait_child(pid);
}

bool vmctl_read_file(const char *path, struct vmctl_buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;
	int saved;

	if (fd < 0)
		return false;
	ok = read_all(fd, out);
	saved = errno;
	close(fd);
	errno = saved;
	return ok;
}

bool vmctl_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (!f)
		return false;
	ok = fwrite(data, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = false;
	return ok;
}
