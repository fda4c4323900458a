// SPDX-License-Identifier: GPL-2.0-only
/*
 * XenStore commands over the management channel (docs/vmctl.md):
 * xenstore-ls, -read, -write, -rm and -watch, as Xen's xenstore-utils
 * behave, in plain XenStore wire messages that ctld forwards to the store.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mgmt.h"
#include "rundir.h"
#include "vmctl.h"

/* A request payload: NUL-terminated strings, then raw bytes. */
struct payload {
	char data[XENSTORE_PAYLOAD_MAX];
	size_t len;
	bool too_big;
};

static void put(struct payload *p, const void *s, size_t len, bool nul)
{
	if (p->len + len + nul > sizeof(p->data)) {
		p->too_big = true;
		return;
	}
	memcpy(p->data + p->len, s, len);
	p->len += len;
	if (nul)
		p->data[p->len++] = '\0';
}

static void put_str(struct payload *p, const char *s)
{
	put(p, s, strlen(s), true);
}

/* One request; XS_ERROR is said with the path it concerns. */
static int xs_request(struct mgmt *m, uint32_t type, uint32_t tx,
		      const struct payload *p, const char *path,
		      struct mgmt_msg *r)
{
	enum mgmt_status st;

	if (p->too_big) {
		fprintf(stderr, "vmctl: E2BIG: %s: longer than %d bytes\n",
			path, XENSTORE_PAYLOAD_MAX);
		return VMCTL_EXIT_FAIL;
	}
	st = mgmt_call(m, type, tx, p->data, p->len, r);
	return mgmt_report(m, st, path);
}

/*
 * Takes --run-dir (into *rd), rejects options, drops a leading "--",
 * checks there are at least min_args arguments.
 */
static int xs_args(int *argc, char **argv, const char *cmd, int min_args,
		   const char *usage, struct run_dir *rd)
{
	if (!rundir_from_args(argc, argv, cmd, rd))
		return VMCTL_EXIT_USAGE;
	for (int i = 0; i < *argc && strcmp(argv[i], "--"); i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s: unknown option '%s'\nusage: %s\n",
				cmd, argv[i], usage);
			return VMCTL_EXIT_USAGE;
		}
	}
	if (*argc > 0 && !strcmp(argv[0], "--")) {
		for (int i = 0; i < *argc; i++)
			argv[i] = argv[i + 1];
		(*argc)--;
	}
	if (*argc < min_args) {
		fprintf(stderr, "%s: missing argument\nusage: %s\n", cmd,
			usage);
		return VMCTL_EXIT_USAGE;
	}
	return VMCTL_EXIT_OK;
}

/* xs_args, then the connection. */
static int xs_open(int *argc, char **argv, const char *cmd, int min_args,
		   const char *usage, struct mgmt *m)
{
	struct run_dir rd;
	int rc = xs_args(argc, argv, cmd, min_args, usage, &rd);

	return rc == VMCTL_EXIT_OK ? rundir_connect(&rd, cmd, m, 10) : rc;
}

/* ---- read, write, rm ---- */

int cmd_xs_read(int argc, char **argv)
{
	struct mgmt m = {.fd = -1};
	struct mgmt_msg r;
	int rc = xs_open(&argc, argv, "vmctl xenstore-read", 1,
			 "vmctl xenstore-read PATH... [--run-dir DIR]", &m);

	for (int i = 0; i < argc && rc == VMCTL_EXIT_OK; i++) {
		struct payload p = {.len = 0};

		put_str(&p, argv[i]);
		rc = xs_request(&m, XS_READ, 0, &p, argv[i], &r);
		if (rc == VMCTL_EXIT_OK) {
			fwrite(r.payload, 1, r.hdr.len, stdout);
			putchar('\n');
		}
	}
	mgmt_close(&m);
	return rc;
}

int cmd_xs_write(int argc, char **argv)
{
	static const char usage[] =
	    "vmctl xenstore-write PATH VALUE [PATH VALUE]... [--run-dir DIR]";
	struct mgmt m = {.fd = -1};
	struct mgmt_msg r;
	struct run_dir rd;
	int rc = xs_args(&argc, argv, "vmctl xenstore-write", 2, usage, &rd);

	if (rc == VMCTL_EXIT_OK && argc % 2) {
		fprintf(stderr,
			"vmctl xenstore-write: '%s' has no value\nusage: %s\n",
			argv[argc - 1], usage);
		rc = VMCTL_EXIT_USAGE;
	}
	if (rc == VMCTL_EXIT_OK)
		rc = rundir_connect(&rd, "vmctl xenstore-write", &m, 10);
	for (int i = 0; i + 1 < argc && rc == VMCTL_EXIT_OK; i += 2) {
		struct payload p = {.len = 0};

		put_str(&p, argv[i]);
		put(&p, argv[i + 1], strlen(argv[i + 1]), false);
		rc = xs_request(&m, XS_WRITE, 0, &p, argv[i], &r);
	}
	mgmt_close(&m);
	return rc;
}

int cmd_xs_rm(int argc, char **argv)
{
	struct mgmt m = {.fd = -1};
	struct mgmt_msg r;
	int rc = xs_open(&argc, argv, "vmctl xenstore-rm", 1,
			 "vmctl xenstore-rm PATH... [--run-dir DIR]", &m);

	for (int i = 0; i < argc && rc == VMCTL_EXIT_OK; i++) {
		struct payload p = {.len = 0};

		put_str(&p, argv[i]);
		rc = xs_request(&m, XS_RM, 0, &p, argv[i], &r);
	}
	mgmt_close(&m);
	return rc;
}

/* ---- ls ---- */

/* Prints a value as xenstore-ls does: backslash and controls escaped. */
static void print_value(const uint8_t *v, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '\\')
			fputs("\\\\", stdout);
		else if (v[i] < ' ' || v[i] == 0x7f)
			printf("\\%03o", v[i]);
		else
			putchar(v[i]);
	}
}

static char *child_path(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = vmctl_xrealloc(NULL, len);

	snprintf(path, len, "%s%s%s", dir,
		 dir[strlen(dir) - 1] == '/' ? "" : "/", name);
	return path;
}

static int ls_tree(struct mgmt *m, uint32_t tx, const char *dir, int depth);

/* One entry and, below it, its children. */
static int ls_entry(struct mgmt *m, uint32_t tx, const char *path,
		    const char *name, int depth)
{
	struct payload p = {.len = 0};
	struct mgmt_msg r;
	enum mgmt_status st;

	put_str(&p, path);
	st = mgmt_call(m, XS_READ, tx, p.data, p.len, &r);
	if (st == MGMT_REMOTE && !strcmp(m->error.name, "ENOENT"))
		return VMCTL_EXIT_OK; /* removed meanwhile */
	if (st != MGMT_OK)
		return mgmt_report(m, st, path);
	printf("%*s%s = \"", depth, "", name);
	print_value(r.payload, r.hdr.len);
	printf("\"\n");
	return ls_tree(m, tx, path, depth + 1);
}

static int ls_tree(struct mgmt *m, uint32_t tx, const char *dir, int depth)
{
	struct payload p = {.len = 0};
	struct mgmt_msg r;
	char *names;
	size_t len;
	int rc;

	put_str(&p, dir);
	rc = xs_request(m, XS_DIRECTORY, tx, &p, dir, &r);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	/* The reply buffer is reused by the next call: keep a copy. */
	len = r.hdr.len;
	names = vmctl_xrealloc(NULL, len + 1);
	memcpy(names, r.payload, len);
	names[len] = '\0';
	for (size_t i = 0; i < len && rc == VMCTL_EXIT_OK;
	     i += strlen(names + i) + 1) {
		char *path;

		if (!names[i])
			continue;
		path = child_path(dir, names + i);
		rc = ls_entry(m, tx, path, names + i, depth);
		free(path);
	}
	free(names);
	return rc;
}

/* A read-only transaction, so the tree is one snapshot; 0 if refused. */
static uint32_t ls_begin(struct mgmt *m)
{
	struct mgmt_msg r;
	char id[16];

	if (mgmt_call(m, XS_TRANSACTION_START, 0, "", 1, &r) != MGMT_OK)
		return 0;
	snprintf(id, sizeof(id), "%.*s", (int)(r.hdr.len < 15 ? r.hdr.len : 15),
		 (const char *)r.payload);
	return (uint32_t)strtoul(id, NULL, 10);
}

int cmd_xs_ls(int argc, char **argv)
{
	static const char usage[] = "vmctl xenstore-ls [PATH] [--run-dir DIR]";
	struct mgmt m = {.fd = -1};
	struct mgmt_msg r;
	struct run_dir rd;
	uint32_t tx;
	int rc = xs_args(&argc, argv, "vmctl xenstore-ls", 0, usage, &rd);

	if (rc == VMCTL_EXIT_OK && argc > 1) {
		fprintf(stderr, "vmctl xenstore-ls: one PATH at most\n");
		rc = VMCTL_EXIT_USAGE;
	}
	if (rc == VMCTL_EXIT_OK)
		rc = rundir_connect(&rd, "vmctl xenstore-ls", &m, 10);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	tx = ls_begin(&m);
	rc = ls_tree(&m, tx, argc ? argv[0] : "/", 0);
	if (tx) {
		/* Read-only: whatever the answer, nothing is lost. */
		enum mgmt_status ignored =
		    mgmt_call(&m, XS_TRANSACTION_END, tx, "F", 2, &r);
		(void)ignored;
	}
	mgmt_close(&m);
	return rc;
}

/* ---- watch ---- */

static volatile sig_atomic_t watch_stop;

static void on_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

struct watch {
	char token[48];
	long left; /* events still to print; -1: no limit */
};

static void on_event(void *ctx, const uint8_t *p, uint32_t len)
{
	struct watch *w = ctx;
	const uint8_t *nul = memchr(p, '\0', len);
	size_t path_len = nul ? (size_t)(nul - p) : len;
	size_t rest = nul ? len - path_len - 1 : 0;

	if (!nul || rest < strlen(w->token) ||
	    memcmp(nul + 1, w->token, strlen(w->token)) ||
	    (rest > strlen(w->token) && nul[1 + strlen(w->token)]))
		return; /* another client's watch */
	if (!w->left)
		return;
	printf("%.*s\n", (int)path_len, (const char *)p);
	fflush(stdout);
	if (w->left > 0)
		w->left--;
}

static int watch_loop(struct mgmt *m, struct watch *w)
{
	struct mgmt_msg msg;

	while (w->left && !watch_stop) {
		enum mgmt_status st =
		    mgmt_recv(m, mgmt_now_ms() + 3600000, &msg);

		if (st == MGMT_TIMEOUT)
			continue;
		if (st != MGMT_OK)
			return mgmt_report(m, st, NULL);
		if (msg.hdr.type == XS_WATCH_EVENT)
			on_event(w, msg.payload, msg.hdr.len);
	}
	return VMCTL_EXIT_OK;
}

static int parse_count(int *argc, char **argv, long *left)
{
	const char *n = NULL;
	uint64_t v;
	int got = args_take(argc, argv, "vmctl xenstore-watch", "-n", &n);

	*left = -1;
	if (got < 0)
		return VMCTL_EXIT_USAGE;
	if (got &&
	    (!mgmt_parse_u64(n, strlen(n), &v) || !v || v > 1000000000)) {
		fprintf(stderr,
			"vmctl xenstore-watch: -n '%s': a number of events, "
			"1 or more\n",
			n);
		return VMCTL_EXIT_USAGE;
	}
	if (got)
		*left = (long)v;
	return VMCTL_EXIT_OK;
}

int cmd_xs_watch(int argc, char **argv)
{
	struct watch w;
	struct payload p = {.len = 0};
	struct sigaction sa = {.sa_handler = on_signal};
	struct mgmt m = {.fd = -1};
	struct mgmt_msg r;
	int rc = parse_count(&argc, argv, &w.left);

	if (rc == VMCTL_EXIT_OK)
		rc = xs_open(&argc, argv, "vmctl xenstore-watch", 1,
			     "vmctl xenstore-watch [-n N] PATH [--run-dir DIR]",
			     &m);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	snprintf(w.token, sizeof(w.token), "vmctl-watch-%d", (int)getpid());
	put_str(&p, argv[0]);
	put_str(&p, w.token);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	m.on_event = on_event;
	m.event_ctx = &w;
	rc = xs_request(&m, XS_WATCH, 0, &p, argv[0], &r);
	if (rc == VMCTL_EXIT_OK)
		rc = watch_loop(&m, &w);
	if (rc == VMCTL_EXIT_OK) {
		/* The channel outlives us: leave no watch behind. */
		m.timeout_ms = 2000;
		m.on_event = NULL;
		rc = xs_request(&m, XS_UNWATCH, 0, &p, argv[0], &r);
	}
	mgmt_close(&m);
	return rc;
}
