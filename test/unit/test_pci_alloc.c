// PCI resource placement: natural alignment, bridge windows sized from
// their children and placed in 4 KiB / 1 MiB granules, 64-bit prefetchable
// BARs in their own window, and exhaustion reported without overlap.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "fw/pci_alloc.h"

static const struct pci_window root[RES_TYPES] = {
    [RES_IO] = {0xC000, 0x10000},
    [RES_MEM] = {0xC0000000u, 0xFEC00000u},
    [RES_PREF] = {0x800000000ull, 0x1000000000ull},
};

static struct pci_res bar(int dev, int bus, u8 reg, u8 type, u64 size)
{
	return (struct pci_res){.dev = dev,
				.bus = bus,
				.child_bus = -1,
				.reg = reg,
				.type = type,
				.is64 = type == RES_PREF,
				.size = size,
				.align = size};
}

static const struct pci_res *find(const struct pci_res *r, int n, int dev,
				  u8 reg, int child_bus, u8 type)
{
	for (int i = 0; i < n; i++)
		if (r[i].dev == dev && r[i].reg == reg &&
		    r[i].child_bus == child_bus && r[i].type == type)
			return &r[i];
	return NULL;
}

static void assert_no_overlap(const struct pci_res *r, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			if (r[i].type != r[j].type || r[i].bus != r[j].bus ||
			    !r[i].addr || !r[j].addr)
				continue;
			bool disjoint = r[i].addr + r[i].size <= r[j].addr ||
					r[j].addr + r[j].size <= r[i].addr;
			assert_true(disjoint);
		}
}

static void test_bus0_alignment(void **state)
{
	(void)state;
	struct pci_res r[16];
	int n = 0;
	r[n++] = bar(0, 0, 0x10, RES_MEM, 0x1000);
	r[n++] = bar(0, 0, 0x14, RES_MEM, 0x1000000); // 16 MiB (VGA LFB)
	r[n++] = bar(1, 0, 0x10, RES_IO, 0x40);
	r[n++] = bar(1, 0, 0x14, RES_IO, 0x100);
	r[n++] = bar(2, 0, 0x18, RES_PREF, 0x40000000ull); // 1 GiB 64-bit
	struct pci_bus_info buses[1] = {{-1, -1}};
	assert_true(pci_alloc(r, &n, 16, buses, 1, root));
	assert_int_equal(n, 5);
	for (int i = 0; i < n; i++) {
		assert_int_equal(r[i].addr % r[i].align, 0);
		assert_true(r[i].addr >= root[r[i].type].base);
		assert_true(r[i].addr + r[i].size <= root[r[i].type].limit);
	}
	assert_no_overlap(r, n);
	const struct pci_res *big = find(r, n, 2, 0x18, -1, RES_PREF);
	assert_true(big->addr >= 0x800000000ull);
}

static void test_bridge_windows(void **state)
{
	(void)state;
	// Bus 0: a device and a bridge (dev 1) to bus 1, which holds a
	// bridge (dev 3) to bus 2.
	struct pci_res r[32];
	int n = 0;
	r[n++] = bar(0, 0, 0x10, RES_MEM, 0x4000);
	r[n++] = bar(2, 1, 0x10, RES_IO, 0x20);
	r[n++] = bar(2, 1, 0x14, RES_MEM, 0x1000);
	r[n++] = bar(4, 2, 0x10, RES_MEM, 0x200000); // 2 MiB behind 2 bridges
	r[n++] = bar(4, 2, 0x20, RES_PREF, 0x4000);
	struct pci_bus_info buses[3] = {{-1, -1}, {0, 1}, {1, 3}};
	assert_true(pci_alloc(r, &n, 32, buses, 3, root));
	const struct pci_res *w1 = find(r, n, 1, 0, 1, RES_MEM);
	const struct pci_res *w2 = find(r, n, 3, 0, 2, RES_MEM);
	const struct pci_res *io1 = find(r, n, 1, 0, 1, RES_IO);
	const struct pci_res *p2 = find(r, n, 3, 0, 2, RES_PREF);
	assert_non_null(w1);
	assert_non_null(w2);
	assert_non_null(io1);
	assert_non_null(p2);
	assert_null(find(r, n, 3, 0, 2, RES_IO)); // nothing needs I/O there
	// Granules: I/O 4 KiB, memory 1 MiB, and windows nest.
	assert_int_equal(io1->size, 0x1000);
	assert_int_equal(io1->addr % 0x1000, 0);
	assert_int_equal(w2->size, 0x200000);
	assert_int_equal(w1->size % 0x100000, 0);
	assert_true(w1->size >= w2->size + 0x1000);
	assert_true(w2->addr >= w1->addr &&
		    w2->addr + w2->size <= w1->addr + w1->size);
	const struct pci_res *deep = find(r, n, 4, 0x10, -1, RES_MEM);
	assert_true(deep->addr >= w2->addr &&
		    deep->addr + deep->size <= w2->addr + w2->size);
	const struct pci_res *dev2 = find(r, n, 2, 0x14, -1, RES_MEM);
	assert_true(dev2->addr >= w1->addr &&
		    dev2->addr + dev2->size <= w1->addr + w1->size);
	assert_no_overlap(r, n);
}

static void test_exhaustion(void **state)
{
	(void)state;
	struct pci_res r[8];
	int n = 0;
	r[n++] = bar(0, 0, 0x10, RES_IO, 0x2000);
	r[n++] = bar(1, 0, 0x10, RES_IO, 0x2000);
	r[n++] = bar(2, 0, 0x10, RES_IO, 0x2000); // 0xC000-0xFFFF holds two
	struct pci_bus_info buses[1] = {{-1, -1}};
	assert_false(pci_alloc(r, &n, 8, buses, 1, root));
	int placed = 0;
	for (int i = 0; i < n; i++)
		placed += r[i].addr != 0;
	assert_int_equal(placed, 2);
	assert_no_overlap(r, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bus0_alignment),
	    cmocka_unit_test(test_bridge_windows),
	    cmocka_unit_test(test_exhaustion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
