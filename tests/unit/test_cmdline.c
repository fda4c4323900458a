// SPDX-License-Identifier: GPL-2.0-only
/*
 * The command-line parser: every option, every value form, and garbled
 * lines (bad bytes, open quotes, huge tokens, a missing NUL). Each case
 * checks both the settings that result and the warnings that were logged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/cmdline.h>
#include "fake_core.h"

#define BIG_LINE (10 * 1024)

static struct boot_options opts;

/* Parses line on top of the defaults, with a clean log. */
static void parse(const char *line)
{
	fake_log_clear();
	boot_options_defaults(&opts);
	cmdline_parse(line, &opts);
}

static void assert_log_has(const char *want)
{
	if (!strstr(fake_log, want))
		fail_msg("log lacks \"%s\"; log is:\n%s", want, fake_log);
}

static void assert_log_lacks(const char *text)
{
	if (strstr(fake_log, text))
		fail_msg("log has \"%s\"; log is:\n%s", text, fake_log);
}

static void assert_no_warnings(void)
{
	if (fake_log_len)
		fail_msg("unexpected warnings:\n%s", fake_log);
}

static int log_lines(void)
{
	int lines = 0;

	for (size_t i = 0; i < fake_log_len; i++)
		lines += fake_log[i] == '\n';
	return lines;
}

/* Nothing but printable ASCII and newlines may reach the console. */
static void assert_log_printable(void)
{
	for (size_t i = 0; i < fake_log_len; i++) {
		unsigned char c = fake_log[i];

		if (c != '\n' && (c < 0x20 || c > 0x7e))
			fail_msg("raw byte 0x%02x in log:\n%s", c, fake_log);
	}
}

/* The warning cmdline.c prints for a bad value, built from its parts. */
static void assert_bad_value(const char *value, const char *name,
			     enum cmdline_error err)
{
	char want[512];

	snprintf(want, sizeof(want), "cmdline: bad value '%s' for '%s': %s\n",
		 value, name, cmdline_strerror(err));
	assert_log_has(want);
}

static void assert_unknown(const char *name)
{
	char want[256];

	snprintf(want, sizeof(want), "cmdline: unknown option '%s' ignored\n",
		 name);
	assert_log_has(want);
}

static void assert_com_equal(const struct com_config *a,
			     const struct com_config *b)
{
	assert_int_equal(a->baud, b->baud);
	assert_int_equal(a->data_bits, b->data_bits);
	assert_int_equal(a->parity, b->parity);
	assert_int_equal(a->stop_bits, b->stop_bits);
	assert_int_equal(a->io_base, b->io_base);
	assert_int_equal(a->irq, b->irq);
}

static void assert_options_equal(const struct boot_options *a,
				 const struct boot_options *b)
{
	assert_int_equal(a->console.count, b->console.count);
	for (unsigned int i = 0; i < a->console.count; i++)
		assert_string_equal(a->console.names[i], b->console.names[i]);
	assert_com_equal(&a->com1, &b->com1);
	assert_int_equal(a->loglvl, b->loglvl);
	assert_int_equal(a->noreboot, b->noreboot);
	assert_int_equal(a->testexit, b->testexit);
	assert_string_equal(a->sched, b->sched);
	assert_int_equal(a->maxcpus, b->maxcpus);
}

static void assert_defaults(void)
{
	struct boot_options defaults;

	boot_options_defaults(&defaults);
	assert_options_equal(&opts, &defaults);
}

/* What must hold whatever the line was. */
static void assert_sane(const struct boot_options *o)
{
	assert_in_range(o->console.count, 1, CMDLINE_CONSOLE_MAX);
	for (unsigned int i = 0; i < o->console.count; i++) {
		const char *name = o->console.names[i];

		assert_true(memchr(name, '\0', CMDLINE_CONSOLE_NAME_SIZE));
		assert_true(!strcmp(name, "com1") || !strcmp(name, "none"));
	}
	assert_true(o->com1.baud == COM_BAUD_AUTO ||
		    (o->com1.baud >= COM_BAUD_MIN &&
		     o->com1.baud <= COM_BAUD_MAX &&
		     COM_BAUD_MAX % o->com1.baud == 0));
	assert_in_range(o->com1.data_bits, 5, 8);
	assert_non_null(strchr("noems", o->com1.parity));
	assert_in_range(o->com1.stop_bits, 1, 2);
	assert_in_range(o->com1.io_base, 1, COM_IO_SPACE_SIZE - COM_PORT_COUNT);
	assert_in_range(o->com1.irq, 0, COM_IRQ_MAX);
	assert_true(o->loglvl >= LOGLVL_NONE && o->loglvl <= LOG_DEBUG);
	assert_string_equal(o->sched, "credit2");
	assert_in_range(o->maxcpus, 0, CMDLINE_MAXCPUS_LIMIT);
}

static void test_defaults(void **state)
{
	boot_options_defaults(&opts);
	assert_int_equal(opts.console.count, 1);
	assert_string_equal(opts.console.names[0], "com1");
	assert_int_equal(opts.com1.baud, 115200);
	assert_int_equal(opts.com1.data_bits, 8);
	assert_int_equal(opts.com1.parity, 'n');
	assert_int_equal(opts.com1.stop_bits, 1);
	assert_int_equal(opts.com1.io_base, 0x3f8);
	assert_int_equal(opts.com1.irq, 4);
	assert_int_equal(opts.loglvl, LOG_INFO);
	assert_false(opts.noreboot);
	assert_false(opts.testexit);
	assert_string_equal(opts.sched, "credit2");
	assert_int_equal(opts.maxcpus, 0);
	assert_sane(&opts);
}

static void test_empty_lines(void **state)
{
	static const char *const lines[] = {"", " ", " \t \t", "\n\r "};

	parse(NULL);
	assert_defaults();
	assert_no_warnings();
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		parse(lines[i]);
		assert_defaults();
		assert_no_warnings();
	}
}

static void test_typical_line(void **state)
{
	parse("console=com1 com1=9600,7e2,0x2f8,3 loglvl=all noreboot "
	      "testexit sched=credit2 maxcpus=4");
	assert_no_warnings();
	assert_int_equal(opts.console.count, 1);
	assert_string_equal(opts.console.names[0], "com1");
	assert_int_equal(opts.com1.baud, 9600);
	assert_int_equal(opts.com1.data_bits, 7);
	assert_int_equal(opts.com1.parity, 'e');
	assert_int_equal(opts.com1.stop_bits, 2);
	assert_int_equal(opts.com1.io_base, 0x2f8);
	assert_int_equal(opts.com1.irq, 3);
	assert_int_equal(opts.loglvl, LOG_DEBUG);
	assert_true(opts.noreboot);
	assert_true(opts.testexit);
	assert_string_equal(opts.sched, "credit2");
	assert_int_equal(opts.maxcpus, 4);
}

static void test_separators(void **state)
{
	parse("\t noreboot\t\ttestexit  \n maxcpus=2\r\n");
	assert_no_warnings();
	assert_true(opts.noreboot);
	assert_true(opts.testexit);
	assert_int_equal(opts.maxcpus, 2);
}

static void test_kernel_path(void **state)
{
	parse("/boot/atoll.elf noreboot");
	assert_no_warnings();
	assert_true(opts.noreboot);

	parse("  /atoll maxcpus=3");
	assert_no_warnings();
	assert_int_equal(opts.maxcpus, 3);

	parse("/boot/atoll");
	assert_no_warnings();
	assert_defaults();

	/* Only the first token may be a path. */
	parse("noreboot /boot/atoll");
	assert_true(opts.noreboot);
	assert_unknown("/boot/atoll");
	assert_int_equal(log_lines(), 1);
}

static void test_bool_forms(void **state)
{
	static const struct {
		const char *line;
		bool noreboot;
	} cases[] = {
	    {"noreboot", true},
	    {"noreboot=1", true},
	    {"noreboot=true", true},
	    {"noreboot=on", true},
	    {"noreboot=yes", true},
	    {"noreboot=0", false},
	    {"noreboot=false", false},
	    {"noreboot=off", false},
	    {"noreboot=no", false},
	    {"noreboot no-noreboot", false},
	    {"no-noreboot noreboot", true},
	    {"noreboot=\"yes\"", true},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse(cases[i].line);
		assert_no_warnings();
		assert_int_equal(opts.noreboot, cases[i].noreboot);
	}
}

static void test_bool_bad(void **state)
{
	parse("testexit testexit=maybe");
	assert_true(opts.testexit);
	assert_log_has("cmdline: bad value 'maybe' for 'testexit': expected "
		       "1/0, true/false, on/off or yes/no\n");

	parse("noreboot=2 noreboot=TRUE noreboot=1x");
	assert_false(opts.noreboot);
	assert_bad_value("2", "noreboot", CMDLINE_ERR_NOT_BOOL);
	assert_bad_value("TRUE", "noreboot", CMDLINE_ERR_NOT_BOOL);
	assert_bad_value("1x", "noreboot", CMDLINE_ERR_NOT_BOOL);
	assert_int_equal(log_lines(), 3);

	parse("noreboot=");
	assert_false(opts.noreboot);
	assert_bad_value("", "noreboot", CMDLINE_ERR_EMPTY);

	parse("noreboot no-noreboot=1");
	assert_true(opts.noreboot);
	assert_bad_value("1", "no-noreboot", CMDLINE_ERR_NEGATED_VALUE);
}

static void test_maxcpus(void **state)
{
	parse("maxcpus=1");
	assert_int_equal(opts.maxcpus, 1);
	parse("maxcpus=256");
	assert_int_equal(opts.maxcpus, 256);
	parse("maxcpus=0x10");
	assert_int_equal(opts.maxcpus, 16);
	assert_no_warnings();

	parse("maxcpus=8 maxcpus=0");
	assert_int_equal(opts.maxcpus, 8);
	assert_bad_value("0", "maxcpus", CMDLINE_ERR_RANGE);

	parse("maxcpus=257 maxcpus=99999999999999999999999 maxcpus=4294967297");
	assert_int_equal(opts.maxcpus, 0);
	assert_bad_value("257", "maxcpus", CMDLINE_ERR_RANGE);
	assert_bad_value("99999999999999999999999", "maxcpus",
			 CMDLINE_ERR_RANGE);
	assert_bad_value("4294967297", "maxcpus", CMDLINE_ERR_RANGE);

	parse("maxcpus=abc maxcpus=-1 maxcpus=4x maxcpus=0x maxcpus=+4 "
	      "maxcpus=\" 4\"");
	assert_int_equal(opts.maxcpus, 0);
	assert_bad_value("abc", "maxcpus", CMDLINE_ERR_NOT_NUMBER);
	assert_bad_value("-1", "maxcpus", CMDLINE_ERR_NOT_NUMBER);
	assert_bad_value("4x", "maxcpus", CMDLINE_ERR_NOT_NUMBER);
	assert_bad_value("0x", "maxcpus", CMDLINE_ERR_NOT_NUMBER);
	assert_bad_value("+4", "maxcpus", CMDLINE_ERR_NOT_NUMBER);
	assert_bad_value(" 4", "maxcpus", CMDLINE_ERR_NOT_NUMBER);
	assert_int_equal(log_lines(), 6);

	parse("maxcpus maxcpus= no-maxcpus");
	assert_int_equal(opts.maxcpus, 0);
	assert_bad_value("", "maxcpus", CMDLINE_ERR_NO_VALUE);
	assert_bad_value("", "maxcpus", CMDLINE_ERR_EMPTY);
	assert_bad_value("", "no-maxcpus", CMDLINE_ERR_NEGATED_NON_BOOL);
}

static void test_sched(void **state)
{
	parse("sched=credit2");
	assert_no_warnings();
	assert_string_equal(opts.sched, "credit2");

	parse("sched=credit sched=rtds sched=credit2x sched=\"credit 2\"");
	assert_string_equal(opts.sched, "credit2");
	assert_bad_value("credit", "sched", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("rtds", "sched", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("credit2x", "sched", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("credit 2", "sched", CMDLINE_ERR_UNKNOWN_VALUE);

	parse("sched sched=");
	assert_string_equal(opts.sched, "credit2");
	assert_bad_value("", "sched", CMDLINE_ERR_NO_VALUE);
	assert_bad_value("", "sched", CMDLINE_ERR_EMPTY);
}

static void test_loglvl(void **state)
{
	static const struct {
		const char *line;
		int level;
	} cases[] = {
	    {"loglvl=none", LOGLVL_NONE},  {"loglvl=error", LOG_ERR},
	    {"loglvl=warning", LOG_WARN},  {"loglvl=info", LOG_INFO},
	    {"loglvl=debug", LOG_DEBUG},   {"loglvl=all", LOG_DEBUG},
	    {"loglvl=error/all", LOG_ERR}, {"loglvl=all/none", LOG_DEBUG},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse(cases[i].line);
		assert_no_warnings();
		assert_int_equal(opts.loglvl, cases[i].level);
	}

	parse("loglvl=debug loglvl=verbose loglvl=info/ loglvl=/info "
	      "loglvl=info/bogus loglvl=info/warning/x loglvl=INFO loglvl");
	assert_int_equal(opts.loglvl, LOG_DEBUG);
	assert_bad_value("verbose", "loglvl", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("info/", "loglvl", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("/info", "loglvl", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("info/bogus", "loglvl", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("info/warning/x", "loglvl", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("INFO", "loglvl", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("", "loglvl", CMDLINE_ERR_NO_VALUE);
	assert_int_equal(log_lines(), 7);
}

static void test_console(void **state)
{
	parse("console=none");
	assert_no_warnings();
	assert_int_equal(opts.console.count, 1);
	assert_string_equal(opts.console.names[0], "none");

	/* Xen's usual line: the serial part is kept, vga is warned about. */
	parse("console=com1,vga");
	assert_int_equal(opts.console.count, 1);
	assert_string_equal(opts.console.names[0], "com1");
	assert_log_has("cmdline: bad value 'vga' for 'console': unknown "
		       "value\n");
	assert_int_equal(log_lines(), 1);

	parse("console=none,,com1,");
	assert_no_warnings();
	assert_int_equal(opts.console.count, 2);
	assert_string_equal(opts.console.names[0], "none");
	assert_string_equal(opts.console.names[1], "com1");

	parse("console=com1,com1,none,com1,com1,none");
	assert_int_equal(opts.console.count, CMDLINE_CONSOLE_MAX);
	assert_string_equal(opts.console.names[3], "com1");
	assert_bad_value("com1,com1,none,com1,com1,none", "console",
			 CMDLINE_ERR_TOO_MANY);
	assert_int_equal(log_lines(), 1);
}

static void test_console_unknown_only(void **state)
{
	/* No known sink: the earlier setting stays, the log says why. */
	parse("console=none console=vga,com2");
	assert_int_equal(opts.console.count, 1);
	assert_string_equal(opts.console.names[0], "none");
	assert_bad_value("vga", "console", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("com2", "console", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("vga,com2", "console", CMDLINE_ERR_NO_CONSOLE);
	assert_int_equal(log_lines(), 3);

	parse("console=, console=com1x console=com console");
	assert_defaults();
	assert_bad_value(",", "console", CMDLINE_ERR_NO_CONSOLE);
	assert_bad_value("com1x", "console", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("com", "console", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_bad_value("", "console", CMDLINE_ERR_NO_VALUE);
}

static void expect_com1(const char *value, uint32_t baud, int data, char parity,
			int stop, int io_base, int irq)
{
	struct com_config com;

	boot_options_defaults(&opts);
	com = opts.com1;
	assert_int_equal(com1_parse(value, &com), CMDLINE_OK);
	assert_int_equal(com.baud, baud);
	assert_int_equal(com.data_bits, data);
	assert_int_equal(com.parity, parity);
	assert_int_equal(com.stop_bits, stop);
	assert_int_equal(com.io_base, io_base);
	assert_int_equal(com.irq, irq);
}

static void test_com1_parse_good(void **state)
{
	expect_com1("115200,8n1", 115200, 8, 'n', 1, 0x3f8, 4);
	expect_com1("9600", 9600, 8, 'n', 1, 0x3f8, 4);
	expect_com1("auto", COM_BAUD_AUTO, 8, 'n', 1, 0x3f8, 4);
	expect_com1("auto,7o2", COM_BAUD_AUTO, 7, 'o', 2, 0x3f8, 4);
	expect_com1("300,5m1", 300, 5, 'm', 1, 0x3f8, 4);
	expect_com1("57600,6s2", 57600, 6, 's', 2, 0x3f8, 4);
	expect_com1("115200,8n1,0x3f8,4", 115200, 8, 'n', 1, 0x3f8, 4);
	expect_com1("38400,8e1,0x2F8,3", 38400, 8, 'e', 1, 0x2f8, 3);
	expect_com1("19200,8n1,760,0", 19200, 8, 'n', 1, 760, COM_IRQ_POLL);
	expect_com1("115200,8n1,0xfff8,15", 115200, 8, 'n', 1, 0xfff8, 15);
	/* Empty fields keep what was there. */
	expect_com1(",7n1", 115200, 7, 'n', 1, 0x3f8, 4);
	expect_com1("2400,,0x2e8", 2400, 8, 'n', 1, 0x2e8, 4);
	expect_com1("115200,,,5", 115200, 8, 'n', 1, 0x3f8, 5);
	expect_com1(",,,", 115200, 8, 'n', 1, 0x3f8, 4);
}

static void expect_com1_error(const char *value, enum cmdline_error err)
{
	struct com_config com, before;

	boot_options_defaults(&opts);
	com = before = opts.com1;
	if (com1_parse(value, &com) != err)
		fail_msg("com1_parse(\"%s\") != %s", value ? value : "NULL",
			 cmdline_strerror(err));
	/* An error applies nothing, not even the fields before it. */
	assert_com_equal(&com, &before);
}

static void test_com1_parse_bad(void **state)
{
	expect_com1_error(NULL, CMDLINE_ERR_NO_VALUE);
	expect_com1_error("", CMDLINE_ERR_EMPTY);
	expect_com1_error("0", CMDLINE_ERR_BAUD);
	expect_com1_error("299", CMDLINE_ERR_BAUD);
	expect_com1_error("115201", CMDLINE_ERR_BAUD);
	expect_com1_error("230400", CMDLINE_ERR_BAUD);
	expect_com1_error("56000", CMDLINE_ERR_BAUD);
	expect_com1_error("fast", CMDLINE_ERR_BAUD);
	expect_com1_error("AUTO", CMDLINE_ERR_BAUD);
	expect_com1_error("115200/1843200", CMDLINE_ERR_BAUD);
	expect_com1_error("-9600", CMDLINE_ERR_BAUD);
	expect_com1_error("18446744073709551617", CMDLINE_ERR_BAUD);
	expect_com1_error("9600,8n", CMDLINE_ERR_LINE_FORMAT);
	expect_com1_error("9600,8n1x", CMDLINE_ERR_LINE_FORMAT);
	expect_com1_error("9600,4n1", CMDLINE_ERR_DATA_BITS);
	expect_com1_error("9600,9n1", CMDLINE_ERR_DATA_BITS);
	expect_com1_error("9600,8x1", CMDLINE_ERR_PARITY);
	expect_com1_error("9600,8N1", CMDLINE_ERR_PARITY);
	expect_com1_error("9600,8n0", CMDLINE_ERR_STOP_BITS);
	expect_com1_error("9600,8n3", CMDLINE_ERR_STOP_BITS);
	expect_com1_error("9600,8n1,0", CMDLINE_ERR_IO_BASE);
	expect_com1_error("9600,8n1,0xfff9", CMDLINE_ERR_IO_BASE);
	expect_com1_error("9600,8n1,0x10000", CMDLINE_ERR_IO_BASE);
	expect_com1_error("9600,8n1,pci", CMDLINE_ERR_IO_BASE);
	expect_com1_error("9600,8n1,0x3f8,16", CMDLINE_ERR_IRQ);
	expect_com1_error("9600,8n1,0x3f8,msi", CMDLINE_ERR_IRQ);
	expect_com1_error("9600,8n1,0x3f8,4,", CMDLINE_ERR_TOO_MANY_FIELDS);
	expect_com1_error("9600,8n1,0x3f8,4,x", CMDLINE_ERR_TOO_MANY_FIELDS);
	expect_com1_error(",,,,,,,,,,,,,,,,,,", CMDLINE_ERR_TOO_MANY_FIELDS);
}

static void test_com1_option(void **state)
{
	parse("com1=auto,8o1");
	assert_no_warnings();
	assert_int_equal(opts.com1.baud, COM_BAUD_AUTO);
	assert_int_equal(opts.com1.parity, 'o');

	parse("com1=115200,9n1 com1=38400,8n1,0x3f8,99 com1");
	assert_defaults();
	assert_log_has("cmdline: bad value '115200,9n1' for 'com1': data bits "
		       "must be 5..8\n");
	assert_bad_value("38400,8n1,0x3f8,99", "com1", CMDLINE_ERR_IRQ);
	assert_bad_value("", "com1", CMDLINE_ERR_NO_VALUE);
	assert_int_equal(log_lines(), 3);

	parse("com1=\"9600,8n1\"");
	assert_no_warnings();
	assert_int_equal(opts.com1.baud, 9600);
}

static void test_unknown_options(void **state)
{
	parse("dom0_mem=1G foo no-foo no- noreboot=1 Noreboot x=y=z");
	assert_true(opts.noreboot);
	assert_unknown("dom0_mem");
	assert_unknown("foo");
	assert_unknown("no-foo");
	assert_unknown("no-");
	assert_unknown("Noreboot");
	assert_unknown("x");
	assert_int_equal(log_lines(), 6);
	assert_log_has("cmdline: unknown option 'dom0_mem' ignored\n");
}

static void test_last_wins(void **state)
{
	parse("maxcpus=2 loglvl=error maxcpus=3 loglvl=debug "
	      "console=none console=com1");
	assert_no_warnings();
	assert_int_equal(opts.maxcpus, 3);
	assert_int_equal(opts.loglvl, LOG_DEBUG);
	assert_int_equal(opts.console.count, 1);
	assert_string_equal(opts.console.names[0], "com1");
}

static void test_quotes(void **state)
{
	parse("sched=\"credit2\" \"noreboot\" test\"exit\" maxcpus=\"1\"2");
	assert_no_warnings();
	assert_string_equal(opts.sched, "credit2");
	assert_true(opts.noreboot);
	assert_true(opts.testexit);
	assert_int_equal(opts.maxcpus, 12);

	/* Inside quotes, '=' and blanks are ordinary characters. */
	parse("\"noreboot=1\" loglvl=\"debug all\" \"\" testexit");
	assert_false(opts.noreboot);
	assert_int_equal(opts.loglvl, LOG_INFO);
	assert_true(opts.testexit);
	assert_unknown("noreboot=1");
	assert_bad_value("debug all", "loglvl", CMDLINE_ERR_UNKNOWN_VALUE);
	assert_log_has("cmdline: option with an empty name ignored\n");
	assert_int_equal(log_lines(), 3);
}

static void test_unterminated_quote(void **state)
{
	parse("noreboot sched=\"credit2 testexit");
	assert_true(opts.noreboot);
	assert_false(opts.testexit);
	assert_string_equal(opts.sched, "credit2");
	assert_log_has("cmdline: unterminated quote in 'sched' ignored\n");
	assert_int_equal(log_lines(), 1);

	parse("\"");
	assert_defaults();
	assert_log_has("cmdline: unterminated quote in '' ignored\n");

	parse("maxcpus=2 \"maxcpus=3");
	assert_int_equal(opts.maxcpus, 2);
	assert_log_has("cmdline: unterminated quote in 'maxcpus=3' ignored\n");
	assert_int_equal(log_lines(), 1);
}

static void test_empty_names(void **state)
{
	static const char *const lines[] = {"=", "=x", "==", "=\"a b\"",
					    "\"\"=1"};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		parse(lines[i]);
		assert_defaults();
		assert_log_has("cmdline: option with an empty name ignored\n");
		assert_int_equal(log_lines(), 1);
	}

	parse("= noreboot = =");
	assert_true(opts.noreboot);
	assert_int_equal(log_lines(), 3);
}

static void test_name_too_long(void **state)
{
	char line[256];
	char want[128];

	/* Exactly CMDLINE_NAME_MAX bytes is merely unknown. */
	memset(line, 'a', CMDLINE_NAME_MAX);
	line[CMDLINE_NAME_MAX] = '\0';
	parse(line);
	assert_unknown(line);

	/* Longer names are cut in the warning and never matched. */
	memset(line, 'n', 200);
	strcpy(line + 200, "=1 noreboot");
	parse(line);
	assert_true(opts.noreboot);
	snprintf(want, sizeof(want),
		 "cmdline: unknown option '%.*s...' "
		 "ignored\n",
		 CMDLINE_NAME_MAX, line);
	assert_log_has(want);
	assert_int_equal(log_lines(), 1);

	/* A name that only matches in its first CMDLINE_NAME_MAX bytes. */
	snprintf(line, sizeof(line), "noreboot%*s", 60, "");
	for (char *p = line; *p; p++)
		if (*p == ' ')
			*p = 'x';
	parse(line);
	assert_false(opts.noreboot);
	assert_int_equal(log_lines(), 1);
}

static void test_value_too_long(void **state)
{
	char line[1024];

	strcpy(line, "sched=");
	memset(line + 6, 'c', 600);
	strcpy(line + 606, " maxcpus=5");
	parse(line);
	assert_string_equal(opts.sched, "credit2");
	assert_int_equal(opts.maxcpus, 5);
	assert_log_has(
	    "cmdline: bad value 'cccccccccccccccccccccccccccccccccccc"
	    "cccc...' for 'sched': value too long\n");
	assert_int_equal(log_lines(), 1);

	/* Exactly CMDLINE_VALUE_MAX bytes: fits the buffer, still refused. */
	strcpy(line, "com1=");
	memset(line + 5, '1', CMDLINE_VALUE_MAX);
	line[5 + CMDLINE_VALUE_MAX] = '\0';
	parse(line);
	assert_defaults();
	assert_log_has("for 'com1': baud must be");
}

static void test_nonprintable(void **state)
{
	parse("loglvl=\x01"
	      "all no\x1b[2Jreboot sched=cr\x7f"
	      "edit2 \xff\xfe=1 maxcpus=\xc2\xb2 testexit");
	assert_log_printable();
	assert_int_equal(opts.loglvl, LOG_INFO);
	assert_false(opts.noreboot);
	assert_string_equal(opts.sched, "credit2");
	assert_int_equal(opts.maxcpus, 0);
	assert_true(opts.testexit);
	assert_bad_value("\\x01all", "loglvl", CMDLINE_ERR_BAD_CHAR);
	assert_unknown("no\\x1b[2Jreboot");
	assert_bad_value("cr\\x7fedit2", "sched", CMDLINE_ERR_BAD_CHAR);
	assert_unknown("\\xff\\xfe");
	assert_bad_value("\\xc2\\xb2", "maxcpus", CMDLINE_ERR_BAD_CHAR);
	assert_int_equal(log_lines(), 5);

	/* Quote characters and backslashes are escaped too. */
	parse("it's a\\b");
	assert_unknown("it\\x27s");
	assert_unknown("a\\x5cb");
	assert_log_printable();
}

static void test_every_byte(void **state)
{
	char line[512];
	size_t n = 0;

	for (int round = 0; round < 2; round++)
		for (int c = 1; c < 256; c++)
			line[n++] = c;
	line[n] = '\0';
	parse(line);
	assert_log_printable();
	assert_sane(&opts);
}

static void test_long_line_one_token(void **state)
{
	char *line = malloc(BIG_LINE + 1);

	assert_non_null(line);
	memset(line, 'a', BIG_LINE);
	line[BIG_LINE] = '\0';
	parse(line);
	assert_defaults();
	/* The cut token is dropped, so only the length is complained about. */
	assert_log_has("cmdline: longer than 4096 bytes, the rest ignored\n");
	assert_int_equal(log_lines(), 1);

	memcpy(line, "noreboot ", 9);
	parse(line);
	assert_true(opts.noreboot);
	assert_int_equal(log_lines(), 1);
	free(line);
}

static void test_long_line_many_tokens(void **state)
{
	char *line = malloc(BIG_LINE + 1);

	assert_non_null(line);
	for (size_t i = 0; i < BIG_LINE; i++)
		line[i] = i % 2 ? ' ' : 'a';
	line[BIG_LINE] = '\0';
	parse(line);
	assert_defaults();
	/* 1 length warning + 2048 unknown 'a', of which 16 are printed. */
	assert_log_has("cmdline: longer than 4096 bytes, the rest ignored\n");
	assert_unknown("a");
	assert_log_has("cmdline: 2033 more warnings suppressed\n");
	assert_int_equal(log_lines(), 17);
	free(line);
}

static void test_warning_limit(void **state)
{
	char line[256] = "";

	for (int i = 0; i < 20; i++)
		strcat(line, "bad ");
	strcat(line, "noreboot");
	parse(line);
	assert_true(opts.noreboot);
	assert_log_has("cmdline: 4 more warnings suppressed\n");
	assert_int_equal(log_lines(), 17);

	line[0] = '\0';
	for (int i = 0; i < 16; i++)
		strcat(line, "bad ");
	parse(line);
	assert_log_lacks("suppressed");
	assert_int_equal(log_lines(), 16);
}

/* A token the length limit cuts in two must not be half-applied. */
static void test_token_at_limit(void **state)
{
	char *line = malloc(BIG_LINE + 1);
	const char opt[] = "maxcpus=12";
	size_t opt_len = sizeof(opt) - 1;

	assert_non_null(line);
	memset(line, ' ', BIG_LINE);
	line[BIG_LINE] = '\0';
	memcpy(line + CMDLINE_MAX_LEN - opt_len + 1, opt, opt_len);
	parse(line);
	assert_int_equal(opts.maxcpus, 0);
	assert_int_equal(log_lines(), 1);

	memset(line, ' ', BIG_LINE);
	memcpy(line + CMDLINE_MAX_LEN - opt_len, opt, opt_len);
	memcpy(line + BIG_LINE - 8, "noreboot", 8);
	parse(line);
	assert_int_equal(opts.maxcpus, 12);
	assert_false(opts.noreboot);
	assert_int_equal(log_lines(), 1);
	free(line);
}

/* A loader that forgets the NUL: nothing past the limit may be read. */
static void test_missing_nul(void **state)
{
	char *line = malloc(CMDLINE_MAX_LEN + 1);

	assert_non_null(line);
	memset(line, 'x', CMDLINE_MAX_LEN + 1);
	memcpy(line, "testexit ", 9);
	parse(line); /* ASan fails the test on any read past the buffer */
	assert_true(opts.testexit);
	assert_int_equal(log_lines(), 1);
	free(line);
}

/* Random lines from a fixed seed, biased to the parser's special bytes. */
static void test_random_lines(void **state)
{
	static const char alphabet[] = " =\",/-\tnoreboot0x1console=com1"
				       "loglvl=maxcpus=sched=credit2\x01\xff";
	uint32_t seed = 12345;
	char line[600];

	for (int iter = 0; iter < 3000; iter++) {
		size_t len = iter % sizeof(line);

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			line[i] =
			    (seed >> 24) & 1
				? alphabet[(seed >> 8) % (sizeof(alphabet) - 1)]
				: (char)(seed >> 16);
			if (line[i] == '\0')
				line[i] = ' ';
		}
		line[len] = '\0';
		parse(line);
		assert_sane(&opts);
		assert_log_printable();
		assert_in_range(log_lines(), 0, CMDLINE_WARN_MAX + 1);
	}
}

static void test_strerror(void **state)
{
	for (int i = 0; i < CMDLINE_ERR_COUNT; i++) {
		const char *msg = cmdline_strerror(i);

		assert_non_null(msg);
		assert_string_not_equal(msg, "unknown error");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(msg, cmdline_strerror(j));
	}
	assert_string_equal(cmdline_strerror(CMDLINE_ERR_COUNT),
			    "unknown error");
	assert_string_equal(cmdline_strerror((enum cmdline_error) - 1),
			    "unknown error");
	assert_string_equal(cmdline_strerror(CMDLINE_ERR_RANGE),
			    "out of range");
}

static void test_help(void **state)
{
	static const char *const names[] = {
	    "console: ",       "com1: ",  "loglvl: ", "[no-]noreboot: ",
	    "[no-]testexit: ", "sched: ", "maxcpus: "};

	fake_log_clear();
	cmdline_print_help();
	assert_log_has("command-line options:\n");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_log_has(names[i]);
	assert_int_equal(log_lines(), 1 + sizeof(names) / sizeof(names[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_empty_lines),
	    cmocka_unit_test(test_typical_line),
	    cmocka_unit_test(test_separators),
	    cmocka_unit_test(test_kernel_path),
	    cmocka_unit_test(test_bool_forms),
	    cmocka_unit_test(test_bool_bad),
	    cmocka_unit_test(test_maxcpus),
	    cmocka_unit_test(test_sched),
	    cmocka_unit_test(test_loglvl),
	    cmocka_unit_test(test_console),
	    cmocka_unit_test(test_console_unknown_only),
	    cmocka_unit_test(test_com1_parse_good),
	    cmocka_unit_test(test_com1_parse_bad),
	    cmocka_unit_test(test_com1_option),
	    cmocka_unit_test(test_unknown_options),
	    cmocka_unit_test(test_last_wins),
	    cmocka_unit_test(test_quotes),
	    cmocka_unit_test(test_unterminated_quote),
	    cmocka_unit_test(test_empty_names),
	    cmocka_unit_test(test_name_too_long),
	    cmocka_unit_test(test_value_too_long),
	    cmocka_unit_test(test_nonprintable),
	    cmocka_unit_test(test_every_byte),
	    cmocka_unit_test(test_long_line_one_token),
	    cmocka_unit_test(test_long_line_many_tokens),
	    cmocka_unit_test(test_warning_limit),
	    cmocka_unit_test(test_token_at_limit),
	    cmocka_unit_test(test_missing_nul),
	    cmocka_unit_test(test_random_lines),
	    cmocka_unit_test(test_strerror),
	    cmocka_unit_test(test_help),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
