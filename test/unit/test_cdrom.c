// CD-ROM layers on the host: the El Torito parser (eltorito.c), the ATAPI
// medium wait and reads against a scripted packet device on a virtual
// clock (hw/atapi.c), and the El Torito boot with the booted CD's INT 13h
// (cdrom.c, int13_disk.c) against a RAM-backed CD built here. The boot
// jump (call16_far) is a stub that runs the INT 13h checks while the
// emulation is mapped, as the boot image would.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "bregs.h"
#include "cdrom.h"
#include "eltorito.h"
#include "host_output.h"
#include "hw/atapi.h"
#include "hw/block.h"
#include "lib/bda.h"
#include "lib/string.h"
#include "std/byteorder.h"

void handle_13(struct bregs *r);

// ---- the firmware services cdrom.c and atapi.c use -------------------------

static u64 now_us;
u64 clock_us(void)
{
	return now_us;
}
void udelay(u32 us)
{
	now_us += us;
}
void boot_handoff(void) {}
void mdelay(u32 ms)
{
	now_us += (u64)ms * 1000;
}

static u8 *mem; // real-mode memory (phys_ptr maps 0 here)
#define MEM_SIZE 0xA0000

void *malloc_high(u32 size, u32 align)
{
	(void)align;
	return calloc(1, size);
}

static struct {
	int action, catalog, image;
	u32 catalog_len, image_len;
	u8 image_first;
} measured;
void tcg_measure_boot_cdrom(const char *desc)
{
	(void)desc;
	measured.action++;
}
void tcg_measure_cdrom_catalog(const u8 *catalog, u32 len)
{
	measured.catalog++;
	measured.catalog_len = len;
	assert_int_equal(catalog[0], 1); // the validation entry
}
void tcg_measure_cdrom_image(const u8 *image, u32 len)
{
	measured.image++;
	measured.image_len = len;
	measured.image_first = image[4]; // vsector 0's fill byte
}

static void (*on_boot)(struct bregs *r);
static struct bregs boot_regs;
static int boots;
void call16_far(struct bregs *r)
{
	boots++;
	boot_regs = *r;
	if (on_boot)
		on_boot(r);
}

// ---- a CD in RAM
// -------------------------------------------------------------

#define CD_SECTORS 3000
#define CATALOG_LBA 20
#define IMAGE_LBA 30

struct fake_cd {
	struct drive d;
	u8 *data;
	int prepare_rc;
	int reads;
};
static struct fake_cd cd;

static int cd_transfer(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	struct fake_cd *c = container_of(d, struct fake_cd, d);
	assert_false(write);
	assert_true(lba + count <= d->sectors);
	c->reads++;
	memcpy(buf, c->data + lba * 2048, count * 2048);
	return DISK_OK;
}

static int cd_prepare(struct drive *d)
{
	struct fake_cd *c = container_of(d, struct fake_cd, d);
	if (!c->prepare_rc)
		d->sectors = CD_SECTORS;
	return c->prepare_rc;
}

// A 512-byte sector of an emulated image: its number and a fill byte.
static void vsector(u8 *p, u32 n)
{
	memset(p, (u8)(n * 7 + 1), 512);
	put_le32(p, n);
}

static bool is_vsector(const u8 *p, u32 n)
{
	if (get_le32(p) != n)
		return false;
	for (u32 i = 4; i < 512; i++)
		if (p[i] != (u8)(n * 7 + 1))
			return false;
	return true;
}

static void catalog_entry(u8 *cat, u8 indicator, u8 media, u16 seg, u16 count,
			  u32 lba)
{
	memset(cat, 0, 64);
	cat[0] = 1; // header id, platform 0
	memcpy(cat + 4, "mbios test", 10);
	cat[30] = 0x55;
	cat[31] = 0xAA;
	u16 sum = 0;
	for (u32 i = 0; i < 32; i += 2)
		sum += get_le16(cat + i);
	put_le16(cat + 28, (u16)-sum);
	cat[32] = indicator;
	cat[33] = media;
	put_le16(cat + 34, seg);
	put_le16(cat + 38, count);
	put_le32(cat + 40, lba);
}

// The CD: PVD at 16, boot record at 17, catalog at 20, the image from 30
// made of numbered 512-byte sectors (vsector), an MBR for media 4.
static void make_cd(u8 media, u16 count)
{
	memset(cd.data, 0, CD_SECTORS * 2048);
	u8 *pvd = cd.data + 16 * 2048, *br = cd.data + 17 * 2048;
	pvd[0] = 1;
	memcpy(pvd + 1, "CD001", 5);
	pvd[6] = 1;
	memcpy(br + 1, "CD001", 5);
	br[6] = 1;
	memcpy(br + 7, "EL TORITO SPECIFICATION", 23);
	put_le32(br + 0x47, CATALOG_LBA);
	catalog_entry(cd.data + CATALOG_LBA * 2048, 0x88, media, 0, count,
		      IMAGE_LBA);
	u32 nv = (CD_SECTORS - IMAGE_LBA) * 4;
	for (u32 v = 0; v < nv; v++)
		vsector(cd.data + IMAGE_LBA * 2048 + v * 512, v);
	if (media == ELTORITO_MEDIA_HDD) {
		// One partition ending at C/H/S 9/15/63: 10 x 16 x 63 sectors.
		u8 *mbr = cd.data + IMAGE_LBA * 2048;
		u8 *p = mbr + 446;
		memset(p, 0, 64);
		p[0] = 0x80;
		p[4] = 0x01;
		p[5] = 15;
		p[6] = 63;
		p[7] = 9;
		put_le32(p + 8, 63);
		put_le32(p + 12, 10 * 16 * 63 - 63);
		mbr[510] = 0x55;
		mbr[511] = 0xAA;
	}
}

// A plain disk that is 80h before the CD boots.
struct fake_disk {
	struct drive d;
};
static struct fake_disk disk;
static int disk_transfer(struct drive *d, bool write, u64 lba, u32 count,
			 u8 *buf)
{
	(void)d, (void)write, (void)lba;
	memset(buf, 0xD1, count * 512);
	return DISK_OK;
}

static int setup(void **state)
{
	(void)state;
	mem = calloc(1, MEM_SIZE);
	host_phys_base = (uintptr_t)mem;
	drive_reset_all();
	memset(&cd, 0, sizeof(cd));
	cd.data = calloc(CD_SECTORS, 2048);
	cd.d.type = DRIVE_ATAPI;
	cd.d.transfer = cd_transfer;
	cd.d.prepare = cd_prepare;
	snprintf(cd.d.model, sizeof(cd.d.model), "DVD/CD [test]");
	assert_true(cdrom_register(&cd.d));
	assert_int_equal(cd.d.sector_size, 2048);
	cdrom_setup();
	memset(&disk, 0, sizeof(disk));
	disk.d.type = DRIVE_ATA;
	disk.d.transfer = disk_transfer;
	disk.d.sectors = 20000;
	assert_true(drive_register(&disk.d));
	memset(&measured, 0, sizeof(measured));
	boots = 0;
	on_boot = NULL;
	host_output_quiet = true;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(cd.data);
	free(mem);
	host_phys_base = 0;
	return 0;
}

static struct bregs regs(u8 ah, u8 dl)
{
	struct bregs r;
	memset(&r, 0, sizeof(r));
	r.ah = ah;
	r.dl = dl;
	return r;
}

static bool cf(const struct bregs *r)
{
	return r->flags & F_CF;
}

#define DAP_ADDR 0x0600
#define PKT_ADDR 0x0700
#define BUF_ADDR 0x20000

static struct bregs ext_read(u8 dl, u64 lba, u16 count)
{
	u8 *dap = mem + DAP_ADDR;
	memset(dap, 0, 16);
	dap[0] = 0x10;
	put_le16(dap + 2, count);
	put_le16(dap + 6, BUF_ADDR >> 4);
	memcpy(dap + 8, &lba, 8);
	struct bregs r = regs(0x42, dl);
	r.si = DAP_ADDR;
	handle_13(&r);
	return r;
}

static struct eltorito_spec_packet *status(u8 dl, u8 al, struct bregs *out)
{
	struct bregs r = regs(0x4B, dl);
	r.al = al;
	r.si = PKT_ADDR;
	memset(mem + PKT_ADDR, 0xCC, 0x20);
	handle_13(&r);
	*out = r;
	return (void *)(mem + PKT_ADDR);
}

// ---- eltorito.c
// ---------------------------------------------------------------

static const struct eltorito_window win = {0x7000, 0x9C000};

static void test_parse_good(void **state)
{
	(void)state;
	u8 cat[2048] = {0}, br[2048] = {0};
	memcpy(br + 1, "CD001", 5);
	br[6] = 1;
	memcpy(br + 7, "EL TORITO SPECIFICATION", 23);
	put_le32(br + 0x47, 19);
	u32 lba;
	assert_null(eltorito_parse_brvd(br, 100, &lba));
	assert_int_equal(lba, 19);
	catalog_entry(cat, 0x88, 0, 0, 4, 50);
	struct eltorito_boot b;
	assert_null(eltorito_parse_catalog(cat, 100, &win, &b));
	assert_int_equal(b.media, 0);
	assert_int_equal(b.load_seg, 0x07C0);
	assert_int_equal(b.sector_count, 4);
	assert_int_equal(b.image_lba, 50);
	// A diskette image needs its whole size on the medium: 2880 / 4.
	catalog_entry(cat, 0x88, 2, 0x1000, 1, 50);
	assert_non_null(eltorito_parse_catalog(cat, 50 + 719, &win, &b));
	assert_null(eltorito_parse_catalog(cat, 50 + 720, &win, &b));
	assert_int_equal(b.load_seg, 0x1000);
}

static void test_parse_bad(void **state)
{
	(void)state;
	u8 cat[2048], br[2048] = {0};
	u32 lba;
	struct eltorito_boot b;
	// Boot record: wrong type, identifier, padding, catalog outside.
	assert_non_null(eltorito_parse_brvd(br, 100, &lba));
	memcpy(br + 1, "CD001", 5);
	br[6] = 1;
	memcpy(br + 7, "EL TORITO SPECIFICATION", 23);
	put_le32(br + 0x47, 100);
	assert_non_null(eltorito_parse_brvd(br, 100, &lba));
	put_le32(br + 0x47, 17);
	assert_non_null(eltorito_parse_brvd(br, 100, &lba));
	put_le32(br + 0x47, 30);
	br[7 + 23] = 'X';
	assert_non_null(eltorito_parse_brvd(br, 100, &lba));
	br[7 + 23] = 0;
	br[0] = 1; // a primary volume descriptor
	assert_non_null(eltorito_parse_brvd(br, 100, &lba));

	static const struct {
		int byte;
		u8 value;
		const char *says;
	} bad[] = {
	    {0, 0x00, "header id"},
	    {28, 0x00, "checksum"},
	    {30, 0x00, "55 AA"},
	    {32, 0x00, "not bootable"},
	    {32, 0x44, "invalid boot indicator"},
	    {33, 0x05, "emulation type"},
	    {38, 0x00, "no sectors"},
	};
	for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
		catalog_entry(cat, 0x88, 0, 0, 4, 50);
		if (bad[i].byte == 38)
			cat[39] = 0;
		cat[bad[i].byte] = bad[i].value;
		const char *why = eltorito_parse_catalog(cat, 100, &win, &b);
		assert_non_null(why);
		assert_non_null(strstr(why, bad[i].says));
	}
	// Platform: a PowerPC default entry (checksum fixed up).
	catalog_entry(cat, 0x88, 0, 0, 4, 50);
	cat[1] = 1;
	put_le16(cat + 28, get_le16(cat + 28) - 0x100);
	assert_non_null(
	    strstr(eltorito_parse_catalog(cat, 100, &win, &b), "80x86"));
	// Image beyond the medium: its start, or its end.
	catalog_entry(cat, 0x88, 0, 0, 4, 100);
	assert_non_null(
	    strstr(eltorito_parse_catalog(cat, 100, &win, &b), "beyond"));
	catalog_entry(cat, 0x88, 0, 0, 5, 98); // 2560 bytes: 2 sectors
	assert_non_null(
	    strstr(eltorito_parse_catalog(cat, 99, &win, &b), "beyond"));
	assert_null(eltorito_parse_catalog(cat, 100, &win, &b));
	// Load address: below the window, or running past its end.
	catalog_entry(cat, 0x88, 0, 0x0600, 1, 50);
	assert_non_null(
	    strstr(eltorito_parse_catalog(cat, 100, &win, &b), "memory"));
	catalog_entry(cat, 0x88, 0, 0x9000, 0xFFFF, 50);
	assert_non_null(
	    strstr(eltorito_parse_catalog(cat, 1000000, &win, &b), "memory"));
	catalog_entry(cat, 0x88, 0, 0x9BC0, 2, 50); // ends at the window's end
	assert_null(eltorito_parse_catalog(cat, 100, &win, &b));
	// A diskette entry loading more than the diskette holds.
	catalog_entry(cat, 0x88, 1, 0x1000, 2401, 50);
	assert_non_null(eltorito_parse_catalog(cat, 100000, &win, &b));
}

static void test_geometry(void **state)
{
	(void)state;
	struct eltorito_geometry g;
	static const u16 spt[] = {15, 18, 36};
	static const u8 type[] = {2, 4, 6};
	for (u8 m = 1; m <= 3; m++) {
		assert_null(eltorito_floppy_geometry(m, &g));
		assert_int_equal(g.cylinders, 80);
		assert_int_equal(g.heads, 2);
		assert_int_equal(g.spt, spt[m - 1]);
		assert_int_equal(g.sectors, 160u * spt[m - 1]);
		assert_int_equal(g.bios_type, type[m - 1]);
	}
	assert_non_null(eltorito_floppy_geometry(0, &g));
	assert_non_null(eltorito_floppy_geometry(4, &g));
	u8 mbr[512] = {0};
	assert_non_null(eltorito_hd_geometry(mbr, 100000, &g)); // no 55 AA
	mbr[510] = 0x55;
	mbr[511] = 0xAA;
	assert_non_null(eltorito_hd_geometry(mbr, 100000, &g)); // empty
	u8 *p = mbr + 446 + 16; // the second entry is the one
	p[4] = 0x06;
	p[5] = 254;
	p[6] = 0xC0 | 63; // cylinder bits 8-9 = 3
	p[7] = 0xFF;	  // cylinder 1023
	assert_null(eltorito_hd_geometry(mbr, 1024u * 255 * 63, &g));
	assert_int_equal(g.cylinders, 1024);
	assert_int_equal(g.heads, 255);
	assert_int_equal(g.spt, 63);
	assert_int_equal(g.sectors, 1024u * 255 * 63);
	assert_non_null(eltorito_hd_geometry(mbr, 1024u * 255 * 63 - 1, &g));
	p[6] = 0xC0; // sector 0
	assert_non_null(eltorito_hd_geometry(mbr, 1u << 30, &g));
}

// ---- hw/atapi.c against a scripted packet device
// -----------------------------

// Each TEST UNIT READY answers with the next step: a sense key/ASC/ASCQ
// (0 = ready); the last step repeats. Every packet costs 1 ms.
static struct {
	const u32 *steps; // key << 16 | asc << 8 | ascq
	u32 nsteps, tur, cap_block;
	u32 sense; // what REQUEST SENSE reports
	u32 reads, read_lba[8], read_count[8];
} dev;

static int script_packet(struct drive *d, const u8 *cdb, void *buf, u32 len)
{
	(void)d;
	now_us += 1000;
	switch (cdb[0]) {
	case 0x00: {
		u32 s = dev.steps[MIN(dev.tur, dev.nsteps - 1)];
		dev.tur++;
		dev.sense = s;
		assert_int_equal(len, 0);
		return s ? DISK_ERR_IO : DISK_OK;
	}
	case 0x03: {
		u8 *p = buf;
		assert_int_equal(len, 18);
		memset(p, 0, len);
		p[0] = 0x70;
		p[2] = dev.sense >> 16;
		p[7] = 10;
		p[12] = dev.sense >> 8;
		p[13] = (u8)dev.sense;
		return DISK_OK;
	}
	case 0x25:
		assert_int_equal(len, 8);
		put_be32(buf, 999);
		put_be32((u8 *)buf + 4, dev.cap_block);
		return DISK_OK;
	case 0x28: {
		u32 lba = get_be32(cdb + 2), n = get_be16(cdb + 7);
		assert_int_equal(len, n * 2048);
		if (dev.reads < 8) {
			dev.read_lba[dev.reads] = lba;
			dev.read_count[dev.reads] = n;
		}
		dev.reads++;
		for (u32 i = 0; i < n; i++)
			memset((u8 *)buf + i * 2048, (u8)(lba + i), 2048);
		return DISK_OK;
	}
	}
	fail_msg("unexpected packet %02x", cdb[0]);
	return DISK_ERR_IO;
}

static int run_prepare(const u32 *steps, u32 n, u64 *elapsed)
{
	static struct drive d;
	memset(&dev, 0, sizeof(dev));
	memset(&d, 0, sizeof(d));
	dev.steps = steps;
	dev.nsteps = n;
	dev.cap_block = 2048;
	u64 t0 = now_us;
	int rc = atapi_prepare(&d, script_packet);
	*elapsed = now_us - t0;
	if (!rc)
		assert_int_equal(d.sectors, 1000);
	return rc;
}

#define NOT_READY(asc, ascq) (0x020000u | (asc) << 8 | (ascq))
#define UNIT_ATTENTION(asc) (0x060000u | (asc) << 8)

static void test_atapi_ready(void **state)
{
	(void)state;
	u64 t;
	static const u32 ready[] = {0};
	assert_int_equal(run_prepare(ready, 1, &t), DISK_OK);
	assert_int_equal(dev.tur, 1);
	// QEMU after a medium change: "no medium" once, then a unit
	// attention, then ready; reset unit attention; "becoming ready".
	static const u32 qemu[] = {NOT_READY(0x3A, 0), UNIT_ATTENTION(0x28), 0};
	assert_int_equal(run_prepare(qemu, 3, &t), DISK_OK);
	assert_int_equal(dev.tur, 3);
	static const u32 reset[] = {UNIT_ATTENTION(0x29), UNIT_ATTENTION(0x29),
				    0};
	assert_int_equal(run_prepare(reset, 3, &t), DISK_OK);
	u32 slow[600];
	for (u32 i = 0; i < 599; i++)
		slow[i] = NOT_READY(0x04, 0x01);
	slow[599] = 0; // ready after ~7 s, past the plain 5 s bound
	assert_int_equal(run_prepare(slow, 600, &t), DISK_OK);
	assert_true(t > ATAPI_READY_US);
	// 512-byte blocks: not a CD.
	memset(&dev, 0, sizeof(dev));
	dev.steps = ready;
	dev.nsteps = 1;
	dev.cap_block = 512;
	struct drive d = {0};
	assert_int_equal(atapi_prepare(&d, script_packet), DISK_ERR_IO);
}

static void test_atapi_bounded(void **state)
{
	(void)state;
	u64 t;
	// No medium: given up after three reports, at once.
	static const u32 empty[] = {NOT_READY(0x3A, 0)};
	assert_int_equal(run_prepare(empty, 1, &t), DISK_ERR_NO_MEDIA);
	assert_int_equal(dev.tur, ATAPI_NO_MEDIUM_TRIES);
	assert_true(t < 1000000);
	// Never ready (02/04/00 "cause not reportable"): the 5 s bound.
	static const u32 stuck[] = {NOT_READY(0x04, 0x00)};
	assert_int_equal(run_prepare(stuck, 1, &t), DISK_ERR_TIMEOUT);
	assert_true(t >= ATAPI_READY_US && t < ATAPI_READY_US + 100000);
	// Says "becoming ready" for ever: the longer bound, once.
	static const u32 becoming[] = {NOT_READY(0x04, 0x01)};
	assert_int_equal(run_prepare(becoming, 1, &t), DISK_ERR_TIMEOUT);
	assert_true(t >= ATAPI_BECOMING_US && t < ATAPI_BECOMING_US + 100000);
	// Unit attention for ever: the 5 s bound too.
	static const u32 attention[] = {UNIT_ATTENTION(0x28)};
	assert_int_equal(run_prepare(attention, 1, &t), DISK_ERR_TIMEOUT);
	assert_true(t < ATAPI_READY_US + 100000);
	// A medium error is not waited for.
	static const u32 medium[] = {0x031100};
	assert_int_equal(run_prepare(medium, 1, &t), DISK_ERR_IO);
	assert_int_equal(dev.tur, 1);
}

static void test_atapi_read_chunks(void **state)
{
	(void)state;
	memset(&dev, 0, sizeof(dev));
	struct drive d = {0};
	u8 *buf = malloc(100 * 2048);
	assert_int_equal(atapi_read(&d, script_packet, 1000, 100, buf),
			 DISK_OK);
	assert_int_equal(dev.reads, 4);
	static const u32 lba[] = {1000, 1032, 1064, 1096},
			 n[] = {32, 32, 32, 4};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(dev.read_lba[i], lba[i]);
		assert_int_equal(dev.read_count[i], n[i]);
	}
	for (u32 i = 0; i < 100; i++)
		assert_int_equal(buf[i * 2048 + 2047], (u8)(1000 + i));
	free(buf);
	u16 id[256] = {0};
	char model[41];
	id[0] = 0x85C0; // ATAPI, CD-ROM, removable, 12-byte packets
	memcpy(&id[27], "EQUMD DVR-MO", 12); // byte-swapped "QEMU DVD-ROM"
	for (int i = 33; i < 47; i++)
		id[i] = 0x2020;
	assert_null(atapi_identify_parse(id, model));
	assert_string_equal(model, "QEMU DVD-ROM");
	id[0] = 0x8000; // direct-access device type 0
	assert_non_null(atapi_identify_parse(id, model));
	id[0] = 0x0540; // ATA, not ATAPI
	assert_non_null(atapi_identify_parse(id, model));
	id[0] = 0x8501; // 16-byte packets
	assert_non_null(atapi_identify_parse(id, model));
}

// ---- cdrom.c: the boot and INT 13h of the booted CD
// --------------------------

static void noemu_checks(struct bregs *b)
{
	assert_int_equal(b->cs, 0x07C0);
	assert_int_equal(b->ip, 0);
	assert_int_equal(b->dl, 0xE0);
	// Loaded: 5 sectors = 2560 bytes; the byte after them untouched.
	for (u32 v = 0; v < 5; v++)
		assert_true(is_vsector(mem + 0x7C00 + v * 512, v));
	assert_int_equal(mem[0x7C00 + 2560], 0xEE);
	struct bregs r;
	struct eltorito_spec_packet *p = status(0xE0, 0x01, &r);
	assert_false(cf(&r));
	assert_int_equal(p->size, 0x13);
	assert_int_equal(p->media, 0);
	assert_int_equal(p->drive, 0xE0);
	assert_int_equal(p->image_lba, IMAGE_LBA);
	assert_int_equal(p->load_seg, 0x07C0);
	assert_int_equal(p->sector_count, 5);
	// 2048-byte EDD reads; the end of the medium; writes refused.
	r = ext_read(0xE0, 17, 2);
	assert_false(cf(&r));
	assert_memory_equal(mem + BUF_ADDR, cd.data + 17 * 2048, 4096);
	assert_int_equal(get_le16(mem + DAP_ADDR + 2), 2);
	r = ext_read(0xE0, CD_SECTORS, 1);
	assert_true(cf(&r));
	r = ext_read(0xE0, CD_SECTORS - 1, 1);
	assert_false(cf(&r));
	r = ext_read(0xE0, 5, 0);
	r.ah = 0x43;
	r.al = 0;
	put_le16(mem + DAP_ADDR + 2, 1);
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x03);
	// 48h: 2048-byte sectors, removable, the medium's size.
	u8 *e = mem + BUF_ADDR;
	memset(e, 0, 0x4A);
	put_le16(e, 0x4A);
	r = regs(0x48, 0xE0);
	r.ds = BUF_ADDR >> 4;
	r.si = 0;
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(get_le16(e + 0x18), 2048);
	assert_int_equal(get_le32(e + 0x10), CD_SECTORS);
	assert_true(get_le16(e + 2) & 0x04);
	assert_memory_equal(e + 0x28, "ATAPI   ", 8);
	// 41h yes, CHS no; the disk stays 80h.
	r = regs(0x41, 0xE0);
	r.bx = 0x55AA;
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.bx, 0xAA55);
	r = regs(0x02, 0xE0);
	r.al = 1;
	r.cl = 1;
	handle_13(&r);
	assert_true(cf(&r));
	r = regs(0x08, 0xE0);
	handle_13(&r);
	assert_true(cf(&r));
	assert_ptr_equal(drive_by_number(0x80), &disk.d);
	// Verify (44h) of CD sectors goes through the CD's own buffer.
	r = ext_read(0xE0, 3, 2);
	r.ah = 0x44;
	put_le16(mem + DAP_ADDR + 2, 2);
	handle_13(&r);
	assert_false(cf(&r));
}

static void test_boot_noemu(void **state)
{
	(void)state;
	make_cd(ELTORITO_MEDIA_NOEMU, 5);
	memset(mem + 0x7C00, 0xEE, 0x4000);
	on_boot = noemu_checks;
	cdrom_boot(&cd.d, "DVD/CD [test]");
	assert_int_equal(boots, 1);
	assert_int_equal(measured.action, 1);
	assert_int_equal(measured.catalog_len, 2048);
	assert_int_equal(measured.image_len, 2560);
	assert_int_equal(measured.image_first, (u8)1);
	// The image returned: the CD is no drive any more.
	struct bregs r = ext_read(0xE0, 17, 1);
	assert_true(cf(&r));
	assert_non_null(strstr(host_last_console(), "returned"));
}

static void floppy_checks(struct bregs *b)
{
	assert_int_equal(b->dl, 0x00);
	assert_true(is_vsector(mem + 0x7C00, 0));
	assert_true(bda_u16(BDA_EQUIPMENT) & 1);
	// 08h: a 1.44 MB diskette, one drive.
	struct bregs r = regs(0x08, 0x00);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.bl, 4);
	assert_int_equal(r.ch, 79);
	assert_int_equal(r.cl, 18);
	assert_int_equal(r.dh, 1);
	assert_int_equal(r.dl, 1);
	// 02h: C/H/S 1/1/17 = LBA 70, three sectors across CD sectors.
	r = regs(0x02, 0x00);
	r.al = 3;
	r.ch = 1;
	r.dh = 1;
	r.cl = 17;
	r.es = BUF_ADDR >> 4;
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.al, 3);
	for (u32 i = 0; i < 3; i++)
		assert_true(is_vsector(mem + BUF_ADDR + i * 512, 70 + i));
	// The last sector, and one past it.
	r = regs(0x02, 0x00);
	r.al = 1;
	r.ch = 79;
	r.dh = 1;
	r.cl = 18;
	r.es = BUF_ADDR >> 4;
	handle_13(&r);
	assert_false(cf(&r));
	assert_true(is_vsector(mem + BUF_ADDR, 2879));
	r = regs(0x02, 0x00);
	r.al = 2;
	r.ch = 79;
	r.dh = 1;
	r.cl = 18;
	handle_13(&r);
	assert_true(cf(&r));
	// Read only; 15h: a diskette.
	r = regs(0x03, 0x00);
	r.al = 1;
	r.cl = 1;
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.ah, 0x03);
	r = regs(0x15, 0x00);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ah, 0x01);
	// 4Bh 01h: status with the geometry; then 00h terminates.
	struct eltorito_spec_packet *p = status(0x00, 0x01, &r);
	assert_false(cf(&r));
	assert_int_equal(p->media, 2);
	assert_int_equal(p->drive, 0);
	assert_int_equal(p->cyl_low, 79);
	assert_int_equal(p->sec_cyl_high, 18);
	assert_int_equal(p->heads, 1);
	// The CD itself stays E0h while emulating.
	r = ext_read(0xE0, 16, 1);
	assert_false(cf(&r));
	p = status(0x00, 0x00, &r);
	assert_false(cf(&r));
	assert_int_equal(p->drive, 0);
	r = regs(0x08, 0x00);
	handle_13(&r);
	assert_true(cf(&r));
	assert_int_equal(r.dl, 0); // no diskette drives
	assert_false(bda_u16(BDA_EQUIPMENT) & 1);
	// Status after the end: the CD as a no-emulation drive.
	p = status(0xE0, 0x01, &r);
	assert_false(cf(&r));
	assert_int_equal(p->media, 0);
	p = status(0x00, 0x01, &r);
	assert_true(cf(&r));
}

static void test_boot_floppy(void **state)
{
	(void)state;
	make_cd(ELTORITO_MEDIA_FD144, 1);
	on_boot = floppy_checks;
	cdrom_boot(&cd.d, "DVD/CD [test]");
	assert_int_equal(boots, 1);
	assert_int_equal(measured.image_len, 512);
	assert_false(bda_u16(BDA_EQUIPMENT) & 1);
}

static void hdd_checks(struct bregs *b)
{
	assert_int_equal(b->dl, 0x80);
	assert_int_equal(bda_u8(BDA_DISK_COUNT), 2);
	assert_ptr_equal(drive_by_number(0x81), &disk.d);
	struct bregs r = regs(0x08, 0x80);
	handle_13(&r);
	assert_false(cf(&r));
	assert_int_equal(r.ch, 9);
	assert_int_equal(r.cl, 63);
	assert_int_equal(r.dh, 15);
	assert_int_equal(r.dl, 2);
	// 42h on the emulated disk: 512-byte sectors of the image.
	r = ext_read(0x80, 1001, 6);
	assert_false(cf(&r));
	for (u32 i = 0; i < 6; i++)
		assert_true(is_vsector(mem + BUF_ADDR + i * 512, 1001 + i));
	r = ext_read(0x80, 10 * 16 * 63, 1);
	assert_true(cf(&r));
	struct eltorito_spec_packet *p = status(0x80, 0x01, &r);
	assert_false(cf(&r));
	assert_int_equal(p->media, 4);
	assert_int_equal(p->drive, 0x80);
	assert_int_equal(p->heads, 15);
}

static void test_boot_hdd(void **state)
{
	(void)state;
	make_cd(ELTORITO_MEDIA_HDD, 1);
	on_boot = hdd_checks;
	cdrom_boot(&cd.d, "DVD/CD [test]");
	assert_int_equal(boots, 1);
	// The emulation ended with the boot: the disk is 80h again.
	assert_ptr_equal(drive_by_number(0x80), &disk.d);
	assert_null(drive_by_number(0x81));
	assert_int_equal(bda_u8(BDA_DISK_COUNT), 1);
}

static void test_boot_fails(void **state)
{
	(void)state;
	// No medium: the drive's own answer, no jump, nothing loaded.
	make_cd(ELTORITO_MEDIA_NOEMU, 4);
	cd.prepare_rc = DISK_ERR_NO_MEDIA;
	cdrom_boot(&cd.d, "DVD/CD [test]");
	assert_int_equal(boots, 0);
	assert_non_null(strstr(host_last_console(), "no medium"));
	assert_int_equal(measured.catalog, 0);
	cd.prepare_rc = DISK_ERR_TIMEOUT;
	cdrom_boot(&cd.d, "DVD/CD [test]");
	assert_non_null(strstr(host_last_console(), "did not become ready"));
	cd.prepare_rc = 0;
	// A broken catalog: said, not measured, not booted.
	cd.data[CATALOG_LBA * 2048 + 28] ^= 1;
	cdrom_boot(&cd.d, "DVD/CD [test]");
	assert_int_equal(boots, 0);
	assert_non_null(strstr(host_last_console(), "checksum"));
	assert_int_equal(measured.catalog, 0);
	// A hard disk image without a partition table: the emulation is
	// not left mapped.
	make_cd(ELTORITO_MEDIA_HDD, 1);
	memset(cd.data + IMAGE_LBA * 2048 + 446, 0, 64);
	cdrom_boot(&cd.d, "DVD/CD [test]");
	assert_int_equal(boots, 0);
	assert_non_null(strstr(host_last_console(), "partition table"));
	assert_ptr_equal(drive_by_number(0x80), &disk.d);
	// No CD booted: 4Bh fails.
	struct bregs r;
	status(0xE0, 0x01, &r);
	assert_true(cf(&r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_geometry),
	    cmocka_unit_test(test_atapi_ready),
	    cmocka_unit_test(test_atapi_bounded),
	    cmocka_unit_test(test_atapi_read_chunks),
	    cmocka_unit_test_setup_teardown(test_boot_noemu, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_boot_floppy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_boot_hdd, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_boot_fails, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
