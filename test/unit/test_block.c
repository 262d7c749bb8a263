// Drive registry, CHS geometry and INT 13h against fake drives: a 16 MiB
// RAM disk and a 20 GiB disk whose sectors are computed from their LBA.
// "Real-mode memory" is a host array that phys_ptr() maps address 0 to.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "hw/block.h"
#include "bregs.h"
#include "hw/pci.h"
#include "lib/string.h"
#include "output.h"
#include "lib/bda.h"

void handle_13(struct bregs *r);

// Quiet output: the code under test reports errors it is meant to hit.
void dprint(int level, const char *fmt, ...)
{
	(void)level;
	(void)fmt;
}

#define MEM_SIZE 0x120000	  // 1 MiB + the HMA + room for a flat buffer
#define RAM_SECTORS 32768ull	  // 16 MiB
#define BIG_SECTORS (20ull << 21) // 20 GiB
#define NO_LBA UINT64_MAX
#define PCI_BDF_TEST PCI_BDF(0, 3, 1)

static u8 *mem;

struct fake {
	struct drive d;
	u8 *data;    // NULL: contents are the LBA pattern, writes are dropped
	u64 bad_lba; // the device reports an error for this sector
	int calls;
};

static u8 pattern(u64 lba, u32 i)
{
	return i < 8 ? (u8)(lba >> (8 * i)) : (u8)(lba * 31 + i);
}

static bool sector_is(const u8 *p, u64 lba)
{
	for (u32 i = 0; i < 512; i++)
		if (p[i] != pattern(lba, i))
			return false;
	return true;
}

static int fake_io(struct drive *d, u64 lba, u32 count, u8 *buf, bool write)
{
	struct fake *f = container_of(d, struct fake, d);
	f->calls++;
	// block.c must never pass a request beyond the end.
	assert_true(count > 0);
	assert_true(lba + count <= d->sectors);
	if (f->bad_lba >= lba && f->bad_lba < lba + count)
		return DISK_ERR_IO;
	for (u32 s = 0; s < count; s++) {
		u8 *p = buf + s * 512;
		if (f->data && write)
			memcpy(f->data + (lba + s) * 512, p, 512);
		else if (f->data)
			memcpy(p, f->data + (lba + s) * 512, 512);
		else if (!write)
			for (u32 i = 0; i < 512; i++)
				p[i] = pattern(lba + s, i);
	}
	return DISK_OK;
}

static int fake_transfer(struct drive *d, bool write, u64 lba, u32 count,
			 u8 *buf)
{
	return fake_io(d, lba, count, buf, write);
}

static struct fake ram, big;

static void fake_init(struct fake *f, enum drive_type type, u64 sectors,
		      bool backed)
{
	memset(f, 0, sizeof(*f));
	f->d.type = type;
	f->d.transfer = fake_transfer;
	f->d.sectors = sectors;
	f->d.bdf = PCI_BDF_TEST;
	f->bad_lba = NO_LBA;
	snprintf(f->d.model, sizeof(f->d.model), "fake %llu", sectors);
	if (backed) {
		f->data = malloc(sectors * 512);
		assert_non_null(f->data);
		for (u64 l = 0; l < sectors; l++)
			for (u32 i = 0; i < 512; i++)
				f->data[l * 512 + i] = pattern(l, i);
	}
}

static int setup(void **state)
{
	(void)state;
	mem = calloc(1, MEM_SIZE);
	assert_non_null(mem);
	host_phys_base = (uintptr_t)mem;
	drive_reset_all();
	fake_init(&ram, DRIVE_VIRTIO_BLK, RAM_SECTORS, true);
	fake_init(&big, DRIVE_AHCI, BIG_SECTORS, false);
	assert_true(drive_register(&ram.d)); // 0x80
	assert_true(drive_register(&big.d)); // 0x81
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram.data);
	free(mem);
	host_phys_base = 0;
	return 0;
}

// A register block for one call; flags with IF set as a caller's would be.
static struct bregs regs(u8 ah, u8 dl)
{
	struct bregs r;
	memset(&r, 0, sizeof(r));
	r.ah = ah;
	r.dl = dl;
	r.flags = F_IF;
	return r;
}

static bool cf(const struct bregs *r)
{
	return r->flags & F_CF;
}

static void set_chs(struct bregs *r, u32 cyl, u32 head, u32 sector)
{
	r->ch = cyl & 0xFF;
	r->cl = (cyl >> 2 & 0xC0) | sector;
	r->dh = head;
}

// ---- registry and geometry -------------------------------------------------

static void test_geometry(void **state)
{
	(void)state;
	static const struct {
		u64 sectors;
		u16 heads, cylinders;
	} t[] = {
	    {100, 16, 1},	 // smaller than one cylinder
	    {2048, 16, 2},	 // 1 MiB
	    {1024000, 16, 1015}, // 500 MiB
	    {1032192, 16, 1024}, // 1024 * 16 * 63: last 16-head size
	    {1032193, 32, 512},
	    {2097152, 64, 520},	  // 1 GiB
	    {4194304, 128, 520},  // 2 GiB
	    {8257536, 128, 1024}, // 1024 * 128 * 63
	    {8257537, 255, 514},
	    {16777216, 255, 1024}, // 8 GiB: capped
	    {BIG_SECTORS, 255, 1024},
	    {1ull << 40, 255, 1024}, // 512 TiB: no overflow
	};
	drive_reset_all();
	for (u32 i = 0; i < ARRAY_SIZE(t); i++) {
		struct fake f;
		fake_init(&f, DRIVE_ATA, t[i].sectors, false);
		assert_true(drive_register(&f.d));
		assert_int_equal(f.d.spt, 63);
		assert_int_equal(f.d.heads, t[i].heads);
		assert_int_equal(f.d.cylinders, t[i].cylinders);
		drive_reset_all();
	}
}

static void test_registry(void **state)
{
	(void)state;
	assert_int_equal(drive_count(), 2);
	assert_int_equal(bda_u8(BDA_DISK_COUNT), 2);
	assert_ptr_equal(drive_by_number(0x80), &ram.d);
	assert_ptr_equal(drive_by_number(0x81), &big.d);
	assert_null(drive_by_number(0x82));
	assert_null(drive_by_number(0x00));
	assert_null(drive_at(2));
	static struct fake extra[MAX_DRIVES];
	int n = 2;
	for (int i = 0; i < MAX_DRIVES; i++) {
		fake_init(&extra[i], DRIVE_ATA, 2048, false);
		if (drive_register(&extra[i].d))
			n++;
	}
	assert_int_equal(n, MAX_DRIVES);
	assert_int_equal(bda_u8(BDA_DISK_COUNT), MAX_DRIVES);
	// Boot order: the chosen drive becomes 0x80, the rest keep order.
	drive_make_first(&big.d);
	assert_ptr_equal(drive_by_number(0x80), &big.d);
	assert_ptr_equal(drive_by_number(0x81), &ram.d);
	assert_ptr_equal(drive_by_number(0x82), &extra[0].d);
	assert_int_equal(big.d.number, 0x80);
	assert_int_equal(ram.d.number, 0x81);
	assert_int_equal(bda_u8(BDA_DISK_COUNT), MAX_DRIVES);
}

static void test_drive_read_range(void **state)
{
	(void)state;
	u8 buf[1024];
	assert_int_equal(drive_read(&ram.d, RAM_SECTORS - 1, 1, buf), DISK_OK);
	assert_true(sector_is(buf, RAM_SECTORS - 1));
	int calls = ram.calls;
	assert_int_equal(drive_read(&ram.d, RAM_SECTORS - 1, 2, buf),
			 DISK_ERR_RANGE);
	assert_int_equal(drive_read(&ram.d, RAM_SECTORS, 1, buf),
			 DISK_ERR_RANGE);
	assert_int_equal(drive_read(&ram.d, UINT64_MAX, 2, buf),
			 DISK_ERR_RANGE);
	assert_int_equal(drive_read(&ram.d, 5, 0, buf), DISK_OK);
	assert_int_equal(ram.calls, calls);
	ram.d.read_only = true;
	assert_int_equal(drive_write(&ram.d, 0, 1, buf),
			 DISK_ERR_WRITE_PROTECT);
}

// ---- CHS functions ---------------------------------------------------------

static void test_chs_read(void **state)
{
	(void)state;
	// 16 MiB: 16 heads, 63 sectors, 32 cylinders. C/H/S 2/3/4 is LBA
	// (2 * 16 + 3) * 63 + 3, well past the first cylinder; three sectors
	// from the end of a track cross into the next head.
	struct bregs r = regs(0x02, 0x80);
	r.al = 3;
	set_chs(&r, 2, 3, 62);
	r.es = 0x1000;
	r.bx = 0x0200;
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ah, 0);
	assert_int_equal(r.al, 3);
	u64 lba = (2 * 16 + 3) * 63 + 61;
	for (int i = 0; i < 3; i++)
		assert_true(sector_is(mem + 0x10200 + i * 512, lba + i));
	assert_int_equal(bda_u8(0x74), 0);
	assert_true(r.flags & F_IF);
}

static void test_chs_invalid(void **state)
{
	(void)state;
	static const struct {
		u32 cyl, head, sector, count;
	} bad[] = {
	    {0, 0, 0, 1},    // sectors count from 1
	    {0, 0, 64, 1},   // sector beyond the track
	    {0, 16, 1, 1},   // head beyond the geometry
	    {32, 0, 1, 1},   // cylinder beyond the geometry
	    {1023, 0, 1, 1}, //
	    {0, 0, 1, 0},    // no sectors
	    {0, 0, 1, 129},  // more than 128
	};
	for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
		struct bregs r = regs(0x02, 0x80);
		r.al = bad[i].count;
		set_chs(&r, bad[i].cyl, bad[i].head, bad[i].sector);
		r.es = 0x1000;
		handle_13(&r);
		assert_true(cf(&r));
		assert_int_equal(r.ah, 0x01);
		assert_int_equal(r.al, 0);
		assert_int_equal(bda_u8(0x74), 0x01);
	}
	assert_int_equal(ram.calls, 0);
}

static void test_chs_write_verify_seek(void **state)
{
	(void)state;
	u8 *src = mem + 0x20000;
	memset(src, 0x5A, 1024);
	struct bregs r = regs(0x03, 0x80);
	r.al = 2;
	// From the last CHS-addressable sector: the second one lies past the
	// geometry but inside the disk, which a multi-sector call may reach.
	set_chs(&r, 31, 15, 63);
	r.es = 0x2000;
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.al, 2);
	u64 lba = (31 * 16 + 15) * 63 + 62;
	assert_int_equal(ram.data[lba * 512], 0x5A);
	assert_int_equal(ram.data[(lba + 1) * 512 + 511], 0x5A);
	// 04h verify reads without a buffer; a bad sector stops it there.
	ram.bad_lba = 10;
	r = regs(0x04, 0x80);
	r.al = 5;
	set_chs(&r, 0, 0, 8); // LBA 7..11
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x20);
	assert_int_equal(r.al, 3);
	// 0Ch seek checks the address only.
	r = regs(0x0C, 0x80);
	set_chs(&r, 31, 15, 63);
	handle_13(&r);
	assert_false(cf(&r));
	r.ah = 0x0C; // AH now holds the status
	set_chs(&r, 32, 0, 1);
	handle_13(&r);
	assert_true(cf(&r));
}

static void test_params_08_15(void **state)
{
	(void)state;
	struct bregs r = regs(0x08, 0x80);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ch, 31); // maximum cylinder
	assert_int_equal(r.cl, 63);
	assert_int_equal(r.dh, 15);
	assert_int_equal(r.dl, 2); // number of hard disks
	r = regs(0x08, 0x81);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ch, 0xFF); // cylinder 1023: bits 8-9 in CL 7-6
	assert_int_equal(r.cl, 0xC0 | 63);
	assert_int_equal(r.dh, 254);
	r = regs(0x15, 0x81);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ah, 3);
	assert_int_equal((u32)r.cx << 16 | r.dx, 1024 * 255 * 63);
}

// ---- EDD -------------------------------------------------------------------

static void test_edd_check(void **state)
{
	(void)state;
	struct bregs r = regs(0x41, 0x81);
	r.bx = 0x55AA;
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.bx, 0xAA55);
	assert_int_equal(r.ah, 0x30);
	assert_int_equal(r.cx, 0x0005);
	r = regs(0x41, 0x81);
	r.bx = 0x1234;
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
}

struct dap {
	u8 size, reserved;
	u16 count;
	u16 off, seg;
	u64 lba;
	u64 flat;
} __attribute__((packed));

#define DAP_ADDR 0x0600
#define DAP ((struct dap *)(mem + DAP_ADDR))

// 42h/43h/44h/47h with the packet at 0000:0600.
static struct bregs ext(u8 ah, u8 dl, u8 size, u64 lba, u16 count, u16 seg,
			u16 off)
{
	*DAP = (struct dap){size, 0, count, off, seg, lba, 0};
	struct bregs r = regs(ah, dl);
	r.ds = 0;
	r.si = DAP_ADDR;
	handle_13(&r);
	return r;
}

static void test_ext_read(void **state)
{
	(void)state;
	struct bregs r = ext(0x42, 0x80, 0x10, 100, 4, 0x2000, 0x0010);
	assert_false(cf(&r));
	assert_int_equal(DAP->count, 4);
	for (int i = 0; i < 4; i++)
		assert_true(sector_is(mem + 0x20010 + i * 512, 100 + i));
	// Count 0 transfers nothing and succeeds.
	int calls = ram.calls;
	r = ext(0x42, 0x80, 0x10, 5, 0, 0x2000, 0);
	assert_false(cf(&r));
	assert_int_equal(ram.calls, calls);
}

static void test_ext_read_beyond_8g(void **state)
{
	(void)state;
	// LBA 18,000,000 is past 8 GiB, out of reach of any CHS address.
	u64 lba = 18000000;
	struct bregs r = ext(0x42, 0x81, 0x10, lba, 2, 0x3000, 0);
	assert_false(cf(&r));
	assert_int_equal(DAP->count, 2);
	assert_true(sector_is(mem + 0x30000, lba));
	assert_true(sector_is(mem + 0x30200, lba + 1));
	r = ext(0x42, 0x81, 0x10, BIG_SECTORS - 1, 1, 0x3000, 0);
	assert_false(cf(&r));
	assert_true(sector_is(mem + 0x30000, BIG_SECTORS - 1));
}

static void test_ext_flat_buffer(void **state)
{
	(void)state;
	// 18h packet, FFFF:FFFF selects the 64-bit flat address.
	*DAP = (struct dap){0x18, 0, 2, 0xFFFF, 0xFFFF, 40, 0x100000};
	struct bregs r = regs(0x42, 0x80);
	r.si = DAP_ADDR;
	handle_13(&r);
	assert_false(cf(&r));
	assert_true(sector_is(mem + 0x100000, 40));
	assert_true(sector_is(mem + 0x100200, 41));
	// Beyond 4 GiB, and FFFF:FFFF in a 10h packet, are refused.
	*DAP = (struct dap){0x18, 0, 1, 0xFFFF, 0xFFFF, 40, 0x100000000ull};
	r.ah = 0x42;
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
	assert_int_equal(DAP->count, 0);
	*DAP = (struct dap){0x18, 0, 1, 0xFFFF, 0xFFFF, 40, 0xFFFFFFFFull};
	r.ah = 0x42;
	handle_13(&r);
	assert_true(cf(&r));
	*DAP = (struct dap){0x10, 0, 1, 0xFFFF, 0xFFFF, 40, 0x100000};
	r.ah = 0x42;
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
}

static void test_ext_invalid_packets(void **state)
{
	(void)state;
	struct bregs r = ext(0x42, 0x80, 0x08, 1, 1, 0x2000, 0);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
	r = ext(0x42, 0x80, 0x10, 1, 128, 0x2000, 0); // EDD limit is 127
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
	assert_int_equal(DAP->count, 0);
	r = ext(0x42, 0x80, 0x10, 1, 127, 0x2000, 0);
	assert_false(cf(&r));
	assert_int_equal(DAP->count, 127);
	assert_int_equal(ram.calls, 1);
}

static void test_ext_past_end(void **state)
{
	(void)state;
	struct bregs r = ext(0x42, 0x80, 0x10, RAM_SECTORS, 1, 0x2000, 0);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x04);
	assert_int_equal(DAP->count, 0);
	r = ext(0x42, 0x80, 0x10, RAM_SECTORS - 1, 2, 0x2000, 0);
	assert_true(cf(&r));
	assert_int_equal(DAP->count, 0);
	r = ext(0x42, 0x81, 0x10, UINT64_MAX, 1, 0x2000, 0);
	assert_true(cf(&r));
	assert_int_equal(ram.calls + big.calls, 0);
	assert_int_equal(bda_u8(0x74), 0x04);
	r = ext(0x47, 0x81, 0x10, BIG_SECTORS, 0, 0, 0); // seek
	assert_true(cf(&r));
	r = ext(0x47, 0x81, 0x10, BIG_SECTORS - 1, 0, 0, 0);
	assert_false(cf(&r));
}

static void test_ext_partial_transfer(void **state)
{
	(void)state;
	// The device fails sector 105: sectors 100-104 arrive, and the packet
	// says so.
	ram.bad_lba = 105;
	memset(mem + 0x20000, 0, 10 * 512);
	struct bregs r = ext(0x42, 0x80, 0x10, 100, 10, 0x2000, 0);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x20);
	assert_int_equal(DAP->count, 5);
	for (int i = 0; i < 5; i++)
		assert_true(sector_is(mem + 0x20000 + i * 512, 100 + i));
	// 44h verify stops at the same place.
	r = ext(0x44, 0x80, 0x10, 103, 4, 0, 0);
	assert_true(cf(&r));
	assert_int_equal(DAP->count, 2);
}

static void test_ext_write(void **state)
{
	(void)state;
	u8 *src = mem + 0x40000;
	for (int i = 0; i < 1024; i++)
		src[i] = (u8)(i * 7);
	struct bregs r = regs(0x43, 0x80);
	r.al = 2; // write with verify
	*DAP = (struct dap){0x10, 0, 2, 0, 0x4000, 500, 0};
	r.si = DAP_ADDR;
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(DAP->count, 2);
	assert_memory_equal(ram.data + 500 * 512, src, 1024);
	r.ah = 0x43;
	r.al = 3; // no such write flag
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
	ram.d.read_only = true;
	r.ah = 0x43;
	r.al = 0;
	DAP->count = 2;
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x03);
	assert_int_equal(DAP->count, 0);
}

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;
	while (n--)
		s += *p++;
	return s;
}

static struct bregs params48(u8 dl, u16 size)
{
	u8 *b = mem + 0x0700;
	memset(b, 0xEE, 0x60);
	b[0] = size & 0xFF;
	b[1] = size >> 8;
	struct bregs r = regs(0x48, dl);
	r.si = 0x0700;
	handle_13(&r);
	return r;
}

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static void test_ext_params(void **state)
{
	(void)state;
	const u8 *b = mem + 0x0700;
	struct bregs r = params48(0x80, 0x1A);
	assert_false(cf(&r));
	assert_int_equal(b[0], 0x1A);
	assert_true(b[2] & 0x02); // CHS valid below 15,482,880 sectors
	assert_int_equal(le32(b + 4), RAM_SECTORS / (16 * 63));
	assert_int_equal(le32(b + 8), 16);
	assert_int_equal(le32(b + 12), 63);
	assert_int_equal(le32(b + 16), RAM_SECTORS);
	assert_int_equal(le32(b + 20), 0);
	assert_int_equal(b[24] | b[25] << 8, 512);
	assert_int_equal(b[0x1A], 0xEE); // not written past the size
	r = params48(0x81, 0x1E);
	assert_false(cf(&r));
	assert_int_equal(b[0], 0x1E);
	assert_false(b[2] & 0x02);
	assert_int_equal(le32(b + 16), (u32)BIG_SECTORS);
	assert_int_equal(le32(b + 20), (u32)(BIG_SECTORS >> 32));
	assert_int_equal(le32(b + 0x1A), 0xFFFFFFFF); // no DPTE: not ATA
	assert_int_equal(b[0x1E], 0xEE);
	// EDD 3.0 (Phoenix) device path: 36 bytes from the key, checksummed.
	r = params48(0x81, 0x42);
	assert_false(cf(&r));
	assert_int_equal(b[0], 0x42);
	assert_int_equal(b[0x1E] | b[0x1F] << 8, 0xBEDD);
	assert_int_equal(b[0x20], 0x24);
	assert_memory_equal(b + 0x24, "PCI ", 4);
	assert_memory_equal(b + 0x28, "SATA    ", 8);
	assert_int_equal(b[0x30], 0);	 // bus
	assert_int_equal(b[0x31], 3);	 // slot
	assert_int_equal(b[0x32], 1);	 // function
	assert_int_equal(b[0x33], 0xFF); // channel: not used for SATA
	assert_int_equal(sum(b + 0x1E, 0x24), 0);
	assert_int_equal(b[0x42], 0xEE);
	// T13 EDD-3 layout: 16-byte device path, 44 bytes checksummed.
	big.d.channel = 4;
	r = params48(0x81, 0x60);
	assert_false(cf(&r));
	assert_int_equal(b[0], 0x4A);
	assert_int_equal(b[0x20], 0x2C);
	assert_int_equal(b[0x38], 4); // SATA port
	assert_int_equal(sum(b + 0x1E, 0x2C), 0);
	r = params48(0x80, 0x42);
	assert_memory_equal(b + 0x28, "SCSI    ", 8); // virtio-blk
	assert_int_equal(sum(b + 0x1E, 0x24), 0);
	r = params48(0x80, 0x19);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
}

static void test_ext_params_ata(void **state)
{
	(void)state;
	struct fake ata;
	fake_init(&ata, DRIVE_ATA, 2048, false);
	ata.d.channel = 1;
	ata.d.unit = 1;
	ata.d.io_base = 0x170;
	assert_true(drive_register(&ata.d)); // 0x82
	const u8 *b = mem + 0x0700;
	struct bregs r = params48(0x82, 0x42);
	assert_false(cf(&r));
	assert_int_not_equal(le32(b + 0x1A), 0xFFFFFFFF); // DPTE present
	assert_memory_equal(b + 0x28, "ATA     ", 8);
	assert_int_equal(b[0x33], 1); // secondary channel
	assert_int_equal(b[0x38], 1); // slave
	assert_int_equal(sum(b + 0x1E, 0x24), 0);
}

// virtio-scsi: T13 EDD-3 SCSI device path, word target then qword LUN.
static void test_ext_params_scsi(void **state)
{
	(void)state;
	struct fake scsi;
	fake_init(&scsi, DRIVE_VIRTIO_SCSI, 2048, false);
	scsi.d.channel = 5;		      // target
	scsi.d.unit = 3;		      // LUN
	assert_true(drive_register(&scsi.d)); // 0x82
	const u8 *b = mem + 0x0700;
	struct bregs r = params48(0x82, 0x4A);
	assert_false(cf(&r));
	assert_memory_equal(b + 0x28, "SCSI    ", 8);
	assert_int_equal(b[0x38] | b[0x39] << 8, 5);
	assert_int_equal(le32(b + 0x3A), 3);
	assert_int_equal(le32(b + 0x3E), 0);
	assert_int_equal(sum(b + 0x1E, 0x2C), 0);
}

// ---- status, missing drives, diskettes ------------------------------------

static void test_status_and_missing(void **state)
{
	(void)state;
	struct bregs r = ext(0x42, 0x80, 0x10, RAM_SECTORS, 1, 0x2000, 0);
	assert_int_equal(r.ah, 0x04);
	r = regs(0x10, 0x81); // another drive succeeds meanwhile
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(bda_u8(0x74), 0);
	r = regs(0x01, 0x80); // the status is kept per drive
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x04);
	assert_int_equal(bda_u8(0x74), 0); // 01h does not change it
	r = regs(0x01, 0x81);		   // the other drive did fine
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ah, 0);
	r = regs(0x00, 0x80); // reset succeeds and clears the status
	handle_13(&r);
	assert_false(cf(&r));
	r = regs(0x01, 0x80);
	handle_13(&r);
	assert_int_equal(r.ah, 0);
	// A drive number nobody registered.
	r = ext(0x42, 0x85, 0x10, 0, 1, 0x2000, 0);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
	assert_int_equal(bda_u8(0x74), 0x01);
	r = regs(0x08, 0x82);
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
	r = regs(0x15, 0xE0); // type: no such drive
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ah, 0);
	r = regs(0x50, 0x80); // unknown function
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x01);
	r = regs(0x4B, 0x80);
	r.al = 0x01; // El Torito status: not emulating
	handle_13(&r);
	assert_true(cf(&r));
	r = regs(0x4E, 0x80);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(ram.calls + big.calls, 0);
}

static void test_diskette(void **state)
{
	(void)state;
	struct bregs r = regs(0x02, 0x00);
	r.al = 1;
	r.cl = 1;
	r.es = 0x2000;
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x80);
	assert_int_equal(bda_u8(0x41), 0x80);
	r = regs(0x15, 0x01);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ah, 0); // no such drive
	r = regs(0x08, 0x00);
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.dl, 0);
	assert_int_equal(ram.calls + big.calls, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_geometry),		T(test_registry),
	    T(test_drive_read_range),	T(test_chs_read),
	    T(test_chs_invalid),	T(test_chs_write_verify_seek),
	    T(test_params_08_15),	T(test_edd_check),
	    T(test_ext_read),		T(test_ext_read_beyond_8g),
	    T(test_ext_flat_buffer),	T(test_ext_invalid_packets),
	    T(test_ext_past_end),	T(test_ext_partial_transfer),
	    T(test_ext_write),		T(test_ext_params),
	    T(test_ext_params_ata),	T(test_ext_params_scsi),
	    T(test_status_and_missing), T(test_diskette),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
