// e820 map building: overlays, splits, merges and a full table.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fw/e820.h"

static void expect(const struct e820_map *m, int i, u64 start, u64 size,
		   u32 type)
{
	assert_true(i < m->count);
	assert_int_equal(m->e[i].start, start);
	assert_int_equal(m->e[i].size, size);
	assert_int_equal(m->e[i].type, type);
}

static void test_qemu_like_map(void **state)
{
	(void)state;
	struct e820_map m = {0};
	assert_true(e820_add(&m, 0, 0x8000000, E820_RAM));	   // 128 MiB
	assert_true(e820_add(&m, 0x9C000, 0x4000, E820_RESERVED)); // EBDA
	assert_true(e820_remove(&m, 0xA0000, 0x60000)); // VGA + ROMs hole
	assert_true(e820_add(&m, 0xF0000, 0x10000, E820_RESERVED));
	assert_true(e820_add(&m, 0x7F00000, 0x100000, E820_RESERVED));
	assert_int_equal(m.count, 5);
	expect(&m, 0, 0, 0x9C000, E820_RAM);
	expect(&m, 1, 0x9C000, 0x4000, E820_RESERVED);
	expect(&m, 2, 0xF0000, 0x10000, E820_RESERVED);
	expect(&m, 3, 0x100000, 0x7E00000, E820_RAM);
	expect(&m, 4, 0x7F00000, 0x100000, E820_RESERVED);
	assert_int_equal(e820_ram_top_below(&m, 0x100000000ull), 0x7F00000);
}

static void test_merge_and_overwrite(void **state)
{
	(void)state;
	struct e820_map m = {0};
	assert_true(e820_add(&m, 0x1000, 0x1000, E820_RAM));
	assert_true(e820_add(&m, 0x2000, 0x1000, E820_RAM));
	assert_int_equal(m.count, 1);
	expect(&m, 0, 0x1000, 0x2000, E820_RAM);
	// A reservation covering everything replaces it.
	assert_true(e820_add(&m, 0, 0x10000, E820_RESERVED));
	assert_int_equal(m.count, 1);
	expect(&m, 0, 0, 0x10000, E820_RESERVED);
}

static void test_above_4g(void **state)
{
	(void)state;
	struct e820_map m = {0};
	assert_true(e820_add(&m, 0, 0x80000000ull, E820_RAM));
	assert_true(e820_add(&m, 0x100000000ull, 0xC0000000ull, E820_RAM));
	assert_true(e820_add(&m, 0xB0000000ull, 0x10000000, E820_RESERVED));
	assert_int_equal(m.count, 3);
	expect(&m, 2, 0x100000000ull, 0xC0000000ull, E820_RAM);
	assert_int_equal(e820_ram_top_below(&m, 0x100000000ull), 0x80000000ull);
}

static void test_full_table_unchanged(void **state)
{
	(void)state;
	struct e820_map m = {0};
	for (int i = 0; i < E820_MAX; i++)
		assert_true(e820_add(&m, (u64)i * 0x2000, 0x1000,
				     i & 1 ? E820_RAM : E820_RESERVED));
	struct e820_map before = m;
	// Splitting an entry needs two more slots: must fail and change
	// nothing.
	assert_false(e820_add(&m, 0x100, 0x10, E820_ACPI));
	assert_memory_equal(&m, &before, sizeof(m));
}

// fuzz_e820: an etc/e820 entry whose end wraps past 2^64 was inserted
// as is, overlapping the RAM below it. It now ends at the top.
static void test_wrapping_entry_clipped(void **state)
{
	(void)state;
	struct e820_map m = {0};
	assert_true(e820_add(&m, 0, 0x100000, E820_RAM));
	assert_true(e820_add(&m, 0xFFFFFFFFFFFFF000ull, 0x2000, E820_RESERVED));
	assert_int_equal(m.count, 2);
	expect(&m, 0, 0, 0x100000, E820_RAM);
	expect(&m, 1, 0xFFFFFFFFFFFFF000ull, 0xFFF, E820_RESERVED);
	assert_true(e820_remove(&m, 0xFFFFFFFFFFFFF800ull, ~0ull));
	expect(&m, 1, 0xFFFFFFFFFFFFF000ull, 0x800, E820_RESERVED);
	// The same entry from QEMU's file.
	struct e820_entry qe[2] = {{0, 0x100000, E820_RAM},
				   {~0ull - 0xFFF, 0x10000, E820_RESERVED}};
	struct e820_map q = {0};
	assert_int_equal(e820_add_qemu(&q, qe, sizeof(qe)), 2);
	expect(&q, 0, 0, 0x100000, E820_RAM);
	expect(&q, 1, ~0ull - 0xFFF, 0xFFF, E820_RESERVED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_qemu_like_map),
	    cmocka_unit_test(test_merge_and_overwrite),
	    cmocka_unit_test(test_above_4g),
	    cmocka_unit_test(test_full_table_unchanged),
	    cmocka_unit_test(test_wrapping_entry_clipped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
