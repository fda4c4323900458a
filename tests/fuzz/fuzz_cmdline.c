// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the command-line parser. The input bytes, copied into
 * an exact-size heap buffer and NUL-terminated (so ASan sees any read past
 * the end), go through cmdline_parse() and, as a com1= value, through
 * com1_parse(). Beyond the sanitizers it checks what must hold for any line:
 * every setting stays in its documented range, the log holds only printable
 * text and at most CMDLINE_WARN_MAX + 1 lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <atoll/cmdline.h>
#include "fake_core.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_cmdline: check '%s' failed\n",   \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fake_log_quiet = true;
	return 0;
}

static void check_com(const struct com_config *com)
{
	CHECK(com->baud == COM_BAUD_AUTO ||
	      (com->baud >= COM_BAUD_MIN && com->baud <= COM_BAUD_MAX &&
	       COM_BAUD_MAX % com->baud == 0));
	CHECK(com->data_bits >= 5 && com->data_bits <= 8);
	CHECK(com->parity && strchr("noems", com->parity));
	CHECK(com->stop_bits == 1 || com->stop_bits == 2);
	CHECK(com->io_base >= 1 &&
	      com->io_base <= COM_IO_SPACE_SIZE - COM_PORT_COUNT);
	CHECK(com->irq <= COM_IRQ_MAX);
}

static bool com_equal(const struct com_config *a, const struct com_config *b)
{
	return a->baud == b->baud && a->data_bits == b->data_bits &&
	       a->parity == b->parity && a->stop_bits == b->stop_bits &&
	       a->io_base == b->io_base && a->irq == b->irq;
}

static void check_options(const struct boot_options *o)
{
	CHECK(o->console.count >= 1 && o->console.count <= CMDLINE_CONSOLE_MAX);
	for (unsigned int i = 0; i < o->console.count; i++) {
		const char *name = o->console.names[i];

		CHECK(memchr(name, '\0', CMDLINE_CONSOLE_NAME_SIZE));
		CHECK(!strcmp(name, "com1") || !strcmp(name, "none"));
	}
	check_com(&o->com1);
	CHECK(o->loglvl >= LOGLVL_NONE && o->loglvl <= LOG_DEBUG);
	CHECK(memchr(o->sched, '\0', sizeof(o->sched)));
	CHECK(!strcmp(o->sched, "credit2"));
	CHECK(o->maxcpus <= CMDLINE_MAXCPUS_LIMIT);
}

static void check_log(void)
{
	unsigned int lines = 0;

	for (size_t i = 0; i < fake_log_len; i++) {
		unsigned char c = fake_log[i];

		CHECK(c == '\n' || (c >= 0x20 && c < 0x7f));
		lines += c == '\n';
	}
	CHECK(lines <= CMDLINE_WARN_MAX + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct boot_options opts;
	struct com_config com;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';

	fake_log_clear();
	boot_options_defaults(&opts);
	cmdline_parse(line, &opts);
	check_options(&opts);
	check_log();

	com = opts.com1;
	if (com1_parse(line, &com) == CMDLINE_OK)
		check_com(&com);
	else
		CHECK(com_equal(&com, &opts.com1));
	free(line);
	return 0;
}
