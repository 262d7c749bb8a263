// bootorder path matching against the paths QEMU 7.2 writes.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
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
	assert_int_equal(find((struct boot_location){NULL, 1, 1, 1, 0, -1}), 0);
	assert_int_equal(find((struct boot_location){NULL, 4, 0, -1, -1, -1}),
			 1);
	assert_int_equal(find((struct boot_location){NULL, 0x1f, 2, 2, 0, -1}),
			 2);
	assert_int_equal(find((struct boot_location){
			     "genroms/linuxboot_dma.bin", -1, -1, -1, -1, -1}),
			 3);
}

static void test_mismatches(void **state)
{
	(void)state;
	// Same controller, other channel / unit / port.
	assert_int_equal(find((struct boot_location){NULL, 1, 1, 0, 0, -1}),
			 -1);
	assert_int_equal(find((struct boot_location){NULL, 1, 1, 1, 1, -1}),
			 -1);
	assert_int_equal(find((struct boot_location){NULL, 0x1f, 2, 0, 0, -1}),
			 -1);
	assert_int_equal(find((struct boot_location){NULL, 5, 0, -1, -1, -1}),
			 -1);
	assert_int_equal(find((struct boot_location){"genroms/linuxboot.bin",
						     -1, -1, -1, -1, -1}),
			 -1);
	// Garbage and truncation do not crash or match.
	static const char junk[] = "/pci@i0cf8/\n/pci@i0cf8/x@\n@@@\n";
	struct boot_location loc = {NULL, 0, 0, -1, -1, -1};
	assert_int_equal(bootorder_find(junk, sizeof(junk) - 1, &loc), -1);
	assert_int_equal(bootorder_find(order, 12, &loc), -1);
}

// fuzz_bootorder: a long hex number in a path overflowed the parser's
// int (UBSan). It now saturates and matches nothing.
static void test_long_numbers(void **state)
{
	(void)state;
	static const char text[] = "/pci@i0cf8/ide@fffffffffff1,1/drive@0\n"
				   "/pci@i0cf8/ide@1,1/drive@100000000000\n"
				   "/pci@i0cf8/ide@1,10000000001/drive@0\n"
				   "/pci@i0cf8/ide@1,1/drive@1/disk@0";
	struct boot_location loc = {NULL, 1, 1, 1, 0, -1};
	assert_int_equal(bootorder_find(text, sizeof(text) - 1, &loc), 3);
	loc.channel = 0;
	assert_int_equal(bootorder_find(text, sizeof(text) - 1, &loc), -1);
}

// fuzz_bootorder: a line ending in "/drive" (no '@') made the unit lookup
// read one byte past the end of the file.
static void test_unit_name_at_end(void **state)
{
	(void)state;
	static const char path[] = "/pci@i0cf8/ide@1,1/drive";
	char *text =
	    malloc(sizeof(path) - 1); // exact: ASan sees the byte after
	memcpy(text, path, sizeof(path) - 1);
	struct boot_location loc = {NULL, 1, 1, 0, -1, -1};
	assert_int_equal(bootorder_find(text, sizeof(path) - 1, &loc), -1);
	free(text);
}

// virtio-scsi ("disk@TARGET,LUN") and NVMe ("namespace@NSID,0") paths as
// QEMU 7.2 writes them for scsi-hd/scsi-cd and nvme bootindex=.
static void test_scsi_nvme(void **state)
{
	(void)state;
	static const char text[] = "/pci@i0cf8/scsi@3/channel@0/disk@2,3\n"
				   "/pci@i0cf8/scsi@3/channel@0/disk@2,0\n"
				   "/pci@i0cf8/pci1b36,0010@4/namespace@2,0\n"
				   "/pci@i0cf8/pci1b36,0010@4/namespace@1,0";
	u32 len = sizeof(text) - 1;
	struct boot_location loc = {NULL, 3, 0, -1, 2, 3};
	assert_int_equal(bootorder_find(text, len, &loc), 0);
	loc.lun = 0;
	assert_int_equal(bootorder_find(text, len, &loc), 1);
	loc.lun = 1; // another LUN of the same target
	assert_int_equal(bootorder_find(text, len, &loc), -1);
	loc = (struct boot_location){NULL, 3, 0, -1, 1, 0};
	assert_int_equal(bootorder_find(text, len, &loc), -1);
	loc = (struct boot_location){NULL, 4, 0, -1, -1, 1};
	assert_int_equal(bootorder_find(text, len, &loc), 3);
	loc.lun = 2;
	assert_int_equal(bootorder_find(text, len, &loc), 2);
	loc.lun = 3;
	assert_int_equal(bootorder_find(text, len, &loc), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matches),
	    cmocka_unit_test(test_mismatches),
	    cmocka_unit_test(test_long_numbers),
	    cmocka_unit_test(test_unit_name_at_end),
	    cmocka_unit_test(test_scsi_nvme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
