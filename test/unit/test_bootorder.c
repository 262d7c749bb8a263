// bootorder path matching against the paths QEMU 7.2 writes.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "fw/bootorder.h"

static const char order[] = "/pci@i0cf8/ide@1,1/drive@1/disk@0\n"
			    "/pci@i0cf8/scsi@4/disk@0,0\n"
			    "/pci@i0cf8/pci8086,2922@1f,2/drive@2/disk@0\n"
			    "/rom@genroms/linuxboot_dma.bin";

static int find(struct boot_location loc)
{
	return bootorder_find(order, strlen(order), &loc);
}

static void test_matches(void **state)
{
	(void)state;
	assert_int_equal(find((struct boot_location){NULL, 1, 1, 1, 0}), 0);
	assert_int_equal(find((struct boot_location){NULL, 4, 0, -1, -1}), 1);
	assert_int_equal(find((struct boot_location){NULL, 0x1f, 2, 2, 0}), 2);
	assert_int_equal(find((struct boot_location){
			     "genroms/linuxboot_dma.bin", -1, -1, -1, -1}),
			 3);
}

static void test_mismatches(void **state)
{
	(void)state;
	// Same controller, other channel / unit / port.
	assert_int_equal(find((struct boot_location){NULL, 1, 1, 0, 0}), -1);
	assert_int_equal(find((struct boot_location){NULL, 1, 1, 1, 1}), -1);
	assert_int_equal(find((struct boot_location){NULL, 0x1f, 2, 0, 0}), -1);
	assert_int_equal(find((struct boot_location){NULL, 5, 0, -1, -1}), -1);
	assert_int_equal(find((struct boot_location){"genroms/linuxboot.bin",
						     -1, -1, -1, -1}),
			 -1);
	// Garbage and truncation do not crash or match.
	static const char junk[] = "/pci@i0cf8/\n/pci@i0cf8/x@\n@@@\n";
	struct boot_location loc = {NULL, 0, 0, -1, -1};
	assert_int_equal(bootorder_find(junk, sizeof(junk) - 1, &loc), -1);
	assert_int_equal(bootorder_find(order, 12, &loc), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matches),
	    cmocka_unit_test(test_mismatches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
