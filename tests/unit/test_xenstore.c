// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XenStore core (xenstore-stubdom/core) through its wire protocol:
 * every node operation and its errors, permissions, watches and the
 * special watches, privileged operations and the introduce hook, message
 * framing (split, concatenated, oversized, malformed), the outstanding
 * reply quota, and the memory a node costs. Transactions, quotas and
 * domain removal are in test_xenstore_txn.c. Each test asserts on the
 * bytes the store sends back.
 */
#include "test_xenstore_client.c"

static void test_initial_tree(void **state)
{
	struct xs_conn *p = priv_conn();

	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/", NULL),
			    "local|vm|tool|");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/local", NULL), "domain|");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/local/domain", NULL), "");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/vm", NULL), "");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/", NULL), "n32754|");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/tool", NULL), "n32754|");
	assert_string_equal(xread(p, 0, "/"), "");
}

static void test_read_write(void **state)
{
	struct xs_conn *p = priv_conn();
	static const char bin[] = {'a', 0, 'b', 0, 0, 'c'};
	char payload[32];
	const struct msg *m;

	assert_string_equal(xwrite(p, 0, "/tool/x", "hello"), "OK|");
	assert_string_equal(xread(p, 0, "/tool/x"), "hello");
	assert_string_equal(xwrite(p, 0, "/tool/x", "bye"), "OK|");
	assert_string_equal(xread(p, 0, "/tool/x"), "bye");
	assert_string_equal(xwrite(p, 0, "/tool/x", ""), "OK|");
	assert_string_equal(xread(p, 0, "/tool/x"), "");
	/* Missing parents are created, empty. */
	assert_string_equal(xwrite(p, 0, "/tool/a/b/c", "v"), "OK|");
	assert_string_equal(xread(p, 0, "/tool/a"), "");
	assert_string_equal(xread(p, 0, "/tool/a/b"), "");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool/a", NULL), "b|");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool", NULL), "x|a|");
	/* Values are bytes, NULs included. */
	memcpy(payload, "/tool/bin", 10);
	memcpy(payload + 10, bin, sizeof(bin));
	assert_string_equal(rq_raw(p, XS_WRITE, 0, payload, 10 + sizeof(bin)),
			    "OK|");
	send_raw(p, XS_READ, 7, 0, "/tool/bin", 10);
	m = reply_for(p, 7);
	assert_int_equal(m->h.type, XS_READ);
	assert_int_equal(m->h.len, sizeof(bin));
	assert_memory_equal(m->p, bin, sizeof(bin));
	assert_string_equal(xread(p, 0, "/tool/nothing"), "!ENOENT");
	assert_string_equal(xread(p, 0, "/tool/x/deeper"), "!ENOENT");
}

static void test_mkdir(void **state)
{
	struct xs_conn *p = priv_conn();

	assert_string_equal(rq(p, XS_MKDIR, 0, "/tool/d/e", NULL), "OK|");
	assert_string_equal(xread(p, 0, "/tool/d/e"), "");
	assert_string_equal(xwrite(p, 0, "/tool/d", "keep"), "OK|");
	assert_string_equal(rq(p, XS_MKDIR, 0, "/tool/d", NULL), "OK|");
	assert_string_equal(xread(p, 0, "/tool/d"), "keep");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool/d", NULL), "e|");
}

static void test_rm(void **state)
{
	struct xs_conn *p = priv_conn();

	assert_string_equal(xwrite(p, 0, "/tool/r/a/b", "1"), "OK|");
	assert_string_equal(xwrite(p, 0, "/tool/r/c", "2"), "OK|");
	assert_string_equal(rq(p, XS_RM, 0, "/tool/r/a", NULL), "OK|");
	assert_string_equal(xread(p, 0, "/tool/r/a/b"), "!ENOENT");
	assert_string_equal(xread(p, 0, "/tool/r/a"), "!ENOENT");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool/r", NULL), "c|");
	/* Absent with its parent present: fine; parent absent: ENOENT. */
	assert_string_equal(rq(p, XS_RM, 0, "/tool/r/a", NULL), "OK|");
	assert_string_equal(rq(p, XS_RM, 0, "/tool/r/a/b", NULL), "!ENOENT");
	assert_string_equal(rq(p, XS_RM, 0, "/", NULL), "!EINVAL");
	assert_string_equal(rq(p, XS_RM, 0, "/tool/r", NULL), "OK|");
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool", NULL), "");
}

/* 39-byte names: 120 children make a list longer than one payload. */
static void make_children(struct xs_conn *p, unsigned count)
{
	char path[96];

	for (unsigned i = 0; i < count; i++) {
		snprintf(path, sizeof(path),
			 "/tool/big/child-%03u-xxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
			 i);
		assert_string_equal(rq(p, XS_MKDIR, 0, path, NULL), "OK|");
	}
}

static void test_directory_part(void **state)
{
	struct xs_conn *p = priv_conn();
	static char all[8192];
	char off[16], gen[32];
	size_t all_len = 0;
	unsigned names = 0;

	make_children(p, 120);
	assert_string_equal(rq(p, XS_DIRECTORY, 0, "/tool/big", NULL),
			    "!E2BIG");
	for (;;) {
		const char *r, *list;
		size_t n;

		snprintf(off, sizeof(off), "%zu", all_len);
		r = rq(p, XS_DIRECTORY_PART, 0, "/tool/big", off, NULL);
		assert_int_not_equal(r[0], '!');
		list = strchr(r, '|') + 1;
		if (all_len == 0)
			snprintf(gen, sizeof(gen), "%.*s", (int)(list - r), r);
		else
			assert_memory_equal(r, gen, strlen(gen));
		if (strcmp(list, "|") == 0 || list[0] == '\0')
			break;
		n = strlen(list);
		assert_true(n < XENSTORE_PAYLOAD_MAX);
		memcpy(all + all_len, list, n);
		all_len += n;
		if (list[n - 1] == '|' && list[n - 2] == '|') {
			all_len--; /* the list's end marker */
			break;
		}
	}
	for (size_t i = 0; i < all_len; i++)
		names += all[i] == '|';
	assert_int_equal(names, 120);
	assert_int_equal(all_len, 120 * 40);
	assert_memory_equal(all, "child-000-", 10);
	/* Past the end: the generation and an empty list. */
	assert_string_equal(
	    strchr(rq(p, XS_DIRECTORY_PART, 0, "/tool/big", "99999", NULL),
		   '|'),
	    "||");
	/* Inside a name, or not a number. */
	assert_string_equal(rq(p, XS_DIRECTORY_PART, 0, "/tool/big", "3", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_DIRECTORY_PART, 0, "/tool/big", "x", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_DIRECTORY_PART, 0, "/tool/big", NULL),
			    "!EINVAL");
	/* A change to the children changes the generation. */
	assert_string_equal(rq(p, XS_MKDIR, 0, "/tool/big/new", NULL), "OK|");
	assert_memory_not_equal(
	    rq(p, XS_DIRECTORY_PART, 0, "/tool/big", "0", NULL), gen,
	    strlen(gen));
}

static void test_relative_paths(void **state)
{
	struct xs_conn *d = dom_conn(5), *p = priv_conn();

	assert_string_equal(xwrite(d, 0, "data/x", "1"), "OK|");
	assert_string_equal(xread(p, 0, "/local/domain/5/data/x"), "1");
	assert_string_equal(xread(d, 0, "data/x"), "1");
	assert_string_equal(rq(d, XS_GET_DOMAIN_PATH, 0, "5", NULL),
			    "/local/domain/5|");
	assert_string_equal(rq(d, XS_GET_DOMAIN_PATH, 0, "123", NULL),
			    "/local/domain/123|");
	assert_string_equal(rq(d, XS_GET_DOMAIN_PATH, 0, "x", NULL), "!EINVAL");
	assert_string_equal(rq(d, XS_GET_DOMAIN_PATH, 0, "70000", NULL),
			    "!EINVAL");
	/* The domain owns its directory, others have no access. */
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/local/domain/5", NULL),
			    "n5|");
	assert_string_equal(rq(d, XS_GET_PERMS, 0, "data/x", NULL), "n5|");
}

static void test_path_validation(void **state)
{
	struct xs_conn *p = priv_conn();
	static const char *const bad[] = {
	    "",	    "/a//b",  "/a/", "a b", "/a b", "/a\x01",
	    "/a.b", "/a/./b", "//",  "/a*", "@x",   "/é",
	};
	static char longp[XENSTORE_ABS_PATH_MAX + 8];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_string_equal(xread(p, 0, bad[i]), "!EINVAL");
		assert_string_equal(xwrite(p, 0, bad[i], "v"), "!EINVAL");
		assert_string_equal(rq(p, XS_MKDIR, 0, bad[i], NULL),
				    "!EINVAL");
	}
	/* Allowed characters, and the longest absolute path. */
	assert_string_equal(xwrite(p, 0, "/tool/aZ09-_@", "v"), "OK|");
	longp[0] = '/';
	memset(longp + 1, 'a', XENSTORE_ABS_PATH_MAX - 1);
	longp[XENSTORE_ABS_PATH_MAX] = '\0';
	assert_string_equal(xwrite(p, 0, longp, "v"), "OK|");
	assert_string_equal(xread(p, 0, longp), "v");
	longp[XENSTORE_ABS_PATH_MAX] = 'a';
	longp[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	assert_string_equal(xwrite(p, 0, longp, "v"), "!EINVAL");
	/* Relative: at most XENSTORE_REL_PATH_MAX. */
	memset(longp, 'b', XENSTORE_REL_PATH_MAX + 1);
	longp[XENSTORE_REL_PATH_MAX + 1] = '\0';
	assert_string_equal(xwrite(p, 0, longp, "v"), "!EINVAL");
	longp[XENSTORE_REL_PATH_MAX] = '\0';
	assert_string_equal(xwrite(p, 0, longp, "v"), "OK|");
}

static void test_permissions(void **state)
{
	struct xs_conn *d5 = dom_conn(5), *d6 = dom_conn(6), *p = priv_conn();
	const char *node = "/local/domain/5/shared";

	assert_string_equal(xwrite(d5, 0, "shared", "s"), "OK|");
	assert_string_equal(xread(d6, 0, node), "!EACCES");
	assert_string_equal(xwrite(d6, 0, node, "x"), "!EACCES");
	assert_string_equal(rq(d6, XS_DIRECTORY, 0, node, NULL), "!EACCES");
	assert_string_equal(rq(d6, XS_GET_PERMS, 0, node, NULL), "!EACCES");
	/* Read for 6. */
	assert_string_equal(rq(d5, XS_SET_PERMS, 0, node, "n5", "r6", NULL),
			    "OK|");
	assert_string_equal(xread(d6, 0, node), "s");
	assert_string_equal(xwrite(d6, 0, node, "x"), "!EACCES");
	assert_string_equal(rq(d6, XS_RM, 0, node, NULL), "!EACCES");
	/* Both for 6; a node 6 creates below is 6's, with the same ACL. */
	assert_string_equal(rq(d5, XS_SET_PERMS, 0, node, "n5", "b6", NULL),
			    "OK|");
	assert_string_equal(xwrite(d6, 0, node, "x"), "OK|");
	assert_string_equal(xwrite(d6, 0, "/local/domain/5/shared/k", "v"),
			    "OK|");
	assert_string_equal(
	    rq(p, XS_GET_PERMS, 0, "/local/domain/5/shared/k", NULL), "n6|b6|");
	/* Only the owner changes perms; only the privileged gives away. */
	assert_string_equal(rq(d6, XS_SET_PERMS, 0, node, "b6", NULL),
			    "!EACCES");
	assert_string_equal(rq(d5, XS_SET_PERMS, 0, node, "n6", NULL),
			    "!EPERM");
	assert_string_equal(rq(p, XS_SET_PERMS, 0, node, "r6", "w5", NULL),
			    "OK|");
	assert_string_equal(xread(d5, 0, node), "!EACCES");
	assert_string_equal(xwrite(d5, 0, node, "w"), "OK|");
	/* Everyone else gets the owner entry's mode. */
	assert_string_equal(rq(p, XS_SET_PERMS, 0, node, "r6", NULL), "OK|");
	assert_string_equal(xread(d5, 0, node), "w");
	/* A privileged creator leaves the parent's owner. */
	assert_string_equal(xwrite(p, 0, "/local/domain/5/ctl", "c"), "OK|");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/local/domain/5/ctl", NULL),
			    "n5|");
	/* Unprivileged domains cannot write the store's own nodes. */
	assert_string_equal(xwrite(d5, 0, "/tool/x", "1"), "!EACCES");
	assert_string_equal(rq(d5, XS_MKDIR, 0, "/vm/x", NULL), "!EACCES");
	assert_string_equal(rq(d5, XS_SET_PERMS, 0, "/tool", "n5", NULL),
			    "!EACCES");
	assert_string_equal(xread(d5, 0, "/tool"), "!EACCES");
	assert_string_equal(rq(d5, XS_SET_PERMS, 0, "/nothing", "n5", NULL),
			    "!ENOENT");
}

static void test_perm_strings(void **state)
{
	struct xs_conn *d5 = dom_conn(5), *p = priv_conn();
	static const char *const bad[] = {"x5", "r",   "r-1", "r70000",
					  "",	"rr5", "r5x", "R5"};

	assert_string_equal(xwrite(d5, 0, "n", "v"), "OK|");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_string_equal(
		    rq(d5, XS_SET_PERMS, 0, "n", "n5", bad[i], NULL),
		    "!EINVAL");
	assert_string_equal(rq(d5, XS_SET_PERMS, 0, "n", NULL), "!EINVAL");
	assert_string_equal(rq_raw(d5, XS_SET_PERMS, 0, "n\0n5", 4), "!EINVAL");
	/* node-permissions: 5 entries at most for a domain. */
	assert_string_equal(rq(d5, XS_SET_PERMS, 0, "n", "n5", "r1", "r2", "r3",
			       "r4", "r6", NULL),
			    "!ENOSPC");
	assert_string_equal(
	    rq(d5, XS_SET_PERMS, 0, "n", "n5", "r1", "w2", "b3", "n4", NULL),
	    "OK|");
	assert_string_equal(rq(d5, XS_GET_PERMS, 0, "n", NULL),
			    "n5|r1|w2|b3|n4|");
	assert_string_equal(rq(p, XS_SET_PERMS, 0, "/local/domain/5/n", "b5",
			       "r1", "r2", "r3", "r4", "r6", "r7", NULL),
			    "OK|");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/local/domain/5/n", NULL),
			    "b5|r1|r2|r3|r4|r6|r7|");
}

static void test_watches(void **state)
{
	struct xs_conn *d5 = dom_conn(5), *d6 = dom_conn(6), *p = priv_conn();

	assert_string_equal(rq(d5, XS_WATCH, 0, "/local/domain/5", "abs", NULL),
			    "OK|");
	expect_event(d5, "/local/domain/5", "abs");
	assert_string_equal(rq(d5, XS_WATCH, 0, "data", "rel", NULL), "OK|");
	expect_event(d5, "data", "rel");
	assert_string_equal(rq(d5, XS_WATCH, 0, "data", "rel", NULL),
			    "!EEXIST");
	expect_no_event(d5);
	/* A change below fires both, once each; the relative one relative. */
	assert_string_equal(xwrite(p, 0, "/local/domain/5/data/x", "1"), "OK|");
	expect_event(d5, "/local/domain/5/data/x", "abs");
	expect_event(d5, "data/x", "rel");
	expect_no_event(d5);
	/* Outside the watched paths: nothing. */
	assert_string_equal(xwrite(p, 0, "/local/domain/5x", "1"), "OK|");
	assert_string_equal(xwrite(p, 0, "/tool/y", "1"), "OK|");
	expect_no_event(d5);
	/* Removing a parent fires with the watched path. */
	assert_string_equal(rq(p, XS_RM, 0, "/local/domain/5", NULL), "OK|");
	expect_event(d5, "/local/domain/5", "abs");
	expect_event(d5, "data", "rel");
	expect_no_event(d5);
	/* The domain's directory back (as at introduction). */
	assert_int_equal(xs_store_introduce(S, 5), 0);
	expect_event(d5, "/local/domain/5", "abs");
	expect_no_event(d5);
	/* Unwatch. */
	assert_string_equal(rq(d5, XS_UNWATCH, 0, "data", "rel", NULL), "OK|");
	assert_string_equal(rq(d5, XS_UNWATCH, 0, "data", "rel", NULL),
			    "!ENOENT");
	assert_string_equal(rq(d5, XS_UNWATCH, 0, "data", NULL), "!EINVAL");
	assert_string_equal(xwrite(p, 0, "/local/domain/5/data/z", "1"), "OK|");
	expect_event(d5, "/local/domain/5/data/z", "abs");
	expect_no_event(d5);
	/* 6 watches 5's node: told only of what it may read. */
	assert_string_equal(
	    rq(d6, XS_WATCH, 0, "/local/domain/5/data", "w6", NULL), "OK|");
	expect_event(d6, "/local/domain/5/data", "w6");
	assert_string_equal(xwrite(p, 0, "/local/domain/5/data/z", "2"), "OK|");
	expect_no_event(d6);
	assert_string_equal(
	    rq(p, XS_SET_PERMS, 0, "/local/domain/5/data/z", "n5", "r6", NULL),
	    "OK|");
	expect_event(d6, "/local/domain/5/data/z", "w6");
	assert_string_equal(xwrite(p, 0, "/local/domain/5/data/z", "3"), "OK|");
	expect_event(d6, "/local/domain/5/data/z", "w6");
	for (int i = 0; i < 3; i++) /* 5 heard of all three */
		expect_event(d5, "/local/domain/5/data/z", "abs");
	expect_no_event(d5);
	/* Watch arguments. */
	assert_string_equal(rq(d5, XS_WATCH, 0, "/a//b", "t", NULL), "!EINVAL");
	assert_string_equal(rq(d5, XS_WATCH, 0, "/a", NULL), "!EINVAL");
	assert_string_equal(rq(d5, XS_WATCH, 0, "/a", "t", "1", NULL),
			    "!EINVAL");
	/* The watch tx_id is ignored. */
	assert_string_equal(rq(d5, XS_WATCH, 77, "/tool", "t", NULL), "OK|");
	expect_event(d5, "/tool", "t");
}

static void test_watch_root_and_writes_in_order(void **state)
{
	struct xs_conn *p = priv_conn(), *q = priv_conn();

	assert_string_equal(rq(q, XS_WATCH, 0, "/", "all", NULL), "OK|");
	expect_event(q, "/", "all");
	assert_string_equal(xwrite(p, 0, "/vm/a/b", "1"), "OK|");
	expect_event(q, "/vm/a/b", "all"); /* one event, not one per parent */
	assert_string_equal(rq(p, XS_MKDIR, 0, "/vm/a", NULL), "OK|");
	assert_string_equal(rq(p, XS_SET_PERMS, 0, "/vm/a", "n0", NULL), "OK|");
	expect_event(q, "/vm/a", "all");
	assert_string_equal(rq(p, XS_RM, 0, "/vm/a", NULL), "OK|");
	expect_event(q, "/vm/a", "all");
	expect_no_event(q);
}

static void test_special_watches(void **state)
{
	struct xs_conn *p = priv_conn(), *d5 = dom_conn(5), *d7;

	assert_string_equal(rq(p, XS_WATCH, 0, "@introduceDomain", "i", NULL),
			    "OK|");
	expect_event(p, "@introduceDomain", "i");
	assert_string_equal(rq(p, XS_WATCH, 0, "@releaseDomain", "r", NULL),
			    "OK|");
	expect_event(p, "@releaseDomain", "r");
	assert_string_equal(rq(d5, XS_WATCH, 0, "@releaseDomain", "r5", NULL),
			    "OK|");
	expect_event(d5, "@releaseDomain", "r5");

	d7 = dom_conn(7);
	expect_event(p, "@introduceDomain", "i");
	forget_events(d7);
	xs_store_domain_gone(S, 7);
	expect_event(p, "@releaseDomain", "r");
	expect_no_event(d5); /* not allowed to hear of it */

	assert_string_equal(rq(d5, XS_GET_PERMS, 0, "@releaseDomain", NULL),
			    "!EACCES");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "@releaseDomain", NULL),
			    "n32754|");
	assert_string_equal(
	    rq(d5, XS_SET_PERMS, 0, "@releaseDomain", "n5", NULL), "!EACCES");
	assert_string_equal(
	    rq(p, XS_SET_PERMS, 0, "@releaseDomain", "n32754", "r5", NULL),
	    "OK|");
	assert_string_equal(rq(d5, XS_GET_PERMS, 0, "@releaseDomain", NULL),
			    "n32754|r5|");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "@other", NULL), "!ENOENT");
	assert_string_equal(rq(p, XS_SET_PERMS, 0, "@other", "n1", NULL),
			    "!ENOENT");
	d7 = dom_conn(7);
	expect_event(p, "@introduceDomain", "i");
	xs_store_domain_gone(S, 7);
	expect_event(p, "@releaseDomain", "r");
	expect_event(d5, "@releaseDomain", "r5");
	/* Special paths are for watches and permissions only. */
	assert_string_equal(xread(p, 0, "@releaseDomain"), "!EINVAL");
	assert_string_equal(xwrite(p, 0, "@releaseDomain", "x"), "!EINVAL");
}

static void test_privileged_ops(void **state)
{
	struct xs_conn *p = priv_conn(), *d5 = dom_conn(5);
	static const uint32_t priv_only[] = {
	    XS_INTRODUCE, XS_RELEASE,	XS_IS_DOMAIN_INTRODUCED,
	    XS_RESUME,	  XS_GET_QUOTA, XS_SET_QUOTA};

	for (size_t i = 0; i < sizeof(priv_only) / sizeof(priv_only[0]); i++)
		assert_string_equal(
		    rq(d5, priv_only[i], 0, "9", "1", "2", NULL), "!EACCES");
	assert_string_equal(rq(p, XS_IS_DOMAIN_INTRODUCED, 0, "5", NULL), "T|");
	assert_string_equal(rq(p, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL), "F|");
	assert_string_equal(rq(p, XS_RESUME, 0, "5", NULL), "OK|");
	assert_string_equal(rq(p, XS_RESUME, 0, "9", NULL), "!ENOENT");

	/* INTRODUCE: the hook maps the ring and makes the connection. */
	hk.make_conn = true;
	assert_string_equal(rq(p, XS_WATCH, 0, "@introduceDomain", "i", NULL),
			    "OK|");
	expect_event(p, "@introduceDomain", "i");
	assert_string_equal(
	    rq(p, XS_INTRODUCE, 0, "9", "8796093022207", "17", NULL), "OK|");
	assert_int_equal(hk.introduced, 1);
	assert_int_equal(hk.domid, 9);
	assert_int_equal(hk.mfn, 8796093022207ull);
	assert_int_equal(hk.port, 17);
	assert_non_null(hk.conn);
	expect_event(p, "@introduceDomain", "i");
	assert_string_equal(rq(p, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL), "T|");
	assert_string_equal(rq(p, XS_GET_PERMS, 0, "/local/domain/9", NULL),
			    "n9|");
	assert_string_equal(xwrite(hk.conn, 0, "name", "nine"), "OK|");
	/* Again: nothing happens. */
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "9", "1", "2", "", NULL),
			    "OK|");
	assert_int_equal(hk.introduced, 1);
	expect_no_event(p);
	/* The hook's error goes back; unknown errors become EIO. */
	hk.introduce_result = XEN_EBUSY;
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "10", "1", "2", NULL),
			    "!EBUSY");
	hk.introduce_result = XEN_ENODEV;
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "10", "1", "2", NULL),
			    "!EIO");
	assert_string_equal(rq(p, XS_IS_DOMAIN_INTRODUCED, 0, "10", NULL),
			    "F|");
	hk.introduce_result = 0;
	/* Malformed. */
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "10", "1", NULL), "!EINVAL");
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "x", "1", "2", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "10", "-1", "2", NULL),
			    "!EINVAL");
	assert_string_equal(
	    rq(p, XS_INTRODUCE, 0, "10", "1", "4294967296", NULL), "!EINVAL");
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "32752", "1", "2", NULL),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_INTRODUCE, 0, "1", "1", "2", NULL),
			    "!EINVAL"); /* its own domain */
	assert_int_equal(hk.introduced, 3);
	/* RELEASE. */
	assert_string_equal(rq(p, XS_RELEASE, 0, "9", NULL), "OK|");
	assert_int_equal(hk.released, 1);
	assert_string_equal(rq(p, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL), "F|");
	assert_string_equal(xread(p, 0, "/local/domain/9"), "!ENOENT");
	assert_string_equal(rq(p, XS_RELEASE, 0, "9", NULL), "!ENOENT");
	assert_string_equal(rq(p, XS_RELEASE, 0, "1", NULL), "!EINVAL");
	assert_string_equal(rq(p, XS_RELEASE, 0, "", NULL), "!EINVAL");
}

static void test_unsupported_types(void **state)
{
	struct xs_conn *p = priv_conn();
	static const uint32_t types[] = {
	    XS_CONTROL, XS_WATCH_EVENT, XS_ERROR,	XS_SET_TARGET,
	    20,		XS_GET_FEATURE, XS_SET_FEATURE, XS_TYPE_COUNT,
	    1000,	XS_INVALID,	0xffffffffu};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		assert_string_equal(rq(p, types[i], 0, "x", NULL), "!ENOSYS");
}

static void test_malformed_payloads(void **state)
{
	struct xs_conn *p = priv_conn();

	assert_string_equal(rq_raw(p, XS_READ, 0, "/tool", 5), "!EINVAL");
	assert_string_equal(rq_raw(p, XS_READ, 0, "", 0), "!EINVAL");
	assert_string_equal(rq_raw(p, XS_WRITE, 0, "/tool/x", 7), "!EINVAL");
	assert_string_equal(rq_raw(p, XS_MKDIR, 0, "/tool\0/vm\0", 10),
			    "!EINVAL");
	assert_string_equal(rq_raw(p, XS_DIRECTORY, 0, "/tool\0x", 7),
			    "!EINVAL");
	assert_string_equal(rq_raw(p, XS_GET_DOMAIN_PATH, 0, "5", 1),
			    "!EINVAL");
	assert_string_equal(rq(p, XS_TRANSACTION_END, 0, "T", NULL), "!ENOENT");
	assert_string_equal(rq(p, XS_READ, 12345, "/tool", NULL), "!ENOENT");
	assert_string_equal(xwrite(p, 99, "/tool/x", "1"), "!ENOENT");
	assert_string_equal(xread(p, 0, "/tool/x"), "!ENOENT");
}

/* Three requests in one buffer, fed whole, then byte by byte. */
static void test_split_and_concatenated(void **state)
{
	struct xs_conn *p = priv_conn();
	static uint8_t buf[256];
	size_t n = 0;
	struct msg m;

	n += build(buf + n, XS_WRITE, 1, 0, "/tool/s\0abc", 11);
	n += build(buf + n, XS_READ, 2, 0, "/tool/s", 8);
	n += build(buf + n, XS_DIRECTORY, 3, 0, "/tool", 6);
	for (int round = 0; round < 2; round++) {
		if (round == 0) {
			assert_int_equal(xs_conn_input(p, buf, n), n);
		} else {
			for (size_t i = 0; i < n; i++)
				assert_int_equal(xs_conn_input(p, buf + i, 1),
						 1);
		}
		assert_true(pull(p, &m));
		assert_int_equal(m.h.req_id, 1);
		assert_string_equal(show(&m, XS_WRITE), "OK|");
		assert_true(pull(p, &m));
		assert_int_equal(m.h.req_id, 2);
		assert_string_equal(show(&m, XS_READ), "abc");
		assert_true(pull(p, &m));
		assert_int_equal(m.h.req_id, 3);
		assert_string_equal(show(&m, XS_DIRECTORY), "s|");
		assert_false(pull(p, &m));
	}
	/* Nothing, then a header in two pieces: no reply before it's whole. */
	assert_int_equal(xs_conn_input(p, buf, 0), 0);
	assert_int_equal(xs_conn_input(p, buf, 10), 10);
	assert_false(xs_conn_has_output(p));
	assert_int_equal(xs_conn_input(p, buf + 10, 16), 16);
	assert_false(xs_conn_has_output(p));
	assert_int_equal(xs_conn_input(p, buf + 26, n - 26), n - 26);
	assert_true(pull(p, &m));
	assert_int_equal(m.h.req_id, 1);
}

/* Output handed out in small pieces arrives intact. */
static void test_output_in_pieces(void **state)
{
	struct xs_conn *p = priv_conn();
	uint8_t out[64];
	size_t got = 0, len;
	const void *q;
	struct xsd_sockmsg h;

	send_raw(p, XS_READ, 9, 0, "/nothing", 9);
	while ((q = xs_conn_output_peek(p, &len))) {
		if (len > 3)
			len = 3;
		memcpy(out + got, q, len);
		xs_conn_output_consume(p, len);
		got += len;
	}
	assert_int_equal(got, sizeof(h) + 7);
	memcpy(&h, out, sizeof(h));
	assert_int_equal(h.type, XS_ERROR);
	assert_int_equal(h.req_id, 9);
	assert_int_equal(h.len, 7);
	assert_memory_equal(out + sizeof(h), "ENOENT", 7);
	assert_null(xs_conn_output_peek(p, &len));
	assert_int_equal(len, 0);
	assert_true(hk.outputs > 0);
}

/* len > 4096: E2BIG with the request's ids, payload skipped. */
static void test_oversized_header(void **state)
{
	struct xs_conn *p = priv_conn();
	struct xsd_sockmsg h = {XS_WRITE, 41, 0, XENSTORE_PAYLOAD_MAX + 1};
	static uint8_t junk[XENSTORE_PAYLOAD_MAX + 1];
	struct msg m;

	memset(junk, 'j', sizeof(junk));
	assert_int_equal(xs_conn_input(p, &h, sizeof(h)), sizeof(h));
	assert_true(pull(p, &m));
	assert_int_equal(m.h.type, XS_ERROR);
	assert_int_equal(m.h.req_id, 41);
	assert_string_equal(m.p, "E2BIG");
	/* The payload, split, then a good request. */
	assert_int_equal(xs_conn_input(p, junk, 100), 100);
	assert_int_equal(xs_conn_input(p, junk + 100, sizeof(junk) - 100),
			 sizeof(junk) - 100);
	assert_false(xs_conn_has_output(p));
	assert_string_equal(xread(p, 0, "/tool"), "");
	/* Header, payload and the next request in one buffer. */
	{
		static uint8_t all[sizeof(h) + 5000 + 64];
		size_t n;

		h.len = 5000;
		h.req_id = 42;
		memcpy(all, &h, sizeof(h));
		memset(all + sizeof(h), 0, 5000);
		n = sizeof(h) + 5000;
		n += build(all + n, XS_READ, 43, 0, "/tool", 6);
		assert_int_equal(xs_conn_input(p, all, n), n);
		assert_true(pull(p, &m));
		assert_int_equal(m.h.req_id, 42);
		assert_string_equal(m.p, "E2BIG");
		assert_true(pull(p, &m));
		assert_int_equal(m.h.req_id, 43);
		assert_string_equal(show(&m, XS_READ), "");
	}
	/* Exactly 4096 is allowed. */
	memcpy(junk, "/tool/big", 10);
	assert_string_equal(rq_raw(p, XS_WRITE, 0, junk, XENSTORE_PAYLOAD_MAX),
			    "OK|");
	/* A 4 GiB length: everything after it is payload to skip. */
	h.len = 0xffffffffu;
	h.req_id = 44;
	assert_int_equal(xs_conn_input(p, &h, sizeof(h)), sizeof(h));
	assert_true(pull(p, &m));
	assert_int_equal(m.h.req_id, 44);
	assert_string_equal(m.p, "E2BIG");
	assert_int_equal(xs_conn_input(p, junk, sizeof(junk)), sizeof(junk));
	assert_false(xs_conn_has_output(p));
}

/* An unprivileged client with 20 unread replies gets no more served. */
static void test_outstanding(void **state)
{
	struct xs_conn *d = dom_conn(5);
	static uint8_t buf[25 * 32];
	size_t n = 0, one, used;
	struct msg m;

	for (int i = 0; i < 25; i++)
		n += build(buf + n, XS_READ, (uint32_t)i, 0, "name", 5);
	one = n / 25;
	used = xs_conn_input(d, buf, n);
	assert_int_equal(used, 20 * one);
	assert_int_equal(xs_conn_input(d, buf + used, n - used), 0);
	/* Reading one reply frees one slot. */
	assert_true(pull(d, &m));
	assert_int_equal(m.h.req_id, 0);
	assert_int_equal(xs_conn_input(d, buf + used, n - used), one);
	used += one;
	for (int i = 1; i <= 20; i++) {
		assert_true(pull(d, &m));
		assert_int_equal(m.h.req_id, (uint32_t)i);
	}
	assert_int_equal(xs_conn_input(d, buf + used, n - used), n - used);
	for (int i = 21; i < 25; i++) {
		assert_true(pull(d, &m));
		assert_int_equal(m.h.req_id, (uint32_t)i);
		assert_string_equal(show(&m, XS_READ), "!ENOENT");
	}
	/* A privileged connection is not held back. */
	{
		struct xs_conn *p = priv_conn();

		assert_int_equal(xs_conn_input(p, buf, n), n);
	}
}

static void test_reset_watches(void **state)
{
	struct xs_conn *d = dom_conn(5), *p = priv_conn();
	struct xs_stats st;
	uint32_t t;

	assert_string_equal(rq(d, XS_WATCH, 0, "a", "1", NULL), "OK|");
	assert_string_equal(rq(d, XS_WATCH, 0, "b", "2", NULL), "OK|");
	t = txn_start(d);
	xs_store_stats(S, &st);
	assert_int_equal(st.watches, 2);
	assert_int_equal(st.transactions, 1);
	assert_string_equal(rq(d, XS_RESET_WATCHES, 0, NULL), "OK|");
	xs_store_stats(S, &st);
	assert_int_equal(st.watches, 0);
	assert_int_equal(st.transactions, 0);
	assert_string_equal(xwrite(p, 0, "/local/domain/5/a", "1"), "OK|");
	expect_event(d, "a", "1");
	expect_event(d, "b", "2");
	expect_no_event(d);
	assert_string_equal(xread(d, t, "a"), "!ENOENT");
}

/*
 * Memory per node beyond its name and value: 1000 nodes, 8-byte names,
 * 16-byte values, one permission entry each.
 */
static void test_memory_per_node(void **state)
{
	struct xs_conn *p = priv_conn();
	struct xs_stats before, after;
	char path[64];
	double per_node;

	xs_store_stats(S, &before);
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/tool/n%07d", i);
		assert_string_equal(xwrite(p, 0, path, "0123456789abcdef"),
				    "OK|");
	}
	xs_store_stats(S, &after);
	assert_int_equal(after.nodes - before.nodes, 1000);
	assert_int_equal(after.node_name_value_bytes -
			     before.node_name_value_bytes,
			 1000 * (9 + 16));
	per_node = (double)((after.node_bytes - before.node_bytes) -
			    (after.node_name_value_bytes -
			     before.node_name_value_bytes)) /
		   1000.0;
	printf("xenstore: %.1f bytes per node beyond name and value "
	       "(%zu struct, 3 blocks with 16-byte headers, value NUL, 4 per "
	       "perm)\n",
	       per_node, sizeof(struct xs_node));
	printf("BENCH xenstore.node_overhead %.0f bytes\n", per_node);
	assert_true(per_node < 200.0);
	/* All of the store's memory is accounted for. */
	assert_true(after.bytes >= after.node_bytes);
	for (int i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/tool/n%07d", i);
		assert_string_equal(rq(p, XS_RM, 0, path, NULL), "OK|");
	}
	xs_store_stats(S, &after);
	assert_int_equal(after.bytes, before.bytes);
	assert_int_equal(after.allocations, before.allocations);
	assert_int_equal(after.nodes, before.nodes);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, store_setup, store_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_initial_tree),
	    T(test_read_write),
	    T(test_mkdir),
	    T(test_rm),
	    T(test_directory_part),
	    T(test_relative_paths),
	    T(test_path_validation),
	    T(test_permissions),
	    T(test_perm_strings),
	    T(test_watches),
	    T(test_watch_root_and_writes_in_order),
	    T(test_special_watches),
	    T(test_privileged_ops),
	    T(test_unsupported_types),
	    T(test_malformed_payloads),
	    T(test_split_and_concatenated),
	    T(test_output_in_pieces),
	    T(test_oversized_header),
	    T(test_outstanding),
	    T(test_reset_watches),
	    T(test_memory_per_node),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
