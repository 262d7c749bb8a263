// SMBIOS entry point fix-up (fw/smbios.c): QEMU's anchor pointed at the
// installed table with checksums that add up, and malformed anchors
// refused. Regression cases from fuzz_smbios.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "fw/acpi.h"
#include "fw/fw_cfg.h"
#include "std/byteorder.h"

// smbios_setup's environment, unused by these tests.
const struct fw_cfg_file *fw_cfg_find(const char *name)
{
	(void)name;
	return NULL;
}
void fw_cfg_read(u16 key, u32 offset, void *buf, u32 len)
{
	(void)key, (void)offset, (void)buf, (void)len;
}
void *malloc_fseg(u32 size, u32 align)
{
	(void)size, (void)align;
	return NULL;
}
void *malloc_high(u32 size, u32 align)
{
	(void)size, (void)align;
	return NULL;
}
void dprint(int level, const char *fmt, ...)
{
	(void)level, (void)fmt;
}
void printf_console(const char *fmt, ...)
{
	(void)fmt;
}

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;
	while (n--)
		s += *p++;
	return s;
}

static void anchor30(u8 ep[24])
{
	memset(ep, 0, 24);
	memcpy(ep, "_SM3_", 5);
	ep[6] = 24;
	ep[7] = 3;
}

static void anchor21(u8 ep[31])
{
	memset(ep, 0, 31);
	memcpy(ep, "_SM_", 4);
	ep[5] = 31;
	memcpy(ep + 0x10, "_DMI_", 5);
}

static void test_30_fixed(void **state)
{
	(void)state;
	u8 ep[24];
	anchor30(ep);
	assert_true(smbios_fix_entry(ep, sizeof(ep), 0x7FFE0000, 0x1234));
	assert_int_equal(get_le64(ep + 0x10), 0x7FFE0000);
	assert_int_equal(get_le32(ep + 0x0C), 0x1234);
	assert_int_equal(sum(ep, 24), 0);
}

static void test_21_fixed(void **state)
{
	(void)state;
	u8 ep[31];
	anchor21(ep);
	assert_true(smbios_fix_entry(ep, sizeof(ep), 0x7FFE0000, 0x1234));
	assert_int_equal(get_le32(ep + 0x18), 0x7FFE0000);
	assert_int_equal(get_le16(ep + 0x16), 0x1234);
	assert_int_equal(sum(ep + 0x10, 15), 0);
	assert_int_equal(sum(ep, 31), 0);
}

// fuzz_smbios: a 3.x length field of 4 left the checksum byte (5) outside
// the bytes it covers, and the installed entry point never added up.
static void test_30_short_length_refused(void **state)
{
	(void)state;
	u8 ep[24];
	anchor30(ep);
	ep[6] = 4;
	assert_false(smbios_fix_entry(ep, sizeof(ep), 0x1000, 16));
	anchor30(ep);
	ep[6] = 25; // beyond the file
	assert_false(smbios_fix_entry(ep, sizeof(ep), 0x1000, 16));
}

static void test_21_bad_refused(void **state)
{
	(void)state;
	u8 ep[31];
	anchor21(ep);
	ep[5] = 4;
	assert_false(smbios_fix_entry(ep, sizeof(ep), 0x1000, 16));
	// A 2.1 entry point holds a 16-bit table length only.
	anchor21(ep);
	assert_false(smbios_fix_entry(ep, sizeof(ep), 0x1000, 0x10000));
	anchor21(ep);
	ep[0x10] = 'X';
	assert_false(smbios_fix_entry(ep, sizeof(ep), 0x1000, 16));
}

// PCR 1's copy: type 1's UUID zeroed, its serial (string 2) blanked, the
// manufacturer (string 1) and the next structure untouched.
static void test_mask_platform_unique(void **state)
{
	(void)state;
	u8 t[64] = {0};
	u32 n = 0;
	t[n++] = 1;		 // type 1, System Information
	t[n++] = 0x1B;		 // formatted length (SMBIOS 2.4+)
	n += 2;			 // handle
	t[4] = 1;		 // manufacturer: string 1
	t[7] = 2;		 // serial number: string 2
	memset(t + 8, 0xA5, 16); // UUID
	n = 0x1B;
	memcpy(t + n, "QEMU\0SER-1\0\0", 13);
	n += 13;
	u32 end = n;
	t[n++] = 127; // end of table
	t[n++] = 4;
	n += 2;
	t[n++] = 0;
	t[n++] = 0;
	u8 want[64];
	memcpy(want, t, sizeof(t));
	memset(want + 8, 0, 16);
	memcpy(want + 0x1B, "QEMU\0     \0\0", 13);
	smbios_mask_platform_unique(t, n);
	assert_memory_equal(t, want, n);
	assert_int_equal(t[end], 127);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_30_fixed),
	    cmocka_unit_test(test_21_fixed),
	    cmocka_unit_test(test_30_short_length_refused),
	    cmocka_unit_test(test_21_bad_refused),
	    cmocka_unit_test(test_mask_platform_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
