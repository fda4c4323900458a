// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl console [DOM] (docs/vmctl.md): a minimal serial client on the run
 * directory's com1.sock, like `xl console`: the terminal in raw mode
 * (restored on every way out), bytes copied both ways, CTRL-] detaches.
 * Works with a stdin that is not a terminal too (scripts, tests): at its
 * end the output is still copied for a moment, then vmctl detaches.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "rundir.h"
#include "vmctl.h"

#define CMD	      "vmctl console"
#define DETACH_KEY    0x1d /* CTRL-] */
#define EOF_LINGER_MS 500

static struct termios saved_tio;
static bool tio_saved;
static volatile sig_atomic_t console_stop;

static void restore_terminal(void)
{
	if (tio_saved)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	tio_saved = false;
}

static void on_signal(int sig)
{
	(void)sig;
	console_stop = 1;
}

static void raw_terminal(void)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tio))
		return;
	raw = saved_tio;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw) == 0) {
		tio_saved = true;
		atexit(restore_terminal);
	}
}

static int connect_console(const struct run_dir *rd)
{
	struct sockaddr_un sa;
	char path[PATH_MAX];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	rundir_file(rd, "com1.sock", path);
	mgmt_unix_addr(&sa, path); /* the run directory's path is short */
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return fd;
	fprintf(stderr, CMD ": cannot connect to %s: %s%s\n", path,
		strerror(errno),
		errno == ENOENT || errno == ECONNREFUSED
		    ? " (is Atoll running? 'vmctl up' starts it)"
		    : "");
	if (fd >= 0)
		close(fd);
	return -1;
}

static bool write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Keyboard to the console, up to the detach key. Returns 1 to go on, 0 to
 * detach, -1 at the end of stdin.
 */
static int from_keyboard(int sock)
{
	char buf[4096];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));
	char *key;

	if (n < 0 && errno == EINTR)
		return 1;
	if (n <= 0)
		return -1;
	key = memchr(buf, DETACH_KEY, (size_t)n);
	if (!write_all(sock, buf, key ? (size_t)(key - buf) : (size_t)n))
		return 0;
	return key ? 0 : 1;
}

/* Console to the screen; false when it closed. */
static bool to_screen(int sock)
{
	char buf[4096];
	ssize_t n = read(sock, buf, sizeof(buf));

	if (n < 0 && errno == EINTR)
		return true;
	return n > 0 && write_all(STDOUT_FILENO, buf, (size_t)n);
}

/* Copies both ways until detached; returns the exit status. */
static int copy_loop(int sock)
{
	struct pollfd fds[2] = {{sock, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
	nfds_t nfds = 2;
	int timeout = -1;

	while (!console_stop) {
		int n = poll(fds, nfds, timeout);

		if (n == 0)
			return VMCTL_EXIT_OK; /* lingered after stdin's end */
		if (n < 0)
			continue;
		if (fds[0].revents && !to_screen(sock)) {
			restore_terminal();
			fprintf(stderr, "\n" CMD ": the console closed (QEMU "
					"stopped?)\n");
			return VMCTL_EXIT_FAIL;
		}
		if (nfds == 2 && fds[1].revents) {
			int k = from_keyboard(sock);

			if (k == 0)
				return VMCTL_EXIT_OK;
			if (k < 0) {
				nfds = 1;
				timeout = EOF_LINGER_MS;
			}
		}
	}
	return VMCTL_EXIT_OK;
}

int cmd_console(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct run_dir rd;
	int sock, rc;

	if (!rundir_from_args(&argc, argv, CMD, &rd))
		return VMCTL_EXIT_USAGE;
	if (argc > 1 || (argc == 1 && argv[0][0] == '-')) {
		fprintf(stderr,
			CMD ": unexpected '%s'\nusage: " CMD
			    " [DOM] [--run-dir DIR]\n",
			argv[argc - 1]);
		return VMCTL_EXIT_USAGE;
	}
	sock = connect_console(&rd);
	if (sock < 0)
		return VMCTL_EXIT_FAIL;
	fprintf(stderr,
		"Atoll console (%s/com1.sock): every domain's lines, "
		"prefixed (dN name). CTRL-] detaches.\n",
		rd.path);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	raw_terminal();
	rc = copy_loop(sock);
	restore_terminal();
	close(sock);
	if (rc == VMCTL_EXIT_OK)
		fprintf(stderr, "\ndetached\n");
	return rc;
}
