// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain commands that are one control request each (docs/vmctl.md):
 * list, info, dmesg, destroy, pause, unpause, shutdown, reboot and
 * sched-credit. Each connects to the run directory's com2.sock, sends its
 * request, and prints the reply as xl would; an XS_ERROR reply is printed
 * as "vmctl: ENAME: message" and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt.h"
#include "rundir.h"
#include "vmctl.h"

#define NAME_WIDTH 32

/* Rejects options and counts positionals: want_min..want_max of them. */
static int positionals(int argc, char **argv, const char *cmd, int want_min,
		       int want_max, const char *usage)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "%s: unknown option '%s'\nusage: %s\n",
				cmd, argv[i], usage);
			return -1;
		}
		n++;
	}
	if (n < want_min || n > want_max) {
		fprintf(stderr, "%s: %s\nusage: %s\n", cmd,
			n < want_min ? "missing argument"
				     : "too many arguments",
			usage);
		return -1;
	}
	return n;
}

/* Opens the channel after taking --run-dir; checks the positionals. */
static int open_for(int *argc, char **argv, const char *cmd, int want_min,
		    int want_max, const char *usage, struct mgmt *m)
{
	struct run_dir rd;

	/* Usage first, so that a typo never waits for a connection. */
	if (!rundir_from_args(argc, argv, cmd, &rd) ||
	    positionals(*argc, argv, cmd, want_min, want_max, usage) < 0)
		return VMCTL_EXIT_USAGE;
	return rundir_connect(&rd, cmd, m, 10);
}

/* ---- list ---- */

static void list_header(void)
{
	printf("%-*s %5s %8s %5s %6s %9s\n", NAME_WIDTH, "Name", "ID",
	       "Mem(MiB)", "VCPUs", "State", "Time(s)");
}

static void list_row(const struct mgmt_domain *d)
{
	printf("%-*s %5u %8llu %5u %6s %9.1f\n", NAME_WIDTH, d->name, d->id,
	       (unsigned long long)(d->mem_kib / 1024), d->vcpus,
	       mgmt_state_letters(d->state), (double)d->cpu_ns / 1e9);
}

/*
 * Calls fn for each domain of a LIST reply; returns how many lines were
 * malformed (each said on stderr).
 */
static unsigned
for_each_domain(const struct mgmt_msg *r,
		void (*fn)(const struct mgmt_domain *d, void *ctx), void *ctx)
{
	struct mgmt_lines l;
	struct mgmt_domain d;
	const char *line;
	size_t len;
	unsigned bad = 0;

	mgmt_lines_init(&l, r->payload, r->hdr.len);
	while (mgmt_lines_next(&l, &line, &len)) {
		if (!len)
			continue;
		if (mgmt_reply_domain(line, len, &d) == 0) {
			fn(&d, ctx);
		} else {
			fprintf(stderr, "vmctl: malformed LIST line '%.*s'\n",
				(int)(len > 80 ? 80 : len), line);
			bad++;
		}
	}
	return bad;
}

static void print_row(const struct mgmt_domain *d, void *ctx)
{
	(void)ctx;
	list_row(d);
}

int cmd_list(int argc, char **argv)
{
	struct mgmt m;
	struct mgmt_msg r;
	enum mgmt_status st;
	unsigned bad;
	int rc = open_for(&argc, argv, "vmctl list", 0, 0,
			  "vmctl list [--run-dir DIR]", &m);

	if (rc != VMCTL_EXIT_OK)
		return rc;
	st = mgmt_call(&m, ATOLL_MGMT_LIST, 0, NULL, 0, &r);
	if (st != MGMT_OK) {
		rc = mgmt_report(&m, st, NULL);
	} else {
		list_header();
		bad = for_each_domain(&r, print_row, NULL);
		rc = bad ? VMCTL_EXIT_FAIL : VMCTL_EXIT_OK;
	}
	mgmt_close(&m);
	return rc;
}

/* ---- info, dmesg ---- */

static void print_info(const struct mgmt_msg *r)
{
	struct mgmt_lines l;
	const char *line, *value;
	size_t len, vlen;
	char key[64];

	mgmt_lines_init(&l, r->payload, r->hdr.len);
	while (mgmt_lines_next(&l, &line, &len)) {
		if (mgmt_reply_kv(line, len, key, sizeof(key), &value, &vlen))
			continue;
		printf("%-23s: %.*s\n", key, (int)vlen, value);
	}
}

/* Requests type with no payload and hands the reply to print. */
static int simple_query(int argc, char **argv, const char *cmd, uint32_t type,
			void (*print)(const struct mgmt_msg *r))
{
	char usage[96];
	struct mgmt m;
	struct mgmt_msg r;
	enum mgmt_status st;
	int rc;

	snprintf(usage, sizeof(usage), "%s [--run-dir DIR]", cmd);
	rc = open_for(&argc, argv, cmd, 0, 0, usage, &m);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	st = mgmt_call(&m, type, 0, NULL, 0, &r);
	if (st == MGMT_OK)
		print(&r);
	rc = mgmt_report(&m, st, NULL);
	mgmt_close(&m);
	return rc;
}

int cmd_info(int argc, char **argv)
{
	return simple_query(argc, argv, "vmctl info", ATOLL_MGMT_INFO,
			    print_info);
}

static void print_dmesg(const struct mgmt_msg *r)
{
	fwrite(r->payload, 1, r->hdr.len, stdout);
	if (r->hdr.len && r->payload[r->hdr.len - 1] != '\n')
		putchar('\n');
}

int cmd_dmesg(int argc, char **argv)
{
	return simple_query(argc, argv, "vmctl dmesg", ATOLL_MGMT_DMESG,
			    print_dmesg);
}

/* ---- one domain, one request ---- */

/* A DOM is one word: a name or an id, sent as it is. */
static bool valid_dom(const char *cmd, const char *dom)
{
	if (!dom[0] || strpbrk(dom, " \t\r\n")) {
		fprintf(stderr,
			"%s: '%s' is not a domain name or id (no blanks)\n",
			cmd, dom);
		return false;
	}
	return true;
}

static int dom_request(int argc, char **argv, const char *cmd, uint32_t type)
{
	char usage[96];
	struct mgmt m;
	struct mgmt_msg r;
	enum mgmt_status st;
	int rc;

	snprintf(usage, sizeof(usage), "%s DOM [--run-dir DIR]", cmd);
	rc = open_for(&argc, argv, cmd, 1, 1, usage, &m);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	if (!valid_dom(cmd, argv[0])) {
		mgmt_close(&m);
		return VMCTL_EXIT_USAGE;
	}
	st = mgmt_call(&m, type, 0, argv[0], strlen(argv[0]), &r);
	rc = mgmt_report(&m, st, NULL);
	mgmt_close(&m);
	return rc;
}

int cmd_destroy(int argc, char **argv)
{
	return dom_request(argc, argv, "vmctl destroy", ATOLL_MGMT_DESTROY);
}

int cmd_pause(int argc, char **argv)
{
	return dom_request(argc, argv, "vmctl pause", ATOLL_MGMT_PAUSE);
}

int cmd_unpause(int argc, char **argv)
{
	return dom_request(argc, argv, "vmctl unpause", ATOLL_MGMT_UNPAUSE);
}

int cmd_shutdown(int argc, char **argv)
{
	return dom_request(argc, argv, "vmctl shutdown", ATOLL_MGMT_SHUTDOWN);
}

int cmd_reboot(int argc, char **argv)
{
	return dom_request(argc, argv, "vmctl reboot", ATOLL_MGMT_REBOOT);
}
