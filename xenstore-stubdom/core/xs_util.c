// SPDX-License-Identifier: GPL-2.0-only
/*
 * Small pieces the rest of the store builds on: counted allocation, number
 * and path parsing, permission strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs_internal.h"

/*
 * Every block carries its size in a 16-byte header (16 keeps malloc's
 * alignment), so that the store can report exactly what it holds and a
 * test can check that everything taken was given back.
 */
struct xs_block {
	uint64_t size;
	uint64_t pad;
};

void *xs_alloc(struct xs_store *s, size_t size)
{
	struct xs_block *b;

	if (s->fail_alloc_in && --s->fail_alloc_in == 0)
		return NULL;
	if (size > SIZE_MAX / 2)
		return NULL;
	b = malloc(sizeof(*b) + size);
	if (!b)
		return NULL;
	b->size = size;
	s->bytes += sizeof(*b) + size;
	s->allocations++;
	return b + 1;
}

void *xs_zalloc(struct xs_store *s, size_t size)
{
	void *p = xs_alloc(s, size);

	if (p)
		memset(p, 0, size);
	return p;
}

size_t xs_block_size(const void *p)
{
	const struct xs_block *b;

	if (!p)
		return 0;
	b = (const struct xs_block *)p - 1;
	return sizeof(*b) + b->size;
}

void xs_free(struct xs_store *s, void *p)
{
	struct xs_block *b;

	if (!p)
		return;
	b = (struct xs_block *)p - 1;
	s->bytes -= sizeof(*b) + b->size;
	s->allocations--;
	free(b);
}

char *xs_memdup(struct xs_store *s, const void *p, size_t len)
{
	char *d = xs_alloc(s, len + 1);

	if (d) {
		if (len)
			memcpy(d, p, len);
		d[len] = '\0';
	}
	return d;
}

/* Decimal digits only (no sign, no blanks), value at most `max`. */
int xs_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return XEN_EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return XEN_EINVAL;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return XEN_EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

int xs_parse_domid(const char *s, uint32_t *out)
{
	uint64_t v;

	XS_TRY(xs_parse_uint(s, XS_DOMID_MAX, &v));
	*out = (uint32_t)v;
	return 0;
}

static bool path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '@' ||
	       c == '/';
}

/* An absolute path: "/", or "/a/b" without empty or bad components. */
bool xs_path_is_valid(const char *path, size_t len)
{
	if (len == 0 || len > XENSTORE_ABS_PATH_MAX || path[0] != '/')
		return false;
	if (len == 1)
		return true;
	if (path[len - 1] == '/')
		return false;
	for (size_t i = 1; i < len; i++) {
		if (!path_char_ok(path[i]))
			return false;
		if (path[i] == '/' && path[i - 1] == '/')
			return false;
	}
	return true;
}

/* "@name": the special watch paths and whatever else a client may watch. */
static bool special_is_valid(const char *path, size_t len)
{
	if (len < 2 || len > XENSTORE_ABS_PATH_MAX)
		return false;
	for (size_t i = 1; i < len; i++)
		if (!path_char_ok(path[i]))
			return false;
	return true;
}

size_t xs_domain_path(uint32_t domid, char *buf, size_t size)
{
	int n = snprintf(buf, size, "/local/domain/%u", (unsigned)domid);

	return n < 0 ? 0 : (size_t)n;
}

/*
 * The absolute form of a client's path into `out` (XENSTORE_ABS_PATH_MAX
 * + 1 bytes): relative paths are under /local/domain/<domid>/. Returns
 * XEN_EINVAL for a path that is malformed or too long.
 */
int xs_canonical(const struct xs_conn *c, const char *in, char *out,
		 bool allow_special)
{
	size_t len = strlen(in), pre;

	if (in[0] == '@') {
		if (!allow_special || !special_is_valid(in, len))
			return XEN_EINVAL;
		memcpy(out, in, len + 1);
		return 0;
	}
	if (in[0] == '/') {
		if (!xs_path_is_valid(in, len))
			return XEN_EINVAL;
		memcpy(out, in, len + 1);
		return 0;
	}
	if (len == 0 || len > XENSTORE_REL_PATH_MAX)
		return XEN_EINVAL;
	pre = xs_domain_path(c->domid, out, XENSTORE_ABS_PATH_MAX + 1);
	if (pre + 1 + len > XENSTORE_ABS_PATH_MAX)
		return XEN_EINVAL;
	out[pre] = '/';
	memcpy(out + pre + 1, in, len + 1);
	return xs_path_is_valid(out, pre + 1 + len) ? 0 : XEN_EINVAL;
}

/* As docs/misc/xenstore.txt defines it: a path is its own child. */
bool xs_is_child(const char *child, size_t clen, const char *parent,
		 size_t plen)
{
	if (plen == 1 && parent[0] == '/')
		return clen >= 1 && child[0] == '/';
	return clen >= plen && memcmp(child, parent, plen) == 0 &&
	       (clen == plen || child[plen] == '/');
}

/* Length of the parent's path ("/" for a top-level node); path != "/". */
size_t xs_parent_len(const char *path, size_t len)
{
	while (len > 1 && path[len - 1] != '/')
		len--;
	return len > 1 ? len - 1 : 1;
}

/* "n5", "r5", "w5" or "b5". */
int xs_perm_parse(const char *s, struct xs_perm *out)
{
	static const char modes[] = "nrwb"; /* index == XS_PERM_* */
	const char *m = s[0] ? strchr(modes, s[0]) : NULL;
	uint32_t domid;

	if (!m)
		return XEN_EINVAL;
	XS_TRY(xs_parse_domid(s + 1, &domid));
	out->domid = (uint16_t)domid;
	out->mode = (uint8_t)(m - modes);
	out->pad = 0;
	return 0;
}

/* Returns the length written (without NUL). */
int xs_perm_format(const struct xs_perm *p, char *buf, size_t size)
{
	static const char modes[] = "nrwb";

	return snprintf(buf, size, "%c%u", modes[p->mode & 3],
			(unsigned)p->domid);
}

/*
 * Drops the entries after the first that name `domid`; an owner `domid`
 * becomes the store. Returns true if anything changed.
 */
bool xs_perms_strip(struct xs_perm *p, uint16_t *count, uint32_t domid)
{
	uint16_t out = 1;
	bool changed = false;

	if (p[0].domid == domid) {
		p[0].domid = XS_DOMID_STORE;
		changed = true;
	}
	for (uint16_t i = 1; i < *count; i++) {
		if (p[i].domid == domid) {
			changed = true;
			continue;
		}
		p[out++] = p[i];
	}
	*count = out;
	return changed;
}

/*
 * The rights a connection has on a node: all for a privileged connection
 * and for the owner, else its own entry's, else the owner entry's mode.
 */
uint8_t xs_perm_for(const struct xs_conn *c, const struct xs_perm *p,
		    uint16_t count)
{
	if (c->priv || p[0].domid == c->domid)
		return XS_PERM_BOTH;
	for (uint16_t i = 1; i < count; i++)
		if (p[i].domid == c->domid)
			return p[i].mode;
	return p[0].mode;
}
