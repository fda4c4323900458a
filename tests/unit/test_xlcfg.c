// SPDX-License-Identifier: GPL-2.0-only
/* lib/xlcfg: xl.cfg domain configs, good ones and each error's line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xlcfg.h"

static struct xlcfg cfg;
static struct xlcfg_error err;

static int parse(const char *text)
{
	return xlcfg_parse(text, strlen(text), &cfg, &err);
}

static void full_config(void **state)
{
	const char *text = "# a guest\n"
			   "name = \"web\"\n"
			   "memory = 64\n"
			   "maxmem=128;\n"
			   "vcpus = 2\n"
			   "kernel = 'hello.elf'  # from the boot modules\n"
			   "cmdline = \"hello --verbose\"\n"
			   "vif = [ 'mac=00:16:3e:00:00:01,bridge=br0',\n"
			   "        'backend=netback' ]\n"
			   "disk = [ ]\n"
			   "pci = [ '0000:00:03.0' ]\n"
			   "weight = 512\n"
			   "cap = 150\n";

	assert_int_equal(parse(text), 0);
	assert_string_equal(cfg.name, "web");
	assert_int_equal(cfg.memory_mib, 64);
	assert_int_equal(cfg.maxmem_mib, 128);
	assert_int_equal(cfg.vcpus, 2);
	assert_string_equal(cfg.kernel, "hello.elf");
	assert_string_equal(cfg.cmdline, "hello --verbose");
	assert_int_equal(cfg.vif_count, 2);
	assert_string_equal(cfg.vif[1], "backend=netback");
	assert_int_equal(cfg.disk_count, 0);
	assert_int_equal(cfg.pci_count, 1);
	assert_int_equal(cfg.weight, 512);
	assert_int_equal(cfg.cap, 150);
}

static void defaults(void **state)
{
	assert_int_equal(parse("name='a'\nmemory=4\nkernel='k'\n"), 0);
	assert_int_equal(cfg.maxmem_mib, 4);
	assert_int_equal(cfg.vcpus, 1);
	assert_int_equal(cfg.weight, 0);
}

static void expect_error(const char *text, unsigned line, const char *what)
{
	assert_int_equal(parse(text), -1);
	assert_int_equal(err.line, line);
	if (!strstr(err.message, what))
		fail_msg("message '%s' lacks '%s'", err.message, what);
}

static void errors_with_lines(void **state)
{
	expect_error("name='a'\nmemory=4\nkernel='k'\nmemroy=5\n", 4,
		     "unknown key 'memroy'");
	expect_error("name='a'\nname='b'\n", 2, "'name' given twice");
	expect_error("name='a'\nmemory='4'\n", 2, "expected a number");
	expect_error("name=a\n", 1, "expected a quoted string");
	expect_error("name='a\n", 1, "unterminated string");
	expect_error("name='a'\nvif=[ 'x',\n  y ]\n", 3,
		     "list items must be quoted");
	expect_error("name='a'\nvif=[ 'x'\n", 2, "unterminated list");
	expect_error("name='a'\nmemory=4 5\n", 2, "unexpected text");
	expect_error("name='a'\nmemory=\n", 2, "has no value");
	expect_error("name='a'\nmemory 4\n", 2, "expected '='");
	expect_error("name='a'\nmemory=99999999999\n", 2, "too large");
	expect_error("= 4\n", 1, "expected 'key = value'");
	expect_error("name='a'\nvif=['1','2','3','4','5','6','7','8','9']\n", 2,
		     "more than 8");
}

static void range_errors(void **state)
{
	expect_error("memory=4\nkernel='k'\n", 0, "'name' is required");
	expect_error("name='A b'\nmemory=4\nkernel='k'\n", 0, "name 'A b'");
	expect_error("name='a'\nkernel='k'\n", 0, "'memory'");
	expect_error("name='a'\nmemory=8\nmaxmem=4\nkernel='k'\n", 0,
		     "maxmem 4 is below memory 8");
	expect_error("name='a'\nmemory=4\nvcpus=9\nkernel='k'\n", 0, "vcpus 9");
	expect_error("name='a'\nmemory=4\nweight=0\nkernel='k'\n", 0,
		     "weight 0");
	expect_error("name='a'\nmemory=4\ncap=101\nkernel='k'\n", 0, "cap 101");
	expect_error("name='a'\nmemory=4\n", 0, "'kernel' is required");
	expect_error("name='0123456789012345678901234567890123'\n", 1,
		     "longer than 31");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_config),
	    cmocka_unit_test(defaults),
	    cmocka_unit_test(errors_with_lines),
	    cmocka_unit_test(range_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
