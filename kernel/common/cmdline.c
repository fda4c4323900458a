// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor command line. One table lists every option with the kind of
 * value it takes and where its setting lives in struct boot_options; the
 * parser splits the line into tokens and hands each to its table row.
 *
 * Token rules (Xen's, plus quotes): tokens are separated by blanks; a '"'
 * starts or ends a quoted stretch and is dropped, so blanks and '=' inside
 * quotes are ordinary characters; the first unquoted '=' splits the name
 * from the value. A boolean is set by `name`, cleared by `no-name`, or given
 * as `name=1/true/on/yes` or `name=0/false/off/no`.
 *
 * The line is outside input: every token is copied into bounded buffers,
 * nothing is read past CMDLINE_MAX_LEN, and names and values are escaped
 * before they are printed so a garbled byte never reaches the console raw.
 */
#include <atoll/cmdline.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/string.h>

/* Bytes of a name or value quoted in a warning. */
#define CMDLINE_SHOW_MAX  40
/* Worst case: every byte shown as \xNN, then "..." and the NUL. */
#define CMDLINE_SHOW_SIZE (CMDLINE_SHOW_MAX * 4 + 4)
/* com1=<baud>,<format>,<io-base>,<irq> */
#define COM1_FIELD_COUNT  4

#define TRY_OK(expr)                                                           \
	do {                                                                   \
		enum cmdline_error try_err_ = (expr);                          \
		if (try_err_ != CMDLINE_OK)                                    \
			return try_err_;                                       \
	} while (0)

struct cmdline_ctx {
	unsigned int warnings; /* issued so far, printed or not */
};

enum option_kind {
	OPT_BOOL,   /* setting is a bool */
	OPT_UINT,   /* unsigned integer of 1, 2, 4 or 8 bytes */
	OPT_STRING, /* char array; value must fit with its NUL */
	OPT_CUSTOM, /* parse() does the work */
};

/*
 * A custom parser gets a non-empty value of printable characters. It
 * applies what it can and returns the problem to warn about, if any.
 */
typedef enum cmdline_error (*option_parser_t)(struct cmdline_ctx *ctx,
					      const char *value, void *setting);

struct cmdline_option {
	const char *name;
	enum option_kind kind;
	size_t offset;		    /* of the setting in struct boot_options */
	size_t size;		    /* of the setting */
	uint64_t min, max;	    /* OPT_UINT: accepted range */
	const char *const *choices; /* OPT_STRING: NULL-ended list, or any */
	option_parser_t parse;	    /* OPT_CUSTOM */
	const char *help;
};

/* One token, copied out of the line. */
struct cmdline_token {
	char name[CMDLINE_NAME_MAX + 1];
	char value[CMDLINE_VALUE_MAX + 1];
	size_t name_len;  /* bytes kept in name */
	size_t value_len; /* bytes kept in value */
	bool name_cut;	  /* the name was longer than CMDLINE_NAME_MAX */
	bool value_cut;	  /* the value was longer than CMDLINE_VALUE_MAX */
	bool has_value;	  /* an unquoted '=' was seen */
	bool open_quote;  /* the token ended inside quotes */
};

static const char *const cmdline_errors[CMDLINE_ERR_COUNT] = {
    [CMDLINE_OK] = "success",
    [CMDLINE_ERR_NO_VALUE] = "missing value",
    [CMDLINE_ERR_EMPTY] = "empty value",
    [CMDLINE_ERR_TOO_LONG] = "value too long",
    [CMDLINE_ERR_BAD_CHAR] = "non-printable character",
    [CMDLINE_ERR_NOT_NUMBER] = "not a number",
    [CMDLINE_ERR_RANGE] = "out of range",
    [CMDLINE_ERR_NOT_BOOL] = "expected 1/0, true/false, on/off or yes/no",
    [CMDLINE_ERR_NEGATED_VALUE] = "a 'no-' option takes no value",
    [CMDLINE_ERR_NEGATED_NON_BOOL] = "'no-' applies to boolean options only",
    [CMDLINE_ERR_UNKNOWN_VALUE] = "unknown value",
    [CMDLINE_ERR_TOO_MANY] = "too many entries, the rest are ignored",
    [CMDLINE_ERR_NO_CONSOLE] = "no known console, keeping the previous ones",
    [CMDLINE_ERR_BAUD] = "baud must be auto or 300..115200 dividing 115200",
    [CMDLINE_ERR_LINE_FORMAT] = "expected <data><parity><stop>, e.g. 8n1",
    [CMDLINE_ERR_DATA_BITS] = "data bits must be 5..8",
    [CMDLINE_ERR_PARITY] = "parity must be n, o, e, m or s",
    [CMDLINE_ERR_STOP_BITS] = "stop bits must be 1 or 2",
    [CMDLINE_ERR_IO_BASE] = "I/O base must be 0x1..0xfff8",
    [CMDLINE_ERR_IRQ] = "IRQ must be 0 (polled)..15",
    [CMDLINE_ERR_TOO_MANY_FIELDS] = "too many fields",
};

const char *cmdline_strerror(enum cmdline_error err)
{
	if ((unsigned int)err >= ARRAY_SIZE(cmdline_errors) ||
	    !cmdline_errors[err])
		return "unknown error";
	return cmdline_errors[err];
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_printable(char c)
{
	return (unsigned char)c >= 0x20 && (unsigned char)c < 0x7f;
}

/* True if s[0..len) is one of the NULL-ended choices. */
static bool is_choice(const char *const *choices, const char *s, size_t len)
{
	for (; *choices; choices++)
		if (strncmp(*choices, s, len) == 0 && (*choices)[len] == '\0')
			return true;
	return false;
}

/*
 * Renders s[0..len) into buf (CMDLINE_SHOW_SIZE bytes) for a warning: at
 * most CMDLINE_SHOW_MAX bytes, anything but plain printable ASCII as \xNN,
 * and "..." if the text was cut here or before (cut). Returns buf.
 */
static const char *show(char *buf, const char *s, size_t len, bool cut)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len && i < CMDLINE_SHOW_MAX; i++) {
		unsigned char c = s[i];

		if (is_printable(c) && c != '\\' && c != '\'') {
			buf[o++] = c;
			continue;
		}
		buf[o++] = '\\';
		buf[o++] = 'x';
		buf[o++] = hex[c >> 4];
		buf[o++] = hex[c & 0xf];
	}
	if (cut || len > CMDLINE_SHOW_MAX) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static void warn(struct cmdline_ctx *ctx, const char *fmt, ...) __printf(2, 3);

static void warn(struct cmdline_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (++ctx->warnings > CMDLINE_WARN_MAX)
		return;
	va_start(ap, fmt);
	vprintk(LOG_WARN, fmt, ap);
	va_end(ap);
}

static void warn_value(struct cmdline_ctx *ctx, const char *name,
		       size_t name_len, const char *value, size_t value_len,
		       bool value_cut, enum cmdline_error err)
{
	char shown_name[CMDLINE_SHOW_SIZE];
	char shown_value[CMDLINE_SHOW_SIZE];

	warn(ctx, "cmdline: bad value '%s' for '%s': %s\n",
	     show(shown_value, value, value_len, value_cut),
	     show(shown_name, name, name_len, false), cmdline_strerror(err));
}

static unsigned int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

/*
 * Parses all of s[0..len) as an unsigned number, decimal or 0x-prefixed
 * hexadecimal: no sign, no blanks, nothing after the digits.
 */
static enum cmdline_error parse_number(const char *s, size_t len, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t value = 0;

	if (len == 0)
		return CMDLINE_ERR_EMPTY;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned int digit = digit_value(s[i]);

		if (digit >= base)
			return CMDLINE_ERR_NOT_NUMBER;
		if (value > (UINT64_MAX - digit) / base)
			return CMDLINE_ERR_RANGE;
		value = value * base + digit;
	}
	*out = value;
	return CMDLINE_OK;
}

/* A piece of a value, not NUL-terminated. */
struct field {
	const char *s;
	size_t len;
};

/*
 * Splits s at each sep into fields[0..max). Returns the number of fields,
 * or max + 1 if there are more than max.
 */
static size_t split_fields(const char *s, char sep, struct field *fields,
			   size_t max)
{
	size_t count = 0;

	for (;;) {
		const char *next = strchr(s, sep);
		size_t len = next ? (size_t)(next - s) : strlen(s);

		if (count == max)
			return max + 1;
		fields[count++] = (struct field){.s = s, .len = len};
		if (!next)
			return count;
		s = next + 1;
	}
}

static enum cmdline_error parse_baud(struct field f, struct com_config *com)
{
	uint64_t baud;

	if (f.len == 4 && strncmp(f.s, "auto", 4) == 0) {
		com->baud = COM_BAUD_AUTO;
		return CMDLINE_OK;
	}
	/* The divisor 115200 / baud must come out whole. */
	if (parse_number(f.s, f.len, &baud) != CMDLINE_OK ||
	    baud < COM_BAUD_MIN || baud > COM_BAUD_MAX ||
	    COM_BAUD_MAX % baud != 0)
		return CMDLINE_ERR_BAUD;
	com->baud = baud;
	return CMDLINE_OK;
}

/* "8n1": data bits, parity, stop bits, as Xen writes them. */
static enum cmdline_error parse_line_format(struct field f,
					    struct com_config *com)
{
	if (f.len != 3)
		return CMDLINE_ERR_LINE_FORMAT;
	if (f.s[0] < '5' || f.s[0] > '8')
		return CMDLINE_ERR_DATA_BITS;
	if (f.s[1] == '\0' || !strchr("noems", f.s[1]))
		return CMDLINE_ERR_PARITY;
	if (f.s[2] != '1' && f.s[2] != '2')
		return CMDLINE_ERR_STOP_BITS;
	com->data_bits = f.s[0] - '0';
	com->parity = f.s[1];
	com->stop_bits = f.s[2] - '0';
	return CMDLINE_OK;
}

static enum cmdline_error parse_io_base(struct field f, struct com_config *com)
{
	uint64_t base;

	/* All COM_PORT_COUNT registers must fit in the I/O port space. */
	if (parse_number(f.s, f.len, &base) != CMDLINE_OK || base == 0 ||
	    base > COM_IO_SPACE_SIZE - COM_PORT_COUNT)
		return CMDLINE_ERR_IO_BASE;
	com->io_base = base;
	return CMDLINE_OK;
}

static enum cmdline_error parse_irq(struct field f, struct com_config *com)
{
	uint64_t irq;

	if (parse_number(f.s, f.len, &irq) != CMDLINE_OK || irq > COM_IRQ_MAX)
		return CMDLINE_ERR_IRQ;
	com->irq = irq;
	return CMDLINE_OK;
}

enum cmdline_error com1_parse(const char *value, struct com_config *out)
{
	static enum cmdline_error (*const parsers[COM1_FIELD_COUNT])(
	    struct field, struct com_config *) = {
	    parse_baud,
	    parse_line_format,
	    parse_io_base,
	    parse_irq,
	};
	struct field fields[COM1_FIELD_COUNT];
	struct com_config com = *out;
	size_t count;

	if (!value)
		return CMDLINE_ERR_NO_VALUE;
	if (*value == '\0')
		return CMDLINE_ERR_EMPTY;
	count = split_fields(value, ',', fields, COM1_FIELD_COUNT);
	if (count > COM1_FIELD_COUNT)
		return CMDLINE_ERR_TOO_MANY_FIELDS;
	for (size_t i = 0; i < count; i++)
		if (fields[i].len)
			TRY_OK(parsers[i](fields[i], &com));
	*out = com;
	return CMDLINE_OK;
}

static enum cmdline_error parse_com1(struct cmdline_ctx *ctx, const char *value,
				     void *setting)
{
	return com1_parse(value, setting);
}

static const char *const console_sinks[] = {"com1", "none", NULL};

/*
 * console=a,b,...: keeps the known sinks in order and warns about the
 * others, so Xen's usual "com1,vga" still gets a serial console. A list
 * with no known sink leaves the setting alone rather than go silent.
 */
static enum cmdline_error parse_console(struct cmdline_ctx *ctx,
					const char *value, void *setting)
{
	struct console_list list = {.count = 0};
	bool too_many = false;
	const char *s = value;

	for (;;) {
		const char *next = strchr(s, ',');
		size_t len = next ? (size_t)(next - s) : strlen(s);

		if (len && !is_choice(console_sinks, s, len)) {
			warn_value(ctx, "console", 7, s, len, false,
				   CMDLINE_ERR_UNKNOWN_VALUE);
		} else if (len && list.count == CMDLINE_CONSOLE_MAX) {
			too_many = true;
		} else if (len) {
			ASSERT(len < CMDLINE_CONSOLE_NAME_SIZE);
			memcpy(list.names[list.count], s, len);
			list.names[list.count++][len] = '\0';
		}
		if (!next)
			break;
		s = next + 1;
	}
	if (list.count == 0)
		return CMDLINE_ERR_NO_CONSOLE;
	*(struct console_list *)setting = list;
	return too_many ? CMDLINE_ERR_TOO_MANY : CMDLINE_OK;
}

static const struct {
	const char *name;
	int level;
} log_levels[] = {
    {"none", LOGLVL_NONE}, {"error", LOG_ERR},	 {"warning", LOG_WARN},
    {"info", LOG_INFO},	   {"debug", LOG_DEBUG}, {"all", LOG_DEBUG},
};

static bool log_level_from_name(const char *s, size_t len, int *level)
{
	for (size_t i = 0; i < ARRAY_SIZE(log_levels); i++) {
		if (strncmp(log_levels[i].name, s, len) == 0 &&
		    log_levels[i].name[len] == '\0') {
			*level = log_levels[i].level;
			return true;
		}
	}
	return false;
}

/*
 * loglvl=<level>[/<level>]: Xen's second level is for rate-limited
 * messages, which Atoll does not have; it is checked, then dropped.
 */
static enum cmdline_error parse_loglvl(struct cmdline_ctx *ctx,
				       const char *value, void *setting)
{
	const char *slash = strchr(value, '/');
	size_t len = slash ? (size_t)(slash - value) : strlen(value);
	int level, unused;

	if (!log_level_from_name(value, len, &level))
		return CMDLINE_ERR_UNKNOWN_VALUE;
	if (slash &&
	    !log_level_from_name(slash + 1, strlen(slash + 1), &unused))
		return CMDLINE_ERR_UNKNOWN_VALUE;
	*(int *)setting = level;
	return CMDLINE_OK;
}

static const char *const sched_names[] = {"credit2", NULL};

#define SETTING(field)                                                         \
	.offset = offsetof(struct boot_options, field),                        \
	.size = sizeof(((struct boot_options *)0)->field)

static const struct cmdline_option options[] = {
    {
	.name = "console",
	.kind = OPT_CUSTOM,
	SETTING(console),
	.parse = parse_console,
	.help = "<sink>[,<sink>...]: where the log goes (com1, none)",
    },
    {
	.name = "com1",
	.kind = OPT_CUSTOM,
	SETTING(com1),
	.parse = parse_com1,
	.help = "<baud>|auto[,8n1[,<io-base>[,<irq>]]]: COM1 settings",
    },
    {
	.name = "loglvl",
	.kind = OPT_CUSTOM,
	SETTING(loglvl),
	.parse = parse_loglvl,
	.help = "none|error|warning|info|debug|all: console log level",
    },
    {
	.name = "noreboot",
	.kind = OPT_BOOL,
	SETTING(noreboot),
	.help = "on a crash, wait instead of rebooting",
    },
    {
	.name = "testexit",
	.kind = OPT_BOOL,
	SETTING(testexit),
	.help = "tests: leave QEMU through its exit device",
    },
    {
	.name = "sched",
	.kind = OPT_STRING,
	SETTING(sched),
	.choices = sched_names,
	.help = "credit2: the scheduler",
    },
    {
	.name = "maxcpus",
	.kind = OPT_UINT,
	SETTING(maxcpus),
	.min = 1,
	.max = CMDLINE_MAXCPUS_LIMIT,
	.help = "<n>: bring up at most n CPUs (1..256)",
    },
};

void boot_options_defaults(struct boot_options *out)
{
	*out = (struct boot_options){
	    .console = {.names = {"com1"}, .count = 1},
	    .com1 =
		{
		    .baud = CMDLINE_COM1_DEFAULT_BAUD,
		    .data_bits = 8,
		    .parity = 'n',
		    .stop_bits = 1,
		    .io_base = CMDLINE_COM1_DEFAULT_IO_BASE,
		    .irq = CMDLINE_COM1_DEFAULT_IRQ,
		},
	    .loglvl = LOG_INFO,
	    .noreboot = false,
	    .testexit = false,
	    .sched = "credit2",
	    .maxcpus = 0,
	};
}

static const struct cmdline_option *find_option(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		if (strcmp(options[i].name, name) == 0)
			return &options[i];
	return NULL;
}

static const char *const bool_true[] = {"1", "true", "on", "yes", NULL};
static const char *const bool_false[] = {"0", "false", "off", "no", NULL};

static enum cmdline_error apply_bool(const struct cmdline_token *tok,
				     bool negated, bool *setting)
{
	if (!tok->has_value)
		*setting = !negated;
	else if (negated)
		return CMDLINE_ERR_NEGATED_VALUE;
	else if (is_choice(bool_true, tok->value, tok->value_len))
		*setting = true;
	else if (is_choice(bool_false, tok->value, tok->value_len))
		*setting = false;
	else
		return CMDLINE_ERR_NOT_BOOL;
	return CMDLINE_OK;
}

static enum cmdline_error apply_uint(const struct cmdline_option *opt,
				     const struct cmdline_token *tok,
				     void *setting)
{
	uint64_t value;

	TRY_OK(parse_number(tok->value, tok->value_len, &value));
	if (value < opt->min || value > opt->max)
		return CMDLINE_ERR_RANGE;
	switch (opt->size) {
	case 1:
		*(uint8_t *)setting = value;
		break;
	case 2:
		*(uint16_t *)setting = value;
		break;
	case 4:
		*(uint32_t *)setting = value;
		break;
	case 8:
		*(uint64_t *)setting = value;
		break;
	default:
		BUG();
	}
	return CMDLINE_OK;
}

static enum cmdline_error apply_string(const struct cmdline_option *opt,
				       const struct cmdline_token *tok,
				       char *setting)
{
	if (opt->choices &&
	    !is_choice(opt->choices, tok->value, tok->value_len))
		return CMDLINE_ERR_UNKNOWN_VALUE;
	if (tok->value_len >= opt->size)
		return CMDLINE_ERR_TOO_LONG;
	memcpy(setting, tok->value, tok->value_len + 1);
	return CMDLINE_OK;
}

/* Rejects what no kind of option accepts, so parsers see clean values. */
static enum cmdline_error check_value(const struct cmdline_option *opt,
				      const struct cmdline_token *tok,
				      bool negated)
{
	if (negated && opt->kind != OPT_BOOL)
		return CMDLINE_ERR_NEGATED_NON_BOOL;
	if (!tok->has_value)
		return opt->kind == OPT_BOOL ? CMDLINE_OK
					     : CMDLINE_ERR_NO_VALUE;
	if (tok->value_cut)
		return CMDLINE_ERR_TOO_LONG;
	if (tok->value_len == 0)
		return CMDLINE_ERR_EMPTY;
	for (size_t i = 0; i < tok->value_len; i++)
		if (!is_printable(tok->value[i]))
			return CMDLINE_ERR_BAD_CHAR;
	return CMDLINE_OK;
}

static enum cmdline_error apply_option(struct cmdline_ctx *ctx,
				       const struct cmdline_option *opt,
				       const struct cmdline_token *tok,
				       bool negated, struct boot_options *out)
{
	void *setting = (char *)out + opt->offset;

	TRY_OK(check_value(opt, tok, negated));
	switch (opt->kind) {
	case OPT_BOOL:
		return apply_bool(tok, negated, setting);
	case OPT_UINT:
		return apply_uint(opt, tok, setting);
	case OPT_STRING:
		return apply_string(opt, tok, setting);
	case OPT_CUSTOM:
		return opt->parse(ctx, tok->value, setting);
	}
	BUG();
}

/* Finds the option a token names, trying `no-<bool>` second. */
static const struct cmdline_option *
lookup_option(const struct cmdline_token *tok, bool *negated)
{
	const struct cmdline_option *opt;

	*negated = false;
	if (tok->name_cut)
		return NULL;
	opt = find_option(tok->name);
	if (opt || strncmp(tok->name, "no-", 3) != 0)
		return opt;
	*negated = true;
	return find_option(tok->name + 3);
}

static void handle_token(struct cmdline_ctx *ctx,
			 const struct cmdline_token *tok,
			 struct boot_options *out)
{
	char shown[CMDLINE_SHOW_SIZE];
	const struct cmdline_option *opt;
	enum cmdline_error err;
	bool negated;

	show(shown, tok->name, tok->name_len, tok->name_cut);
	if (tok->open_quote) {
		warn(ctx, "cmdline: unterminated quote in '%s' ignored\n",
		     shown);
		return;
	}
	if (tok->name_len == 0) {
		warn(ctx, "cmdline: option with an empty name ignored\n");
		return;
	}
	opt = lookup_option(tok, &negated);
	if (!opt) {
		warn(ctx, "cmdline: unknown option '%s' ignored\n", shown);
		return;
	}
	err = apply_option(ctx, opt, tok, negated, out);
	if (err != CMDLINE_OK)
		warn_value(ctx, tok->name, tok->name_len, tok->value,
			   tok->value_len, tok->value_cut, err);
}

static void token_put(char *buf, size_t *len, bool *cut, size_t max, char c)
{
	if (*len < max)
		buf[(*len)++] = c;
	else
		*cut = true;
}

/* Copies the token starting at p (not a blank, p < end) into *tok. */
static const char *token_next(const char *p, const char *end,
			      struct cmdline_token *tok)
{
	bool quoted = false;

	*tok = (struct cmdline_token){.name_len = 0};
	for (; p < end && (quoted || !is_blank(*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '=' && !quoted && !tok->has_value)
			tok->has_value = true;
		else if (tok->has_value)
			token_put(tok->value, &tok->value_len, &tok->value_cut,
				  CMDLINE_VALUE_MAX, *p);
		else
			token_put(tok->name, &tok->name_len, &tok->name_cut,
				  CMDLINE_NAME_MAX, *p);
	}
	tok->name[tok->name_len] = '\0';
	tok->value[tok->value_len] = '\0';
	tok->open_quote = quoted;
	return p;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

static const char *skip_word(const char *p, const char *end)
{
	while (p < end && !is_blank(*p))
		p++;
	return p;
}

void cmdline_parse(const char *line, struct boot_options *out)
{
	struct cmdline_ctx ctx = {.warnings = 0};
	struct cmdline_token tok;
	const char *p, *end;
	size_t len;

	if (!line)
		return;
	len = strnlen(line, CMDLINE_MAX_LEN + 1);
	if (len > CMDLINE_MAX_LEN) {
		warn(&ctx, "cmdline: longer than %d bytes, the rest ignored\n",
		     CMDLINE_MAX_LEN);
		len = CMDLINE_MAX_LEN;
	}
	end = line + len;
	p = skip_blanks(line, end);
	if (p < end && *p == '/')
		p = skip_word(p, end); /* the kernel's path */
	for (p = skip_blanks(p, end); p < end; p = skip_blanks(p, end)) {
		p = token_next(p, end, &tok);
		/* A token the length limit cut in two is not applied. */
		if (p == end && *end != '\0' && !is_blank(*end))
			break;
		handle_token(&ctx, &tok, out);
	}
	if (ctx.warnings > CMDLINE_WARN_MAX)
		pr_warn("cmdline: %u more warnings suppressed\n",
			ctx.warnings - CMDLINE_WARN_MAX);
}

void cmdline_print_help(void)
{
	pr_info("command-line options:\n");
	for (size_t i = 0; i < ARRAY_SIZE(options); i++)
		pr_info("  %s%s: %s\n",
			options[i].kind == OPT_BOOL ? "[no-]" : "",
			options[i].name, options[i].help);
}
