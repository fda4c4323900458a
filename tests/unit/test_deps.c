// SPDX-License-Identifier: GPL-2.0-only
/*
 * The third-party code the core relies on, as Atoll configures it:
 * - xxHash through atoll_xxhash.h, on the scalar path the core takes, must
 *   agree with Debian's xxhsum run now (XXHSUM names it), so that the
 *   hashes `vmctl image build` writes into a manifest are the ones the core
 *   computes at boot;
 * - libfdt extracted from linux-source builds and works under the
 *   sanitizers: a tree written with the sequential-write API reads back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The core is built with -mgeneral-regs-only: hash the way it does. */
#define XXH_VECTOR 0
#include <atoll_xxhash.h>
#include <libfdt.h>

/* Lengths on both sides of each of XXH3's code paths. */
static const size_t lengths[] = {
    0,			 /* empty */
    1,	   3,		 /* 1-3 bytes */
    4,	   8,		 /* 4-8 */
    9,	   16,		 /* 9-16 */
    17,	   128,		 /* 17-128 */
    129,   240,		 /* 129-240 */
    241,   1023,   1024, /* long: one block */
    1025,  4096,   4099, /* long: several blocks, partial stripes */
    65536, 100003,	 /* long: many blocks */
};
#define BUF_COUNT (sizeof(lengths) / sizeof(lengths[0]))
#define MAX_LEN	  100003

static unsigned char data[MAX_LEN];
static char dir[] = "/tmp/atoll-test-deps-XXXXXX";

/* Deterministic bytes, different in every position of every buffer. */
static void fill_data(void)
{
	uint32_t x = 2463534242u;

	for (size_t i = 0; i < MAX_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] = (unsigned char)x;
	}
}

static void write_file(size_t index)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%zu", dir, index);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, lengths[index], f), lengths[index]);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	fill_data();
	for (size_t i = 0; i < BUF_COUNT; i++)
		write_file(i);
	return 0;
}

static int teardown(void **state)
{
	char path[64];

	for (size_t i = 0; i < BUF_COUNT; i++) {
		snprintf(path, sizeof(path), "%s/%zu", dir, i);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

/*
 * Runs `xxhsum -q --tag -H<algo>` on every buffer file and stores the
 * hashes in order. --tag prints "<NAME> (<file>) = <hex>" for every
 * algorithm; -q drops the progress line on stderr.
 */
static void run_xxhsum(int algo, uint64_t *out)
{
	const char *tool = getenv("XXHSUM") ? getenv("XXHSUM") : "xxhsum";
	char cmd[4096], line[512], file[256];
	int n = snprintf(cmd, sizeof(cmd), "'%s' -q --tag -H%d", tool, algo);
	size_t count = 0;
	FILE *p;

	for (size_t i = 0; i < BUF_COUNT; i++)
		n += snprintf(cmd + n, sizeof(cmd) - n, " %s/%zu", dir, i);
	assert_true(n < (int)sizeof(cmd));
	p = popen(cmd, "r");
	assert_non_null(p);
	while (count < BUF_COUNT && fgets(line, sizeof(line), p)) {
		assert_int_equal(sscanf(line, "%*s (%255[^)]) = %" SCNx64, file,
					&out[count]),
				 2);
		snprintf(cmd, sizeof(cmd), "%s/%zu", dir, count);
		assert_string_equal(file, cmd);
		count++;
	}
	assert_int_equal(pclose(p), 0);
	assert_int_equal(count, BUF_COUNT);
}

static void test_xxh_scalar_path(void **state)
{
	assert_int_equal(XXH_VECTOR, XXH_SCALAR);
}

/* Published values, so a broken xxhsum cannot pass both sides. */
static void test_xxh_known_values(void **state)
{
	assert_true(XXH64("", 0, 0) == 0xef46db3751d8e999ULL);
	assert_true(XXH64("abc", 3, 0) == 0x44bc2cf5ad770999ULL);
	assert_true(XXH3_64bits("", 0) == 0x2d06800538d394c2ULL);
}

static void test_xxh64_matches_xxhsum(void **state)
{
	uint64_t want[BUF_COUNT];

	run_xxhsum(1, want);
	for (size_t i = 0; i < BUF_COUNT; i++) {
		uint64_t got = XXH64(data, lengths[i], 0);

		if (got != want[i])
			fail_msg("XXH64 of %zu bytes: %016" PRIx64
				 ", xxhsum says %016" PRIx64,
				 lengths[i], got, want[i]);
	}
}

static void test_xxh3_matches_xxhsum(void **state)
{
	uint64_t want[BUF_COUNT];

	run_xxhsum(3, want);
	for (size_t i = 0; i < BUF_COUNT; i++) {
		uint64_t got = XXH3_64bits(data, lengths[i]);

		if (got != want[i])
			fail_msg("XXH3_64bits of %zu bytes: %016" PRIx64
				 ", xxhsum says %016" PRIx64,
				 lengths[i], got, want[i]);
	}
}

/* A manifest-like tree: /domains/xenstore with a name and a 64-bit hash. */
static void build_tree(void *fdt, size_t size)
{
	assert_int_equal(fdt_create(fdt, size), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_begin_node(fdt, "domains"), 0);
	assert_int_equal(fdt_begin_node(fdt, "xenstore"), 0);
	assert_int_equal(fdt_property_string(fdt, "image", "xenstored.elf"), 0);
	assert_int_equal(fdt_property_u64(fdt, "xxh3", 0x2d06800538d394c2ULL),
			 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
}

static void test_libfdt_round_trip(void **state)
{
	uint64_t buf[256];
	const fdt64_t *hash;
	const char *image;
	int node, len;

	build_tree(buf, sizeof(buf));
	assert_int_equal(fdt_check_header(buf), 0);
	node = fdt_path_offset(buf, "/domains/xenstore");
	assert_true(node > 0);
	image = fdt_getprop(buf, node, "image", &len);
	assert_non_null(image);
	assert_string_equal(image, "xenstored.elf");
	hash = fdt_getprop(buf, node, "xxh3", &len);
	assert_non_null(hash);
	assert_int_equal(len, sizeof(*hash));
	assert_true(fdt64_ld(hash) == XXH3_64bits("", 0));
	assert_int_equal(fdt_path_offset(buf, "/domains/netback"),
			 -FDT_ERR_NOTFOUND);
	/* Something that is not a device tree is refused. */
	((fdt32_t *)buf)[0] = cpu_to_fdt32(0);
	assert_int_equal(fdt_check_header(buf), -FDT_ERR_BADMAGIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xxh_scalar_path),
	    cmocka_unit_test(test_xxh_known_values),
	    cmocka_unit_test(test_xxh64_matches_xxhsum),
	    cmocka_unit_test(test_xxh3_matches_xxhsum),
	    cmocka_unit_test(test_libfdt_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
