// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl sched-credit [-d DOM] [-w WEIGHT] [-c CAP], as xl's: without -d,
 * every domain's weight and cap; with -d only, that domain's; with -w or
 * -c, a change (the other value kept: the request sets both, so the
 * current ones are read first). ctld makes the final range check (a cap
 * above 100 x the domain's vCPUs); vmctl checks what it can alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt.h"
#include "rundir.h"
#include "vmctl.h"
#include "xlcfg.h"

#define CMD	   "vmctl sched-credit"
#define USAGE	   CMD " [-d DOM] [-w WEIGHT] [-c CAP] [--run-dir DIR]"
#define WEIGHT_MAX 65535u
#define CAP_MAX	   (100u * XLCFG_VCPUS_MAX)

struct sched_args {
	const char *dom;
	const char *weight_arg, *cap_arg;
	unsigned long weight, cap;
};

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, CMD ": ");
	fprintf(stderr, msg, arg);
	fprintf(stderr, "\nusage: " USAGE "\n");
	return VMCTL_EXIT_USAGE;
}

static const char **slot(struct sched_args *a, const char *opt)
{
	if (!strcmp(opt, "-d") || !strcmp(opt, "--domain"))
		return &a->dom;
	if (!strcmp(opt, "-w") || !strcmp(opt, "--weight"))
		return &a->weight_arg;
	if (!strcmp(opt, "-c") || !strcmp(opt, "--cap"))
		return &a->cap_arg;
	return NULL;
}

/* A decimal number in lo..hi, or a usage error naming what it is. */
static int number(const char *what, const char *s, unsigned long lo,
		  unsigned long hi, unsigned long *out)
{
	uint64_t v;

	if (!mgmt_parse_u64(s, strlen(s), &v)) {
		fprintf(stderr, CMD ": %s '%s' is not a number\n", what, s);
		return VMCTL_EXIT_USAGE;
	}
	if (v < lo || v > hi) {
		fprintf(stderr, CMD ": %s %s out of range %lu..%lu\n", what, s,
			lo, hi);
		return VMCTL_EXIT_USAGE;
	}
	*out = (unsigned long)v;
	return VMCTL_EXIT_OK;
}

static int parse(int argc, char **argv, struct sched_args *a)
{
	int rc = VMCTL_EXIT_OK;

	for (int i = 0; i < argc; i++) {
		const char **s = slot(a, argv[i]);

		if (!s)
			return usage_error("unexpected argument '%s'", argv[i]);
		if (++i == argc)
			return usage_error("%s needs a value", argv[i - 1]);
		*s = argv[i];
	}
	if ((a->weight_arg || a->cap_arg) && !a->dom)
		return usage_error("%s-w and -c need -d DOM", "");
	if (a->weight_arg)
		rc = number("weight", a->weight_arg, 1, WEIGHT_MAX, &a->weight);
	if (rc == VMCTL_EXIT_OK && a->cap_arg)
		rc = number("cap", a->cap_arg, 0, CAP_MAX, &a->cap);
	if (rc == VMCTL_EXIT_OK && a->dom && strpbrk(a->dom, " \t\r\n"))
		return usage_error("'%s' is not a domain name or id", a->dom);
	return rc;
}

/* DOM's current "WEIGHT CAP". */
static enum mgmt_status get_params(struct mgmt *m, const char *dom,
				   unsigned long *weight, unsigned long *cap)
{
	struct mgmt_msg r;
	char text[64];
	enum mgmt_status st =
	    mgmt_call(m, ATOLL_MGMT_SCHED_CREDIT, 0, dom, strlen(dom), &r);

	if (st != MGMT_OK)
		return st;
	snprintf(text, sizeof(text), "%.*s",
		 (int)(r.hdr.len < 63 ? r.hdr.len : 63),
		 (const char *)r.payload);
	if (sscanf(text, "%lu %lu", weight, cap) != 2)
		return MGMT_PROTOCOL;
	return MGMT_OK;
}

static void header(void)
{
	printf("%-32s %5s %6s %4s\n", "Name", "ID", "Weight", "Cap");
}

/* One row: the domain's LIST line, and its parameters asked for. */
static int row(struct mgmt *m, const struct mgmt_domain *d)
{
	unsigned long weight, cap;
	char id[16];
	enum mgmt_status st;

	snprintf(id, sizeof(id), "%u", d->id);
	st = get_params(m, id, &weight, &cap);
	if (st == MGMT_REMOTE && !strcmp(m->error.name, "ENOENT"))
		return VMCTL_EXIT_OK; /* gone since the LIST */
	if (st != MGMT_OK)
		return mgmt_report(m, st, NULL);
	printf("%-32s %5u %6lu %4lu\n", d->name, d->id, weight, cap);
	return VMCTL_EXIT_OK;
}

/* Copies LIST's domains (the reply buffer is reused by the next call). */
static int list_domains(struct mgmt *m, struct mgmt_domain **out,
			unsigned *count)
{
	struct mgmt_msg r;
	struct mgmt_lines l;
	const char *line;
	size_t len;
	enum mgmt_status st = mgmt_call(m, ATOLL_MGMT_LIST, 0, NULL, 0, &r);

	*out = NULL;
	*count = 0;
	if (st != MGMT_OK)
		return mgmt_report(m, st, NULL);
	mgmt_lines_init(&l, r.payload, r.hdr.len);
	while (mgmt_lines_next(&l, &line, &len)) {
		*out = vmctl_xrealloc(*out, (*count + 1) * sizeof(**out));
		if (len && !mgmt_reply_domain(line, len, &(*out)[*count]))
			(*count)++;
	}
	return VMCTL_EXIT_OK;
}

/* The rows for all domains, or for the one named dom (name or id). */
static int show(struct mgmt *m, const char *dom)
{
	struct mgmt_domain *doms;
	unsigned count;
	int rc = list_domains(m, &doms, &count);
	char id[16];

	if (rc == VMCTL_EXIT_OK && dom) {
		/* Asked first so that an unknown DOM is ctld's error. */
		unsigned long w, c;
		enum mgmt_status st = get_params(m, dom, &w, &c);

		if (st != MGMT_OK)
			rc = mgmt_report(m, st, NULL);
	}
	if (rc == VMCTL_EXIT_OK)
		header();
	for (unsigned i = 0; i < count && rc == VMCTL_EXIT_OK; i++) {
		snprintf(id, sizeof(id), "%u", doms[i].id);
		if (dom && strcmp(dom, doms[i].name) && strcmp(dom, id))
			continue;
		rc = row(m, &doms[i]);
	}
	free(doms);
	return rc;
}

static int set(struct mgmt *m, struct sched_args *a)
{
	struct mgmt_msg r;
	char text[128];
	enum mgmt_status st = MGMT_OK;
	unsigned long weight, cap;

	if (!a->weight_arg || !a->cap_arg)
		st = get_params(m, a->dom, &weight, &cap);
	if (st != MGMT_OK)
		return mgmt_report(m, st, NULL);
	if (a->weight_arg)
		weight = a->weight;
	if (a->cap_arg)
		cap = a->cap;
	snprintf(text, sizeof(text), "%s %lu %lu", a->dom, weight, cap);
	st = mgmt_call(m, ATOLL_MGMT_SCHED_CREDIT, 0, text, strlen(text), &r);
	return mgmt_report(m, st, NULL);
}

int cmd_sched_credit(int argc, char **argv)
{
	struct sched_args a = {0};
	struct run_dir rd;
	struct mgmt m;
	int rc;

	if (!rundir_from_args(&argc, argv, CMD, &rd))
		return VMCTL_EXIT_USAGE;
	rc = parse(argc, argv, &a);
	if (rc == VMCTL_EXIT_OK)
		rc = rundir_connect(&rd, CMD, &m, 10);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	rc = a.weight_arg || a.cap_arg ? set(&m, &a) : show(&m, a.dom);
	mgmt_close(&m);
	return rc;
}
