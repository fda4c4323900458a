// SPDX-License-Identifier: GPL-2.0-only
/*
 * Payloads from ctld (mgmt_reply.h). Every reader bounds itself by the
 * payload's length: a reply may lack its NULs, its newlines or its fields.
 */
#include <string.h>

#include "mgmt_reply.h"

/* Copies at most size-1 bytes of [p, p+len) up to a NUL, NUL-terminated. */
static size_t copy_field(char *dst, size_t size, const uint8_t *p, size_t len)
{
	size_t n = 0;

	while (n < len && p[n] && n + 1 < size) {
		dst[n] = (char)p[n];
		n++;
	}
	dst[n] = '\0';
	while (n < len && p[n])
		n++;
	return n; /* the field's length in the payload */
}

static void make_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s == 0x7f)
			*s = '?';
}

void mgmt_reply_error(const uint8_t *p, size_t len, struct mgmt_error *e)
{
	size_t n = copy_field(e->name, sizeof(e->name), p, len);

	e->message[0] = '\0';
	if (n < len)
		copy_field(e->message, sizeof(e->message), p + n + 1,
			   len - n - 1);
	if (!e->name[0])
		strcpy(e->name, "EIO");
	make_printable(e->name);
	make_printable(e->message);
}

static const struct {
	const char *name, *meaning;
} meanings[] = {
    {"ENOENT", "no such entry"},
    {"EACCES", "permission denied"},
    {"EEXIST", "already exists"},
    {"EINVAL", "invalid argument"},
    {"EISDIR", "is a directory"},
    {"ENOMEM", "out of memory"},
    {"ENOSPC", "no space left"},
    {"EIO", "input/output error"},
    {"ENOTEMPTY", "directory not empty"},
    {"ENOSYS", "not implemented"},
    {"EROFS", "read-only"},
    {"EBUSY", "busy"},
    {"EAGAIN", "try again (the transaction conflicted)"},
    {"EISCONN", "already connected"},
    {"E2BIG", "too big"},
    {"EPERM", "operation not permitted"},
    {"EQUOTA", "quota exceeded"},
};

const char *mgmt_reply_error_meaning(const char *name)
{
	for (size_t i = 0; i < sizeof(meanings) / sizeof(meanings[0]); i++)
		if (!strcmp(meanings[i].name, name))
			return meanings[i].meaning;
	return "error";
}

bool mgmt_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

void mgmt_lines_init(struct mgmt_lines *l, const uint8_t *p, size_t len)
{
	const void *nul = memchr(p, '\0', len);

	l->p = (const char *)p;
	l->end = nul ? (const char *)nul : (const char *)p + len;
}

bool mgmt_lines_next(struct mgmt_lines *l, const char **line, size_t *len)
{
	const char *nl;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	*line = l->p;
	*len = (size_t)((nl ? nl : l->end) - l->p);
	l->p = nl ? nl + 1 : l->end;
	return true;
}

/* The next blank-separated word of [*s, end): false if there is none. */
static bool next_word(const char **s, const char *end, const char **w,
		      size_t *wlen)
{
	while (*s < end && (**s == ' ' || **s == '\t' || **s == '\r'))
		(*s)++;
	if (*s >= end)
		return false;
	*w = *s;
	while (*s < end && **s != ' ' && **s != '\t' && **s != '\r')
		(*s)++;
	*wlen = (size_t)(*s - *w);
	return true;
}

static bool word_u64(const char **s, const char *end, uint64_t *v)
{
	const char *w;
	size_t n;

	return next_word(s, end, &w, &n) && mgmt_parse_u64(w, n, v);
}

static bool word_copy(const char **s, const char *end, char *dst, size_t size)
{
	const char *w;
	size_t n;

	if (!next_word(s, end, &w, &n) || n >= size)
		return false;
	memcpy(dst, w, n);
	dst[n] = '\0';
	return true;
}

int mgmt_reply_domain(const char *line, size_t len, struct mgmt_domain *d)
{
	const char *s = line, *end = line + len, *w;
	uint64_t id, vcpus;
	size_t n;

	if (!word_u64(&s, end, &id) || id > UINT32_MAX ||
	    !word_copy(&s, end, d->name, sizeof(d->name)) ||
	    !word_u64(&s, end, &d->mem_kib) || !word_u64(&s, end, &vcpus) ||
	    vcpus > UINT32_MAX ||
	    !word_copy(&s, end, d->state, sizeof(d->state)) ||
	    !word_u64(&s, end, &d->cpu_ns) || next_word(&s, end, &w, &n))
		return -1;
	d->id = (uint32_t)id;
	d->vcpus = (uint32_t)vcpus;
	make_printable(d->name);
	return 0;
}

int mgmt_reply_kv(const char *line, size_t len, char *key, size_t key_size,
		  const char **value, size_t *value_len)
{
	const char *s = line, *end = line + len;

	if (!word_copy(&s, end, key, key_size))
		return -1;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*value = s;
	*value_len = (size_t)(end - s);
	return 0;
}

/* The value of "key N" lines of HELLO, in [s, end). */
static void hello_line(const char *s, size_t len, struct mgmt_hello *h)
{
	char key[32];
	const char *v;
	size_t vlen;
	uint64_t n;

	if (mgmt_reply_kv(s, len, key, sizeof(key), &v, &vlen) ||
	    !mgmt_parse_u64(v, vlen, &n) || n > 0x7fffffff)
		return;
	if (!strcmp(key, "boot-domains"))
		h->boot_domains = (unsigned)n;
	else if (!strcmp(key, "ready"))
		h->ready = (unsigned)n;
	else if (!strcmp(key, "ctld-domid"))
		h->ctld_domid = (int)n;
}

int mgmt_reply_hello(const uint8_t *p, size_t len, struct mgmt_hello *h)
{
	static const char magic[] = "atoll-mgmt ";
	const uint8_t *nul = memchr(p, '\0', len);
	struct mgmt_lines l;
	const char *line;
	size_t n;
	uint64_t v;

	memset(h, 0, sizeof(*h));
	h->ctld_domid = -1;
	if (!nul || (size_t)(nul - p) <= sizeof(magic) - 1 ||
	    memcmp(p, magic, sizeof(magic) - 1) ||
	    !mgmt_parse_u64((const char *)p + sizeof(magic) - 1,
			    (size_t)(nul - p) - (sizeof(magic) - 1), &v) ||
	    v > 0xffff)
		return -1;
	h->version = (unsigned)v;
	mgmt_lines_init(&l, nul + 1, len - (size_t)(nul + 1 - p));
	while (mgmt_lines_next(&l, &line, &n))
		hello_line(line, n, h);
	return 0;
}

const char *mgmt_state_letters(const char *state)
{
	static const struct {
		const char *word, *letters;
	} states[] = {
	    {"running", "r-----"},  {"blocked", "-b----"}, {"paused", "--p---"},
	    {"shutdown", "---s--"}, {"crashed", "----c-"}, {"dying", "-----d"},
	};

	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcmp(states[i].word, state))
			return states[i].letters;
	return "------";
}
