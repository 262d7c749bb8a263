// AHCI SATA disks and ATAPI CD-ROM drives (QEMU q35: ICH9 at 00:1f.2; any
// PCI class 01/06/01), one command slot per port, polled, DMA straight
// into the caller's buffer when it is word-aligned, else through a bounce
// buffer. Register and structure facts: Serial ATA AHCI 1.3 (sections
// named where used); command facts: ATA8-ACS; CD commands: hw/atapi.c.
#include "autoconf.h"
#include "hw/ata_identify.h"
#include "cdrom.h"
#include "hw/atapi.h"
#include "hw/block.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "hw/pci.h"
#include "lib/format.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"

// 3.1 Generic host control.
#define HBA_CAP 0x00
#define HBA_GHC 0x04
#define HBA_PI 0x0C
#define CAP_SSS (1u << 27)  // staggered spin-up
#define CAP_SCLO (1u << 24) // command list override
#define GHC_HR (1u << 0)
#define GHC_AE (1u << 31)

// 3.3 Port registers.
#define PORT_BASE(abar, n) ((abar) + 0x100 + (n)*0x80)
#define PX_CLB 0x00
#define PX_CLBU 0x04
#define PX_FB 0x08
#define PX_FBU 0x0C
#define PX_IS 0x10
#define PX_IE 0x14
#define PX_CMD 0x18
#define PX_TFD 0x20
#define PX_SIG 0x24
#define PX_SSTS 0x28
#define PX_SERR 0x30
#define PX_CI 0x38

#define CMD_ST (1u << 0)
#define CMD_SUD (1u << 1)
#define CMD_CLO (1u << 3)
#define CMD_FRE (1u << 4)
#define CMD_FR (1u << 14)
#define CMD_CR (1u << 15)

// PxIS: task file error, host bus data/fatal error, interface fatal error.
#define IS_ERRORS ((1u << 30) | (1u << 29) | (1u << 28) | (1u << 27))

#define TFD_ERR 0x01
#define TFD_DRQ 0x08
#define TFD_DF 0x20
#define TFD_BSY 0x80

#define SSTS_DET_MASK 0xF
#define DET_PRESENT 1 // device detected, no Phy communication yet
#define DET_ESTABLISHED 3

// 3.3.9 PxSIG for a SATA disk; packet devices show EB140101.
#define SIG_ATA 0x00000101
#define SIG_ATAPI 0xEB140101

#define ATA_READ_DMA 0xC8
#define ATA_READ_DMA_EXT 0x25
#define ATA_WRITE_DMA 0xCA
#define ATA_WRITE_DMA_EXT 0x35
#define ATA_IDENTIFY 0xEC
#define ATA_PACKET 0xA0
#define ATA_IDENTIFY_PACKET 0xA1

#define FIS_TYPE_REG_H2D 0x27

// 10.1.2 / 10.4: ST/FRE changes settle within 500 ms, HBA reset in 1 s.
#define ENGINE_TIMEOUT_US 500000
#define RESET_TIMEOUT_US 1000000
#define LINK_TIMEOUT_US 10000	     // links back after an HBA reset
#define LINK_SLOW_TIMEOUT_US 1000000 // device seen, Phy still coming up
#define BUSY_TIMEOUT_US 10000000     // spin-up / command completion

// 4.2.2 Command header, 4.2.3 command table with one PRD.
struct cmd_header {
	u32 flags; // CFL 4:0, W bit 6, PRDTL 31:16
	u32 prdbc;
	u32 ctba, ctbau;
	u32 reserved[4];
};
#define HDR_ATAPI (1u << 5)
#define HDR_WRITE (1u << 6)

struct prd {
	u32 dba, dbau, reserved;
	u32 dbc; // byte count - 1, bit 0 always 1
};
#define PRD_MAX_BYTES 0x400000 // 22-bit count: 4 MiB

struct cmd_table {
	u8 cfis[64];
	u8 acmd[16];
	u8 reserved[48];
	struct prd prd[1];
};

struct ahci_port {
	struct drive d;
	u32 regs;
	u32 cap;
	bool lba48;
	struct cmd_header *cl; // 1 KiB, 1 KiB aligned (4.2.2)
	u8 *fis;	       // 256 bytes, 256 aligned (4.2.1)
	struct cmd_table *ct;  // 128 aligned
};

#define BOUNCE_SECTORS 8
static u8 *bounce;		// shared by all ports: one request at a time
static struct ahci_port *spare; // buffers of a port that had no disk

static u32 rd(struct ahci_port *p, u32 reg)
{
	return mmio_read32(p->regs + reg);
}
static void wr(struct ahci_port *p, u32 reg, u32 v)
{
	mmio_write32(p->regs + reg, v);
}

// Wait until (reg & mask) == want; false on timeout.
static bool wait_reg(struct ahci_port *p, u32 reg, u32 mask, u32 want, u32 us)
{
	u64 end = clock_deadline(us);
	while ((rd(p, reg) & mask) != want)
		if (clock_expired(end))
			return false;
	return true;
}

static bool port_stop(struct ahci_port *p)
{
	wr(p, PX_CMD, rd(p, PX_CMD) & ~CMD_ST);
	return wait_reg(p, PX_CMD, CMD_CR, 0, ENGINE_TIMEOUT_US);
}

static bool port_start(struct ahci_port *p)
{
	// 10.3.1: ST may be set only with FRE set and BSY/DRQ clear.
	if (!wait_reg(p, PX_TFD, TFD_BSY | TFD_DRQ, 0, BUSY_TIMEOUT_US))
		return false;
	wr(p, PX_CMD, rd(p, PX_CMD) | CMD_ST);
	return true;
}

// 6.2.2.1 Non-queued error recovery: stop, clear errors, override a stuck
// BSY/DRQ with CLO where supported, start again.
static void port_recover(struct ahci_port *p)
{
	port_stop(p);
	wr(p, PX_SERR, 0xFFFFFFFF);
	wr(p, PX_IS, 0xFFFFFFFF);
	if (rd(p, PX_TFD) & (TFD_BSY | TFD_DRQ) && p->cap & CAP_SCLO) {
		wr(p, PX_CMD, rd(p, PX_CMD) | CMD_CLO);
		wait_reg(p, PX_CMD, CMD_CLO, 0, ENGINE_TIMEOUT_US);
	}
	if (!port_start(p))
		dprint(DL_ERR, "ahci%d: port does not restart\n", p->d.channel);
}

// Run the command table of slot 0 (its FIS built by the caller) and poll
// for its completion (5.5, 5.6). `flags`: HDR_WRITE, HDR_ATAPI.
static int port_issue(struct ahci_port *p, void *buf, u32 bytes, u32 flags)
{
	struct cmd_table *ct = p->ct;
	u8 command = ct->cfis[2];
	ct->prd[0].dba = phys_addr(buf);
	ct->prd[0].dbau = 0;
	ct->prd[0].dbc = bytes - 1;
	struct cmd_header *h = &p->cl[0];
	// 5-dword FIS; one PRD unless there is no data.
	h->flags = 5 | flags | (bytes ? 1u << 16 : 0);
	h->prdbc = 0;
	h->ctba = phys_addr(ct);
	h->ctbau = 0;
	barrier();
	wr(p, PX_IS, 0xFFFFFFFF);
	wr(p, PX_CI, 1);
	u64 end = clock_deadline(BUSY_TIMEOUT_US);
	u32 is;
	for (;;) {
		is = rd(p, PX_IS);
		if (is & IS_ERRORS || !(rd(p, PX_CI) & 1))
			break;
		if (clock_expired(end)) {
			dprint(DL_ERR, "ahci%d: command %02x timed out\n",
			       p->d.channel, command);
			port_recover(p);
			return DISK_ERR_TIMEOUT;
		}
	}
	barrier();
	u32 tfd = rd(p, PX_TFD);
	if (is & IS_ERRORS || tfd & (TFD_ERR | TFD_DF)) {
		// A packet command's CHECK CONDITION is routine (unit
		// attention, no medium): REQUEST SENSE tells.
		const u8 *f = ct->cfis;
		if (flags & HDR_ATAPI)
			dprint(DL_DETAIL,
			       "ahci%d: packet %02x failed: IS %08x TFD %04x\n",
			       p->d.channel, ct->acmd[0], is, tfd & 0xFFFF);
		else
			dprint(DL_ERR,
			       "ahci%d: command %02x lba %u failed: IS %08x "
			       "TFD %04x\n",
			       p->d.channel, command,
			       f[4] | f[5] << 8 | f[6] << 16 | (u32)f[8] << 24,
			       is, tfd & 0xFFFF);
		port_recover(p);
		return DISK_ERR_IO;
	}
	return DISK_OK;
}

static void build_fis(struct ahci_port *p, u8 command)
{
	memset(p->ct->cfis, 0, 20);
	p->ct->cfis[0] = FIS_TYPE_REG_H2D;
	p->ct->cfis[1] = 0x80; // C: this FIS carries a command
	p->ct->cfis[2] = command;
}

// One ATA command (IDENTIFY, READ/WRITE DMA).
static int port_command(struct ahci_port *p, u8 command, u64 lba, u32 count,
			void *buf, u32 bytes, bool write)
{
	build_fis(p, command);
	u8 *f = p->ct->cfis;
	f[4] = lba;
	f[5] = lba >> 8;
	f[6] = lba >> 16;
	f[7] = 0x40; // device: LBA
	if (command == ATA_IDENTIFY || command == ATA_IDENTIFY_PACKET)
		f[7] = 0;
	else if (!p->lba48)
		f[7] |= lba >> 24 & 0x0F;
	f[8] = lba >> 24;
	f[9] = lba >> 32;
	f[10] = lba >> 40;
	f[12] = count;
	f[13] = count >> 8;
	return port_issue(p, buf, bytes, write ? HDR_WRITE : 0);
}

// PACKET with DMA (features bit 0), the command block in ACMD (4.2.3).
static int ahci_packet(struct drive *d, const u8 *cdb, void *buf, u32 len)
{
	struct ahci_port *p = container_of(d, struct ahci_port, d);
	build_fis(p, ATA_PACKET);
	u8 *f = p->ct->cfis;
	u32 limit = MIN(len, 0xF800u); // byte count limit: PIO only
	f[3] = 1;		       // DMA
	f[5] = limit & 0xFF;
	f[6] = limit >> 8;
	memset(p->ct->acmd, 0, sizeof(p->ct->acmd));
	memcpy(p->ct->acmd, cdb, 12);
	// PRD addresses must be word aligned (4.2.3.3).
	bool direct = !((uintptr_t)buf & 1) && len <= PRD_MAX_BYTES;
	if (!direct && len > BOUNCE_SECTORS * 512)
		return DISK_ERR_IO; // atapi.c asks for 64 KiB at most
	int rc = port_issue(p, direct ? buf : bounce, len, HDR_ATAPI);
	if (!rc && !direct)
		memcpy(buf, bounce, len);
	return rc;
}

static int ahci_cd_prepare(struct drive *d)
{
	return atapi_prepare(d, ahci_packet);
}

static int ahci_cd_rw(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	if (write)
		return DISK_ERR_WRITE_PROTECT;
	// Unaligned buffers go through the bounce buffer, a sector at a time.
	if ((uintptr_t)buf & 1) {
		for (; count; count--, lba++, buf += 2048) {
			int rc = atapi_read(d, ahci_packet, lba, 1, buf);
			if (rc)
				return rc;
		}
		return DISK_OK;
	}
	return atapi_read(d, ahci_packet, lba, count, buf);
}

static int ahci_rw(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	struct ahci_port *p = container_of(d, struct ahci_port, d);
	u8 cmd = write ? ATA_WRITE_DMA : ATA_READ_DMA;
	u32 max = 256;
	if (p->lba48) {
		cmd = write ? ATA_WRITE_DMA_EXT : ATA_READ_DMA_EXT;
		max = PRD_MAX_BYTES / 512;
	}
	while (count) {
		// PRD data addresses must be word aligned (4.2.3.3); this
		// firmware's pointers are all below 4 GiB.
		bool direct = !((uintptr_t)buf & 1);
		u32 n = MIN(count, direct ? max : BOUNCE_SECTORS);
		u8 *io = direct ? buf : bounce;
		if (write && !direct)
			memcpy(bounce, buf, n * 512);
		int rc =
		    port_command(p, cmd, lba, n & 0xFFFF, io, n * 512, write);
		if (rc)
			return rc;
		if (!write && !direct)
			memcpy(buf, bounce, n * 512);
		lba += n;
		count -= n;
		buf += n * 512;
	}
	return DISK_OK;
}

static struct ahci_port *alloc_port(void)
{
	struct ahci_port *p = spare;
	if (p) {
		spare = NULL;
		memset(&p->d, 0, sizeof(p->d));
		return p;
	}
	p = malloc_high(sizeof(*p), 4);
	if (!p)
		return NULL;
	p->cl = malloc_high(1024, 1024);
	p->fis = malloc_high(256, 256);
	p->ct = malloc_high(sizeof(struct cmd_table), 128);
	if (!p->cl || !p->fis || !p->ct)
		return NULL;
	return p;
}

// Back to idle (ST, FRE off) so the HBA stops using the buffers.
static void release_port(struct ahci_port *p)
{
	port_stop(p);
	wr(p, PX_CMD, rd(p, PX_CMD) & ~CMD_FRE);
	if (wait_reg(p, PX_CMD, CMD_FR, 0, ENGINE_TIMEOUT_US))
		spare = p;
}

// IDENTIFY DEVICE, then register the disk. False: not usable.
static bool identify(struct ahci_port *p, int port)
{
	const u16 *id = (const u16 *)bounce;
	if (port_command(p, ATA_IDENTIFY, 0, 0, bounce, 512, false))
		return false;
	struct ata_identity ident;
	const char *why = ata_identify_parse(id, &ident);
	if (why) {
		printf_console("ahci%d: %s, skipped\n", port, why);
		return false;
	}
	p->lba48 = ident.lba48;
	u64 sectors = ident.sectors;
	struct drive *d = &p->d;
	d->type = DRIVE_AHCI;
	d->transfer = ahci_rw;
	d->sector_size = 512;
	d->sectors = sectors;
	d->channel = port;
	d->priv = p;
	snprintf(d->model, sizeof(d->model), "ahci%d: %s", port, ident.model);
	printf_console("%s, %u MiB\n", d->model, (u32)(sectors >> 11));
	return true;
}

// IDENTIFY PACKET DEVICE, then register the CD-ROM drive.
static bool identify_packet(struct ahci_port *p, int port)
{
	if (port_command(p, ATA_IDENTIFY_PACKET, 0, 0, bounce, 512, false))
		return false;
	char model[41], where[16];
	const char *why = atapi_identify_parse((const u16 *)bounce, model);
	if (why) {
		printf_console("ahci%d: %s, skipped\n", port, why);
		return false;
	}
	struct drive *d = &p->d;
	d->type = DRIVE_AHCI_ATAPI;
	d->transfer = ahci_cd_rw;
	d->prepare = ahci_cd_prepare;
	d->channel = port;
	d->priv = p;
	snprintf(where, sizeof(where), "AHCI port %d", port);
	atapi_register(d, where, model);
	return true;
}

// Wait for the link: DET=3. A port with nothing attached shows DET=0
// (given up at `end`); DET=1 means a device is there and the Phy is still
// negotiating.
static bool link_up(struct ahci_port *p, u64 end)
{
	u64 slow_end = clock_deadline(LINK_SLOW_TIMEOUT_US);
	for (;;) {
		u32 det = rd(p, PX_SSTS) & SSTS_DET_MASK;
		if (det == DET_ESTABLISHED)
			return true;
		if (clock_expired(det == DET_PRESENT ? slow_end : end))
			return false;
	}
}

// 10.1.2 step 3: ST, CR, FRE and FR all clear before the port's list and
// FIS addresses may change.
static bool port_idle(struct ahci_port *p)
{
	if (!(rd(p, PX_CMD) & (CMD_ST | CMD_CR | CMD_FRE | CMD_FR)))
		return true;
	port_stop(p);
	wr(p, PX_CMD, rd(p, PX_CMD) & ~CMD_FRE);
	return wait_reg(p, PX_CMD, CMD_FR | CMD_CR, 0, ENGINE_TIMEOUT_US);
}

static void setup_port(u16 bdf, u32 abar, u32 cap, int port, u64 link_end)
{
	struct ahci_port probe = {.regs = PORT_BASE(abar, port), .cap = cap};
	probe.d.channel = port;
	if (!port_idle(&probe)) {
		dprint(DL_ERR, "ahci%d: port does not go idle\n", port);
		return;
	}
	if (cap & CAP_SSS)
		wr(&probe, PX_CMD, rd(&probe, PX_CMD) | CMD_SUD);
	if (!link_up(&probe, link_end)) {
		dprint(DL_DETAIL, "ahci%d: no device\n", port);
		return;
	}
	struct ahci_port *p = alloc_port();
	if (!p)
		return;
	p->regs = probe.regs;
	p->cap = cap;
	p->d.channel = port;
	p->d.bdf = bdf;
	memset(p->cl, 0, 1024);
	memset(p->fis, 0, 256);
	wr(p, PX_CLB, phys_addr(p->cl));
	wr(p, PX_CLBU, 0);
	wr(p, PX_FB, phys_addr(p->fis));
	wr(p, PX_FBU, 0);
	wr(p, PX_SERR, 0xFFFFFFFF);
	wr(p, PX_IE, 0);
	wr(p, PX_IS, 0xFFFFFFFF);
	// FIS receive on: the device's first D2H FIS sets PxSIG and PxTFD.
	wr(p, PX_CMD, rd(p, PX_CMD) | CMD_FRE);
	if (!wait_reg(p, PX_TFD, TFD_BSY | TFD_DRQ, 0, BUSY_TIMEOUT_US)) {
		dprint(DL_ERR, "ahci%d: device stays busy\n", port);
		release_port(p);
		return;
	}
	u32 sig = rd(p, PX_SIG);
	bool cd = sig == SIG_ATAPI && HAVE_CDROM;
	if (sig != SIG_ATA && !cd) {
		if (sig == SIG_ATAPI)
			printf_console("ahci%d: ATAPI device (CD-ROM), "
				       "skipped\n",
				       port);
		else
			dprint(DL_INFO, "ahci%d: signature %08x, skipped\n",
			       port, sig);
		release_port(p);
		return;
	}
	if (!port_start(p) ||
	    !(cd ? identify_packet(p, port) : identify(p, port))) {
		release_port(p);
		return;
	}
	if (!cd)
		drive_register(&p->d);
}

static bool hba_reset(u32 abar)
{
	mmio_write32(abar + HBA_GHC, GHC_AE | GHC_HR);
	u64 end = clock_deadline(RESET_TIMEOUT_US);
	while (mmio_read32(abar + HBA_GHC) & GHC_HR) {
		if (clock_expired(end)) {
			dprint(DL_ERR, "ahci: HBA reset did not complete\n");
			return false;
		}
	}
	mmio_write32(abar + HBA_GHC, GHC_AE);
	dprint(DL_INFO, "ahci: HBA reset\n");
	return true;
}

static void setup_hba(const struct pci_device *pd)
{
	u16 bdf = pd->bdf;
	// ABAR is BAR5 (2.1.11), a 32-bit memory BAR.
	u32 bar = pci_read32(bdf, PCI_BAR0 + 5 * 4);
	u32 abar = bar & ~0xFu;
	if (bar & 1 || !abar) {
		dprint(DL_ERR, "ahci %02x:%02x.%x: no ABAR\n", PCI_BUS(bdf),
		       PCI_DEV(bdf), PCI_FN(bdf));
		return;
	}
	pci_write16(bdf, PCI_COMMAND,
		    pci_read16(bdf, PCI_COMMAND) | PCI_CMD_MEMORY |
			PCI_CMD_MASTER);
	// 10.1.2: AHCI mode, interrupts off (this driver polls), all ports
	// idle. The HBA reset (10.4.3) is the recovery when a port will not
	// stop: it restarts every link (COMRESET), which then needs time to
	// come up, so it is not done on a fresh HBA.
	mmio_write32(abar + HBA_GHC, GHC_AE);
	u32 cap = mmio_read32(abar + HBA_CAP);
	u32 pi = mmio_read32(abar + HBA_PI);
	u32 link_wait = 0;
	for (int port = 0; port < 32; port++) {
		struct ahci_port probe = {.regs = PORT_BASE(abar, port)};
		if (pi & 1u << port && !port_idle(&probe)) {
			if (!hba_reset(abar))
				return;
			link_wait = LINK_TIMEOUT_US;
			break;
		}
	}
	dprint(DL_INFO, "ahci %02x:%02x.%x: ABAR %08x CAP %08x PI %08x\n",
	       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), abar, cap, pi);
	if (!bounce && !(bounce = malloc_high(BOUNCE_SECTORS * 512, 16)))
		return;
	u64 link_end = clock_deadline(link_wait);
	for (int port = 0; port < 32; port++)
		if (pi & 1u << port)
			setup_port(bdf, abar, cap, port, link_end);
}

void ahci_setup(void)
{
#if !CONFIG_AHCI
	return;
#endif
	for_each_pci_device(p)
	{
		// Class 01h/06h, programming interface 01h = AHCI 1.0.
		if (p->class == PCI_CLASS_STORAGE_SATA && p->prog_if == 0x01)
			setup_hba(p);
	}
}
