// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl up and vmctl down (docs/vmctl.md).
 *
 * up: builds the ISO of a source manifest with `image build`'s code into
 * the run directory, starts QEMU in the background through the one
 * launcher (toolstack/scripts/atoll-qemu: TCG, COM1 and COM2 on unix
 * sockets created mode 0600, COM1 also logged to console.log), then asks
 * ctld ATOLL_MGMT_HELLO until every boot domain is ready.
 * down: stops that QEMU (SIGTERM, SIGKILL after 5 s) and removes the
 * sockets and the pid file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mgmt.h"
#include "rundir.h"
#include "vmctl.h"

#define UP_CMD "vmctl up"
#define UP_USAGE                                                               \
	UP_CMD " [MANIFEST] [--run-dir DIR] [--timeout S] [--core PATH]"
#define UP_TIMEOUT_S	60
#define HELLO_RETRY_MS	1000  /* no answer yet: ask again */
#define HELLO_POLL_MS	100   /* answered, not all ready: ask again */
#define CTLD_WAIT_MS	10000 /* no "ready" line from ctld: ask anyway */
#define QEMU_MEMORY_MIB "256"
#define DOWN_GRACE_MS	5000

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- arguments ---- */

struct up_args {
	struct run_dir rd;
	const char *manifest, *core;
	int timeout_ms;
};

static int up_usage(const char *msg, const char *arg)
{
	fprintf(stderr, UP_CMD ": ");
	fprintf(stderr, msg, arg);
	fprintf(stderr, "\nusage: " UP_USAGE "\n");
	return VMCTL_EXIT_USAGE;
}

static int up_parse(int argc, char **argv, struct up_args *a)
{
	const char *timeout = NULL;
	char *end;
	double s = UP_TIMEOUT_S;

	if (!rundir_from_args(&argc, argv, UP_CMD, &a->rd) ||
	    args_take(&argc, argv, UP_CMD, "--timeout", &timeout) < 0 ||
	    args_take(&argc, argv, UP_CMD, "--core", &a->core) < 0)
		return VMCTL_EXIT_USAGE;
	if (timeout) {
		s = strtod(timeout, &end);
		if (*end || !(s > 0 && s <= 86400))
			return up_usage("--timeout '%s': seconds, above 0",
					timeout);
	}
	a->timeout_ms = (int)(s * 1000);
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			return up_usage("unknown option '%s'", argv[i]);
		if (a->manifest)
			return up_usage("one MANIFEST only ('%s' is extra)",
					argv[i]);
		a->manifest = argv[i];
	}
	if (!a->manifest)
		a->manifest = VMCTL_DEFAULT_MANIFEST;
	return VMCTL_EXIT_OK;
}

/* ---- starting QEMU ---- */

static const char *launcher(void)
{
	const char *e = getenv("ATOLL_QEMU_LAUNCHER");

	return e && *e ? e : VMCTL_QEMU_LAUNCHER;
}

/* In the child: a session of its own, logs in qemu.log, private files. */
static void launch_child(const struct run_dir *rd, const char *iso)
{
	char log[PATH_MAX], com1[PATH_MAX + 8], com2[PATH_MAX + 8];
	char console[PATH_MAX], p[PATH_MAX];
	int fd;

	setsid();
	umask(0177); /* sockets and logs 0600 from their creation */
	fd = open(rundir_file(rd, "qemu.log", log),
		  O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, STDIN_FILENO);
	snprintf(com1, sizeof(com1), "unix:%s",
		 rundir_file(rd, "com1.sock", p));
	snprintf(com2, sizeof(com2), "unix:%s",
		 rundir_file(rd, "com2.sock", p));
	rundir_file(rd, "console.log", console);
	execlp(launcher(), launcher(), "--iso", iso, "--serial", com1,
	       "--serial-log", console, "--com2", com2, "--memory",
	       QEMU_MEMORY_MIB, (char *)NULL);
	fprintf(stderr, "vmctl up: cannot run %s: %s\n", launcher(),
		strerror(errno));
	_exit(127);
}

static pid_t launch(const struct run_dir *rd, const char *iso)
{
	char path[PATH_MAX];
	pid_t pid;
	FILE *f;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		launch_child(rd, iso);
	if (pid < 0) {
		fprintf(stderr, UP_CMD ": fork: %s\n", strerror(errno));
		return -1;
	}
	f = fopen(rundir_file(rd, "qemu.pid", path), "w");
	if (f) {
		fprintf(f, "%d\n", (int)pid);
		fclose(f);
	}
	return pid;
}

/* ---- waiting for ctld ---- */

/* What was seen last, for the progress lines and the timeout message. */
struct up_state {
	pid_t pid;
	bool answered;
	struct mgmt_hello hello;
	bool printed_waiting;
	unsigned printed_ready, printed_boot;
};

static void progress(struct up_state *s)
{
	if (!s->answered) {
		if (!s->printed_waiting)
			printf("waiting for ctld...\n");
		s->printed_waiting = true;
	} else if (s->hello.ready != s->printed_ready ||
		   s->hello.boot_domains != s->printed_boot) {
		printf("waiting for ctld... %u/%u boot domains ready\n",
		       s->hello.ready, s->hello.boot_domains);
		s->printed_ready = s->hello.ready;
		s->printed_boot = s->hello.boot_domains;
	}
	fflush(stdout);
}

/* Has QEMU exited (said, with its log)? */
static bool qemu_exited(const struct run_dir *rd, pid_t pid)
{
	struct vmctl_buf log = {0};
	char path[PATH_MAX];
	int status;

	if (waitpid(pid, &status, WNOHANG) != pid)
		return false;
	fprintf(stderr,
		UP_CMD ": QEMU exited (%s %d) before the system was "
		       "ready; its output (%s):\n",
		WIFEXITED(status) ? "status" : "signal",
		WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
		rundir_file(rd, "qemu.log", path));
	if (vmctl_read_file(path, &log))
		fputs(log.len > 2000 ? log.data + log.len - 2000 : log.data,
		      stderr);
	free(log.data);
	rundir_clean(rd);
	return true;
}

/* Connects quietly: the socket appears once QEMU has started. */
static bool try_connect(const struct run_dir *rd, struct mgmt *m)
{
	char path[PATH_MAX];
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
	bool ok;

	rundir_file(rd, "com2.sock", path);
	if (access(path, F_OK) < 0) {
		close(saved);
		close(null);
		return false;
	}
	fflush(stderr);
	dup2(null, STDERR_FILENO);
	ok = mgmt_open(m, path, HELLO_RETRY_MS);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(null);
	return ok;
}

/* Is id one this connection sent (ids only grow from first_id)? */
static bool sent_by_us(const struct mgmt *m, uint32_t first_id, uint32_t id)
{
	return id - first_id < m->next_req_id - first_id;
}

/*
 * One HELLO, then the answer to it or to any earlier one on this
 * connection (a ctld slower than HELLO_RETRY_MS still gets through),
 * within wait_ms: MGMT_OK with the answer in s->hello, MGMT_TIMEOUT, or
 * another status (MGMT_PROTOCOL for an answer that is not HELLO's).
 */
static enum mgmt_status hello(struct mgmt *m, uint32_t first_id,
			      struct up_state *s, int wait_ms)
{
	int64_t deadline = mgmt_now_ms() + wait_ms;
	struct mgmt_msg r;
	enum mgmt_status st = mgmt_send(m, ATOLL_MGMT_HELLO, 0, NULL, 0, NULL);

	while (st == MGMT_OK) {
		st = mgmt_recv(m, deadline, &r);
		if (st != MGMT_OK)
			return st;
		if (!sent_by_us(m, first_id, r.hdr.req_id))
			continue; /* an event, or an earlier client's reply */
		if (r.hdr.type == XS_ERROR)
			return MGMT_REMOTE;
		if (r.hdr.type != ATOLL_MGMT_HELLO ||
		    mgmt_reply_hello(r.payload, r.hdr.len, &s->hello))
			return MGMT_PROTOCOL;
		s->answered = true;
		return MGMT_OK;
	}
	return st;
}

static bool all_ready(const struct up_state *s)
{
	return s->answered && s->hello.boot_domains &&
	       s->hello.ready >= s->hello.boot_domains;
}

/* The last line COM1 printed, for the timeout message. */
static void last_console_line(const struct run_dir *rd, char *out, size_t size)
{
	struct vmctl_buf log = {0};
	char path[PATH_MAX];
	char *end, *start;

	out[0] = '\0';
	if (!vmctl_read_file(rundir_file(rd, "console.log", path), &log) ||
	    !log.len) {
		free(log.data);
		return;
	}
	end = log.data + log.len;
	while (end > log.data && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	start = end;
	while (start > log.data && start[-1] != '\n')
		start--;
	snprintf(out, size, "%s", start);
	free(log.data);
}

static int timed_out(const struct up_args *a, const struct up_state *s)
{
	char line[160];

	fprintf(stderr,
		UP_CMD ": not ready after %.1f s: ", a->timeout_ms / 1e3);
	if (s->answered) {
		fprintf(stderr, "ctld answers, %u of %u boot domains ready\n",
			s->hello.ready, s->hello.boot_domains);
	} else {
		last_console_line(&a->rd, line, sizeof(line));
		fprintf(stderr,
			"ctld never answered on com2.sock; the console's last "
			"line: '%s'\n",
			line);
	}
	fprintf(stderr,
		"QEMU (pid %d) is still running: see %s/console.log or "
		"'vmctl console'; 'vmctl down' stops it\n",
		(int)s->pid, a->rd.path);
	return VMCTL_EXIT_FAIL;
}

/* The sockets QEMU made must be private (it was given umask 0177). */
static bool check_sockets(const struct run_dir *rd)
{
	static const char *const names[] = {"com1.sock", "com2.sock"};
	char path[PATH_MAX];
	struct stat st;

	for (size_t i = 0; i < 2; i++) {
		if (stat(rundir_file(rd, names[i], path), &st) < 0)
			continue; /* not there: QEMU exited, said elsewhere */
		if (st.st_mode & 077) {
			fprintf(stderr,
				UP_CMD ": %s is mode %03o, not 0600: stopping "
				       "QEMU\n",
				path, (unsigned)(st.st_mode & 0777));
			pid_t pid = rundir_qemu_pid(rd);

			if (pid > 0)
				kill(pid, SIGKILL);
			rundir_clean(rd);
			return false;
		}
	}
	return true;
}

/*
 * May the first HELLO go? Bytes that reach COM2 before ctld has set up its
 * UART are partly lost (resetting the 16550's FIFO drops what it held),
 * and the rest puts ctld's frame reader out of step. So vmctl waits for
 * ctld's line "(dN ctld) ... ready" on the console, or CTLD_WAIT_MS.
 */
static bool ctld_listening(const struct run_dir *rd, int64_t started)
{
	struct vmctl_buf log = {0};
	char path[PATH_MAX];
	bool ready = false;

	if (mgmt_now_ms() - started > CTLD_WAIT_MS)
		return true;
	if (!vmctl_read_file(rundir_file(rd, "console.log", path), &log))
		return false;
	for (char *line = log.data; line && !ready; line = strchr(line, '\n')) {
		unsigned domid;
		int end = 0;

		line += *line == '\n';
		if (sscanf(line, "(d%u ctld)%n", &domid, &end) == 1 && end) {
			char *nl = strchr(line, '\n');
			char *word = strstr(line + end, "ready");

			ready = word && (!nl || word < nl);
		}
	}
	free(log.data);
	return ready;
}

static int wait_ready(const struct up_args *a, struct up_state *s)
{
	int64_t started = mgmt_now_ms(), deadline = started + a->timeout_ms;
	struct mgmt m = {.fd = -1};
	bool connected = false;
	enum mgmt_status st;
	uint32_t first_id = 0;

	progress(s);
	while (!all_ready(s)) {
		int64_t left = deadline - mgmt_now_ms();

		if (left <= 0) {
			mgmt_close(&m);
			return timed_out(a, s);
		}
		if (qemu_exited(&a->rd, s->pid)) {
			mgmt_close(&m);
			return VMCTL_EXIT_FAIL;
		}
		if (!connected) {
			connected = ctld_listening(&a->rd, started) &&
				    try_connect(&a->rd, &m);
			first_id = m.next_req_id;
			if (connected && !check_sockets(&a->rd)) {
				mgmt_close(&m);
				return VMCTL_EXIT_FAIL;
			}
			if (!connected)
				sleep_ms(20);
			continue;
		}
		st = hello(&m, first_id, s,
			   left < HELLO_RETRY_MS ? (int)left : HELLO_RETRY_MS);
		if (st == MGMT_OK)
			progress(s);
		if (st == MGMT_CLOSED || st == MGMT_IO) {
			mgmt_close(&m); /* QEMU going away? look again */
			connected = false;
		}
		if (st != MGMT_TIMEOUT && !all_ready(s))
			sleep_ms(HELLO_POLL_MS);
	}
	mgmt_close(&m);
	return VMCTL_EXIT_OK;
}

/* ---- up ---- */

static int build_iso(const struct up_args *a, char *iso)
{
	char *argv[6];
	int argc = 0;

	rundir_file(&a->rd, "atoll.iso", iso);
	argv[argc++] = (char *)a->manifest;
	argv[argc++] = "-o";
	argv[argc++] = iso;
	if (a->core) {
		argv[argc++] = "--core";
		argv[argc++] = (char *)a->core;
	}
	argv[argc] = NULL;
	return cmd_image_build(argc, argv);
}

static int refuse_running(const struct run_dir *rd, pid_t pid)
{
	fprintf(stderr,
		UP_CMD ": Atoll is already running in %s (QEMU pid %d); "
		       "'vmctl down' stops it, --run-dir starts another\n",
		rd->path, (int)pid);
	return VMCTL_EXIT_FAIL;
}

int cmd_up(int argc, char **argv)
{
	struct up_args a = {0};
	struct up_state s = {0};
	char iso[PATH_MAX];
	pid_t running;
	int rc = up_parse(argc, argv, &a);

	if (rc != VMCTL_EXIT_OK)
		return rc;
	if (!rundir_prepare(&a.rd, UP_CMD))
		return VMCTL_EXIT_FAIL;
	running = rundir_qemu_pid(&a.rd);
	if (running)
		return refuse_running(&a.rd, running);
	rundir_clean(&a.rd); /* what a QEMU that died left */
	rc = build_iso(&a, iso);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	s.pid = launch(&a.rd, iso);
	if (s.pid < 0)
		return VMCTL_EXIT_FAIL;
	rc = wait_ready(&a, &s);
	if (rc == VMCTL_EXIT_OK)
		printf("Atoll is up: %u boot domains ready (run dir %s); "
		       "'vmctl console' attaches, 'vmctl down' stops it\n",
		       s.hello.boot_domains, a.rd.path);
	return rc;
}

/* ---- down ---- */

static bool wait_gone(pid_t pid, int ms)
{
	char path[64], state = 0;
	FILE *f;

	for (int waited = 0;; waited += 20) {
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		f = fopen(path, "r");
		if (!f)
			return true;
		if (fscanf(f, "%*d %*s %c", &state) != 1)
			state = 'X';
		fclose(f);
		if (state == 'Z' || state == 'X')
			return true;
		if (waited >= ms)
			return false;
		sleep_ms(20);
	}
}

int cmd_down(int argc, char **argv)
{
	struct run_dir rd;
	pid_t pid;

	if (!rundir_from_args(&argc, argv, "vmctl down", &rd))
		return VMCTL_EXIT_USAGE;
	if (argc) {
		fprintf(stderr,
			"vmctl down: unexpected '%s'\nusage: vmctl "
			"down [--run-dir DIR]\n",
			argv[0]);
		return VMCTL_EXIT_USAGE;
	}
	pid = rundir_qemu_pid(&rd);
	if (pid) {
		kill(pid, SIGTERM);
		if (!wait_gone(pid, DOWN_GRACE_MS)) {
			kill(pid, SIGKILL);
			wait_gone(pid, 2000);
		}
		printf("stopped QEMU (pid %d) in %s\n", (int)pid, rd.path);
	} else {
		printf("nothing running in %s\n", rd.path);
	}
	rundir_clean(&rd);
	return VMCTL_EXIT_OK;
}
