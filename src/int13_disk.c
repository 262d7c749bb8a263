// INT 13h disk services for hard disks (DL >= 80h): the IBM AT functions in
// CHS terms on the logical geometry from block.c, and the EDD 3.0 extensions
// (41h-48h) in LBA terms. There are no diskette drives: DL < 80h answers
// "no such drive" or "not ready", except for the diskette an El Torito CD
// emulates. A booted CD (cdrom.c) is drive E0h with 2048-byte sectors
// (EDD functions only) and answers 4Bh.
#include "hw/block.h"
#include "autoconf.h"
#include "bregs.h"
#include "cdrom.h"
#include "hw/pci.h"
#include "lib/string.h"
#include "output.h"
#include "lib/bda.h"

void handle_13(struct bregs *r);

// Status codes returned in AH (IBM PC AT BIOS; Phoenix EDD 3.0 keeps them).
#define RET_OK 0x00
#define RET_EPARAM 0x01 // bad function, parameter or drive number
#define RET_WRITE_PROTECT 0x03
#define RET_NOT_FOUND 0x04  // sector not found: beyond the end of the disk
#define RET_CONTROLLER 0x20 // the device reported an error
#define RET_NO_MEDIA 0x31   // EDD: no media in drive
#define RET_TIMEOUT 0x80    // not ready / no answer

#define BDA_FD_STATUS 0x41
#define BDA_HD_STATUS 0x74

#define SECTOR 512
// Phoenix EDD 3.0, "Device Address Packet": at most 127 blocks per call.
#define EDD_MAX_BLOCKS 127
// EDD-4 (T13/2132-D) 8.20: CHS fields of 48h are valid up to this size.
#define EDD_CHS_MAX_SECTORS 15482880u

struct edd_dap {
	u8 size; // 0x10, or >= 0x18 with the 64-bit buffer address
	u8 reserved;
	u16 count;
	u16 off, seg; // FFFF:FFFF = use `flat`
	u64 lba;
	u64 flat;
} PACKED;

// INT 13h 48h result buffer: 0x1A bytes (EDD 1.1), 0x1E (2.0, DPTE),
// 0x42 (Phoenix EDD 3.0) or 0x4A (T13 EDD-3/EDD-4: 16-byte device path).
struct edd_params {
	u16 size;
	u16 flags;
	u32 cylinders, heads, spt;
	u64 sectors;
	u16 sector_size;
	u32 dpte;    // seg:off, FFFF:FFFF = none
	u16 key;     // 0xBEDD: device path present
	u8 path_len; // bytes from `key` to the checksum, inclusive
	u8 reserved1;
	u16 reserved2;
	char host_bus[4];
	char iface[8];
	u8 iface_path[8];
	u8 dev_path[16];
	u8 reserved3;
	u8 checksum;
} PACKED;
STATIC_ASSERT(sizeof(struct edd_params) == 0x4A, "EDD result buffer");
STATIC_ASSERT(offsetof(struct edd_params, dev_path) == 0x38, "EDD layout");

#define EDD_FLAG_DMA_BOUNDARY 0x01 // DMA boundary errors handled
#define EDD_FLAG_CHS_VALID 0x02
#define EDD_FLAG_REMOVABLE 0x04
#define EDD_FLAG_WRITE_VERIFY 0x08

// Phoenix EDD 3.0 "Device Parameter Table Extension" (ATA only).
struct edd_dpte {
	u16 io_base, ctrl_base;
	u8 head_flags; // bit 4 slave, bit 6 LBA
	u8 vendor;
	u8 irq;
	u8 multi_sector;
	u8 dma, pio;
	u16 options;
	u16 reserved;
	u8 revision;
	u8 checksum;
} PACKED;
STATIC_ASSERT(sizeof(struct edd_dpte) == 16, "DPTE is 16 bytes");

#define DPTE_OPT_CHS_XLATE 0x0008
#define DPTE_OPT_LBA 0x0010
#define DPTE_OPT_XLATE_LBA_ASSIST 0x0200 // bits 9-10 = 01
#define DPTE_OPT_REMOVABLE 0x0020
#define DPTE_OPT_ATAPI 0x0040

// EDD-4 8.20: the DPTE may be a buffer the next call overwrites.
static struct edd_dpte dpte;
// Bounce area for verify (no caller buffer); DMA-safe alignment.
static u8 scratch[SECTOR] ALIGNED(16);
// Last status per drive: 80h+ by number, then the emulated diskette and
// the CD.
#define SLOT_FLOPPY MAX_DRIVES
#define SLOT_CD (MAX_DRIVES + 1)
static u8 last_status[MAX_DRIVES + 2];

enum xfer_op { OP_READ, OP_WRITE, OP_WRITE_VERIFY, OP_VERIFY, OP_SEEK };

static u8 status_of(int rc)
{
	switch (rc) {
	case DISK_OK:
		return RET_OK;
	case DISK_ERR_RANGE:
		return RET_NOT_FOUND;
	case DISK_ERR_TIMEOUT:
		return RET_TIMEOUT;
	case DISK_ERR_WRITE_PROTECT:
		return RET_WRITE_PROTECT;
	case DISK_ERR_NO_MEDIA:
		return RET_NO_MEDIA;
	default:
		return RET_CONTROLLER;
	}
}

static int verify_sector(struct drive *d, u64 lba, const u8 *expect)
{
	u8 *buf = scratch;
	if (HAVE_CDROM && d->sector_size != SECTOR)
		buf = cdrom_scratch();
	int rc = drive_read(d, lba, 1, buf);
	if (rc == DISK_OK && expect && memcmp(buf, expect, d->sector_size))
		rc = DISK_ERR_IO;
	return rc;
}

static int rw(struct drive *d, enum xfer_op op, u64 lba, u32 count, u8 *buf)
{
	return op == OP_READ ? drive_read(d, lba, count, buf)
			     : drive_write(d, lba, count, buf);
}

// Transfer `count` sectors; `*done` gets the number that really completed.
// After a device error the request is redone one sector at a time, so a
// bad sector ends the transfer exactly there (EDD 3.0: the packet's block
// count returns the blocks actually transferred).
static u8 xfer(struct drive *d, enum xfer_op op, u64 lba, u32 count, u8 *buf,
	       u32 *done)
{
	*done = 0;
	if (lba >= d->sectors || count > d->sectors - lba)
		return RET_NOT_FOUND;
	if (!count || op == OP_SEEK)
		return RET_OK;
	if (d->media == MEDIA_CDROM &&
	    (op == OP_WRITE || op == OP_WRITE_VERIFY))
		return RET_WRITE_PROTECT;
	u32 n = 0, size = d->sector_size;
	int rc = DISK_OK;
	if (op != OP_VERIFY) {
		rc = rw(d, op, lba, count, buf);
		if (rc == DISK_ERR_IO && count > 1) {
			while (n < count && (rc = rw(d, op, lba + n, 1,
						     buf + n * size)) == 0)
				n++;
		}
		if (rc) {
			*done = n;
			return status_of(rc);
		}
	}
	if (op == OP_VERIFY || op == OP_WRITE_VERIFY) {
		for (n = 0; n < count; n++) {
			rc = verify_sector(
			    d, lba + n,
			    op == OP_WRITE_VERIFY ? buf + n * size : NULL);
			if (rc)
				break;
		}
		*done = n;
		return status_of(rc);
	}
	*done = count;
	return RET_OK;
}

// CH = cylinder bits 0-7, CL bits 6-7 = cylinder bits 8-9, CL bits 0-5 =
// sector (1-based), DH = head.
static u8 chs_to_lba(const struct bregs *r, const struct drive *d, u32 *lba)
{
	u32 cyl = r->ch | (u32)(r->cl & 0xC0) << 2;
	u32 sector = r->cl & 0x3F;
	u32 head = r->dh;
	if (!sector || sector > d->spt || head >= d->heads ||
	    cyl >= d->cylinders)
		return RET_EPARAM;
	*lba = (cyl * d->heads + head) * d->spt + sector - 1;
	return RET_OK;
}

// 02h read, 03h write, 04h verify, 0Ch seek: AL sectors at CH/CL/DH, data
// at ES:BX; AL returns the sectors transferred.
static u8 chs_op(struct bregs *r, struct drive *d, enum xfer_op op)
{
	u32 count = op == OP_SEEK ? 1 : r->al;
	u32 lba, done = 0;
	u8 st = RET_EPARAM;
	// A CD without emulation has no CHS geometry (El Torito: EDD only).
	if (d->sector_size != SECTOR)
		count = 0;
	if (count && count <= 128 && (st = chs_to_lba(r, d, &lba)) == RET_OK)
		st = xfer(d, op, lba, count, far_ptr(r->es, r->bx), &done);
	if (op != OP_SEEK)
		r->al = done;
	return st;
}

// 08h: maximum cylinder/head/sector numbers and the hard disk count.
// An emulated diskette: BL its type, DL the diskette count, ES:DI its
// parameter table.
static u8 get_params(struct bregs *r, struct drive *d)
{
	if (d->sector_size != SECTOR)
		return RET_EPARAM;
	u32 max_cyl = d->cylinders - 1;
	r->al = 0;
	r->ch = max_cyl & 0xFF;
	r->cl = (max_cyl >> 2 & 0xC0) | (d->spt & 0x3F);
	r->dh = d->heads - 1;
	r->dl = drive_count();
	if (HAVE_CDROM && cdrom_is_floppy(d)) {
		u32 a = phys_addr(cdrom_floppy_dpt(&r->bl));
		r->bh = 0;
		r->dl = 1;
		r->es = a >> 4;
		r->di = a & 0xF;
	}
	return RET_OK;
}

// 42h/43h/44h/47h with the device address packet at DS:SI.
static u8 ext_op(struct bregs *r, struct drive *d, enum xfer_op op)
{
	struct edd_dap *dap = far_ptr(r->ds, r->si);
	if (dap->size < 0x10)
		return RET_EPARAM;
	if (op == OP_SEEK)
		return dap->lba < d->sectors ? RET_OK : RET_NOT_FOUND;
	u32 count = dap->count;
	dap->count = 0;
	if (count > EDD_MAX_BLOCKS)
		return RET_EPARAM;
	u8 *buf = NULL;
	if (op != OP_VERIFY) {
		if (dap->seg == 0xFFFF && dap->off == 0xFFFF) {
			// The 64-bit address exists only in 0x18-byte packets,
			// and this firmware reaches only the first 4 GiB.
			if (dap->size < 0x18 || dap->flat >= 0x100000000ull ||
			    dap->flat + (u64)count * d->sector_size >
				0x100000000ull)
				return RET_EPARAM;
			buf = phys_ptr((u32)dap->flat);
		} else {
			buf = far_ptr(dap->seg, dap->off);
		}
	}
	u32 done;
	u8 st = xfer(d, op, dap->lba, count, buf, &done);
	dap->count = done;
	return st;
}

static void fill_dpte(const struct drive *d)
{
	memset(&dpte, 0, sizeof(dpte));
	dpte.io_base = d->io_base;
	dpte.ctrl_base = d->ctrl_base;
	dpte.head_flags = 0xA0 | 0x40 | (d->unit ? 0x10 : 0);
	dpte.irq = d->irq & 0x0F;
	dpte.multi_sector = 1;
	dpte.options =
	    DPTE_OPT_LBA | DPTE_OPT_CHS_XLATE | DPTE_OPT_XLATE_LBA_ASSIST;
	if (d->type == DRIVE_ATAPI)
		dpte.options = DPTE_OPT_REMOVABLE | DPTE_OPT_ATAPI;
	dpte.revision = 0x11;
	u8 sum = 0;
	for (u32 i = 0; i < sizeof(dpte) - 1; i++)
		sum += ((u8 *)&dpte)[i];
	dpte.checksum = -sum;
}

// EDD 3.0 device path. ATA: PCI function, channel, master/slave. AHCI:
// "SATA" with the port (EDD-4 8.20.3); the channel byte is FFh for a SATA
// controller in native mode. virtio-scsi: "SCSI" with its target and LUN.
// virtio-blk and NVMe have no EDD interface type of their own: they are
// described as "SCSI" target 0 LUN 0 so that the OS can still match the
// disk to its PCI function through the interface path.
static void fill_device_path(struct edd_params *p, const struct drive *d,
			     u8 len)
{
	p->key = 0xBEDD;
	p->path_len = len;
	memcpy(p->host_bus, "PCI ", 4);
	p->iface_path[0] = PCI_BUS(d->bdf);
	p->iface_path[1] = PCI_DEV(d->bdf);
	p->iface_path[2] = PCI_FN(d->bdf);
	p->iface_path[3] = 0xFF;
	switch (d->type) {
	case DRIVE_ATA:
		memcpy(p->iface, "ATA     ", 8);
		p->iface_path[3] = d->channel;
		p->dev_path[0] = d->unit;
		break;
	case DRIVE_ATAPI:
		memcpy(p->iface, "ATAPI   ", 8);
		p->iface_path[3] = d->channel;
		p->dev_path[0] = d->unit;
		break;
	case DRIVE_AHCI:
	case DRIVE_AHCI_ATAPI:
		memcpy(p->iface, "SATA    ", 8);
		p->dev_path[0] = d->channel;
		break;
	case DRIVE_VIRTIO_SCSI:
		// T13 EDD-3 SCSI device path: word target, qword LUN.
		memcpy(p->iface, "SCSI    ", 8);
		p->dev_path[0] = d->channel;
		p->dev_path[2] = d->unit;
		break;
	default:
		memcpy(p->iface, "SCSI    ", 8);
		break;
	}
	u8 *b = (u8 *)&p->key, sum = 0;
	for (u32 i = 0; i < len - 1u; i++)
		sum += b[i];
	b[len - 1] = -sum;
}

// 48h: drive parameters into the caller's buffer at DS:SI, as much as its
// size word allows.
static u8 ext_params(struct bregs *r, struct drive *d)
{
	u8 *out = far_ptr(r->ds, r->si);
	u16 size = out[0] | out[1] << 8;
	if (size < 0x1A)
		return RET_EPARAM;
	struct edd_params p;
	memset(&p, 0, sizeof(p));
	p.size = 0x1A;
	p.flags = EDD_FLAG_DMA_BOUNDARY | EDD_FLAG_WRITE_VERIFY;
	// Physical geometry in the ATA default translation (16 heads, 63
	// sectors), or its maximum when the disk is too large for CHS. A CD
	// has none: removable, no CHS.
	p.heads = 16;
	p.spt = 63;
	p.cylinders = 16383;
	if (d->media == MEDIA_CDROM) {
		p.flags = EDD_FLAG_DMA_BOUNDARY | EDD_FLAG_REMOVABLE;
		p.heads = p.spt = p.cylinders = 0;
	} else if (d->sectors <= EDD_CHS_MAX_SECTORS) {
		p.flags |= EDD_FLAG_CHS_VALID;
		p.cylinders = (u32)d->sectors / (16 * 63);
	}
	p.sectors = d->sectors;
	p.sector_size = d->sector_size;
	if (size >= 0x1E) {
		p.size = 0x1E;
		p.dpte = 0xFFFFFFFF;
		if (d->type == DRIVE_ATA || d->type == DRIVE_ATAPI) {
			fill_dpte(d);
			u32 a = phys_addr(&dpte);
			p.dpte = (a >> 4) << 16 | (a & 0xF);
		}
	}
	if (size >= 0x4A) {
		p.size = 0x4A;
		fill_device_path(&p, d, 0x2C);
	} else if (size >= 0x42) {
		p.size = 0x42;
		fill_device_path(&p, d, 0x24);
	}
	memcpy(out, &p, p.size);
	return RET_OK;
}

// Returns the status; `*ok_ah` is what AH holds on success (0 mostly).
static u8 disk_op(struct bregs *r, struct drive *d, int index, u8 *ok_ah)
{
	switch (r->ah) {
	case 0x00: // reset
	case 0x09: // initialise drive parameters
	case 0x0D: // alternate reset
	case 0x10: // test ready
	case 0x11: // recalibrate
	case 0x14: // controller diagnostic
	case 0x4E: // EDD 3.0 set hardware configuration: nothing to tune
		return RET_OK;
	case 0x01:
		*ok_ah = last_status[index];
		return last_status[index];
	case 0x02:
		return chs_op(r, d, OP_READ);
	case 0x03:
		return chs_op(r, d, OP_WRITE);
	case 0x04:
		return chs_op(r, d, OP_VERIFY);
	case 0x08:
		return get_params(r, d);
	case 0x0C:
		return chs_op(r, d, OP_SEEK);
	case 0x15: { // fixed disk, CX:DX = CHS-addressable sectors
		if (d->sector_size != SECTOR)
			return RET_EPARAM;
		if (HAVE_CDROM && cdrom_is_floppy(d)) {
			*ok_ah = 1; // diskette without change line
			return RET_OK;
		}
		u32 n = (u32)d->cylinders * d->heads * d->spt;
		r->cx = n >> 16;
		r->dx = n & 0xFFFF;
		*ok_ah = 3;
		return RET_OK;
	}
	case 0x41: // EDD installation check
		if (r->bx != 0x55AA)
			return RET_EPARAM;
		r->bx = 0xAA55;
		r->cx = 0x0001 | 0x0004; // 42h-44h/47h/48h, EDD (DPTE, path)
		*ok_ah = 0x30;		 // EDD 3.0
		return RET_OK;
	case 0x42:
		return ext_op(r, d, OP_READ);
	case 0x43:
		if (r->al > 2)
			return RET_EPARAM;
		return ext_op(r, d, r->al == 2 ? OP_WRITE_VERIFY : OP_WRITE);
	case 0x44:
		return ext_op(r, d, OP_VERIFY);
	case 0x47:
		return ext_op(r, d, OP_SEEK);
	case 0x48:
		return ext_params(r, d);
	default:
		return RET_EPARAM;
	}
}

// No diskette drives: 15h says "no such drive", 01h returns the last
// status, everything else times out (drive not ready).
static void diskette(struct bregs *r)
{
	u8 st = RET_TIMEOUT;
	switch (r->ah) {
	case 0x15:
		r->ah = 0;
		set_cf(r, 0);
		return;
	case 0x01:
		st = bda_u8(BDA_FD_STATUS);
		r->ah = st;
		set_cf(r, st != 0);
		return;
	case 0x08:
		r->ax = r->bx = r->cx = r->dx = 0; // DL = 0 diskette drives
		st = RET_EPARAM;
		break;
	}
	bda_u8(BDA_FD_STATUS) = st;
	set_fail(r, st);
}

void handle_13(struct bregs *r)
{
	u8 fn = r->ah, ok_ah = 0, st;
	struct drive *d = NULL;
	int index = r->dl - 0x80;
	if (HAVE_CDROM && (d = cdrom_int13_drive(r->dl)))
		index = r->dl < 0x80 ? SLOT_FLOPPY : SLOT_CD;
	else if (r->dl < 0x80 && !(HAVE_CDROM && fn == 0x4B)) {
		diskette(r);
		return;
	} else if (index >= 0)
		d = drive_by_number(r->dl);
	if (HAVE_CDROM && fn == 0x4B) {
		// El Torito status/terminate: the CD, its emulated drive or
		// 7Fh, whether that drive is still mapped or not.
		st = cdrom_int13_4b(r);
	} else if (!d) {
		// 15h has an answer for a missing drive: type 0, no such drive.
		if (fn == 0x15) {
			r->ah = 0;
			set_cf(r, 0);
			return;
		}
		st = RET_EPARAM;
	} else {
		st = disk_op(r, d, index, &ok_ah);
	}
	if (fn != 0x01) {
		bda_u8(index == SLOT_FLOPPY ? BDA_FD_STATUS : BDA_HD_STATUS) =
		    st;
		if (d && index >= 0)
			last_status[index] = st;
	}
	if (st) {
		dprint(DL_DETAIL, "int13: ah=%02x dl=%02x failed: %02x\n", fn,
		       r->dl, st);
		set_fail(r, st);
	} else {
		r->ah = ok_ah;
		set_cf(r, 0);
	}
}
