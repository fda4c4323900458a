// SPDX-License-Identifier: GPL-2.0-only
/*
 * printk: formats a message, prefixes each line with "(atoll) ", appends it
 * to the log ring and, if its level passes, writes it to the console.
 */
#include <atoll/arch.h>
#include <atoll/log.h>
#include <atoll/spinlock.h>
#include <atoll/string.h>

#define PRINTK_LINE_MAX 512
#define LOG_PREFIX	"(atoll) "

static struct spinlock log_lock = SPINLOCK_INIT;
static char log_ring[LOG_RING_SIZE];  /* guarded by log_lock */
static uint64_t log_head;	      /* guarded by log_lock */
static bool log_at_line_start = true; /* guarded by log_lock */
static int console_level = LOG_INFO;
static bool log_unlocked;

void log_set_console_level(int level)
{
	console_level = level;
}

void log_force_unlocked(void)
{
	log_unlocked = true;
}

uint64_t log_written(void)
{
	return READ_ONCE(log_head);
}

static void ring_append(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		log_ring[(log_head + i) % LOG_RING_SIZE] = s[i];
	log_head += len;
}

/*
 * Messages may carry text from outside (a command line, a domain's name):
 * no control character other than newline and tab reaches the console or
 * the log, so nothing printed can drive the terminal.
 */
static void sanitize(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			s[i] = '?';
	}
}

/* A message cut to fit the buffer still ends its line, visibly cut. */
static size_t mark_truncated(char *line, size_t size, const char *fmt)
{
	static const char cut[] = "...\n";
	size_t len = size - 1;
	size_t fmt_len = strlen(fmt);

	if (fmt_len && fmt[fmt_len - 1] == '\n')
		memcpy(line + len - (sizeof(cut) - 1), cut, sizeof(cut));
	return len;
}

/* Appends s to the ring and console, adding the prefix at line starts. */
static void emit_prefixed(const char *prefix, const char *s, size_t len,
			  bool to_console)
{
	size_t prefix_len = strlen(prefix);

	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t chunk = nl ? (size_t)(nl - s) + 1 : len;

		if (log_at_line_start) {
			ring_append(prefix, prefix_len);
			if (to_console)
				arch_console_write(prefix, prefix_len);
		}
		ring_append(s, chunk);
		if (to_console)
			arch_console_write(s, chunk);
		log_at_line_start = nl != NULL;
		s += chunk;
		len -= chunk;
	}
}

static void emit(const char *s, size_t len, bool to_console)
{
	emit_prefixed(LOG_PREFIX, s, len, to_console);
}

void log_prefixed_line(const char *prefix, const char *text, size_t len)
{
	char line[PRINTK_LINE_MAX];
	irqflags_t flags;

	len = MIN(len, sizeof(line) - 2);
	memcpy(line, text, len);
	sanitize(line, len);
	line[len++] = '\n';
	flags = spin_lock_irqsave(&log_lock);
	log_at_line_start = true;
	emit_prefixed(prefix, line, len, console_level >= LOG_INFO);
	spin_unlock_irqrestore(&log_lock, flags);
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char line[PRINTK_LINE_MAX];
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n;
	irqflags_t flags;

	if (len >= sizeof(line))
		len = mark_truncated(line, sizeof(line), fmt);
	sanitize(line, len);

	if (log_unlocked) {
		emit(line, len, (int)level <= console_level);
		return;
	}
	flags = spin_lock_irqsave(&log_lock);
	emit(line, len, (int)level <= console_level);
	spin_unlock_irqrestore(&log_lock, flags);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

size_t log_read(uint64_t *pos, char *buf, size_t len)
{
	irqflags_t flags = spin_lock_irqsave(&log_lock);
	uint64_t oldest =
	    log_head > LOG_RING_SIZE ? log_head - LOG_RING_SIZE : 0;
	size_t n = 0;

	if (*pos < oldest)
		*pos = oldest;
	while (n < len && *pos < log_head) {
		buf[n++] = log_ring[*pos % LOG_RING_SIZE];
		(*pos)++;
	}
	spin_unlock_irqrestore(&log_lock, flags);
	return n;
}
