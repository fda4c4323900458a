// SPDX-License-Identifier: GPL-2.0-only
/*
 * The committed tree. Only xs_txn.c (commit) and xs_domain.c (a domain's
 * removal) change it; both allocate everything they need before they call
 * the functions here, which cannot fail.
 *
 * Every node is charged to its owner (perms[0]): one node and
 * xs_node_charge() bytes. The store's statistics count the blocks.
 */
#include <string.h>
#include "xs_internal.h"

uint64_t xs_node_charge(const struct xs_node *n)
{
	return sizeof(*n) + n->name_len + 1 + n->value_len +
	       (uint64_t)n->perm_count * sizeof(struct xs_perm);
}

/* Adds (sign 1) or removes (sign -1) a node's share of every count. */
static void node_account(struct xs_store *s, const struct xs_node *n, int sign)
{
	uint64_t blocks = xs_block_size(n) + xs_block_size(n->value) +
			  xs_block_size(n->perms);
	uint64_t payload = n->name_len + 1u + n->value_len;

	s->nodes += (uint64_t)(int64_t)sign;
	s->node_bytes += (uint64_t)((int64_t)sign * (int64_t)blocks);
	s->node_name_value_bytes +=
	    (uint64_t)((int64_t)sign * (int64_t)payload);
	xs_domain_charge(s, n->perms[0].domid,
			 (int64_t)sign * (int64_t)xs_node_charge(n), sign);
}

struct xs_node *xs_node_alloc(struct xs_store *s, const char *name, size_t len)
{
	struct xs_node *n = xs_zalloc(s, sizeof(*n) + len + 1);

	if (n) {
		memcpy(n->name, name, len);
		n->name[len] = '\0';
		n->name_len = (uint16_t)len;
	}
	return n;
}

/* Makes `n` (perms set) the last child of `parent`. */
void xs_node_link(struct xs_store *s, struct xs_node *parent, struct xs_node *n)
{
	struct xs_node **pp = &parent->child;

	while (*pp)
		pp = &(*pp)->next;
	*pp = n;
	n->parent = parent;
	n->next = NULL;
	n->gen = ++s->gen;
	parent->gen = ++s->gen;
	node_account(s, n, 1);
}

/*
 * Gives `n` a new value (taking ownership of the buffer) and, if `perms`
 * is not NULL, new permissions (likewise).
 */
void xs_node_replace(struct xs_store *s, struct xs_node *n, char *value,
		     uint32_t value_len, struct xs_perm *perms,
		     uint16_t perm_count)
{
	node_account(s, n, -1);
	if (value != n->value)
		xs_free(s, n->value);
	n->value = value_len ? value : NULL;
	if (!value_len && value)
		xs_free(s, value);
	n->value_len = value_len;
	if (perms) {
		xs_free(s, n->perms);
		n->perms = perms;
		n->perm_count = perm_count;
	}
	n->gen = ++s->gen;
	node_account(s, n, 1);
}

/* Removes the entries naming a dead domain (xs_perms_strip) in place. */
void xs_node_strip_perms(struct xs_store *s, struct xs_node *n, uint32_t domid)
{
	bool named = false;

	for (uint16_t i = 0; i < n->perm_count; i++)
		named |= n->perms[i].domid == domid;
	if (!named)
		return;
	node_account(s, n, -1);
	xs_perms_strip(n->perms, &n->perm_count, domid);
	n->gen = ++s->gen;
	node_account(s, n, 1);
}

static void node_free(struct xs_store *s, struct xs_node *n)
{
	node_account(s, n, -1);
	xs_free(s, n->value);
	xs_free(s, n->perms);
	xs_free(s, n);
}

static void node_unlink(struct xs_store *s, struct xs_node *n)
{
	struct xs_node **pp = &n->parent->child;

	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
	n->parent->gen = ++s->gen;
	n->parent = NULL;
}

/* Removes `n` and everything below it; iterative, whatever the depth. */
void xs_tree_remove(struct xs_store *s, struct xs_node *n)
{
	struct xs_node *cur = n;

	if (n->parent)
		node_unlink(s, n);
	for (;;) {
		struct xs_node *parent, *next;

		while (cur->child)
			cur = cur->child;
		if (cur == n)
			break;
		parent = cur->parent;
		next = cur->next;
		node_free(s, cur);
		parent->child = next;
		cur = next ? next : parent;
	}
	node_free(s, n);
}

/* Pre-order successor; `descend` false skips n's subtree. */
struct xs_node *xs_tree_next(struct xs_node *n, bool descend)
{
	if (descend && n->child)
		return n->child;
	for (; n; n = n->parent)
		if (n->next)
			return n->next;
	return NULL;
}

/* `path` must be valid (xs_path_is_valid). */
struct xs_node *xs_tree_lookup(const struct xs_store *s, const char *path)
{
	struct xs_node *n = s->root;
	const char *p = path + 1;

	while (n && *p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct xs_node *c = n->child;

		while (c && (c->name_len != len || memcmp(c->name, p, len)))
			c = c->next;
		n = c;
		if (!end)
			break;
		p = end + 1;
	}
	return n;
}

/*
 * Writes n's absolute path, NUL-terminated; returns its length, or 0 (and
 * "") if it does not fit in `size` bytes.
 */
size_t xs_node_path(const struct xs_node *n, char *buf, size_t size)
{
	size_t len = 0, pos;
	const struct xs_node *m;

	for (m = n; m->parent; m = m->parent)
		len += 1u + m->name_len;
	if (len == 0)
		len = 1; /* the root */
	if (len >= size) {
		buf[0] = '\0';
		return 0;
	}
	buf[0] = '/';
	buf[len] = '\0';
	pos = len;
	for (m = n; m->parent; m = m->parent) {
		pos -= m->name_len;
		memcpy(buf + pos, m->name, m->name_len);
		buf[--pos] = '/';
	}
	return len;
}

static struct xs_node *new_store_node(struct xs_store *s, const char *name)
{
	struct xs_node *n = xs_node_alloc(s, name, strlen(name));

	if (!n)
		return NULL;
	n->perms = xs_zalloc(s, sizeof(struct xs_perm));
	if (!n->perms) {
		xs_free(s, n);
		return NULL;
	}
	n->perms[0].domid = XS_DOMID_STORE;
	n->perms[0].mode = XS_PERM_NONE;
	n->perm_count = 1;
	return n;
}

/* The standard tree: /, /local, /local/domain, /vm, /tool. */
int xs_tree_init(struct xs_store *s)
{
	static const char *const top[] = {"local", "vm", "tool"};
	struct xs_node *n;

	s->root = new_store_node(s, "");
	if (!s->root)
		return XEN_ENOMEM;
	s->root->gen = ++s->gen;
	node_account(s, s->root, 1);
	for (unsigned i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
		n = new_store_node(s, top[i]);
		if (!n)
			return XEN_ENOMEM;
		xs_node_link(s, s->root, n);
	}
	n = new_store_node(s, "domain");
	if (!n)
		return XEN_ENOMEM;
	xs_node_link(s, s->root->child, n);
	return 0;
}
