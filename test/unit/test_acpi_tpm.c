// fw/acpi_tpm: QEMU-like ACPI trees in host memory below 2 GiB (the module
// works with 32-bit physical addresses), each blob followed by an
// inaccessible guard page so any read past a blob faults. Checks the
// tables byte by byte, the root tables and RSDP, the SSDT through iasl -d,
// and that malformed trees are survived. MBIOS_TEST_VERBOSE=1 shows the
// module's messages.
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fw/acpi.h"
#include "fw/acpi_tpm.h"
#include "lib/memalloc.h"
#include "std/acpi.h"
#include "std/byteorder.h"
#include "host_output.h"
#include "output.h"
#include "std/tcg.h"

#ifndef TEST_OUT_DIR
#define TEST_OUT_DIR "out/unit"
#endif

// ---- fake environment: loader blobs, RSDP, high zone ----------------------

#define PAGE 0x1000u
#define RSDP_PAGE 0x00000u  // RSDP blob ends at 0x01000
#define TABLES_OFF 0x02000u // tables blob, 16 KiB, ends at 0x06000
#define TABLES_SIZE 0x4000u
#define LOG_OFF 0x07000u // log blob, 64 KiB, ends at 0x17000
#define LOG_SIZE 0x10000u
#define HIGH_OFF 0x18000u // high zone, 256 KiB, ends at 0x58000
#define HIGH_SIZE 0x40000u
#define ARENA_SIZE 0x59000u // guards at 0x1000, 0x6000, 0x17000, 0x58000

static u8 *arena;
static u32 high_next;
struct loader_result acpi_loaded;
static void *fake_rsdp;

static bool verbose;

const void *acpi_rsdp(void)
{
	return fake_rsdp;
}

u32 high_zone_start(void)
{
	return (u32)(uintptr_t)(arena + HIGH_OFF);
}
u32 high_zone_end(void)
{
	return high_zone_start() + HIGH_SIZE;
}

void *malloc_high(u32 size, u32 align)
{
	if (size > high_next - high_zone_start())
		return NULL;
	u32 a = (high_next - size) & ~(align - 1);
	if (a < high_zone_start())
		return NULL;
	high_next = a;
	void *p = (void *)(uintptr_t)a;
	memset(p, 0, size);
	return p;
}

static u32 A(const void *p)
{
	return (u32)(uintptr_t)p;
}
static void *P(u64 a)
{
	return (void *)(uintptr_t)a;
}

static int setup_arena(void **state)
{
	(void)state;
	arena = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (arena == MAP_FAILED)
		return -1;
	static const u32 guards[] = {0x1000, 0x6000, 0x17000, 0x58000};
	for (unsigned i = 0; i < 4; i++)
		if (mprotect(arena + guards[i], PAGE, PROT_NONE))
			return -1;
	return 0;
}

static int teardown_arena(void **state)
{
	(void)state;
	munmap(arena, ARENA_SIZE);
	return 0;
}

// ---- building trees -------------------------------------------------------

enum tpm_table {
	T_NONE,
	T_TPM2_V4,     // QEMU's: LASA -> etc/tpm/log, LAML 64 KiB
	T_TPM2_V3,     // 52 bytes, no log fields
	T_TCPA,	       // QEMU's client TCPA
	T_TCPA_SERVER, // server TCPA: u64 LAML at 40, u64 LASA at 48
};

struct opts {
	int rsdp_rev; // 0: RSDT only; 2: RSDT and XSDT
	enum tpm_table tpm;
	bool crb;	// interface described in the TPM2 table
	bool log_blob;	// QEMU allocated etc/tpm/log
	bool dsdt_tpm;	// the DSDT declares a TPM device
	bool xsdt_only; // RSDP rsdt_address 0
};

// Offsets in the tables blob.
#define O_DSDT 0x000
#define O_FADT 0x100
#define O_APIC 0x300
#define O_TPM 0x400
#define O_RSDT 0x500
#define O_XSDT 0x600

static u8 *tables;
static u8 *logblob;
static struct acpi_rsdp *rsdp;
static u32 rsdp_size; // of its blob: 20 (revision 0) or 36

static u8 sum(const void *p, u32 n)
{
	const u8 *b = p;
	u8 s = 0;
	while (n--)
		s += *b++;
	return s;
}

static void csum(void *t)
{
	struct acpi_header *h = t;
	h->checksum = 0;
	h->checksum = (u8)-sum(h, h->length);
}

static void hdr(void *t, const char *sig, u32 len, u8 rev)
{
	struct acpi_header *h = t;
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, "BOCHS ", 6);
	memcpy(h->oem_table_id, "BXPC    ", 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, "BXPC", 4);
	h->creator_revision = 1;
}

static bool rsdp_v2(void)
{
	return rsdp_size == 36 && rsdp->revision >= 2;
}

static void rsdp_csum(void)
{
	rsdp->checksum = 0;
	rsdp->checksum = (u8)-sum(rsdp, 20);
	if (rsdp_v2()) {
		rsdp->ext_checksum = 0;
		rsdp->ext_checksum = (u8)-sum(rsdp, 36);
	}
}

static void add_file(const char *name, void *data, u32 size)
{
	struct loader_file *f = &acpi_loaded.files[acpi_loaded.count++];
	memset(f->name, 0, sizeof(f->name));
	strcpy(f->name, name);
	f->data = data;
	f->size = size;
}

static void build(const struct opts *o)
{
	memset(arena, 0, PAGE);
	memset(arena + TABLES_OFF, 0, TABLES_SIZE);
	memset(arena + LOG_OFF, 0xA5, LOG_SIZE); // must be zeroed for use
	memset(arena + HIGH_OFF, 0xCC, HIGH_SIZE);
	high_next = high_zone_end();
	memset(&acpi_loaded, 0, sizeof(acpi_loaded));

	rsdp_size = o->rsdp_rev >= 2 ? 36 : 20;
	rsdp = (struct acpi_rsdp *)(arena + PAGE - rsdp_size);
	tables = arena + TABLES_OFF;
	logblob = arena + LOG_OFF;
	fake_rsdp = rsdp;
	add_file("etc/acpi/rsdp", rsdp, rsdp_size);
	add_file("etc/acpi/tables", tables, TABLES_SIZE);
	if (o->log_blob)
		add_file("etc/tpm/log", logblob, LOG_SIZE);

	// DSDT: a little AML; with dsdt_tpm, a Name(_HID, "MSFT0101").
	static const u8 aml_hid[] = {0x08, '_', 'H', 'I', 'D', 0x0D, 'M', 'S',
				     'F',  'T', '0', '1', '0', '1',  0};
	u8 *dsdt = tables + O_DSDT;
	hdr(dsdt, "DSDT", 36 + 32, 2);
	memset(dsdt + 36, 0xA3, 32); // NoOp
	if (o->dsdt_tpm)
		memcpy(dsdt + 40, aml_hid, sizeof(aml_hid));
	csum(dsdt);

	u8 *fadt = tables + O_FADT;
	hdr(fadt, "FACP", 244, 3);
	put_le32(fadt + ACPI_FADT_DSDT, A(dsdt));
	put_le64(fadt + ACPI_FADT_X_DSDT, A(dsdt));
	csum(fadt);

	u8 *apic = tables + O_APIC;
	hdr(apic, "APIC", 44, 1);
	csum(apic);

	u8 *tpm = tables + O_TPM;
	if (o->tpm == T_TPM2_V4 || o->tpm == T_TPM2_V3) {
		struct acpi_tpm2 *t = (void *)tpm;
		bool v4 = o->tpm == T_TPM2_V4;
		hdr(t, "TPM2", v4 ? 76 : 52, v4 ? 4 : 3);
		t->control_area = o->crb ? 0xFED40040 : 0;
		t->start_method = o->crb ? 7 : 6;
		if (v4) {
			t->laml = LOG_SIZE;
			t->lasa = A(logblob);
		}
		csum(t);
	} else if (o->tpm == T_TCPA_SERVER) {
		hdr(tpm, "TCPA", 100, 2);
		put_le16(tpm + 36, 1);
		put_le64(tpm + 40, LOG_SIZE);
		put_le64(tpm + 48, A(logblob));
		csum(tpm);
	} else if (o->tpm == T_TCPA) {
		struct acpi_tcpa_client *t = (void *)tpm;
		hdr(t, "TCPA", 50, 2);
		t->laml = LOG_SIZE;
		t->lasa = A(logblob);
		csum(t);
	}

	u32 ents[3] = {A(fadt), A(apic), A(tpm)};
	u32 n = o->tpm == T_NONE ? 2 : 3;
	u8 *rsdt = tables + O_RSDT;
	hdr(rsdt, "RSDT", 36 + 4 * n, 1);
	for (u32 i = 0; i < n; i++)
		put_le32(rsdt + 36 + 4 * i, ents[i]);
	csum(rsdt);
	u8 *xsdt = tables + O_XSDT;
	hdr(xsdt, "XSDT", 36 + 8 * n, 1);
	for (u32 i = 0; i < n; i++)
		put_le64(xsdt + 36 + 8 * i, ents[i]);
	csum(xsdt);

	memcpy(rsdp->signature, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, "BOCHS ", 6);
	rsdp->revision = (u8)o->rsdp_rev;
	rsdp->rsdt_address = o->xsdt_only ? 0 : A(rsdt);
	if (o->rsdp_rev >= 2) {
		rsdp->length = 36;
		rsdp->xsdt_address = A(xsdt);
	}
	rsdp_csum();
}

// ---- checking trees --------------------------------------------------------

static void assert_rsdp_ok(void)
{
	assert_int_equal(sum(rsdp, 20), 0);
	if (rsdp_v2())
		assert_int_equal(sum(rsdp, 36), 0);
}

static struct acpi_header *rsdt_now(void)
{
	return P(rsdp->rsdt_address);
}
static struct acpi_header *xsdt_now(void)
{
	return rsdp_v2() ? P(rsdp->xsdt_address) : NULL;
}

static u32 root_count(const struct acpi_header *r, u32 es)
{
	return (r->length - 36) / es;
}

static u64 root_entry(const struct acpi_header *r, u32 es, u32 i)
{
	const u8 *p = (const u8 *)r + 36 + i * es;
	return es == 8 ? get_le64(p) : get_le32(p);
}

// The one table with this signature listed in the root; NULL if none.
static struct acpi_header *listed(const struct acpi_header *r, u32 es,
				  const char *sig)
{
	struct acpi_header *found = NULL;
	assert_memory_equal(r->signature, es == 8 ? "XSDT" : "RSDT", 4);
	assert_int_equal(sum(r, r->length), 0);
	for (u32 i = 0; i < root_count(r, es); i++) {
		struct acpi_header *h = P(root_entry(r, es, i));
		if (!memcmp(h->signature, sig, 4)) {
			assert_null(found); // listed once
			found = h;
		}
	}
	return found;
}

// The table is listed in the RSDT and, for a v2 RSDP, in the XSDT too.
static struct acpi_header *in_roots(const char *sig)
{
	struct acpi_header *h = listed(rsdt_now(), 4, sig);
	if (xsdt_now())
		assert_ptr_equal(listed(xsdt_now(), 8, sig), h);
	return h;
}

static bool in_high(const void *p, u32 len)
{
	return A(p) >= high_zone_start() && (u64)A(p) + len <= high_zone_end();
}

static void assert_zero(const u8 *p, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (p[i])
			fail_msg("log byte %u is 0x%02x", i, p[i]);
}

static void assert_tpm2(const struct acpi_header *h, bool crb, u32 laml,
			u32 lasa, const char *oem_table_id)
{
	const u8 *b = (const u8 *)h;
	assert_memory_equal(b, "TPM2", 4);
	assert_int_equal(get_le32(b + 4), 76);
	assert_int_equal(b[8], 4);
	assert_int_equal(sum(b, 76), 0);
	assert_memory_equal(b + 10, "BOCHS ", 6);
	assert_memory_equal(b + 16, oem_table_id, 8);
	assert_int_equal(get_le16(b + 36), 0); // client
	assert_int_equal(get_le16(b + 38), 0);
	assert_int_equal(get_le64(b + 40), crb ? 0xFED40040 : 0);
	assert_int_equal(get_le32(b + 48), crb ? 7 : 6);
	static const u8 zero[12];
	assert_memory_equal(b + 52, zero, 12);
	assert_int_equal(get_le32(b + 64), laml);
	assert_int_equal(get_le64(b + 68), lasa);
}

static void assert_tcpa(const struct acpi_header *h, u32 laml, u32 lasa)
{
	const u8 *b = (const u8 *)h;
	assert_memory_equal(b, "TCPA", 4);
	assert_int_equal(get_le32(b + 4), 50);
	assert_int_equal(b[8], 2);
	assert_int_equal(sum(b, 50), 0);
	assert_memory_equal(b + 10, "BOCHS ", 6);
	assert_int_equal(get_le16(b + 36), 0);
	assert_int_equal(get_le32(b + 38), laml);
	assert_int_equal(get_le64(b + 42), lasa);
}

// Finds Name(_HID, ...) in the AML and returns its value as text.
static void aml_hid(const struct acpi_header *h, char out[9])
{
	const u8 *b = (const u8 *)h;
	out[0] = 0;
	for (u32 i = 36; i + 5 < h->length; i++) {
		if (b[i] != 0x08 || memcmp(b + i + 1, "_HID", 4))
			continue;
		const u8 *v = b + i + 5;
		if (v[0] == 0x0D) { // string
			snprintf(out, 9, "%s", (const char *)v + 1);
		} else if (v[0] == 0x0C) { // compressed EISA ID
			u32 id = (u32)v[1] << 24 | (u32)v[2] << 16 |
				 (u32)v[3] << 8 | v[4];
			snprintf(out, 9, "%c%c%c%04X",
				 '@' + ((id >> 26) & 0x1F),
				 '@' + ((id >> 21) & 0x1F),
				 '@' + ((id >> 16) & 0x1F), id & 0xFFFF);
		}
		return;
	}
}

static void assert_ssdt(const struct acpi_header *h, int family)
{
	const u8 *b = (const u8 *)h;
	assert_memory_equal(b, "SSDT", 4);
	assert_int_equal(sum(b, h->length), 0);
	assert_memory_equal(b + 10, "BOCHS ", 6);
	char hid[9];
	aml_hid(h, hid);
	assert_string_equal(hid, family == 2 ? "MSFT0101" : "PNP0C31");
	// _CRS: Memory32Fixed(ReadWrite, 0xFED40000, 0x5000) (ACPI 6.5
	// 6.4.3.4) and _STA returning 0x0F.
	static const u8 mem32[] = {0x86, 0x09, 0x00, 0x01, 0x00, 0x00,
				   0xD4, 0xFE, 0x00, 0x50, 0x00, 0x00};
	static const u8 sta[] = {0x14, 0x09, '_',  'S',	 'T',
				 'A',  0x00, 0xA4, 0x0A, 0x0F};
	assert_non_null(memmem(b, h->length, mem32, sizeof(mem32)));
	assert_non_null(memmem(b, h->length, sta, sizeof(sta)));
}

// ---- (a) QEMU's tables ----------------------------------------------------

static u8 before[ARENA_SIZE];

static void snapshot(void)
{
	memcpy(before, arena, PAGE);
}
static void snapshot_tables(void)
{
	memcpy(before + TABLES_OFF, arena + TABLES_OFF, TABLES_SIZE);
}

static void qemu_table_used(int family, bool crb, int rsdp_rev)
{
	struct opts o = {.rsdp_rev = rsdp_rev,
			 .tpm = family == 2 ? T_TPM2_V4 : T_TCPA,
			 .crb = crb,
			 .log_blob = true};
	build(&o);
	snapshot();
	snapshot_tables();
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(family, crb, 0x10000, &log));
	assert_int_equal(log.source, ACPI_TPM_SRC_QEMU);
	assert_false(log.ssdt);
	assert_ptr_equal(log.area, logblob);
	assert_int_equal(log.addr, A(logblob));
	assert_int_equal(log.size, LOG_SIZE);
	assert_zero(log.area, log.size);
	// Nothing in ACPI changed, nothing was allocated.
	assert_memory_equal(arena, before, PAGE);
	assert_memory_equal(arena + TABLES_OFF, before + TABLES_OFF,
			    TABLES_SIZE);
	assert_int_equal(high_next, high_zone_end());
	assert_ptr_equal(in_roots(family == 2 ? "TPM2" : "TCPA"),
			 tables + O_TPM);
}

static void test_qemu_tpm2_tis(void **s)
{
	(void)s;
	qemu_table_used(2, false, 0);
	qemu_table_used(2, false, 2);
}

static void test_qemu_tpm2_crb(void **s)
{
	(void)s;
	qemu_table_used(2, true, 0);
	qemu_table_used(2, true, 2);
}

static void test_qemu_tcpa(void **s)
{
	(void)s;
	qemu_table_used(1, false, 0);
	qemu_table_used(1, false, 2);
}

// LASA elsewhere than etc/tpm/log, LAML beyond it, or both zero: the table
// is pointed at the blob, in place.
static void test_qemu_tpm2_fields_fixed(void **s)
{
	(void)s;
	for (int c = 0; c < 4; c++) {
		struct opts o = {
		    .rsdp_rev = 2, .tpm = T_TPM2_V4, .log_blob = true};
		build(&o);
		struct acpi_tpm2 *t = (void *)(tables + O_TPM);
		if (c == 0)
			t->lasa = A(tables); // the DSDT!
		else if (c == 1)
			t->laml = LOG_SIZE + 1;
		else if (c == 2)
			t->laml = t->lasa = 0;
		else
			t->lasa = 0x100000000ull + A(logblob);
		csum(t);
		snapshot();
		struct acpi_tpm_log log;
		assert_true(acpi_tpm_setup(2, false, 0x10000, &log));
		assert_int_equal(log.source, ACPI_TPM_SRC_FIXED);
		assert_ptr_equal(log.area, logblob);
		assert_int_equal(log.size, LOG_SIZE);
		assert_zero(log.area, log.size);
		assert_tpm2(&t->hdr, false, LOG_SIZE, A(logblob), "BXPC    ");
		assert_ptr_equal(in_roots("TPM2"), t);
		assert_memory_equal(arena, before, PAGE); // RSDP untouched
		assert_int_equal(tables[O_DSDT], 'D');	  // not zeroed
	}
}

// QEMU's area is smaller than the caller wants: a bigger one replaces it.
static void test_qemu_log_too_small(void **s)
{
	(void)s;
	struct opts o = {.rsdp_rev = 0, .tpm = T_TCPA, .log_blob = true};
	build(&o);
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(1, false, 0x20000, &log));
	assert_int_equal(log.source, ACPI_TPM_SRC_FIXED);
	assert_int_equal(log.size, 0x20000);
	assert_true(in_high(log.area, log.size));
	assert_int_equal(log.addr % 16, 0);
	assert_zero(log.area, log.size);
	assert_tcpa(in_roots("TCPA"), 0x20000, log.addr);
	assert_ptr_equal(in_roots("TCPA"), tables + O_TPM);
}

// A server TCPA (64-bit LAML): used as given, or its fields set.
static void test_qemu_tcpa_server(void **s)
{
	(void)s;
	for (int zero = 0; zero < 2; zero++) {
		struct opts o = {
		    .rsdp_rev = 2, .tpm = T_TCPA_SERVER, .log_blob = true};
		build(&o);
		u8 *t = tables + O_TPM;
		if (zero) { // unusable: LAML beyond the blob, LASA 0
			put_le64(t + 40, 0xFFFFFFFF00000000ull);
			put_le64(t + 48, 0);
			csum(t);
		}
		struct acpi_tpm_log log;
		assert_true(acpi_tpm_setup(1, false, 0x10000, &log));
		assert_int_equal(log.source,
				 zero ? ACPI_TPM_SRC_FIXED : ACPI_TPM_SRC_QEMU);
		assert_ptr_equal(log.area, logblob);
		assert_zero(log.area, log.size);
		assert_ptr_equal(in_roots("TCPA"), t);
		assert_int_equal(get_le32(t + 4), 100);
		assert_int_equal(get_le16(t + 36), 1);
		assert_int_equal(get_le64(t + 40), LOG_SIZE);
		assert_int_equal(get_le64(t + 48), A(logblob));
		assert_int_equal(sum(t, 100), 0);
	}
}

// ---- (b) TPM2 revision 3 ----------------------------------------------------

static void tpm2_rev3(int rsdp_rev, bool crb)
{
	struct opts o = {.rsdp_rev = rsdp_rev, .tpm = T_TPM2_V3, .crb = crb};
	build(&o);
	snapshot();
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(2, crb, 0x10000, &log));
	assert_int_equal(log.source, ACPI_TPM_SRC_FIXED);
	assert_false(log.ssdt);
	assert_int_equal(log.size, ACPI_TPM_LOG_SIZE);
	assert_true(in_high(log.area, log.size));
	assert_zero(log.area, log.size);
	struct acpi_header *t = in_roots("TPM2");
	assert_ptr_not_equal(t, tables + O_TPM);
	assert_true(in_high(t, 76));
	// QEMU's header and interface fields are kept.
	assert_tpm2(t, crb, log.size, log.addr, "BXPC    ");
	assert_memory_equal((u8 *)t + 24, tables + O_TPM + 24, 12);
	// Re-linked in place: same roots, same RSDP, checksums fixed.
	assert_memory_equal(arena, before, PAGE);
	assert_ptr_equal(rsdt_now(), tables + O_RSDT);
	assert_int_equal(root_count(rsdt_now(), 4), 3);
	if (rsdp_rev)
		assert_int_equal(root_count(xsdt_now(), 8), 3);
}

static void test_tpm2_rev3(void **s)
{
	(void)s;
	tpm2_rev3(0, false);
	tpm2_rev3(0, true);
	tpm2_rev3(2, false);
	tpm2_rev3(2, true);
}

// ---- (c) no TPM table -------------------------------------------------------

static void no_table(int family, bool crb, int rsdp_rev, bool dsdt_tpm)
{
	struct opts o = {.rsdp_rev = rsdp_rev, .dsdt_tpm = dsdt_tpm};
	build(&o);
	struct acpi_header *old_rsdt = rsdt_now(), *old_xsdt = xsdt_now();
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(family, crb, 0, &log));
	assert_int_equal(log.source, ACPI_TPM_SRC_BUILT);
	assert_int_equal(log.ssdt, !dsdt_tpm);
	assert_int_equal(log.size, ACPI_TPM_LOG_SIZE);
	assert_true(in_high(log.area, log.size));
	assert_int_equal(log.addr, A(log.area));
	assert_zero(log.area, log.size);

	assert_rsdp_ok();
	u32 extra = dsdt_tpm ? 1 : 2;
	assert_ptr_not_equal(rsdt_now(), old_rsdt);
	assert_true(in_high(rsdt_now(), rsdt_now()->length));
	assert_int_equal(root_count(rsdt_now(), 4), 2 + extra);
	assert_memory_equal((u8 *)rsdt_now() + 36, (u8 *)old_rsdt + 36, 8);
	assert_memory_equal(rsdt_now(), old_rsdt, 4);
	assert_memory_equal((u8 *)rsdt_now() + 10, (u8 *)old_rsdt + 10, 26);
	if (rsdp_rev) {
		assert_ptr_not_equal(xsdt_now(), old_xsdt);
		assert_int_equal(root_count(xsdt_now(), 8), 2 + extra);
		assert_memory_equal((u8 *)xsdt_now() + 36, (u8 *)old_xsdt + 36,
				    16);
		assert_int_equal(xsdt_now()->revision, 1);
	}
	struct acpi_header *t = in_roots(family == 2 ? "TPM2" : "TCPA");
	assert_non_null(t);
	assert_true(in_high(t, t->length));
	if (family == 2)
		assert_tpm2(t, crb, log.size, log.addr, "MBIOSTPM");
	else
		assert_tcpa(t, log.size, log.addr);
	struct acpi_header *ssdt = in_roots("SSDT");
	if (dsdt_tpm) {
		assert_null(ssdt);
	} else {
		assert_non_null(ssdt);
		assert_ssdt(ssdt, family);
	}
	// The old tables are all still listed.
	assert_ptr_equal(in_roots("FACP"), tables + O_FADT);
	assert_ptr_equal(in_roots("APIC"), tables + O_APIC);
}

static void test_none_tpm2_tis(void **s)
{
	(void)s;
	no_table(2, false, 0, false);
	no_table(2, false, 2, false);
}

static void test_none_tpm2_crb(void **s)
{
	(void)s;
	no_table(2, true, 0, false);
	no_table(2, true, 2, false);
}

static void test_none_tpm12(void **s)
{
	(void)s;
	no_table(1, false, 0, false);
	no_table(1, false, 2, false);
}

static void test_none_dsdt_has_device(void **s)
{
	(void)s;
	no_table(2, false, 2, true);
	no_table(1, false, 0, true);
}

// XSDT only (RSDT address 0): only a new XSDT.
static void test_none_xsdt_only(void **s)
{
	(void)s;
	struct opts o = {.rsdp_rev = 2, .xsdt_only = true};
	build(&o);
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(2, true, 0, &log));
	assert_int_equal(log.source, ACPI_TPM_SRC_BUILT);
	assert_rsdp_ok();
	assert_int_equal(rsdp->rsdt_address, 0);
	assert_tpm2(listed(xsdt_now(), 8, "TPM2"), true, log.size, log.addr,
		    "MBIOSTPM");
	assert_ssdt(listed(xsdt_now(), 8, "SSDT"), 2);
}

// A TPM 2.0 found where ACPI describes a TPM 1.2: a TPM2 table is added.
static void test_wrong_family(void **s)
{
	(void)s;
	struct opts o = {.rsdp_rev = 0, .tpm = T_TCPA, .log_blob = true};
	build(&o);
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(2, false, 0, &log));
	assert_int_equal(log.source, ACPI_TPM_SRC_BUILT);
	assert_ptr_equal(log.area, logblob); // QEMU's blob is reused
	assert_tpm2(in_roots("TPM2"), false, LOG_SIZE, A(logblob), "MBIOSTPM");
	assert_non_null(in_roots("TCPA"));
}

// ---- (d) the SSDT through iasl -d -------------------------------------------

static void ssdt_disassembles(int family)
{
	struct opts o = {.rsdp_rev = 0};
	build(&o);
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(family, false, 0, &log));
	struct acpi_header *ssdt = in_roots("SSDT");
	assert_non_null(ssdt);

	char aml[256], dsl[256], cmd[1024];
	snprintf(aml, sizeof(aml), "%s/acpi_tpm_ssdt%d.aml", TEST_OUT_DIR,
		 family);
	snprintf(dsl, sizeof(dsl), "%s/acpi_tpm_ssdt%d.dsl", TEST_OUT_DIR,
		 family);
	FILE *f = fopen(aml, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(ssdt, 1, ssdt->length, f), ssdt->length);
	fclose(f);
	remove(dsl);
	snprintf(cmd, sizeof(cmd), "iasl -d %s >%s.log 2>&1", aml, aml);
	assert_int_equal(system(cmd), 0);

	f = fopen(dsl, "r");
	assert_non_null(f);
	static char text[16384];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = 0;
	const char *want_hid = family == 2
				   ? "Name (_HID, \"MSFT0101\""
				   : "Name (_HID, EisaId (\"PNP0C31\"))";
	if (!strstr(text, want_hid))
		fail_msg("no %s in %s", want_hid, dsl);
	assert_non_null(strstr(text, "Device (TPM)"));
	assert_non_null(strstr(text, "Memory32Fixed (ReadWrite,\n"
				     "                    0xFED40000,"));
	assert_non_null(strstr(text, "0x00005000,"));
	assert_non_null(strstr(text, "Return (0x0F)"));
	assert_non_null(strstr(text, "\"BOCHS \""));
}

static void test_ssdt_iasl(void **s)
{
	(void)s;
	ssdt_disassembles(2);
	ssdt_disassembles(1);
}

// ---- (e) bad arguments, no ACPI, malformed trees ----------------------------

static void test_bad_args(void **s)
{
	(void)s;
	struct opts o = {.rsdp_rev = 2, .tpm = T_TPM2_V4, .log_blob = true};
	build(&o);
	struct acpi_tpm_log log;
	assert_false(acpi_tpm_setup(0, false, 0, &log));
	assert_false(acpi_tpm_setup(3, false, 0, &log));
	assert_false(acpi_tpm_setup(1, true, 0, &log)); // CRB is 2.0 only
	assert_null(log.area);
	// No memory left for an area: false, nothing half-done.
	o.log_blob = false;
	build(&o);
	high_next = high_zone_start() + 0x100;
	snapshot();
	assert_false(acpi_tpm_setup(2, false, 0, &log));
	assert_null(log.area);
	assert_memory_equal(arena, before, PAGE);
}

static void test_no_acpi(void **s)
{
	(void)s;
	struct opts o = {.rsdp_rev = 0};
	build(&o);
	fake_rsdp = NULL;
	struct acpi_tpm_log log;
	assert_true(acpi_tpm_setup(2, false, 0, &log));
	assert_int_equal(log.source, ACPI_TPM_SRC_NO_ACPI);
	assert_true(in_high(log.area, log.size));
	assert_int_equal(log.size, ACPI_TPM_LOG_SIZE);
	assert_zero(log.area, log.size);
}

// One corruption of a good tree. `expect` is the source, or 0 for "any".
struct corruption {
	const char *what;
	enum tpm_table tpm;
	void (*apply)(void);
	int expect[2]; // with a revision 0 / 2 RSDP
};

static void c_rsdt_huge(void)
{
	((struct acpi_header *)(tables + O_RSDT))->length = 0xFFFFFFF0;
}
static void c_rsdt_short(void)
{
	((struct acpi_header *)(tables + O_RSDT))->length = 10;
}
static void c_rsdt_past_blob(void)
{
	((struct acpi_header *)(tables + O_RSDT))->length =
	    TABLES_SIZE - O_RSDT + 1;
}
static void c_rsdt_outside(void)
{
	rsdp->rsdt_address = 0xDEAD0000;
}
static void c_rsdt_sig(void)
{
	memcpy(tables + O_RSDT, "XSDT", 4);
}
static void c_xsdt_above_4g(void)
{
	if (rsdp_size == 36)
		rsdp->xsdt_address = 0x100000000ull + A(tables + O_XSDT);
}
static void c_rsdt_loops(void)
{
	u8 *r = tables + O_RSDT;
	put_le32(r + 36, A(r));		// itself
	put_le32(r + 40, A(rsdp));	// the RSDP
	put_le32(r + 44 - 0, A(r) + 1); // into itself, misaligned
}
static void c_entries_wild(void)
{
	u8 *r = tables + O_RSDT, *x = tables + O_XSDT;
	put_le32(r + 36, 0);
	put_le32(r + 40, 0xFFFFFFFF);
	put_le64(x + 36, 0xFFFFFFFFFFFFFFFFull);
	put_le64(x + 44, A(tables) + TABLES_SIZE - 8); // header past blob
}
static void c_dsdt_loop(void)
{
	u8 *f = tables + O_FADT;
	put_le32(f + ACPI_FADT_DSDT, A(f));
	put_le64(f + ACPI_FADT_X_DSDT, A(f));
}
static void c_dsdt_huge(void)
{
	((struct acpi_header *)(tables + O_DSDT))->length = 0x7FFFFFFF;
	put_le64(tables + O_FADT + ACPI_FADT_X_DSDT, 0xFFFFFFFF00000000ull);
}
static void c_tpm_len_huge(void)
{
	((struct acpi_header *)(tables + O_TPM))->length = 0x7FFFFFFF;
}
static void c_tpm_len_tiny(void)
{
	((struct acpi_header *)(tables + O_TPM))->length = 20;
}
static void c_tpm_len_40(void)
{
	((struct acpi_header *)(tables + O_TPM))->length = 40;
}
static void c_tcpa_server_short(void)
{
	put_le16(tables + O_TPM + 36, 1); // server class in a 50-byte table
}
static void c_tcpa_class_bad(void)
{
	put_le16(tables + O_TPM + 36, 7);
}
static void c_rsdp_len(void)
{
	if (rsdp_size == 36)
		rsdp->length = 0xFFFF;
}
static void c_all_tables_huge(void)
{
	for (u32 off = 0; off < O_RSDT; off += 0x100)
		((struct acpi_header *)(tables + off))->length = 0xFFFFFFFF;
}

#define Q ACPI_TPM_SRC_QEMU
#define F ACPI_TPM_SRC_FIXED
#define B ACPI_TPM_SRC_BUILT
#define N ACPI_TPM_SRC_NO_ACPI
static const struct corruption corruptions[] = {
    {"RSDT length huge", T_TPM2_V4, c_rsdt_huge, {N, Q}},
    {"RSDT length short", T_NONE, c_rsdt_short, {N, B}},
    {"RSDT past blob", T_TPM2_V4, c_rsdt_past_blob, {N, Q}},
    {"RSDT outside", T_NONE, c_rsdt_outside, {N, B}},
    {"RSDT signature", T_TCPA, c_rsdt_sig, {N, Q}},
    {"XSDT above 4G", T_TPM2_V3, c_xsdt_above_4g, {F, F}},
    {"RSDT loops", T_NONE, c_rsdt_loops, {B, B}},
    {"wild entries", T_TPM2_V4, c_entries_wild, {Q, Q}},
    {"DSDT loop", T_NONE, c_dsdt_loop, {B, B}},
    {"DSDT huge", T_NONE, c_dsdt_huge, {B, B}},
    {"TPM2 length huge", T_TPM2_V4, c_tpm_len_huge, {B, B}},
    {"TPM2 length tiny", T_TPM2_V4, c_tpm_len_tiny, {B, B}},
    {"TPM2 length 40", T_TPM2_V3, c_tpm_len_40, {F, F}},
    {"TCPA server short", T_TCPA, c_tcpa_server_short, {F, F}},
    {"TCPA class bad", T_TCPA, c_tcpa_class_bad, {F, F}},
    {"TCPA length huge", T_TCPA, c_tpm_len_huge, {B, B}},
    {"RSDP length", T_TPM2_V3, c_rsdp_len, {F, F}},
    {"all lengths huge", T_TPM2_V4, c_all_tables_huge, {B, B}},
};
#undef Q
#undef F
#undef B
#undef N

// Bytes from a to the end of the tables blob or the high zone, else 0.
static u32 test_room(u64 a)
{
	if (a >= A(tables) && a < A(tables) + TABLES_SIZE)
		return A(tables) + TABLES_SIZE - (u32)a;
	if (a >= high_zone_start() && a < high_zone_end())
		return high_zone_end() - (u32)a;
	return 0;
}

// After any run: the area is usable, and unless the source says the OS
// cannot see it, a table reachable from the RSDP points at it.
static void assert_published(int family, const struct acpi_tpm_log *log)
{
	assert_non_null(log->area);
	assert_true(log->size >= ACPI_TPM_LOG_SIZE);
	assert_true(in_high(log->area, log->size) ||
		    (log->area >= logblob &&
		     log->area + log->size <= logblob + LOG_SIZE));
	assert_zero(log->area, log->size);
	if (log->source == ACPI_TPM_SRC_NO_ACPI)
		return;
	const char *sig = family == 2 ? "TPM2" : "TCPA";
	bool seen = false;
	for (int r = 0; r < 2; r++) {
		u32 es = r ? 8 : 4;
		u64 ra = r ? (rsdp_v2() ? rsdp->xsdt_address : 0)
			   : rsdp->rsdt_address;
		if (!ra || ra >> 32)
			continue;
		struct acpi_header *root = P(ra);
		u32 room = test_room(ra);
		if (room < 36 || root->length < 36 || root->length > room)
			continue;
		for (u32 i = 0; i < root_count(root, es); i++) {
			u64 a = root_entry(root, es, i);
			u32 room = test_room(a);
			const u8 *t = P(a);
			if (room < 36 || get_le32(t + 4) > room)
				continue;
			// QEMU's table is used even with a bad checksum
			// (reported only); every table we write has a good one.
			if (memcmp(t, sig, 4) ||
			    (log->source != ACPI_TPM_SRC_QEMU &&
			     sum(t, get_le32(t + 4))))
				continue;
			u32 len = get_le32(t + 4);
			if (family == 2 && len >= 76 &&
			    get_le32(t + 64) == log->size &&
			    get_le64(t + 68) == log->addr)
				seen = true;
			if (family == 1 && len >= 50 &&
			    get_le32(t + 38) == log->size &&
			    get_le64(t + 42) == log->addr)
				seen = true;
		}
	}
	assert_true(seen);
}

// Each current root lists exactly one table header with this signature:
// a malformed one was dropped when the roots were rebuilt.
static void assert_one_header(const char *sig)
{
	for (int r = 0; r < 2; r++) {
		u32 es = r ? 8 : 4;
		struct acpi_header *root = r ? xsdt_now() : rsdt_now();
		if (!root || !in_high(root, 36))
			continue; // not rebuilt (unusable before)
		int n = 0;
		for (u32 i = 0; i < root_count(root, es); i++) {
			u64 a = root_entry(root, es, i);
			if (test_room(a) >= 36 && !memcmp(P(a), sig, 4))
				n++;
		}
		assert_int_equal(n, 1);
	}
}

static void test_malformed(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]);
	     i++) {
		const struct corruption *c = &corruptions[i];
		int family = c->tpm == T_TCPA ? 1 : 2;
		for (int rev = 0; rev <= 2; rev += 2) {
			struct opts o = {.rsdp_rev = rev,
					 .tpm = c->tpm,
					 .log_blob = c->tpm == T_TPM2_V4 ||
						     c->tpm == T_TCPA};
			build(&o);
			c->apply();
			struct acpi_tpm_log log;
			if (verbose)
				print_message("  %s, RSDP rev %d\n", c->what,
					      rev);
			assert_true(
			    acpi_tpm_setup(family, false, 0x10000, &log));
			assert_int_equal(log.source, c->expect[rev / 2]);
			assert_published(family, &log);
			if (log.source == ACPI_TPM_SRC_BUILT) {
				assert_rsdp_ok();
				assert_one_header(family == 2 ? "TPM2"
							      : "TCPA");
			}
		}
	}
}

// Random byte damage to the tables and the RSDP: nothing may read or write
// outside the blobs (the guard pages and ASan watch), and what is reported
// as published must be.
static void test_random_damage(void **s)
{
	(void)s;
	srand(12345);
	for (int iter = 0; iter < 4000; iter++) {
		struct opts o = {.rsdp_rev = rand() % 2 ? 2 : 0,
				 .tpm = (enum tpm_table)(rand() % 4),
				 .crb = rand() % 2,
				 .log_blob = rand() % 2,
				 .dsdt_tpm = rand() % 2};
		build(&o);
		int hits = 1 + rand() % 8;
		for (int k = 0; k < hits; k++) {
			u32 where = (u32)rand() % (O_XSDT + 0x40 + 36);
			u8 *p = where < O_XSDT + 0x40 ? tables + where
						      : (u8 *)rsdp + where % 36;
			if (p >= arena + PAGE) // past a 20-byte RSDP blob
				continue;
			*p = (u8)rand();
		}
		int family = 1 + rand() % 2;
		bool crb = family == 2 && rand() % 2;
		if (verbose)
			print_message("iteration %d: rsdp %d tpm %d crb %d "
				      "log %d dsdt %d, family %d\n",
				      iter, o.rsdp_rev, o.tpm, o.crb,
				      o.log_blob, o.dsdt_tpm, family);
		struct acpi_tpm_log log;
		assert_true(acpi_tpm_setup(family, crb, 0x10000, &log));
		assert_published(family, &log);
	}
}

// acpi_find_table used to follow any address the tables gave it and read
// the RSDP's XSDT field whatever the blob's size: now only tables inside
// the loader blobs or the high zone are looked at (the guard pages make an
// unbounded read fault).
static void test_find_table_bounded(void **state)
{
	(void)state;
	build(
	    &(struct opts){.rsdp_rev = 2, .tpm = T_TPM2_V4, .log_blob = true});
	assert_ptr_equal(acpi_find_table("APIC"), tables + O_APIC);
	assert_ptr_equal(acpi_find_table("DSDT"), tables + O_DSDT);
	assert_null(acpi_find_table("HPET"));
	// An XSDT entry at a guard page, a FADT too short to hold the DSDT.
	put_le64(tables + O_XSDT + 36 + 8, A(arena + 0x1000));
	((struct acpi_header *)(tables + O_FADT))->length = 40;
	assert_null(acpi_find_table("APIC"));
	assert_null(acpi_find_table("DSDT"));
	// A revision 2 RSDP in a 20-byte blob that ends at a guard page.
	build(
	    &(struct opts){.rsdp_rev = 0, .tpm = T_TPM2_V4, .log_blob = true});
	rsdp->revision = 2;
	assert_ptr_equal(acpi_find_table("APIC"), tables + O_APIC);
	// A root table longer than its blob.
	((struct acpi_header *)(tables + O_RSDT))->length = TABLES_SIZE;
	assert_null(acpi_find_table("APIC"));
}

int main(void)
{
	verbose = getenv("MBIOS_TEST_VERBOSE") != NULL;
	host_output_quiet = true; // its malformed-input rounds are noisy
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_table_bounded),
	    cmocka_unit_test(test_qemu_tpm2_tis),
	    cmocka_unit_test(test_qemu_tpm2_crb),
	    cmocka_unit_test(test_qemu_tcpa),
	    cmocka_unit_test(test_qemu_tpm2_fields_fixed),
	    cmocka_unit_test(test_qemu_log_too_small),
	    cmocka_unit_test(test_qemu_tcpa_server),
	    cmocka_unit_test(test_tpm2_rev3),
	    cmocka_unit_test(test_none_tpm2_tis),
	    cmocka_unit_test(test_none_tpm2_crb),
	    cmocka_unit_test(test_none_tpm12),
	    cmocka_unit_test(test_none_dsdt_has_device),
	    cmocka_unit_test(test_none_xsdt_only),
	    cmocka_unit_test(test_wrong_family),
	    cmocka_unit_test(test_ssdt_iasl),
	    cmocka_unit_test(test_bad_args),
	    cmocka_unit_test(test_no_acpi),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_random_damage),
	};
	return cmocka_run_group_tests(tests, setup_arena, teardown_arena);
}
