/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor command line, Xen-style, as the boot loader passes it:
 *
 *   console=com1 com1=115200,8n1 loglvl=all noreboot testexit sched=credit2
 *
 * The line comes from outside the core, so parsing never fails: an unknown
 * option or a bad value is reported with pr_warn() and skipped, and every
 * setting it did not reach keeps its default.
 */
#ifndef ATOLL_CMDLINE_H
#define ATOLL_CMDLINE_H

#include <atoll/types.h>
#include <atoll/compiler.h>
#include <atoll/printk.h>

/*
 * Longest line looked at; the rest is ignored with a warning. The bound also
 * keeps a loader's missing NUL from sending the parser through memory.
 */
#define CMDLINE_MAX_LEN	  4096
/* Longest option name and value; longer ones are rejected, not cut. */
#define CMDLINE_NAME_MAX  32
#define CMDLINE_VALUE_MAX 255
/*
 * Warnings printed per line, followed by one "N more suppressed" line: a
 * garbled line must not flood the console.
 */
#define CMDLINE_WARN_MAX  16

#define CMDLINE_CONSOLE_MAX	  4  /* entries kept from console=a,b,... */
#define CMDLINE_CONSOLE_NAME_SIZE 8  /* per entry, with the NUL */
#define CMDLINE_SCHED_NAME_SIZE	  16 /* sched=, with the NUL */
#define CMDLINE_MAXCPUS_LIMIT	  256

/*
 * The PC's legacy COM1 port. Same values as UART_COM1_BASE / UART_COM1_IRQ
 * in the x86 uart.h; repeated here because this generic code (and its host
 * tests) cannot include arch headers.
 */
#define CMDLINE_COM1_DEFAULT_IO_BASE 0x3f8
#define CMDLINE_COM1_DEFAULT_IRQ     4
#define CMDLINE_COM1_DEFAULT_BAUD    115200

/* A 16550 divides 115200 by a 16-bit divisor: the fastest rate is 115200. */
#define COM_BAUD_MAX	  115200
#define COM_BAUD_MIN	  300
#define COM_BAUD_AUTO	  0  /* keep what the firmware programmed */
#define COM_IRQ_POLL	  0  /* Xen's convention: IRQ 0 means polled mode */
#define COM_IRQ_MAX	  15 /* legacy ISA IRQs only */
#define COM_PORT_COUNT	  8  /* I/O ports a 16550 decodes from its base */
#define COM_IO_SPACE_SIZE 0x10000 /* x86 I/O port space: 64 KiB */

/* "loglvl=none": the console prints nothing (the log ring keeps it all). */
#define LOGLVL_NONE (-1)

/* Serial line settings, in the form struct uart_line takes them. */
struct com_config {
	uint32_t baud;	   /* COM_BAUD_MIN..COM_BAUD_MAX, or COM_BAUD_AUTO */
	uint8_t data_bits; /* 5..8 */
	char parity;	   /* 'n', 'o', 'e', 'm' or 's' */
	uint8_t stop_bits; /* 1 or 2 */
	uint16_t io_base;  /* first of COM_PORT_COUNT I/O ports */
	uint8_t irq;	   /* 1..COM_IRQ_MAX, or COM_IRQ_POLL */
};

/* console=: known sink names in the order given ("com1", "none"). */
struct console_list {
	char names[CMDLINE_CONSOLE_MAX][CMDLINE_CONSOLE_NAME_SIZE];
	unsigned int count;
};

/*
 * Everything the command line can set. Adding an option: a field here, its
 * default in boot_options_defaults() and one row in cmdline.c's table.
 */
struct boot_options {
	struct console_list console;
	struct com_config com1;
	/* Most verbose enum log_level the console prints, or LOGLVL_NONE. */
	int loglvl;
	bool noreboot; /* on a crash, wait instead of rebooting */
	bool testexit; /* tests: leave QEMU through its exit device */
	char sched[CMDLINE_SCHED_NAME_SIZE];
	uint32_t maxcpus; /* 0: bring up every CPU found */
};

enum cmdline_error {
	CMDLINE_OK = 0,
	CMDLINE_ERR_NO_VALUE,
	CMDLINE_ERR_EMPTY,
	CMDLINE_ERR_TOO_LONG,
	CMDLINE_ERR_BAD_CHAR,
	CMDLINE_ERR_NOT_NUMBER,
	CMDLINE_ERR_RANGE,
	CMDLINE_ERR_NOT_BOOL,
	CMDLINE_ERR_NEGATED_VALUE,
	CMDLINE_ERR_NEGATED_NON_BOOL,
	CMDLINE_ERR_UNKNOWN_VALUE,
	CMDLINE_ERR_TOO_MANY,
	CMDLINE_ERR_NO_CONSOLE,
	CMDLINE_ERR_BAUD,
	CMDLINE_ERR_LINE_FORMAT,
	CMDLINE_ERR_DATA_BITS,
	CMDLINE_ERR_PARITY,
	CMDLINE_ERR_STOP_BITS,
	CMDLINE_ERR_IO_BASE,
	CMDLINE_ERR_IRQ,
	CMDLINE_ERR_TOO_MANY_FIELDS,
	CMDLINE_ERR_COUNT /* not an error: the number of codes */
};

/* A short English reason for err; never NULL, even for unknown codes. */
const char *cmdline_strerror(enum cmdline_error err);

/* Fills *out with the settings used when the line does not name them. */
void boot_options_defaults(struct boot_options *out);

/*
 * Applies line (NUL-terminated; NULL counts as empty) on top of *out, which
 * the caller has filled, normally with boot_options_defaults(). A first
 * token starting with '/' is the kernel path some loaders prepend and is
 * skipped. When an option appears twice the last one wins. Never fails:
 * problems are warned about (at most CMDLINE_WARN_MAX + 1 lines) and
 * skipped.
 */
void cmdline_parse(const char *line, struct boot_options *out);

/*
 * Parses a com1= value: <baud>|auto[,<data><parity><stop>[,<io-base>[,<irq>]]]
 * e.g. "115200,8n1,0x3f8,4". An empty or missing field keeps the value
 * already in *out. On error *out is left untouched.
 */
enum cmdline_error com1_parse(const char *value,
			      struct com_config *out) __must_check;

/* pr_info()s every option with its help text (for the debug console). */
void cmdline_print_help(void);

#endif
