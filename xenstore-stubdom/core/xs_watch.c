// SPDX-License-Identifier: GPL-2.0-only
/*
 * Watches. A watch on <wpath> fires for a change at any path that is a
 * child of <wpath> (the path itself included), and for the removal of a
 * parent of <wpath> (with <wpath> as the event's path). A connection only
 * hears of changes to nodes it may read; the special paths
 * (@introduceDomain, @releaseDomain) have permissions of their own.
 * Events for a relative watch carry relative paths.
 */
#include <string.h>
#include "xs_internal.h"

static const char *const special_names[XS_SPECIAL_COUNT] = {
    [XS_SPECIAL_INTRODUCE] = "@introduceDomain",
    [XS_SPECIAL_RELEASE] = "@releaseDomain",
};

/* XS_SPECIAL_* for a special node's name, -1 for anything else. */
int xs_special_index(const char *path)
{
	for (int i = 0; i < XS_SPECIAL_COUNT; i++)
		if (strcmp(path, special_names[i]) == 0)
			return i;
	return -1;
}

static struct xs_watch *watch_find(const struct xs_conn *c, const char *path,
				   const char *token)
{
	struct xs_watch *w;

	for (w = c->watches; w; w = w->next)
		if (strcmp(w->path, path) == 0 && strcmp(w->token, token) == 0)
			return w;
	return NULL;
}

/* `path` is canonical; `relative`: the client gave it relative. */
int xs_watch_add(struct xs_conn *c, const char *path, bool relative,
		 const char *token, struct xs_watch **out)
{
	struct xs_store *s = c->store;
	size_t plen = strlen(path), tlen = strlen(token);
	size_t size = sizeof(struct xs_watch) + plen + 1 + tlen + 1;
	struct xs_watch *w, **pp;
	char dpath[32];

	if (tlen > XS_TOKEN_MAX)
		return XEN_EINVAL;
	if (watch_find(c, path, token))
		return XEN_EEXIST;
	if (xs_quota_exceeded(c, XS_Q_WATCHES, c->dom->watches + 1u) ||
	    xs_quota_mem_exceeded(c->dom, c->priv, size))
		return XEN_ENOSPC;
	w = xs_alloc(s, size);
	if (!w)
		return XEN_ENOMEM;
	memcpy(w->path, path, plen + 1);
	w->token = w->path + plen + 1;
	memcpy(w->token, token, tlen + 1);
	w->path_len = (uint32_t)plen;
	w->rel_len =
	    relative
		? (uint32_t)xs_domain_path(c->domid, dpath, sizeof(dpath)) + 1
		: 0;
	w->next = NULL;
	for (pp = &c->watches; *pp; pp = &(*pp)->next)
		;
	*pp = w; /* in registration order: events come out in that order */
	c->dom->watches++;
	c->dom->mem += xs_block_size(w);
	s->watch_count++;
	*out = w;
	return 0;
}

static void watch_free(struct xs_conn *c, struct xs_watch *w)
{
	c->dom->watches--;
	c->dom->mem -= xs_block_size(w);
	c->store->watch_count--;
	xs_free(c->store, w);
}

int xs_watch_remove(struct xs_conn *c, const char *path, const char *token)
{
	struct xs_watch **pp = &c->watches;

	while (*pp &&
	       (strcmp((*pp)->path, path) || strcmp((*pp)->token, token)))
		pp = &(*pp)->next;
	if (!*pp)
		return XEN_ENOENT;
	{
		struct xs_watch *w = *pp;

		*pp = w->next;
		watch_free(c, w);
	}
	return 0;
}

void xs_watch_free_all(struct xs_conn *c)
{
	while (c->watches) {
		struct xs_watch *w = c->watches;

		c->watches = w->next;
		watch_free(c, w);
	}
}

/*
 * Queues WATCH_EVENT <path>|<token>| (path made relative if the watch is).
 * path[len] must be the path's NUL.
 */
void xs_watch_event(struct xs_conn *c, const struct xs_watch *w,
		    const char *path, size_t len)
{
	static const struct xsd_sockmsg hdr = {.type = XS_WATCH_EVENT};
	size_t tlen = strlen(w->token) + 1, size;
	uint32_t cap = c->priv ? XS_EVENT_QUEUE_MAX_PRIV : XS_EVENT_QUEUE_MAX;

	if (w->rel_len && len >= w->rel_len) {
		path += w->rel_len;
		len -= w->rel_len;
	}
	size = sizeof(hdr) + len + 1 + tlen;
	if (c->failed || len > XENSTORE_ABS_PATH_MAX ||
	    c->event_bytes + size > cap) {
		c->events_dropped++;
		return;
	}
	xs_conn_queue(c, &hdr, path, len + 1, w->token, tlen, false);
}

static void conn_fire(struct xs_conn *c, const char *path, size_t len,
		      bool recursive)
{
	for (const struct xs_watch *w = c->watches; w; w = w->next) {
		if (xs_is_child(path, len, w->path, w->path_len))
			xs_watch_event(c, w, path, len);
		else if (recursive &&
			 xs_is_child(w->path, w->path_len, path, len))
			xs_watch_event(c, w, w->path, w->path_len);
	}
}

/*
 * A change at `path` (NUL-terminated at len), whose node has `perms` (for a
 * removal: the perms it had). `recursive`: the subtree went, so watches below
 * fire too.
 */
void xs_watch_fire(struct xs_store *s, const char *path, size_t len,
		   const struct xs_perm *perms, uint16_t perm_count,
		   bool recursive)
{
	for (struct xs_conn *c = s->conns; c; c = c->next)
		if (xs_perm_for(c, perms, perm_count) & XS_PERM_READ)
			conn_fire(c, path, len, recursive);
}

void xs_watch_fire_special(struct xs_store *s, enum xs_special which)
{
	const char *name = special_names[which];

	xs_watch_fire(s, name, strlen(name), s->special[which].perms,
		      s->special[which].perm_count, false);
}
