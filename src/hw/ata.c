// Parallel ATA disks on PCI IDE controllers (QEMU pc: PIIX3/4 at 00:01.1),
// PIO data transfers with LBA28/LBA48, and ATAPI CD-ROM drives (PACKET
// command, PIO; hw/atapi.c has the commands). Polling only: nIEN stays
// set. Register and protocol facts: ATA8-ACS (commands, IDENTIFY words)
// and ATA8-APT (task file registers, resets, the PACKET protocol).
#include "autoconf.h"
#include "hw/ata_identify.h"
#include "cdrom.h"
#include "hw/atapi.h"
#include "hw/block.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "hw/pci.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"

// Command block registers, offsets from the command base.
#define REG_DATA 0
#define REG_ERROR 1
#define REG_NSECT 2
#define REG_LBAL 3
#define REG_LBAM 4
#define REG_LBAH 5
#define REG_DEVICE 6
#define REG_STATUS 7 // write: command
// Control block: alternate status (read) / device control (write).

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80

#define CTL_NIEN 0x02
#define CTL_SRST 0x04

#define DEV_LBA 0x40
#define DEV_OBS 0xA0 // obsolete bits 7 and 5, set for old devices

#define CMD_READ_SECTORS 0x20
#define CMD_READ_SECTORS_EXT 0x24
#define CMD_WRITE_SECTORS 0x30
#define CMD_WRITE_SECTORS_EXT 0x34
#define CMD_IDENTIFY 0xEC
#define CMD_PACKET 0xA0
#define CMD_IDENTIFY_PACKET 0xA1

// PACKET: byte count limit per DRQ block, even and a multiple of 2048.
#define PACKET_BYTE_LIMIT 0xF800

// Devices may keep BSY up to 31 s after a reset (ATA8-APT); commands on
// QEMU finish at once, so 10 s bounds the cost of a broken device.
#define BUSY_TIMEOUT_US 10000000
#define LBA28_LIMIT (1u << 28)
// How long a software reset may take to show its signature.
#define RESET_SIGNATURE_US 1000000

struct ata_disk {
	struct drive d;
	u16 cmd, ctrl;
	u8 unit;
	bool lba48;
};

// The 400 ns a device needs after selection before its status is valid:
// four alternate-status reads (ATA8-APT, device selection protocol).
static void delay400(u16 ctrl)
{
	for (int i = 0; i < 4; i++)
		inb(ctrl);
}

static u8 wait_not_busy(u16 cmd, u16 ctrl)
{
	u64 end = clock_deadline(BUSY_TIMEOUT_US);
	for (;;) {
		u8 st = inb(ctrl);
		if (!(st & ST_BSY))
			return inb(cmd + REG_STATUS);
		if (clock_expired(end))
			return 0xFF;
	}
}

static void select_unit(u16 cmd, u16 ctrl, u8 unit, u8 bits)
{
	outb(DEV_OBS | unit << 4 | bits, cmd + REG_DEVICE);
	delay400(ctrl);
}

// Issue a read or write of `count` (1..256) sectors and move the data.
static int pio_command(struct ata_disk *a, bool write, u64 lba, u32 count,
		       u8 *buf)
{
	u16 cmd = a->cmd;
	u8 st = wait_not_busy(cmd, a->ctrl);
	if (st & ST_BSY)
		return DISK_ERR_TIMEOUT;
	bool ext = a->lba48 && (lba + count > LBA28_LIMIT);
	if (ext) {
		select_unit(cmd, a->ctrl, a->unit, DEV_LBA);
		// 48-bit: the "previous" (high) bytes go first, then the low.
		outb(count >> 8 & 0xFF, cmd + REG_NSECT);
		outb(lba >> 24 & 0xFF, cmd + REG_LBAL);
		outb(lba >> 32 & 0xFF, cmd + REG_LBAM);
		outb(lba >> 40 & 0xFF, cmd + REG_LBAH);
		outb(count & 0xFF, cmd + REG_NSECT);
		outb(lba & 0xFF, cmd + REG_LBAL);
		outb(lba >> 8 & 0xFF, cmd + REG_LBAM);
		outb(lba >> 16 & 0xFF, cmd + REG_LBAH);
		outb(write ? CMD_WRITE_SECTORS_EXT : CMD_READ_SECTORS_EXT,
		     cmd + REG_STATUS);
	} else {
		select_unit(cmd, a->ctrl, a->unit, DEV_LBA | (lba >> 24 & 0xF));
		outb(count & 0xFF, cmd + REG_NSECT); // 0 = 256
		outb(lba & 0xFF, cmd + REG_LBAL);
		outb(lba >> 8 & 0xFF, cmd + REG_LBAM);
		outb(lba >> 16 & 0xFF, cmd + REG_LBAH);
		outb(write ? CMD_WRITE_SECTORS : CMD_READ_SECTORS,
		     cmd + REG_STATUS);
	}
	delay400(a->ctrl);
	for (u32 i = 0; i < count; i++, buf += 512) {
		st = wait_not_busy(cmd, a->ctrl);
		if (st & ST_BSY)
			return DISK_ERR_TIMEOUT;
		if (st & (ST_ERR | ST_DF) || !(st & ST_DRQ)) {
			dprint(DL_ERR,
			       "ata: %s lba %u failed, status %02x "
			       "error %02x\n",
			       write ? "write" : "read", (u32)lba + i, st,
			       inb(cmd + REG_ERROR));
			return DISK_ERR_IO;
		}
		u16 *w = (u16 *)buf;
		if (write)
			for (int j = 0; j < 256; j++)
				outw(w[j], cmd + REG_DATA);
		else
			for (int j = 0; j < 256; j++)
				w[j] = inw(cmd + REG_DATA);
		delay400(a->ctrl);
	}
	// Writes complete when BSY drops after the last block.
	st = wait_not_busy(cmd, a->ctrl);
	if (st & ST_BSY)
		return DISK_ERR_TIMEOUT;
	if (st & (ST_ERR | ST_DF))
		return DISK_ERR_IO;
	return DISK_OK;
}

static int ata_rw(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	struct ata_disk *a = container_of(d, struct ata_disk, d);
	while (count) {
		u32 n = MIN(count, 256u);
		int rc = pio_command(a, write, lba, n, buf);
		if (rc)
			return rc;
		lba += n;
		count -= n;
		buf += n * 512;
	}
	return DISK_OK;
}

// The PACKET command, PIO data-in (ATA8-APT 11.8 "PACKET command
// protocol"): the command, the 12-byte packet when the device asks for it
// (DRQ), then DRQ blocks whose size the device puts in LBA mid/high.
static int ata_packet(struct drive *d, const u8 *cdb, void *buf, u32 len)
{
	struct ata_disk *a = container_of(d, struct ata_disk, d);
	u16 cmd = a->cmd, ctrl = a->ctrl;
	if (wait_not_busy(cmd, ctrl) & ST_BSY)
		return DISK_ERR_TIMEOUT;
	select_unit(cmd, ctrl, a->unit, 0);
	u32 limit = MIN(len, (u32)PACKET_BYTE_LIMIT);
	outb(0, cmd + REG_ERROR); // features: PIO, no overlap
	outb(limit & 0xFF, cmd + REG_LBAM);
	outb(limit >> 8, cmd + REG_LBAH);
	outb(CMD_PACKET, cmd + REG_STATUS);
	delay400(ctrl);
	u8 st = wait_not_busy(cmd, ctrl);
	if (st & ST_BSY)
		return DISK_ERR_TIMEOUT;
	if (st & (ST_ERR | ST_DF) || !(st & ST_DRQ))
		return DISK_ERR_IO;
	const u16 *w = (const u16 *)cdb;
	for (int i = 0; i < 6; i++)
		outw(w[i], cmd + REG_DATA);
	delay400(ctrl);
	u8 *p = buf;
	u32 done = 0;
	for (;;) {
		st = wait_not_busy(cmd, ctrl);
		if (st & ST_BSY)
			return DISK_ERR_TIMEOUT;
		if (st & (ST_ERR | ST_DF)) {
			dprint(DL_DETAIL,
			       "%s: packet %02x: status %02x error %02x\n",
			       d->model, cdb[0], st, inb(cmd + REG_ERROR));
			return DISK_ERR_IO;
		}
		if (!(st & ST_DRQ))
			break;
		u32 n = inb(cmd + REG_LBAM) | inb(cmd + REG_LBAH) << 8;
		// A device that keeps asking for transfers past the request
		// is broken; stop before looping for ever.
		if (!n || done > len + PACKET_BYTE_LIMIT)
			return DISK_ERR_IO;
		for (u32 i = 0; i < n; i += 2, done += 2) {
			u16 v = inw(cmd + REG_DATA);
			if (done < len)
				p[done] = (u8)v;
			if (done + 1 < len)
				p[done + 1] = v >> 8;
		}
		delay400(ctrl);
	}
	return done >= len ? DISK_OK : DISK_ERR_IO;
}

static int ata_cd_prepare(struct drive *d)
{
	return atapi_prepare(d, ata_packet);
}

static int ata_cd_rw(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	if (write)
		return DISK_ERR_WRITE_PROTECT;
	return atapi_read(d, ata_packet, lba, count, buf);
}

// Is anything decoding this unit's task file? Absent units read back 0 or
// the floating bus, not the pattern.
static bool unit_present(u16 cmd, u16 ctrl, u8 unit)
{
	select_unit(cmd, ctrl, unit, 0);
	outb(0x55, cmd + REG_NSECT);
	outb(0xAA, cmd + REG_LBAL);
	outb(0xAA, cmd + REG_NSECT);
	outb(0x55, cmd + REG_LBAL);
	outb(0x55, cmd + REG_NSECT);
	outb(0xAA, cmd + REG_LBAL);
	return inb(cmd + REG_NSECT) == 0x55 && inb(cmd + REG_LBAL) == 0xAA;
}

// Signature left in LBA mid/high by a reset: 14h/EBh packet device
// (ATAPI), 69h/96h SATA packet device.
static bool is_packet_signature(u16 cmd)
{
	u8 m = inb(cmd + REG_LBAM), h = inb(cmd + REG_LBAH);
	return (m == 0x14 && h == 0xEB) || (m == 0x69 && h == 0x96);
}

// IDENTIFY DEVICE or IDENTIFY PACKET DEVICE into id[]; false when the
// device does not answer with data.
static bool identify(u16 cmd, u16 ctrl, u8 command, u16 *id)
{
	outb(command, cmd + REG_STATUS);
	delay400(ctrl);
	u8 st = wait_not_busy(cmd, ctrl);
	if (st & (ST_BSY | ST_ERR) || !(st & ST_DRQ))
		return false;
	for (int i = 0; i < 256; i++)
		id[i] = inw(cmd + REG_DATA);
	return true;
}

static void setup_unit(u16 bdf, u8 chan, u16 cmd, u16 ctrl, u8 irq, u8 unit)
{
	select_unit(cmd, ctrl, unit, 0);
	if (wait_not_busy(cmd, ctrl) & ST_BSY) {
		dprint(DL_ERR, "ata%d-%d: busy after reset\n", chan, unit);
		return;
	}
	u16 id[256];
	// Packet devices show their signature after the reset, and abort
	// IDENTIFY DEVICE showing it again.
	bool packet = is_packet_signature(cmd), ok = false;
	if (!packet && !(ok = identify(cmd, ctrl, CMD_IDENTIFY, id)))
		packet = is_packet_signature(cmd);
	if (packet && !HAVE_CDROM) {
		printf_console("ata%d-%d: ATAPI device (CD-ROM), skipped\n",
			       chan, unit);
		return;
	}
	if (packet)
		ok = identify(cmd, ctrl, CMD_IDENTIFY_PACKET, id);
	if (!ok) {
		dprint(DL_INFO, "ata%d-%d: no %s device\n", chan, unit,
		       packet ? "ATAPI" : "ATA");
		return;
	}
	struct ata_identity ident;
	const char *why = packet ? atapi_identify_parse(id, ident.model)
				 : ata_identify_parse(id, &ident);
	if (why) {
		printf_console("ata%d-%d: %s, skipped\n", chan, unit, why);
		return;
	}
	struct ata_disk *a = malloc_high(sizeof(*a), 4);
	if (!a)
		return;
	a->cmd = cmd;
	a->ctrl = ctrl;
	a->unit = unit;
	struct drive *d = &a->d;
	d->bdf = bdf;
	d->channel = chan;
	d->unit = unit;
	d->io_base = cmd;
	d->ctrl_base = ctrl;
	d->irq = irq;
	d->priv = a;
	char where[8];
	snprintf(where, sizeof(where), "ata%d-%d", chan, unit);
	if (packet) {
		d->type = DRIVE_ATAPI;
		d->transfer = ata_cd_rw;
		d->prepare = ata_cd_prepare;
		atapi_register(d, where, ident.model);
		return;
	}
	a->lba48 = ident.lba48;
	u64 sectors = ident.sectors;
	d->type = DRIVE_ATA;
	d->transfer = ata_rw;
	d->sector_size = 512;
	d->sectors = sectors;
	snprintf(d->model, sizeof(d->model), "%s: %s", where, ident.model);
	printf_console("%s, %u MiB%s\n", d->model, (u32)(sectors >> 11),
		       a->lba48 ? " (LBA48)" : "");
	drive_register(d);
}

static void setup_channel(u16 bdf, u8 chan, u16 cmd, u16 ctrl, u8 irq)
{
	// A channel with nothing attached floats: status reads FFh.
	if (inb(cmd + REG_STATUS) == 0xFF) {
		dprint(DL_DETAIL, "ata%d: no devices\n", chan);
		return;
	}
	bool present[2];
	for (u8 u = 0; u < 2; u++)
		present[u] = unit_present(cmd, ctrl, u);
	if (!present[0] && !present[1])
		return;
	// Software reset (SRST at least 5 us), leaving interrupts disabled.
	// The reset is over when the devices show their reset signature
	// (sector count and LBA low 01h, ATA8-APT 9.12) in place of the
	// pattern written above: QEMU carries the reset out later, in a bottom
	// half, and a command sent before that is lost (seen under host load:
	// "no ATA device"). That positive sign replaces the protocol's blind
	// 2 ms wait before status is read (2 ms a channel, at every boot): a
	// stale status can no longer be mistaken for the end of the reset.
	outb(CTL_NIEN | CTL_SRST, ctrl);
	udelay(5);
	outb(CTL_NIEN, ctrl);
	u64 end = clock_deadline(RESET_SIGNATURE_US);
	while (!(inb(cmd + REG_NSECT) == 1 && inb(cmd + REG_LBAL) == 1) &&
	       !clock_expired(end))
		udelay(20); // halts in POST: QEMU's main loop runs the reset
	for (u8 u = 0; u < 2; u++)
		if (present[u])
			setup_unit(bdf, chan, cmd, ctrl, irq, u);
}

void ata_setup(void)
{
	for_each_pci_device(p)
	{
		if (p->class != PCI_CLASS_STORAGE_IDE)
			continue;
		// Intel PIIX IDETIM bit 15: decode enable for each channel.
		if (p->vendor == 0x8086) {
			pci_write16(p->bdf, 0x40,
				    pci_read16(p->bdf, 0x40) | 0x8000);
			pci_write16(p->bdf, 0x42,
				    pci_read16(p->bdf, 0x42) | 0x8000);
		}
		for (u8 chan = 0; chan < 2; chan++) {
			// Programming interface bit 0 (primary) / bit 2
			// (secondary): native PCI mode, ports from BARs
			// (PCI IDE Controller Specification 1.0).
			u16 cmd = chan ? 0x170 : 0x1F0;
			u16 ctrl = chan ? 0x376 : 0x3F6;
			u8 irq = chan ? 15 : 14;
			if (p->prog_if & (1 << (chan * 2))) {
				u32 b0 =
				    pci_read32(p->bdf, PCI_BAR0 + chan * 8);
				u32 b1 =
				    pci_read32(p->bdf, PCI_BAR0 + chan * 8 + 4);
				if (!(b0 & 1) || !(b1 & 1))
					continue;
				cmd = b0 & ~3u;
				ctrl = (b1 & ~3u) + 2;
				irq = pci_read8(p->bdf, PCI_INTERRUPT_LINE);
			}
			setup_channel(p->bdf, chan, cmd, ctrl, irq);
		}
	}
}
