// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transactions, and the view of the tree every request works on.
 *
 * A transaction is a list of entries, one per path it has looked at or
 * changed. An entry records the tree's generation of that node when the
 * transaction first saw it (0: absent); a changed entry also holds the
 * node's new state (value, permissions, or removed). Reads are served from
 * the entry when it has been changed, else from the committed tree. So a
 * transaction sees its own changes, nobody sees them before commit, and a
 * node the transaction only read may change under it, in which case the
 * commit fails.
 *
 * Commit: (1) every entry's node must still have the recorded generation,
 * else EAGAIN; (2) quotas; (3) allocate every node to be created; then,
 * unable to fail, (4) apply removals, (5) apply writes parents first,
 * (6) fire watches. Adding or removing a child changes the parent's
 * generation, so a listing or a removal also conflicts with a new child.
 *
 * A request outside any transaction runs in an implicit one (id 0) that
 * records nothing it only reads and is committed at once: the same code
 * serves both.
 */
#include <string.h>
#include "xs_internal.h"

void xs_txn_init(struct xs_txn *t, struct xs_conn *c, uint32_t id)
{
	memset(t, 0, sizeof(*t));
	t->conn = c;
	t->id = id;
}

static struct xs_store *txn_store(const struct xs_txn *t)
{
	return t->conn->store;
}

static struct xs_tnode *txn_find(const struct xs_txn *t, const char *path)
{
	for (uint32_t i = 0; i < t->count; i++)
		if (strcmp(t->ent[i].path, path) == 0)
			return &t->ent[i];
	return NULL;
}

/* Bytes of the store an entry holds; charged to an explicit transaction. */
static uint64_t entry_bytes(const struct xs_tnode *e)
{
	return sizeof(*e) + xs_block_size(e->path) + xs_block_size(e->value) +
	       xs_block_size(e->perms);
}

/* Charges the conn's domain for an explicit transaction's growth. */
static int txn_charge(struct xs_txn *t, int64_t bytes)
{
	struct xs_conn *c = t->conn;

	if (!t->id)
		return 0;
	if (bytes > 0 &&
	    xs_quota_mem_exceeded(c->dom, c->priv, (uint64_t)bytes))
		return XEN_ENOSPC;
	c->dom->mem += (uint64_t)bytes;
	t->charged += (uint64_t)bytes;
	return 0;
}

static int txn_grow(struct xs_txn *t)
{
	struct xs_store *s = txn_store(t);
	uint32_t cap = t->cap ? t->cap * 2 : 8;
	struct xs_tnode *ent;

	if (t->count < t->cap)
		return 0;
	ent = xs_alloc(s, cap * sizeof(*ent));
	if (!ent)
		return XEN_ENOMEM;
	if (t->count)
		memcpy(ent, t->ent, t->count * sizeof(*ent));
	xs_free(s, t->ent);
	t->ent = ent;
	t->cap = cap;
	return 0;
}

/* A new entry for `path`; returns its index through *idx. */
static int txn_add(struct xs_txn *t, const char *path, uint32_t *idx)
{
	struct xs_store *s = txn_store(t);
	struct xs_node *n = xs_tree_lookup(s, path);
	struct xs_tnode *e;

	if (t->id && xs_quota_exceeded(t->conn, XS_Q_TXN_NODES, t->count + 1u))
		return XEN_ENOSPC;
	XS_TRY(txn_grow(t));
	e = &t->ent[t->count];
	memset(e, 0, sizeof(*e));
	e->path = xs_memdup(s, path, strlen(path));
	if (!e->path)
		return XEN_ENOMEM;
	if (txn_charge(t, (int64_t)entry_bytes(e))) {
		xs_free(s, e->path);
		return XEN_ENOSPC;
	}
	e->gen_seen = n ? n->gen : 0;
	*idx = t->count++;
	return 0;
}

static int txn_entry(struct xs_txn *t, const char *path, uint32_t *idx)
{
	struct xs_tnode *e = txn_find(t, path);

	if (e) {
		*idx = (uint32_t)(e - t->ent);
		return 0;
	}
	return txn_add(t, path, idx);
}

/*
 * The node at `path` (valid, absolute) as the transaction sees it. Pointers
 * in *v stay valid until the transaction or the tree changes.
 */
int xs_view_get(struct xs_txn *t, const char *path, struct xs_view *v)
{
	const struct xs_tnode *e = txn_find(t, path);
	const struct xs_node *n;
	uint32_t idx;

	memset(v, 0, sizeof(*v));
	if (e && e->written) {
		v->exists = e->exists;
		v->value = e->value;
		v->value_len = e->value_len;
		v->perms = e->perms;
		v->perm_count = e->perm_count;
		v->gen = e->gen_seen;
		return 0;
	}
	if (!e && t->id)
		XS_TRY(txn_add(t, path, &idx));
	n = xs_tree_lookup(txn_store(t), path);
	if (n) {
		v->exists = true;
		v->value = n->value;
		v->value_len = n->value_len;
		v->perms = n->perms;
		v->perm_count = n->perm_count;
		v->gen = n->gen;
	}
	return 0;
}

/* True if `path` is a direct child of `parent`. */
static bool is_direct_child(const char *path, const char *parent, size_t plen)
{
	size_t len = strlen(path);

	if (len <= 1 || !xs_is_child(path, len, parent, plen) || len == plen)
		return false;
	return xs_parent_len(path, len) == plen;
}

static const char *leaf_of(const char *path)
{
	return strrchr(path, '/') + 1;
}

static bool child_committed(const struct xs_node *n, const char *name)
{
	size_t len = strlen(name);

	for (n = n ? n->child : NULL; n; n = n->next)
		if (n->name_len == len && memcmp(n->name, name, len) == 0)
			return true;
	return false;
}

/* Committed children not removed by the transaction. */
static int children_committed(struct xs_txn *t, const char *path,
			      const struct xs_node *n, xs_child_fn fn,
			      void *arg)
{
	char *cpath = txn_store(t)->view_path;
	size_t plen = strlen(path), base = plen == 1 ? 1 : plen + 1;

	memcpy(cpath, path, plen);
	cpath[base - 1] = '/';
	for (n = n ? n->child : NULL; n; n = n->next) {
		const struct xs_tnode *ce;

		if (base + n->name_len > XENSTORE_ABS_PATH_MAX)
			continue; /* cannot exist; keeps the buffer safe */
		memcpy(cpath + base, n->name, n->name_len + 1u);
		ce = txn_find(t, cpath);
		if (ce && ce->written && !ce->exists)
			continue;
		XS_TRY(fn(arg, n->name, n->name_len));
	}
	return 0;
}

/*
 * Calls fn for each child of `path` (which must exist: else XEN_ENOENT),
 * in order: committed children first, then the transaction's new ones.
 * fn must not use the transaction.
 */
int xs_view_children(struct xs_txn *t, const char *path, xs_child_fn fn,
		     void *arg)
{
	const struct xs_node *n;
	struct xs_view v;
	size_t plen = strlen(path);

	XS_TRY(xs_view_get(t, path, &v));
	if (!v.exists)
		return XEN_ENOENT;
	n = xs_tree_lookup(txn_store(t), path);
	XS_TRY(children_committed(t, path, n, fn, arg));
	for (uint32_t i = 0; i < t->count; i++) {
		const struct xs_tnode *e = &t->ent[i];
		const char *leaf;

		if (!e->written || !e->exists ||
		    !is_direct_child(e->path, path, plen))
			continue;
		leaf = leaf_of(e->path);
		if (!child_committed(n, leaf))
			XS_TRY(fn(arg, leaf, strlen(leaf)));
	}
	return 0;
}

/*
 * Sets the node's state in the transaction: value (copied) and perms
 * (copied; the owner replaced by `owner` if >= 0).
 */
int xs_view_set(struct xs_txn *t, const char *path, const char *value,
		uint32_t value_len, const struct xs_perm *perms,
		uint16_t perm_count, int32_t owner)
{
	struct xs_store *s = txn_store(t);
	struct xs_tnode *e;
	char *nv = NULL;
	struct xs_perm *np;
	uint32_t idx;
	int64_t delta;

	XS_TRY(txn_entry(t, path, &idx));
	if (value_len && !(nv = xs_memdup(s, value, value_len)))
		return XEN_ENOMEM;
	np = xs_alloc(s, perm_count * sizeof(*np));
	if (!np) {
		xs_free(s, nv);
		return XEN_ENOMEM;
	}
	memcpy(np, perms, perm_count * sizeof(*np));
	if (owner >= 0)
		np[0].domid = (uint16_t)owner;
	e = &t->ent[idx];
	delta = (int64_t)(xs_block_size(nv) + xs_block_size(np)) -
		(int64_t)(xs_block_size(e->value) + xs_block_size(e->perms));
	if (txn_charge(t, delta)) {
		xs_free(s, nv);
		xs_free(s, np);
		return XEN_ENOSPC;
	}
	xs_free(s, e->value);
	xs_free(s, e->perms);
	e->value = nv;
	e->value_len = value_len;
	e->perms = np;
	e->perm_count = perm_count;
	e->written = e->exists = true;
	t->mutations++;
	return 0;
}

static int mark_removed(struct xs_txn *t, const char *path)
{
	struct xs_store *s = txn_store(t);
	struct xs_tnode *e;
	uint32_t idx;

	XS_TRY(txn_entry(t, path, &idx));
	e = &t->ent[idx];
	txn_charge(
	    t, -(int64_t)(xs_block_size(e->value) + xs_block_size(e->perms)));
	xs_free(s, e->value);
	xs_free(s, e->perms);
	e->value = NULL;
	e->perms = NULL;
	e->value_len = 0;
	e->perm_count = 0;
	e->written = true;
	e->exists = false;
	t->mutations++;
	return 0;
}

/* Paths below a removed node, gathered breadth first. */
struct subtree {
	struct xs_store *s;
	char **paths;
	uint32_t count, cap;
	const char *parent;
};

/* Appends parent + "/" + name (or just `name` when parent is NULL). */
static int subtree_push(struct subtree *st, const char *parent,
			const char *name, size_t len)
{
	size_t plen = parent ? strlen(parent) : 0;
	size_t base = !parent ? 0 : plen == 1 ? 1 : plen + 1;
	char *p;

	if (base + len > XENSTORE_ABS_PATH_MAX)
		return 0; /* cannot exist */
	if (st->count == st->cap) {
		uint32_t cap = st->cap ? st->cap * 2 : 16;
		char **np = xs_alloc(st->s, cap * sizeof(*np));

		if (!np)
			return XEN_ENOMEM;
		if (st->count)
			memcpy(np, st->paths, st->count * sizeof(*np));
		xs_free(st->s, st->paths);
		st->paths = np;
		st->cap = cap;
	}
	p = xs_alloc(st->s, base + len + 1);
	if (!p)
		return XEN_ENOMEM;
	if (parent) {
		memcpy(p, parent, plen);
		p[base - 1] = '/';
	}
	memcpy(p + base, name, len);
	p[base + len] = '\0';
	st->paths[st->count++] = p;
	return 0;
}

static int subtree_add(void *arg, const char *name, size_t len)
{
	struct subtree *st = arg;

	return subtree_push(st, st->parent, name, len);
}

static void subtree_free(struct subtree *st)
{
	for (uint32_t i = 0; i < st->count; i++)
		xs_free(st->s, st->paths[i]);
	xs_free(st->s, st->paths);
}

/*
 * Removes `path` and, in an explicit transaction, records every node below
 * it as removed too, so that the transaction's later reads agree. An
 * implicit transaction's commit removes the committed subtree anyway.
 */
int xs_view_delete(struct xs_txn *t, const char *path)
{
	struct subtree st = {.s = txn_store(t)};
	int err;

	if (!t->id)
		return mark_removed(t, path);
	err = subtree_push(&st, NULL, path, strlen(path));
	for (uint32_t i = 0; !err && i < st.count; i++) {
		st.parent = st.paths[i];
		err = xs_view_children(t, st.paths[i], subtree_add, &st);
	}
	for (uint32_t i = st.count; !err && i-- > 0;)
		err = mark_removed(t, st.paths[i]);
	subtree_free(&st);
	return err;
}

void xs_view_mark_fire(struct xs_txn *t, const char *path, bool rm)
{
	struct xs_tnode *e = txn_find(t, path);

	if (e) {
		e->fire = true;
		e->fire_rm |= rm;
	}
}

/* --- commit --- */

static int check_conflicts(const struct xs_txn *t)
{
	const struct xs_store *s = txn_store(t);

	if (t->doomed)
		return XEN_EAGAIN;
	for (uint32_t i = 0; i < t->count; i++) {
		const struct xs_node *n = xs_tree_lookup(s, t->ent[i].path);

		if ((n ? n->gen : 0) != t->ent[i].gen_seen)
			return XEN_EAGAIN;
	}
	return 0;
}

static uint64_t entry_charge(const struct xs_tnode *e)
{
	return sizeof(struct xs_node) + strlen(leaf_of(e->path)) + 1 +
	       e->value_len + (uint64_t)e->perm_count * sizeof(struct xs_perm);
}

/* An unprivileged client's nodes and memory, as they would be after. */
static int check_quotas(const struct xs_txn *t)
{
	const struct xs_conn *c = t->conn;
	const struct xs_store *s = txn_store(t);
	uint64_t nodes = c->dom->nodes, add = 0, sub = t->charged;

	if (c->priv)
		return 0;
	for (uint32_t i = 0; i < t->count; i++) {
		const struct xs_tnode *e = &t->ent[i];
		const struct xs_node *n;

		if (!e->written)
			continue;
		n = xs_tree_lookup(s, e->path);
		if (n && n->perms[0].domid == c->domid)
			sub += xs_node_charge(n);
		if (!e->exists || e->perms[0].domid != c->domid)
			continue;
		add += entry_charge(e);
		nodes += n ? 0 : 1;
	}
	if (xs_quota_exceeded(c, XS_Q_NODES, nodes))
		return XEN_ENOSPC;
	if (add > sub && xs_quota_mem_exceeded(c->dom, false, add - sub))
		return XEN_ENOSPC;
	return 0;
}

static void free_fresh(struct xs_txn *t)
{
	for (uint32_t i = 0; i < t->count; i++) {
		xs_free(txn_store(t), t->ent[i].fresh);
		t->ent[i].fresh = NULL;
	}
}

/* Everything apply needs: new nodes, and a record for each owner. */
static int prealloc(struct xs_txn *t)
{
	struct xs_store *s = txn_store(t);

	for (uint32_t i = 0; i < t->count; i++) {
		struct xs_tnode *e = &t->ent[i];
		const char *leaf;

		if (!e->written || !e->exists)
			continue;
		if (!xs_domain_get(s, e->perms[0].domid))
			goto nomem;
		if (xs_tree_lookup(s, e->path))
			continue;
		leaf = leaf_of(e->path);
		e->fresh = xs_node_alloc(s, leaf, strlen(leaf));
		if (!e->fresh)
			goto nomem;
	}
	return 0;
nomem:
	free_fresh(t);
	return XEN_ENOMEM;
}

static void apply_removals(struct xs_txn *t)
{
	struct xs_store *s = txn_store(t);

	for (uint32_t i = 0; i < t->count; i++) {
		struct xs_tnode *e = &t->ent[i];
		struct xs_node *n;

		if (!e->written || e->exists)
			continue;
		n = xs_tree_lookup(s, e->path);
		if (!n || !n->parent)
			continue;
		if (e->fire)
			xs_watch_fire(s, e->path, strlen(e->path), n->perms,
				      n->perm_count, true);
		xs_tree_remove(s, n);
	}
}

static uint32_t path_depth(const char *path)
{
	uint32_t d = 0;

	for (path++; *path; path++)
		d += *path == '/';
	return path[-1] == '/' ? 0 : d + 1;
}

static void apply_write(struct xs_store *s, struct xs_tnode *e)
{
	struct xs_node *n = xs_tree_lookup(s, e->path), *parent;
	size_t len = strlen(e->path);

	if (n) {
		xs_node_replace(s, n, e->value, e->value_len, e->perms,
				e->perm_count);
	} else {
		memcpy(s->view_path, e->path, len + 1);
		s->view_path[xs_parent_len(e->path, len)] = '\0';
		parent = xs_tree_lookup(s, s->view_path);
		if (!parent)
			return; /* cannot happen: the parent was seen */
		n = e->fresh;
		e->fresh = NULL;
		n->value = e->value;
		n->value_len = e->value_len;
		n->perms = e->perms;
		n->perm_count = e->perm_count;
		xs_node_link(s, parent, n);
	}
	e->value = NULL;
	e->perms = NULL;
}

/* Parents before children: by depth. */
static void apply_writes(struct xs_txn *t)
{
	uint32_t max = 0;

	for (uint32_t i = 0; i < t->count; i++)
		if (t->ent[i].written && t->ent[i].exists &&
		    path_depth(t->ent[i].path) > max)
			max = path_depth(t->ent[i].path);
	for (uint32_t d = 0; d <= max; d++)
		for (uint32_t i = 0; i < t->count; i++) {
			struct xs_tnode *e = &t->ent[i];

			if (e->written && e->exists && path_depth(e->path) == d)
				apply_write(txn_store(t), e);
		}
}

static void fire_writes(struct xs_txn *t)
{
	struct xs_store *s = txn_store(t);

	for (uint32_t i = 0; i < t->count; i++) {
		const struct xs_tnode *e = &t->ent[i];
		const struct xs_node *n;

		if (!e->written || !e->exists || !e->fire)
			continue;
		n = xs_tree_lookup(s, e->path);
		if (n)
			xs_watch_fire(s, e->path, strlen(e->path), n->perms,
				      n->perm_count, e->fire_rm);
	}
}

/*
 * Applies the transaction to the tree. Returns XEN_EAGAIN (something it
 * saw changed, or it was doomed), XEN_ENOSPC (quota), XEN_ENOMEM; nothing
 * is applied then. The caller clears or ends the transaction either way.
 */
int xs_txn_commit(struct xs_txn *t)
{
	if (t->id)
		XS_TRY(check_conflicts(t));
	XS_TRY(check_quotas(t));
	XS_TRY(prealloc(t));
	apply_removals(t);
	apply_writes(t);
	fire_writes(t);
	return 0;
}

/* Frees the entries; the transaction can be used again. */
void xs_txn_clear(struct xs_txn *t)
{
	struct xs_store *s = txn_store(t);

	for (uint32_t i = 0; i < t->count; i++) {
		struct xs_tnode *e = &t->ent[i];

		xs_free(s, e->path);
		xs_free(s, e->value);
		xs_free(s, e->perms);
		xs_free(s, e->fresh);
	}
	xs_free(s, t->ent);
	t->conn->dom->mem -= t->charged;
	t->charged = 0;
	t->ent = NULL;
	t->count = t->cap = 0;
}

struct xs_txn *xs_txn_lookup(const struct xs_conn *c, uint32_t id)
{
	struct xs_txn *t;

	for (t = c->txns; t && t->id != id; t = t->next)
		;
	return id ? t : NULL;
}

int xs_txn_start(struct xs_conn *c, uint32_t *id)
{
	struct xs_store *s = c->store;
	struct xs_txn *t;

	if (xs_quota_exceeded(c, XS_Q_TRANSACTIONS, c->dom->txns + 1u))
		return XEN_ENOSPC;
	t = xs_alloc(s, sizeof(*t));
	if (!t)
		return XEN_ENOMEM;
	do {
		if (++s->next_txid == 0)
			s->next_txid = 1;
	} while (xs_txn_lookup(c, s->next_txid));
	xs_txn_init(t, c, s->next_txid);
	t->next = c->txns;
	c->txns = t;
	c->dom->txns++;
	s->txn_count++;
	*id = t->id;
	return 0;
}

void xs_txn_end(struct xs_txn *t)
{
	struct xs_conn *c = t->conn;
	struct xs_txn **pp = &c->txns;

	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	xs_txn_clear(t);
	c->dom->txns--;
	c->store->txn_count--;
	xs_free(c->store, t);
}

static bool txn_names(const struct xs_txn *t, uint32_t domid)
{
	for (uint32_t i = 0; i < t->count; i++) {
		const struct xs_tnode *e = &t->ent[i];

		for (uint16_t j = 0; e->written && j < e->perm_count; j++)
			if (e->perms[j].domid == domid)
				return true;
	}
	return false;
}

/* Open transactions that would give a dead domain rights will fail. */
void xs_txn_forget_domain(struct xs_store *s, uint32_t domid)
{
	for (struct xs_conn *c = s->conns; c; c = c->next)
		for (struct xs_txn *t = c->txns; t; t = t->next)
			t->doomed |= txn_names(t, domid);
}
