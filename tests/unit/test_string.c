// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core's vsnprintf and string functions, compiled under other names so
 * they don't replace the host libc in this test binary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define vsnprintf atoll_vsnprintf
#define snprintf  atoll_snprintf
#define memcpy	  atoll_memcpy
#define memmove	  atoll_memmove
#define memset	  atoll_memset
#define memcmp	  atoll_memcmp
#define memchr	  atoll_memchr
#define strlen	  atoll_strlen
#define strnlen	  atoll_strnlen
#define strcmp	  atoll_strcmp
#define strncmp	  atoll_strncmp
#define strchr	  atoll_strchr
#define strrchr	  atoll_strrchr
#define strtoul	  atoll_strtoul
#define strtoull  atoll_strtoull
#include "../../kernel/lib/mem_generic.c"
#include "../../kernel/lib/string.c"
#include "../../kernel/lib/vsnprintf.c"
#undef snprintf
#undef vsnprintf
#undef strcmp
#undef strlen
#undef memcmp
#include <string.h>

static void expect_fmt(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = atoll_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_integers(void **state)
{
	expect_fmt("42", "%d", 42);
	expect_fmt("-42", "%d", -42);
	expect_fmt("-9223372036854775808", "%lld", (long long)INT64_MIN);
	expect_fmt("18446744073709551615", "%llu", (unsigned long long)-1);
	expect_fmt("ff FF", "%x %X", 255, 255);
	expect_fmt("00ff", "%04x", 255);
	expect_fmt("  ff", "%4x", 255);
	expect_fmt("ff  |", "%-4x|", 255);
	expect_fmt("-0042", "%05d", -42);
	expect_fmt("0x1000", "%p", (void *)0x1000);
	expect_fmt("17", "%o", 15);
	expect_fmt("200", "%hhu", 200);
	expect_fmt("-1", "%hd", 0xffff);
	expect_fmt("12345678901", "%zu", (size_t)12345678901ULL);
	expect_fmt("0016", "%.4d", 16);
}

static void test_strings(void **state)
{
	expect_fmt("abc", "%s", "abc");
	expect_fmt("(null)", "%s", (char *)NULL);
	expect_fmt("ab", "%.2s", "abcdef");
	expect_fmt("abc", "%.*s", 3, "abcdef");
	expect_fmt("  abc|", "%5s|", "abc");
	expect_fmt("abc  |", "%-5s|", "abc");
	expect_fmt("x%y", "x%%y");
	expect_fmt("c=Z", "c=%c", 'Z');
}

static void test_truncation(void **state)
{
	char buf[4];

	assert_int_equal(atoll_snprintf(buf, sizeof(buf), "%s", "hello"), 5);
	assert_string_equal(buf, "hel");
	assert_int_equal(atoll_snprintf(buf, 0, "%d", 1234), 4);
	assert_int_equal(atoll_snprintf(buf, 1, "%d", 1234), 4);
	assert_string_equal(buf, "");
}

static void test_strtoull(void **state)
{
	char *end;

	assert_int_equal(atoll_strtoull("115200,8n1", &end, 10), 115200);
	assert_int_equal(*end, ',');
	assert_int_equal(atoll_strtoull("0x3f8", &end, 0), 0x3f8);
	assert_int_equal(atoll_strtoull("0755", &end, 0), 0755);
	assert_int_equal(atoll_strtoull("zz", &end, 10), 0);
	assert_string_equal(end, "zz");
	assert_true(atoll_strtoull("99999999999999999999999", &end, 10) ==
		    ~0ULL);
	assert_int_equal(*end, '\0');
	/* "0x" with no hex digit after it is the number 0 followed by "x". */
	assert_int_equal(atoll_strtoull("0xg", &end, 0), 0);
	assert_string_equal(end, "xg");
}

static void test_memory(void **state)
{
	char a[16] = "abcdefghij";

	atoll_memmove(a + 2, a, 5);
	assert_memory_equal(a, "ababcdehij", 10);
	atoll_memmove(a, a + 2, 5);
	assert_memory_equal(a, "abcdedehij", 10);
	assert_true(atoll_memcmp("abc", "abd", 3) < 0);
	assert_ptr_equal(atoll_memchr(a, 'h', 10), a + 7);
	assert_null(atoll_memchr(a, 'z', 10));
	{
		const char *s = "a/b/c";
		assert_ptr_equal(atoll_strrchr(s, '/'), s + 3);
	}
	assert_int_equal(atoll_strnlen("abc", 2), 2);
	assert_true(atoll_strncmp("abcx", "abcy", 3) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_integers),   cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_truncation), cmocka_unit_test(test_strtoull),
	    cmocka_unit_test(test_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
