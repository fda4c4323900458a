// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small reader for xl.cfg: `key = value` settings, one per line (a list
 * may span lines), `#` comments, values that are quoted strings, decimal
 * integers or [ lists of strings ]. Every key is checked; an unknown key or
 * a key given twice is an error, never ignored.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "xlcfg.h"

struct reader {
	const char *p, *end;
	unsigned line;
	struct xlcfg_error *err;
};

static int fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	r->err->line = r->line;
	va_start(ap, fmt);
	vsnprintf(r->err->message, sizeof(r->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

/* Skips blanks and comments; across newlines only if multiline. */
static void skip_space(struct reader *r, bool multiline)
{
	while (r->p < r->end) {
		char c = *r->p;

		if (c == '#') {
			while (r->p < r->end && *r->p != '\n')
				r->p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			r->p++;
		} else if (c == '\n' && multiline) {
			r->line++;
			r->p++;
		} else {
			return;
		}
	}
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int read_string(struct reader *r, char *out, size_t size)
{
	char quote = *r->p++;
	size_t n = 0;

	while (r->p < r->end && *r->p != quote) {
		if (*r->p == '\n' || *r->p == '\0')
			return fail(r, "unterminated string");
		if (n + 1 >= size)
			return fail(r, "string longer than %zu bytes",
				    size - 1);
		out[n++] = *r->p++;
	}
	if (r->p >= r->end)
		return fail(r, "unterminated string");
	r->p++;
	out[n] = '\0';
	return 0;
}

static int read_number(struct reader *r, uint32_t *out)
{
	uint64_t v = 0;

	if (r->p >= r->end || *r->p < '0' || *r->p > '9')
		return fail(r, "expected a number");
	while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
		v = v * 10 + (uint64_t)(*r->p++ - '0');
		if (v > UINT32_MAX)
			return fail(r, "number too large");
	}
	*out = (uint32_t)v;
	return 0;
}

static int read_list(struct reader *r, char list[][XLCFG_STRING_MAX],
		     unsigned *count)
{
	unsigned first_line = r->line;

	r->p++; /* '[' */
	for (;;) {
		skip_space(r, true);
		if (r->p >= r->end) {
			r->line = first_line;
			return fail(r, "unterminated list");
		}
		if (*r->p == ']') {
			r->p++;
			return 0;
		}
		if (*r->p != '"' && *r->p != '\'')
			return fail(r, "list items must be quoted strings");
		if (*count == XLCFG_LIST_MAX)
			return fail(r, "more than %d list items",
				    XLCFG_LIST_MAX);
		if (read_string(r, list[*count], XLCFG_STRING_MAX))
			return -1;
		(*count)++;
		skip_space(r, true);
		if (r->p < r->end && *r->p == ',')
			r->p++;
	}
}

enum kind { STRING, NUMBER, LIST };

struct key {
	const char *name;
	enum kind kind;
	size_t offset, size; /* STRING: buffer; NUMBER: uint32_t */
	size_t count_offset; /* LIST */
};

#define STR(k, f)                                                              \
	{                                                                      \
		k, STRING, offsetof(struct xlcfg, f),                          \
		    sizeof(((struct xlcfg *)0)->f), 0                          \
	}
#define NUM(k, f)                                                              \
	{                                                                      \
		k, NUMBER, offsetof(struct xlcfg, f), 0, 0                     \
	}
#define LST(k, f)                                                              \
	{                                                                      \
		k, LIST, offsetof(struct xlcfg, f), 0,                         \
		    offsetof(struct xlcfg, f##_count)                          \
	}

static const struct key keys[] = {
    STR("name", name),	   NUM("memory", memory_mib), NUM("maxmem", maxmem_mib),
    NUM("vcpus", vcpus),   NUM("weight", weight),     NUM("cap", cap),
    STR("kernel", kernel), STR("cmdline", cmdline),   LST("pci", pci),
    LST("vif", vif),	   LST("disk", disk),
};
#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

static int read_value(struct reader *r, const struct key *k, struct xlcfg *cfg)
{
	char *base = (char *)cfg;

	if (k->kind == NUMBER) {
		if (*r->p == '"' || *r->p == '\'')
			return fail(r, "%s: expected a number, not a string",
				    k->name);
		return read_number(r, (uint32_t *)(base + k->offset));
	}
	if (k->kind == STRING) {
		if (*r->p != '"' && *r->p != '\'')
			return fail(r, "%s: expected a quoted string", k->name);
		return read_string(r, base + k->offset, k->size);
	}
	if (*r->p != '[')
		return fail(r, "%s: expected a list [ '...', ... ]", k->name);
	return read_list(r, (char(*)[XLCFG_STRING_MAX])(base + k->offset),
			 (unsigned *)(base + k->count_offset));
}

static int read_setting(struct reader *r, struct xlcfg *cfg, bool *seen)
{
	const char *start = r->p;
	size_t len;
	unsigned i;

	while (r->p < r->end && is_key_char(*r->p))
		r->p++;
	len = (size_t)(r->p - start);
	if (!len)
		return fail(r, "expected 'key = value'");
	for (i = 0; i < KEY_COUNT; i++) {
		if (strlen(keys[i].name) == len &&
		    !memcmp(keys[i].name, start, len))
			break;
	}
	if (i == KEY_COUNT)
		return fail(r, "unknown key '%.*s'", (int)len, start);
	if (seen[i])
		return fail(r, "'%s' given twice", keys[i].name);
	seen[i] = true;
	skip_space(r, false);
	if (r->p >= r->end || *r->p != '=')
		return fail(r, "expected '=' after '%s'", keys[i].name);
	r->p++;
	skip_space(r, false);
	if (r->p >= r->end || *r->p == '\n')
		return fail(r, "'%s' has no value", keys[i].name);
	if (read_value(r, &keys[i], cfg))
		return -1;
	skip_space(r, false);
	if (r->p < r->end && *r->p == ';')
		r->p++;
	skip_space(r, false);
	if (r->p < r->end && *r->p != '\n')
		return fail(r, "unexpected text after the value of '%s'",
			    keys[i].name);
	return 0;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	}
	return true;
}

static int check(struct reader *r, struct xlcfg *cfg, const bool *seen)
{
	r->line = 0;
	if (!seen[0])
		return fail(r, "'name' is required");
	if (!valid_name(cfg->name))
		return fail(r, "name '%s': use 1-31 of a-z 0-9 - _", cfg->name);
	if (!seen[1] || !cfg->memory_mib)
		return fail(r, "'memory' (MiB, at least 1) is required");
	if (!seen[2])
		cfg->maxmem_mib = cfg->memory_mib;
	if (cfg->memory_mib > XLCFG_MEMORY_MAX ||
	    cfg->maxmem_mib > XLCFG_MEMORY_MAX)
		return fail(r, "memory above %d MiB", XLCFG_MEMORY_MAX);
	if (cfg->maxmem_mib < cfg->memory_mib)
		return fail(r, "maxmem %u is below memory %u", cfg->maxmem_mib,
			    cfg->memory_mib);
	if (!seen[3])
		cfg->vcpus = 1;
	if (cfg->vcpus < 1 || cfg->vcpus > XLCFG_VCPUS_MAX)
		return fail(r, "vcpus %u out of range 1..%d", cfg->vcpus,
			    XLCFG_VCPUS_MAX);
	if (seen[4] && (cfg->weight < 1 || cfg->weight > 65535))
		return fail(r, "weight %u out of range 1..65535", cfg->weight);
	if (cfg->cap > 100 * cfg->vcpus)
		return fail(r, "cap %u above 100 x vcpus", cfg->cap);
	if (!cfg->kernel[0])
		return fail(r, "'kernel' is required");
	return 0;
}

int xlcfg_parse(const char *text, size_t len, struct xlcfg *cfg,
		struct xlcfg_error *err)
{
	struct reader r = {text, text + len, 1, err};
	bool seen[KEY_COUNT] = {false};

	memset(cfg, 0, sizeof(*cfg));
	memset(err, 0, sizeof(*err));
	while (r.p < r.end) {
		skip_space(&r, false);
		if (r.p >= r.end)
			break;
		if (*r.p == '\n') {
			r.line++;
			r.p++;
			continue;
		}
		if (*r.p == '\0')
			return fail(&r, "NUL byte in the config");
		if (read_setting(&r, cfg, seen))
			return -1;
	}
	return check(&r, cfg, seen);
}
