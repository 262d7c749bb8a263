// S3 waking vector lookup (fw/acpi_wake.c) on tables built in a fake
// physical memory: the precedence rules of ACPI 6.5 5.2.9 (X_FIRMWARE_CTRL)
// and 5.2.10 (X_Firmware_Waking_Vector, 64BIT_WAKE_F), and refusal of
// tables whose checksums or signatures do not hold.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "fw/acpi_wake.h"
#include "lib/phys.h"
#include "std/acpi.h"

static u8 mem[0x10000] __attribute__((aligned(16)));

#define RSDP 0x100
#define RSDT 0x200
#define XSDT 0x300
#define FADT 0x400
#define FACS 0x800
#define FACS2 0x900

static void fix(struct acpi_header *h)
{
	h->checksum = 0;
	u8 sum = 0;
	for (u32 i = 0; i < h->length; i++)
		sum += ((u8 *)h)[i];
	h->checksum = (u8)-sum;
}

static struct acpi_header *table(u32 at, const char *sig, u32 len)
{
	struct acpi_header *h = (void *)(mem + at);
	memset(h, 0, len);
	memcpy(h->signature, sig, 4);
	h->length = len;
	return h;
}

static void put32(u32 at, u32 v)
{
	memcpy(mem + at, &v, 4);
}
static void put64(u32 at, u64 v)
{
	memcpy(mem + at, &v, 8);
}

static void rsdp_checksums(struct acpi_rsdp *r)
{
	r->checksum = r->ext_checksum = 0;
	u8 sum = 0;
	for (u32 i = 0; i < ACPI_RSDP_V1_SIZE; i++)
		sum += ((u8 *)r)[i];
	r->checksum = (u8)-sum;
	sum = 0;
	for (u32 i = 0; i < sizeof(*r); i++)
		sum += ((u8 *)r)[i];
	r->ext_checksum = (u8)-sum;
}

static struct acpi_facs *facs(u32 at, u8 version, u32 legacy, u64 x)
{
	struct acpi_facs *f = (void *)(mem + at);
	memset(f, 0, sizeof(*f));
	memcpy(f->signature, "FACS", 4);
	f->length = 64;
	f->version = version;
	f->firmware_waking_vector = legacy;
	f->x_firmware_waking_vector = x;
	return f;
}

// RSDP rev 2 -> XSDT -> FADT (FIRMWARE_CTRL = FACS) and an RSDT too.
static int build(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	host_phys_base = (uintptr_t)mem;
	struct acpi_header *fadt = table(FADT, "FACP", 244);
	put32(FADT + ACPI_FADT_FIRMWARE_CTRL, FACS);
	fix(fadt);
	struct acpi_header *rsdt = table(RSDT, "RSDT", 36 + 4);
	put32(RSDT + 36, FADT);
	fix(rsdt);
	struct acpi_header *xsdt = table(XSDT, "XSDT", 36 + 8);
	put64(XSDT + 36, FADT);
	fix(xsdt);
	struct acpi_rsdp *r = (void *)(mem + RSDP);
	memcpy(r->signature, "RSD PTR ", 8);
	r->revision = 2;
	r->rsdt_address = RSDT;
	r->xsdt_address = XSDT;
	r->length = sizeof(*r);
	rsdp_checksums(r);
	facs(FACS, 2, 0x961F0, 0);
	return 0;
}

static struct acpi_wake lookup(void)
{
	return acpi_waking_vector(acpi_scan_rsdp(0, sizeof(mem)));
}

static void test_real_mode_vector(void **state)
{
	(void)state;
	assert_ptr_equal(acpi_scan_rsdp(0, sizeof(mem)), mem + RSDP);
	struct acpi_wake w = lookup();
	assert_int_equal(w.mode, ACPI_WAKE_REAL);
	assert_int_equal(w.vector, 0x961F0);
}

static void test_x_vector_wins(void **state)
{
	(void)state;
	facs(FACS, 1, 0x961F0, 0x200000);
	struct acpi_wake w = lookup();
	assert_int_equal(w.mode, ACPI_WAKE_PM32);
	assert_int_equal(w.vector, 0x200000);
	// Version 0 has no X_Firmware_Waking_Vector: the field is ignored.
	facs(FACS, 0, 0x961F0, 0x200000);
	assert_int_equal(lookup().mode, ACPI_WAKE_REAL);
}

static void test_64bit_wake_refused(void **state)
{
	(void)state;
	struct acpi_facs *f = facs(FACS, 2, 0x961F0, 0x200000);
	f->ospm_flags = ACPI_FACS_OSPM_64BIT_WAKE;
	struct acpi_wake w = lookup();
	assert_int_equal(w.mode, ACPI_WAKE_NONE);
	assert_non_null(strstr(w.why, "64-bit"));
	f->x_firmware_waking_vector = 0x100000000ull;
	f->ospm_flags = 0;
	assert_int_equal(lookup().mode, ACPI_WAKE_NONE); // above 4 GiB
}

static void test_x_firmware_ctrl_wins(void **state)
{
	(void)state;
	facs(FACS2, 2, 0x12340, 0);
	put64(FADT + ACPI_FADT_X_FIRMWARE_CTRL, FACS2);
	fix((void *)(mem + FADT));
	assert_int_equal(lookup().vector, 0x12340);
}

static void test_rsdt_only(void **state)
{
	(void)state;
	struct acpi_rsdp *r = (void *)(mem + RSDP);
	r->revision = 0;
	rsdp_checksums(r);
	memset(mem + XSDT, 0, 4); // no XSDT to fall back on
	struct acpi_wake w = lookup();
	assert_int_equal(w.mode, ACPI_WAKE_REAL);
	assert_int_equal(w.vector, 0x961F0);
}

static void test_broken_tables(void **state)
{
	(void)state;
	facs(FACS, 2, 0, 0);
	assert_string_equal(lookup().why, "the OS set no waking vector");
	facs(FACS, 2, 0x961F0, 0);
	mem[FADT + 100] ^= 1; // FADT checksum wrong
	assert_string_equal(lookup().why, "no FADT");
	mem[FADT + 100] ^= 1;
	memcpy(mem + FACS, "FACX", 4);
	assert_string_equal(lookup().why, "no FACS");
	memcpy(mem + FACS, "FACS", 4);
	mem[RSDP + 9] ^= 1; // RSDP checksum wrong: not found at all
	assert_null(acpi_scan_rsdp(0, sizeof(mem)));
	assert_string_equal(acpi_waking_vector(NULL).why, "no RSDP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_real_mode_vector, build),
	    cmocka_unit_test_setup(test_x_vector_wins, build),
	    cmocka_unit_test_setup(test_64bit_wake_refused, build),
	    cmocka_unit_test_setup(test_x_firmware_ctrl_wins, build),
	    cmocka_unit_test_setup(test_rsdt_only, build),
	    cmocka_unit_test_setup(test_broken_tables, build),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
