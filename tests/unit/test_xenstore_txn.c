// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XenStore core's transactions (isolation, conflicts and retry,
 * aborts, watches at commit, their errors and quotas), the per-domain
 * quotas and SET_QUOTA / GET_QUOTA, a dead domain's cleanup and the reuse
 * of its ID, memory accounting, and every allocation failing in turn.
 */
#include "test_xenstore_client.c"

static void test_txn_isolation(void **state)
{
	struct xs_conn *p = priv_conn(), *q = priv_conn();
	uint32_t t = txn_start(p);

	assert_string_equal(xwrite(p, t, "/tool/a/b", "in-txn"), "OK|");
	assert_string_equal(xread(p, t, "/tool/a/b"), "in-txn");
	assert_string_equal(rq(p, XS_DIRECTORY, t, "/tool", NULL), "a|");
	assert_string_equal(xread(p, 0, "/tool/a/b"), "!ENOENT");
	assert_string_equal(xread(q, 0, "/tool/a"), "!ENOENT");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool", NULL), "");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	assert_string_equal(xread(q, 0, "/tool/a/b"), "in-txn");
	/* The id is gone. */
	assert_string_equal(xread(p, t, "/tool/a/b"), "!ENOENT");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "T", NULL), "!ENOENT");
}

static void test_txn_abort(void **state)
{
	struct xs_conn *p = priv_conn();
	uint32_t t;

	assert_string_equal(xwrite(p, 0, "/tool/keep", "1"), "OK|");
	t = txn_start(p);
	assert_string_equal(xwrite(p, t, "/tool/new", "x"), "OK|");
	assert_string_equal(rq(p, XS_RM, t, "/tool/keep", NULL), "OK|");
	assert_string_equal(xread(p, t, "/tool/keep"), "!ENOENT");
	assert_string_equal(xread(p, 0, "/tool/keep"), "1");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "F", NULL), "OK|");
	assert_string_equal(xread(p, 0, "/tool/keep"), "1");
	assert_string_equal(xread(p, 0, "/tool/new"), "!ENOENT");
}

/* Read x, someone else writes x, commit: EAGAIN; the retry succeeds. */
static void test_txn_conflict_and_retry(void **state)
{
	struct xs_conn *a = priv_conn(), *b = priv_conn();
	uint32_t t;

	assert_string_equal(xwrite(a, 0, "/tool/x", "0"), "OK|");
	t = txn_start(a);
	assert_string_equal(xread(a, t, "/tool/x"), "0");
	assert_string_equal(xwrite(b, 0, "/tool/x", "1"), "OK|");
	assert_string_equal(xwrite(a, t, "/tool/y", "from-a"), "OK|");
	assert_string_equal(rq(a, XS_TRANSACTION_END, t, "T", NULL), "!EAGAIN");
	assert_string_equal(xread(b, 0, "/tool/y"), "!ENOENT");
	assert_string_equal(xread(b, 0, "/tool/x"), "1");
	t = txn_start(a);
	assert_string_equal(xread(a, t, "/tool/x"), "1");
	assert_string_equal(xwrite(a, t, "/tool/y", "from-a"), "OK|");
	assert_string_equal(rq(a, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	assert_string_equal(xread(b, 0, "/tool/y"), "from-a");
}

/* Conflicts come from anything the transaction saw. */
static void test_txn_conflict_kinds(void **state)
{
	struct xs_conn *a = priv_conn(), *b = priv_conn();
	uint32_t t, u;

	/* A node read as absent, created meanwhile. */
	t = txn_start(a);
	assert_string_equal(xread(a, t, "/tool/n"), "!ENOENT");
	assert_string_equal(xwrite(b, 0, "/tool/n", "b"), "OK|");
	assert_string_equal(rq(a, XS_TRANSACTION_END, t, "T", NULL), "!EAGAIN");
	/* A listing, then a new child. */
	t = txn_start(a);
	assert_string_equal(rq(a, XS_DIRECTORY, t, "/tool", NULL), "n|");
	assert_string_equal(rq(b, XS_MKDIR, 0, "/tool/m", NULL), "OK|");
	assert_string_equal(rq(a, XS_TRANSACTION_END, t, "T", NULL), "!EAGAIN");
	/* Two transactions writing the same node: the second fails. */
	t = txn_start(a);
	u = txn_start(b);
	assert_string_equal(xwrite(a, t, "/tool/n", "a"), "OK|");
	assert_string_equal(xwrite(b, u, "/tool/n", "b2"), "OK|");
	assert_string_equal(rq(b, XS_TRANSACTION_END, u, "T", NULL), "OK|");
	assert_string_equal(rq(a, XS_TRANSACTION_END, t, "T", NULL), "!EAGAIN");
	assert_string_equal(xread(a, 0, "/tool/n"), "b2");
	/* Disjoint transactions both commit. */
	t = txn_start(a);
	u = txn_start(b);
	assert_string_equal(xwrite(a, t, "/tool/n", "a"), "OK|");
	assert_string_equal(xwrite(b, u, "/tool/m", "b"), "OK|");
	assert_string_equal(rq(b, XS_TRANSACTION_END, u, "T", NULL), "OK|");
	assert_string_equal(rq(a, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	/* Removal of a subtree that gained a node meanwhile. */
	t = txn_start(a);
	assert_string_equal(rq(a, XS_RM, t, "/tool", NULL), "OK|");
	assert_string_equal(xwrite(b, 0, "/tool/m/late", "x"), "OK|");
	assert_string_equal(rq(a, XS_TRANSACTION_END, t, "T", NULL), "!EAGAIN");
	assert_string_equal(xread(a, 0, "/tool/m/late"), "x");
}

/* Removal and re-creation inside one transaction. */
static void test_txn_rm_recreate(void **state)
{
	struct xs_conn *p = priv_conn();
	uint32_t t;

	assert_string_equal(xwrite(p, 0, "/tool/d/old/deep", "1"), "OK|");
	assert_string_equal(xwrite(p, 0, "/tool/d/other", "2"), "OK|");
	t = txn_start(p);
	assert_string_equal(rq(p, XS_RM, t, "/tool/d", NULL), "OK|");
	assert_string_equal(rq(p, XS_DIRECTORY, t, "/tool", NULL), "");
	assert_string_equal(xread(p, t, "/tool/d/old/deep"), "!ENOENT");
	assert_string_equal(xwrite(p, t, "/tool/d/new", "3"), "OK|");
	assert_string_equal(rq(p, XS_DIRECTORY, t, "/tool/d", NULL), "new|");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool/d", NULL),
			    "old|other|");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool/d", NULL), "new|");
	assert_string_equal(xread(p, 0, "/tool/d/old"), "!ENOENT");
	assert_string_equal(xread(p, 0, "/tool/d/new"), "3");
}

static void test_txn_watches_at_commit(void **state)
{
	struct xs_conn *p = priv_conn(), *w = priv_conn();
	uint32_t t;

	assert_string_equal(rq(w, XS_WATCH, 0, "/tool", "tk", NULL), "OK|");
	expect_event(w, "/tool", "tk");
	t = txn_start(p);
	assert_string_equal(xwrite(p, t, "/tool/a", "1"), "OK|");
	assert_string_equal(rq(p, XS_MKDIR, t, "/tool/b", NULL), "OK|");
	expect_no_event(w);
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	expect_event(w, "/tool/a", "tk");
	expect_event(w, "/tool/b", "tk");
	expect_no_event(w);
	/* Aborted or failed: no events. */
	t = txn_start(p);
	assert_string_equal(xwrite(p, t, "/tool/c", "1"), "OK|");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "F", NULL), "OK|");
	expect_no_event(w);
}

static void test_txn_errors(void **state)
{
	struct xs_conn *p = priv_conn(), *q = priv_conn(), *d = dom_conn(5);
	uint32_t t = txn_start(p), ids[10];

	assert_string_equal(rq(p, XS_TRANSACTION_START, t, "", NULL), "!EBUSY");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "X", NULL), "!EINVAL");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, NULL), "!EINVAL");
	/* Another connection cannot use it. */
	assert_string_equal(xread(q, t, "/tool"), "!ENOENT");
	assert_string_equal(rq(q, XS_TRANSACTION_END, t, "T", NULL), "!ENOENT");
	assert_string_equal(rq(p, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	/* transactions: 10 open at most for a domain. */
	for (int i = 0; i < 10; i++)
		ids[i] = txn_start(d);
	assert_string_equal(rq(d, XS_TRANSACTION_START, 0, "", NULL),
			    "!ENOSPC");
	assert_string_equal(rq(d, XS_TRANSACTION_END, ids[3], "F", NULL),
			    "OK|");
	txn_start(d);
	for (int i = 0; i < 10; i++)
		if (i != 3)
			assert_string_equal(
			    rq(d, XS_TRANSACTION_END, ids[i], "F", NULL),
			    "OK|");
}

/* transaction-nodes: the nodes one transaction may look at. */
static void test_txn_node_quota(void **state)
{
	struct xs_conn *p = priv_conn(), *d = dom_conn(5);
	uint32_t t;

	assert_string_equal(
	    rq(p, XS_SET_QUOTA, 0, "5", "transaction-nodes", "4", NULL), "OK|");
	/* The target, two missing parents, the existing ancestor: 4. */
	t = txn_start(d);
	assert_string_equal(xwrite(d, t, "a/b/c", "1"), "OK|");
	assert_string_equal(xread(d, t, "a/b/c"), "1");
	assert_string_equal(xread(d, t, "x"), "!ENOSPC");
	assert_string_equal(rq(d, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	assert_string_equal(xread(d, 0, "a/b/c"), "1");
	/* One short: fails before changing anything. */
	assert_string_equal(
	    rq(p, XS_SET_QUOTA, 0, "5", "transaction-nodes", "3", NULL), "OK|");
	t = txn_start(d);
	assert_string_equal(xwrite(d, t, "q/r/s", "1"), "!ENOSPC");
	assert_string_equal(rq(d, XS_TRANSACTION_END, t, "T", NULL), "OK|");
	assert_string_equal(xread(d, 0, "q"), "!ENOENT");
	/* Outside a transaction there is no such limit. */
	assert_string_equal(xwrite(d, 0, "q/r/s/t/u", "1"), "OK|");
}

static void test_quota_nodes(void **state)
{
	struct xs_conn *p = priv_conn(), *d = dom_conn(5);

	/* /local/domain/5 is the domain's first node. */
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "5", "nodes", "3", NULL),
			    "OK|");
	assert_string_equal(xwrite(d, 0, "a", "1"), "OK|");
	assert_string_equal(xwrite(d, 0, "b", "1"), "OK|");
	assert_string_equal(xwrite(d, 0, "c", "1"), "!ENOSPC");
	assert_string_equal(xwrite(d, 0, "a/x", "1"), "!ENOSPC");
	assert_string_equal(xread(d, 0, "c"), "!ENOENT");
	/* Changing values of its nodes still works. */
	assert_string_equal(xwrite(d, 0, "a", "2"), "OK|");
	/* The same in a transaction: refused at commit. */
	{
		uint32_t t = txn_start(d);

		assert_string_equal(xwrite(d, t, "c", "1"), "OK|");
		assert_string_equal(rq(d, XS_TRANSACTION_END, t, "T", NULL),
				    "!ENOSPC");
	}
	/* Raised at run time. */
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "5", "nodes", "4", NULL),
			    "OK|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "5", "nodes", NULL), "4|");
	assert_string_equal(xwrite(d, 0, "c", "1"), "OK|");
	assert_string_equal(xwrite(d, 0, "e", "1"), "!ENOSPC");
	/* Removing frees. */
	assert_string_equal(rq(d, XS_RM, 0, "a", NULL), "OK|");
	assert_string_equal(xwrite(d, 0, "e", "1"), "OK|");
	/* 0: no limit. A privileged writer is never limited. */
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "5", "nodes", "0", NULL),
			    "OK|");
	assert_string_equal(xwrite(d, 0, "f", "1"), "OK|");
}

static void test_quota_sizes_and_watches(void **state)
{
	struct xs_conn *p = priv_conn(), *d = dom_conn(5);
	static char big[2100];
	char tok[16];

	memset(big, 'v', 2049);
	big[2049] = '\0';
	assert_string_equal(xwrite(d, 0, "big", big), "!ENOSPC");
	big[2048] = '\0';
	assert_string_equal(xwrite(d, 0, "big", big), "OK|");
	memset(big, 'v', 2099);
	big[2099] = '\0';
	assert_string_equal(xwrite(p, 0, "/local/domain/5/big", big), "OK|");
	/* watches: 128. */
	for (int i = 0; i < 128; i++) {
		snprintf(tok, sizeof(tok), "t%d", i);
		assert_string_equal(rq(d, XS_WATCH, 0, "w", tok, NULL), "OK|");
	}
	assert_string_equal(rq(d, XS_WATCH, 0, "w", "one-more", NULL),
			    "!ENOSPC");
	assert_string_equal(rq(d, XS_UNWATCH, 0, "w", "t0", NULL), "OK|");
	assert_string_equal(rq(d, XS_WATCH, 0, "w", "one-more", NULL), "OK|");
	/* memory: everything the domain holds. */
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "5", "memory", "1000", NULL),
			    "OK|");
	assert_string_equal(xwrite(d, 0, "more", "x"), "!ENOSPC");
	assert_string_equal(rq(d, XS_WATCH, 0, "w", "another", NULL),
			    "!ENOSPC");
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "5", "memory", "0", NULL),
			    "OK|");
	assert_string_equal(xwrite(d, 0, "more", "x"), "OK|");
}

static void test_quota_get_set(void **state)
{
	struct xs_conn *p = priv_conn(), *d;

	assert_string_equal(rq(p, XS_GET_QUOTA, 0, NULL),
			    "nodes watches outstanding memory transactions "
			    "transaction-nodes node-permissions node-size|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "nodes", NULL), "1000|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "watches", NULL), "128|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "outstanding", NULL), "20|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "memory", NULL), "2621440|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "transactions", NULL),
			    "10|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "transaction-nodes", NULL),
			    "1024|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "node-permissions", NULL),
			    "5|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "node-size", NULL), "2048|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "9", "nodes", NULL),
			    "1000|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "bogus", NULL), "!EINVAL");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "x", "nodes", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "1", "2", "3", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "bogus", "1", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "nodes", "-1", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "nodes", "4294967296", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "nodes", NULL), "!EINVAL");
	/* The store-wide value is for domains that come later. */
	d = dom_conn(5);
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "nodes", "2", NULL), "OK|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "5", "nodes", NULL),
			    "1000|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "6", "nodes", NULL), "2|");
	assert_string_equal(xwrite(d, 0, "a", "1"), "OK|");
	assert_string_equal(xwrite(d, 0, "b", "1"), "OK|");
	d = dom_conn(6);
	assert_string_equal(xwrite(d, 0, "a", "1"), "OK|");
	assert_string_equal(xwrite(d, 0, "b", "1"), "!ENOSPC");
}

/*
 * Domain 5 dies: its connection, watch and transaction go, its directory
 * and every node it owns elsewhere go (watches fire), entries naming it
 * go, @releaseDomain fires; a new domain 5 inherits nothing.
 */
static void test_domain_gone(void **state)
{
	struct xs_conn *p = priv_conn(), *d = dom_conn(5);
	struct xs_stats st;

	assert_string_equal(xwrite(d, 0, "data", "1"), "OK|");
	assert_string_equal(rq(p, XS_MKDIR, 0, "/tool/shared", NULL), "OK|");
	assert_string_equal(
	    rq(p, XS_SET_PERMS, 0, "/tool/shared", "n32754", "b5", NULL),
	    "OK|");
	assert_string_equal(xwrite(d, 0, "/tool/shared/mine/sub", "m"), "OK|");
	assert_string_equal(xwrite(p, 0, "/vm/acl", "a"), "OK|");
	assert_string_equal(
	    rq(p, XS_SET_PERMS, 0, "/vm/acl", "n1", "r5", "r6", NULL), "OK|");
	assert_string_equal(rq(d, XS_WATCH, 0, "/vm/acl", "w", NULL), "OK|");
	txn_start(d);
	assert_string_equal(rq(p, XS_SET_QUOTA, 0, "5", "nodes", "7", NULL),
			    "OK|");
	assert_string_equal(rq(p, XS_WATCH, 0, "/tool", "t", NULL), "OK|");
	assert_string_equal(rq(p, XS_WATCH, 0, "/local/domain", "l", NULL),
			    "OK|");
	assert_string_equal(rq(p, XS_WATCH, 0, "@releaseDomain", "r", NULL),
			    "OK|");
	expect_event(p, "/tool", "t");
	expect_event(p, "/local/domain", "l");
	expect_event(p, "@releaseDomain", "r");
	forget_events(d);

	xs_store_domain_gone(S, 5);
	assert_int_equal(hk.released, 1);
	assert_int_equal(hk.domid, 5);
	expect_event(p, "/local/domain/5", "l");
	expect_event(p, "/tool/shared/mine", "t");
	expect_event(p, "@releaseDomain", "r");
	expect_no_event(p);
	assert_string_equal(xread(p, 0, "/local/domain/5"), "!ENOENT");
	assert_string_equal(xread(p, 0, "/tool/shared/mine"), "!ENOENT");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/tool/shared", NULL),
			    "n32754|");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/vm/acl", NULL), "n1|r6|");
	assert_string_equal(rq(p, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "F|");
	assert_string_equal(rq(p, XS_GET_QUOTA, 0, "5", "nodes", NULL),
			    "1000|");
	xs_store_stats(S, &st);
	assert_int_equal(st.connections, 1);
	assert_int_equal(st.watches, 3);
	assert_int_equal(st.transactions, 0);

	/* The ID again: nothing of the old domain's. */
	d = xs_conn_new(S, 5, 0);
	assert_non_null(d);
	assert_string_equal(xread(d, 0, "/vm/acl"), "!EACCES");
	assert_string_equal(xread(d, 0, "data"), "!ENOENT");
	assert_string_equal(xwrite(d, 0, "data", "x"), "!EACCES");
	assert_int_equal(xs_store_introduce(S, 5), 0);
	assert_string_equal(xwrite(d, 0, "data", "x"), "OK|");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/local/domain/5", NULL),
			    "n5|");
}

/* RELEASE does the same as the hypervisor's report. */
static void test_release_cleans_up(void **state)
{
	struct xs_conn *p = priv_conn(), *d = dom_conn(5);

	assert_string_equal(xwrite(d, 0, "x", "1"), "OK|");
	assert_string_equal(rq(d, XS_WATCH, 0, "x", "t", NULL), "OK|");
	forget_events(d);
	assert_string_equal(rq(p, XS_RELEASE, 0, "5", NULL), "OK|");
	assert_int_equal(hk.released, 1);
	assert_string_equal(xread(p, 0, "/local/domain/5/x"), "!ENOENT");
	assert_string_equal(rq(p, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "F|");
}

/* Whatever happens, everything taken is given back. */
static void test_accounting(void **state)
{
	struct xs_stats base, st;
	struct xs_conn *p, *d;
	uint32_t t;

	xs_store_stats(S, &base);
	assert_int_equal(base.nodes, 5);
	p = priv_conn();
	d = dom_conn(5);
	assert_string_equal(xwrite(d, 0, "a/b", "1"), "OK|");
	assert_string_equal(rq(d, XS_WATCH, 0, "a", "t", NULL), "OK|");
	t = txn_start(d);
	assert_string_equal(xwrite(d, t, "a/c", "2"), "OK|");
	txn_start(d);
	assert_string_equal(xwrite(p, 0, "/tool/x", "1"), "OK|");
	forget_events(d);
	xs_store_domain_gone(S, 5);
	assert_string_equal(rq(p, XS_RM, 0, "/tool/x", NULL), "OK|");
	xs_conn_free(p);
	xs_store_stats(S, &st);
	assert_int_equal(st.nodes, base.nodes);
	assert_int_equal(st.node_bytes, base.node_bytes);
	assert_int_equal(st.connections, 0);
	assert_int_equal(st.watches, 0);
	assert_int_equal(st.transactions, 0);
	/* Domain 1's record stays (it may own nodes); 5's went. */
	assert_int_equal(st.domains, base.domains + 1);
	assert_true(st.bytes > base.bytes);
	assert_true(st.bytes - base.bytes < 128);
}

/*
 * A script of every kind of request, run with the Nth allocation failing,
 * for every N until the script needs no more: the store must answer
 * (ENOMEM, or fail the connection when not even the reply fits), keep
 * its counts right and leak nothing (ASan checks the last part).
 */
static void alloc_script(struct xs_conn *p, struct xs_conn *d)
{
	static uint8_t buf[4096];
	size_t n = 0;
	uint32_t t = S->next_txid + 1;

#define ADD(type, tx, s) n += build(buf + n, type, 1, tx, s, sizeof(s))
	ADD(XS_WRITE, 0, "a/b/c\0value");
	ADD(XS_MKDIR, 0, "m/n");
	ADD(XS_WATCH, 0, "a\0tok");
	ADD(XS_TRANSACTION_START, 0, "");
	ADD(XS_WRITE, t, "a/x\0tx");
	ADD(XS_RM, t, "a/b");
	ADD(XS_DIRECTORY, t, "a");
	ADD(XS_SET_PERMS, t, "a\0n5\0r0");
	ADD(XS_TRANSACTION_END, t, "T");
	ADD(XS_DIRECTORY_PART, 0, "a\0000");
	ADD(XS_GET_PERMS, 0, "a");
	ADD(XS_RM, 0, "m");
	xs_conn_input(d, buf, n);
	n = 0;
	ADD(XS_INTRODUCE, 0, "6\0001\0002");
	ADD(XS_SET_QUOTA, 0, "6\0nodes\0009");
	ADD(XS_WATCH, 0, "@releaseDomain\0r");
	ADD(XS_GET_QUOTA, 0, "");
	ADD(XS_RELEASE, 0, "6");
	xs_conn_input(p, buf, n);
#undef ADD
}

static void test_allocation_failures(void **state)
{
	struct xs_stats st;
	bool done = false;
	uint64_t k;

	xs_store_free(S);
	for (k = 1; !done; k++) {
		struct xs_conn *p, *d;

		S = xs_store_new(&hooks, NULL);
		assert_non_null(S);
		p = priv_conn();
		d = dom_conn(5);
		S->fail_alloc_in = k;
		alloc_script(p, d);
		done = S->fail_alloc_in != 0;
		S->fail_alloc_in = 0;
		xs_store_domain_gone(S, 5);
		xs_store_domain_gone(S, 6);
		xs_conn_free(p);
		xs_store_stats(S, &st);
		assert_int_equal(st.connections, 0);
		assert_int_equal(st.watches, 0);
		assert_int_equal(st.transactions, 0);
		assert_int_equal(st.nodes, 5);
		xs_store_free(S);
		S = NULL;
		assert_true(k < 2000);
	}
	printf("xenstore: script survived each of its %llu allocations "
	       "failing\n",
	       (unsigned long long)(k - 2));
	assert_true(k > 50);
	S = xs_store_new(&hooks, NULL); /* for the teardown */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, store_setup, store_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_txn_isolation),
	    T(test_txn_abort),
	    T(test_txn_conflict_and_retry),
	    T(test_txn_conflict_kinds),
	    T(test_txn_rm_recreate),
	    T(test_txn_watches_at_commit),
	    T(test_txn_errors),
	    T(test_txn_node_quota),
	    T(test_quota_nodes),
	    T(test_quota_sizes_and_watches),
	    T(test_quota_get_set),
	    T(test_domain_gone),
	    T(test_release_cleans_up),
	    T(test_accounting),
	    T(test_allocation_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
