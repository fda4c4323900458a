/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading the payloads ctld sends back (docs/mgmt.md): XS_ERROR's
 * "ENAME\0message\0", HELLO's status lines, LIST's domain lines, INFO's
 * "key value" lines, and xl's state letters. Pure functions over bytes
 * that came from the other side: nothing here trusts a length, a NUL or a
 * number (tests/fuzz/fuzz_mgmt_reply.c).
 */
#ifndef ATOLL_VMCTL_MGMT_REPLY_H
#define ATOLL_VMCTL_MGMT_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MGMT_ENAME_MAX	 16
#define MGMT_MESSAGE_MAX 256
#define MGMT_DOMNAME_MAX 64

/* An XS_ERROR payload: name always set ("EIO" if unreadable). */
struct mgmt_error {
	char name[MGMT_ENAME_MAX];
	char message[MGMT_MESSAGE_MAX]; /* "" when ctld (or the store) sent none
					 */
};

void mgmt_reply_error(const uint8_t *p, size_t len, struct mgmt_error *e);

/* What an ENAME means, for errors that come without a message. */
const char *mgmt_reply_error_meaning(const char *name);

/* HELLO's reply. */
struct mgmt_hello {
	unsigned version;
	unsigned boot_domains, ready;
	int ctld_domid; /* -1 if not said */
};

/* 0, or -1 if the payload does not start with "atoll-mgmt V\0". */
int mgmt_reply_hello(const uint8_t *p, size_t len, struct mgmt_hello *h);

/* One line of LIST's reply. */
struct mgmt_domain {
	uint32_t id;
	char name[MGMT_DOMNAME_MAX];
	uint64_t mem_kib;
	uint32_t vcpus;
	char state[16];
	uint64_t cpu_ns;
};

/*
 * A cursor over a reply's lines: line() gives the next line without its
 * '\n' (a NUL ends the text, as does the end of the payload); false at
 * the end.
 */
struct mgmt_lines {
	const char *p, *end;
};

void mgmt_lines_init(struct mgmt_lines *l, const uint8_t *p, size_t len);
bool mgmt_lines_next(struct mgmt_lines *l, const char **line, size_t *len);

/* Parses "ID NAME MEM_KIB VCPUS STATE CPU_NS"; 0, or -1 if malformed. */
int mgmt_reply_domain(const char *line, size_t len, struct mgmt_domain *d);

/* Splits "key value" at the first blank; -1 if there is no key. */
int mgmt_reply_kv(const char *line, size_t len, char *key, size_t key_size,
		  const char **value, size_t *value_len);

/*
 * xl's six state columns for a LIST state word: "r-----" running,
 * "-b----" blocked, "--p---" paused, "---s--" shutdown, "----c-"
 * crashed, "-----d" dying; "------" for a word it does not know.
 */
const char *mgmt_state_letters(const char *state);

/* A decimal uint64 in [s, s+len) entirely; false if anything else. */
bool mgmt_parse_u64(const char *s, size_t len, uint64_t *out);

#endif
