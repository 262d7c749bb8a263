// El Torito boot (spec 1.0 sections 2-5; parsing in eltorito.c) and the
// booted CD in INT 13h: no emulation (the CD as drive E0h, 2048-byte
// sectors), diskette emulation (drive 00h) and hard disk emulation (drive
// 80h, the real disks move up by one), each a 512-byte-sector view of the
// image through the CD's own transfers.
#include "cdrom.h"
#include "boot.h"
#include "autoconf.h"
#include "eltorito.h"
#include "layout.h"
#include "lib/bda.h"
#include "lib/format.h"
#include "lib/memalloc.h"
#include "lib/string.h"
#include "output.h"
#include "tcg_boot.h"

#define RET_OK 0x00
#define RET_EPARAM 0x01

// BDA equipment word: bit 0 diskette drives present, bits 6-7 their
// number - 1.
#define EQUIP_FLOPPY 0x0001

static struct {
	struct drive *cd; // the booted CD (CDROM_DRIVE_NUMBER), or NULL
	struct eltorito_boot boot;
	struct drive emu; // the image as a 512-byte-sector drive
	bool emulating;	  // emu is mapped as 00h or 80h
	u8 *buf;	  // one CD sector, malloc_high
	// Diskette parameter table for INT 13h 08h (IBM AT, 11 bytes), and
	// the drive type there.
	u8 dpt[11];
	u8 fd_type;
} cd;

// Reads of the image's 512-byte sectors: whole CD sectors straight into
// the caller's buffer, partial ones through cd.buf, so nothing past the
// request is written (a boot image need not end on a CD sector).
static int emu_transfer(struct drive *d, bool write, u64 lba, u32 count,
			u8 *buf)
{
	(void)d;
	if (write)
		return DISK_ERR_WRITE_PROTECT;
	u32 v = (u32)lba; // images are below 2^32 sectors (parse checks)
	while (count) {
		u32 cd_lba = cd.boot.image_lba + v / 4, off = v % 4, n;
		int rc;
		if (!off && count >= 4) {
			n = count / 4 * 4;
			rc = drive_read(cd.cd, cd_lba, n / 4, buf);
		} else {
			n = MIN(4 - off, count);
			rc = drive_read(cd.cd, cd_lba, 1, cd.buf);
			memcpy(buf, cd.buf + off * 512, n * 512);
		}
		if (rc)
			return rc;
		v += n;
		count -= n;
		buf += n * 512;
	}
	return DISK_OK;
}

static void end_emulation(void)
{
	if (!cd.emulating)
		return;
	cd.emulating = false;
	if (cd.boot.media == ELTORITO_MEDIA_HDD)
		drive_unregister(&cd.emu);
	else
		bda_u16(BDA_EQUIPMENT) &= ~(EQUIP_FLOPPY | 0xC0);
	dprint(DL_INFO, "cdrom: emulation ended\n");
}

static const char *prepare_error(int rc)
{
	switch (rc) {
	case DISK_ERR_NO_MEDIA:
		return "no medium in the drive";
	case DISK_ERR_TIMEOUT:
		return "the medium did not become ready";
	default:
		return "the drive cannot read the medium";
	}
}

// Everything before the jump; NULL when the image is loaded and measured
// and any emulation is mapped.
static const char *load(struct drive *d)
{
	if (!cd.buf)
		return "no memory for a CD sector buffer";
	int rc = d->prepare ? d->prepare(d) : DISK_OK;
	if (rc)
		return prepare_error(rc);
	if (!d->sectors)
		return prepare_error(DISK_ERR_NO_MEDIA);
	if (d->sector_size != CD_SECTOR)
		return "the drive's sectors are not 2048 bytes";
	u32 cat;
	if (drive_read(d, ELTORITO_BRVD_LBA, 1, cd.buf))
		return "cannot read sector 17 (the boot record)";
	const char *why = eltorito_parse_brvd(cd.buf, d->sectors, &cat);
	if (why)
		return why;
	if (drive_read(d, cat, 1, cd.buf))
		return "cannot read the boot catalog";
	static const struct eltorito_window win = {CDROM_LOAD_LO, EBDA_BASE};
	struct eltorito_boot *b = &cd.boot;
	why = eltorito_parse_catalog(cd.buf, d->sectors, &win, b);
	if (why)
		return why;
	tcg_measure_cdrom_catalog(cd.buf, CD_SECTOR);
	dprint(DL_INFO,
	       "cdrom: catalog at %u: media %u, image at %u, %u sectors "
	       "to %04x:0000\n",
	       cat, b->media, b->image_lba, b->sector_count, b->load_seg);

	cd.cd = d;
	struct drive *e = &cd.emu;
	memset(e, 0, sizeof(*e));
	e->type = d->type;
	e->transfer = emu_transfer;
	e->sector_size = 512;
	e->read_only = true;
	e->bdf = d->bdf;
	e->channel = d->channel;
	e->unit = d->unit;
	e->sectors = MIN((d->sectors - b->image_lba) * 4, 0xFFFFFFFFull);
	memcpy(e->model, d->model, sizeof(e->model));
	struct eltorito_geometry g = {0};
	if (b->media == ELTORITO_MEDIA_HDD) {
		u8 mbr[512];
		if (drive_read(e, 0, 1, mbr))
			return "cannot read the disk image's MBR";
		why = eltorito_hd_geometry(mbr, e->sectors, &g);
	} else if (b->media != ELTORITO_MEDIA_NOEMU) {
		why = eltorito_floppy_geometry(b->media, &g);
	}
	if (why)
		return why;
	if (g.sectors)
		e->sectors = g.sectors;
	if (b->sector_count > e->sectors)
		return "entry loads more than the emulated disk holds";
	u8 *image = phys_ptr((u32)b->load_seg * 16);
	if (drive_read(e, 0, b->sector_count, image))
		return "cannot read the boot image";
	tcg_measure_cdrom_image(image, b->sector_count * 512u);

	if (b->media == ELTORITO_MEDIA_NOEMU)
		return NULL;
	if (b->media == ELTORITO_MEDIA_HDD) {
		if (!drive_register(e))
			return "no drive number free for the emulated disk";
		drive_make_first(e);
	} else {
		static const u8 dpt[11] = {0xAF, 0x02, 0x25, 0x02, 18,	0x1B,
					   0xFF, 0x6C, 0xF6, 0x0F, 0x08};
		memcpy(cd.dpt, dpt, sizeof(dpt));
		cd.dpt[4] = (u8)g.spt;
		cd.fd_type = g.bios_type;
		// INT 1Eh points to the diskette parameter table.
		u32 a = phys_addr(cd.dpt);
		u16 *ivt = phys_ptr(0);
		ivt[0x1E * 2] = a & 0xF;
		ivt[0x1E * 2 + 1] = a >> 4;
		bda_u16(BDA_EQUIPMENT) =
		    (bda_u16(BDA_EQUIPMENT) & ~0xC0) | EQUIP_FLOPPY;
	}
	// After drive_register, which computes a geometry of its own.
	e->cylinders = g.cylinders;
	e->heads = g.heads;
	e->spt = g.spt;
	cd.emulating = true;
	return NULL;
}

void cdrom_setup(void)
{
	if (!cd.buf)
		cd.buf = malloc_high(CD_SECTOR, 16);
}

void cdrom_boot(struct drive *d, const char *desc)
{
	printf_console("Booting from %s...\n", desc);
	tcg_measure_boot_cdrom(desc);
	const char *why = load(d);
	if (why) {
		end_emulation();
		cd.cd = NULL;
		printf_console("Boot failed: %s: %s\n", desc, why);
		return;
	}
	struct bregs r = {0};
	r.cs = cd.boot.load_seg;
	r.ip = 0;
	r.dl = cd.emulating ? cd.emu.number : CDROM_DRIVE_NUMBER;
	dprint(DL_INFO, "cdrom: jumping to %04x:0000, DL=%02x\n", r.cs, r.dl);
	boot_handoff();
	call16_far(&r);
	end_emulation();
	cd.cd = NULL;
	printf_console("Boot failed: the boot image of %s returned\n", desc);
}

struct drive *cdrom_int13_drive(u8 dl)
{
	if (!cd.cd)
		return NULL;
	if (dl == CDROM_DRIVE_NUMBER)
		return cd.cd;
	if (dl == 0 && cd.emulating && cd.boot.media != ELTORITO_MEDIA_HDD)
		return &cd.emu;
	return NULL;
}

bool cdrom_is_floppy(const struct drive *d)
{
	return d == &cd.emu && cd.boot.media != ELTORITO_MEDIA_HDD;
}

const u8 *cdrom_floppy_dpt(u8 *type)
{
	*type = cd.fd_type;
	return cd.dpt;
}

u8 cdrom_int13_4b(struct bregs *r)
{
	if (!cd.cd || r->al > 1)
		return RET_EPARAM;
	// The emulated drive, the CD's own number, or 7Fh ("any").
	bool emu = cd.emulating && r->dl == cd.emu.number;
	if (!emu && r->dl != CDROM_DRIVE_NUMBER && r->dl != 0x7F)
		return RET_EPARAM;
	struct eltorito_spec_packet *p = far_ptr(r->ds, r->si);
	const struct drive *d = cd.cd;
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->media = cd.emulating ? cd.boot.media : ELTORITO_MEDIA_NOEMU;
	p->drive = cd.emulating ? cd.emu.number : CDROM_DRIVE_NUMBER;
	p->controller = d->channel;
	p->image_lba = cd.boot.image_lba;
	p->device_spec = d->unit;
	p->load_seg = cd.boot.load_seg;
	p->sector_count = cd.boot.sector_count;
	if (cd.emulating) {
		u32 max_cyl = cd.emu.cylinders - 1u;
		p->cyl_low = (u8)max_cyl;
		p->sec_cyl_high = (u8)((max_cyl >> 2 & 0xC0) | cd.emu.spt);
		p->heads = (u8)(cd.emu.heads - 1);
	}
	if (r->al == 0)
		end_emulation();
	return RET_OK;
}

u8 *cdrom_scratch(void)
{
	return cd.buf;
}
