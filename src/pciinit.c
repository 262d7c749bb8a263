// PCI bring-up: enumerate (numbering bridges), size every BAR, let
// fw/pci_alloc place them, program BARs and bridge windows, route INTx.
#include "pciinit.h"
#include "fw/pci_alloc.h"
#include "fw/platform.h"
#include "hw/io.h"
#include "hw/pci.h"
#include "lib/memalloc.h"
#include "output.h"

#define MAX_BUSES 32
#define MAX_RES (PCI_MAX_DEVICES * 7 + MAX_BUSES * 3)

// PIRQ links are routed to these ISA IRQs (level triggered, set in ELCR).
static const u8 pirq_irqs[8] = {10, 10, 11, 11, 10, 10, 11, 11};

static struct pci_bus_info buses[MAX_BUSES];
static int bus_count;
static u32 rom_addr[PCI_MAX_DEVICES];

static void scan_bus(int bus, int parent_dev)
{
	for (int devfn = 0; devfn < 256; devfn++) {
		u16 bdf = PCI_BDF(bus, devfn >> 3, devfn & 7);
		u16 vendor = pci_read16(bdf, PCI_VENDOR_ID);
		if (vendor == 0xFFFF || vendor == 0) {
			if (!(devfn & 7))
				devfn |= 7; // no function 0, no device
			continue;
		}
		u8 header = pci_read8(bdf, PCI_HEADER_TYPE);
		if (!(devfn & 7) && !(header & PCI_HEADER_MULTI))
			devfn |= 7; // not multi-function
		if (pci_device_count >= PCI_MAX_DEVICES) {
			dprint(DL_ERR, "pci: more than %d devices\n",
			       PCI_MAX_DEVICES);
			return;
		}
		int idx = pci_device_count++;
		struct pci_device *d = &pci_devices[idx];
		u32 class_rev = pci_read32(bdf, PCI_CLASS_REVISION);
		d->bdf = bdf;
		d->vendor = vendor;
		d->device = pci_read16(bdf, PCI_DEVICE_ID);
		d->class = class_rev >> 16;
		d->prog_if = class_rev >> 8;
		d->header_type = header & ~PCI_HEADER_MULTI;
		d->parent = parent_dev < 0 ? 0xFFFF : (u16)parent_dev;
		d->secondary_bus = 0;
		dprint(DL_DETAIL, "pci: %02x:%02x.%x %04x:%04x class %04x\n",
		       bus, PCI_DEV(bdf), PCI_FN(bdf), vendor, d->device,
		       d->class);
		if (d->header_type == 1 && bus_count < MAX_BUSES) {
			int sec = bus_count++;
			buses[sec] = (struct pci_bus_info){bus, idx};
			d->secondary_bus = (u8)sec;
			pci_write8(bdf, PCI_PRIMARY_BUS, (u8)bus);
			pci_write8(bdf, PCI_SECONDARY_BUS, (u8)sec);
			pci_write8(bdf, PCI_SUBORDINATE_BUS, 0xFF);
			scan_bus(sec, idx);
			pci_write8(bdf, PCI_SUBORDINATE_BUS,
				   (u8)(bus_count - 1));
		}
	}
}

// Size one BAR by writing all ones (PCI Local Bus 3.0, 6.2.5.1).
static int size_bar(int idx, u8 reg, bool is_rom, struct pci_res *out)
{
	u16 bdf = pci_devices[idx].bdf;
	u32 old = pci_read32(bdf, reg);
	pci_write32(bdf, reg, is_rom ? 0xFFFFF800 : 0xFFFFFFFF);
	u32 mask = pci_read32(bdf, reg);
	pci_write32(bdf, reg, old);
	*out = (struct pci_res){
	    .dev = idx, .bus = PCI_BUS(bdf), .child_bus = -1, .reg = reg};
	if (!mask || mask == 0xFFFFFFFF)
		return 1;
	if (!is_rom && (mask & 1)) {
		u32 sz = ~(mask & ~3u) + 1;
		if (sz > 0x10000)
			sz &= 0xFFFF; // 16-bit I/O decoders
		out->type = RES_IO;
		out->size = out->align = sz;
		return 1;
	}
	u64 m = mask & (is_rom ? ~0x7FFu : ~0xFu);
	int used = 1;
	if (!is_rom && (mask & 6) == 4) {
		pci_write32(bdf, reg + 4, 0xFFFFFFFF);
		u32 hi = pci_read32(bdf, reg + 4);
		pci_write32(bdf, reg + 4, 0);
		m |= (u64)hi << 32;
		out->is64 = true;
		used = 2;
	} else {
		m |= 0xFFFFFFFF00000000ull;
	}
	out->size = out->align = ~m + 1;
	out->type = (!is_rom && (mask & 8) && out->is64) ? RES_PREF : RES_MEM;
	return used;
}

static void program(const struct pci_res *r)
{
	u16 bdf = pci_devices[r->dev].bdf;
	if (r->child_bus >= 0) {
		u64 last = r->addr + r->size - 1;
		if (r->type == RES_IO) {
			pci_write8(bdf, PCI_IO_BASE, (r->addr >> 8) & 0xF0);
			pci_write8(bdf, PCI_IO_LIMIT, (last >> 8) & 0xF0);
			pci_write32(bdf, PCI_IO_BASE_UPPER16, 0);
		} else if (r->type == RES_MEM) {
			pci_write16(bdf, PCI_MEMORY_BASE,
				    (r->addr >> 16) & 0xFFF0);
			pci_write16(bdf, PCI_MEMORY_LIMIT,
				    (last >> 16) & 0xFFF0);
		} else {
			pci_write16(bdf, PCI_PREF_MEMORY_BASE,
				    (r->addr >> 16) & 0xFFF0);
			pci_write16(bdf, PCI_PREF_MEMORY_LIMIT,
				    (last >> 16) & 0xFFF0);
			pci_write32(bdf, PCI_PREF_BASE_UPPER32, r->addr >> 32);
			pci_write32(bdf, PCI_PREF_LIMIT_UPPER32, last >> 32);
		}
		return;
	}
	bool is_rom =
	    r->reg == PCI_ROM_ADDRESS || (r->reg == PCI_BRIDGE_ROM_ADDRESS &&
					  pci_devices[r->dev].header_type == 1);
	if (is_rom) {
		rom_addr[r->dev] = (u32)r->addr;
		pci_write32(bdf, r->reg, (u32)r->addr); // decode stays off
		return;
	}
	pci_write32(bdf, r->reg,
		    (u32)r->addr | (pci_read32(bdf, r->reg) & 0xF));
	if (r->is64)
		pci_write32(bdf, r->reg + 4, r->addr >> 32);
}

// Empty bridge windows are closed (base above limit) so they decode nothing.
static void close_windows(u16 bdf)
{
	pci_write8(bdf, PCI_IO_BASE, 0xF0);
	pci_write8(bdf, PCI_IO_LIMIT, 0);
	pci_write16(bdf, PCI_MEMORY_BASE, 0xFFF0);
	pci_write16(bdf, PCI_MEMORY_LIMIT, 0);
	pci_write16(bdf, PCI_PREF_MEMORY_BASE, 0xFFF0);
	pci_write16(bdf, PCI_PREF_MEMORY_LIMIT, 0);
	pci_write32(bdf, PCI_PREF_BASE_UPPER32, 0);
	pci_write32(bdf, PCI_PREF_LIMIT_UPPER32, 0);
}

static void route_irqs(void)
{
	// PIIX3 and ICH9 LPC: PIRQ A-D at 0x60-0x63; ICH9 also E-H at 0x68.
	for (int i = 0; i < 4; i++)
		pci_write8(platform.isa_bdf, 0x60 + i, pirq_irqs[i]);
	if (platform.chipset == CHIPSET_Q35)
		for (int i = 0; i < 4; i++)
			pci_write8(platform.isa_bdf, 0x68 + i,
				   pirq_irqs[4 + i]);
	// ELCR: PCI interrupts and SCI (9) are level triggered.
	outb(0x00, 0x4D0);
	outb((1 << (9 - 8)) | (1 << (10 - 8)) | (1 << (11 - 8)), 0x4D1);

	for_each_pci_device(d)
	{
		u8 pin = pci_read8(d->bdf, PCI_INTERRUPT_PIN);
		if (!pin || pin > 4)
			continue;
		// Swizzle through bridges (PCI-to-PCI Bridge spec 1.2, 9.1).
		int p = pin - 1;
		const struct pci_device *cur = d;
		while (cur->parent != 0xFFFF) {
			p = (p + PCI_DEV(cur->bdf)) & 3;
			cur = &pci_devices[cur->parent];
		}
		int link = (p + PCI_DEV(cur->bdf)) & 3;
		if (d->bdf == platform.pm_bdf &&
		    platform.chipset == CHIPSET_I440FX)
			continue; // SCI: fixed at 9
		pci_write8(d->bdf, PCI_INTERRUPT_LINE, pirq_irqs[link]);
	}
}

static void scan(void)
{
	pci_device_count = 0;
	bus_count = 1;
	buses[0] = (struct pci_bus_info){-1, -1};
	scan_bus(0, -1);
}

// QEMU's wake resets every PCI function: bridges forget their bus numbers
// and the ISA bridge its PIRQ routing. The OS restores the BARs, windows
// and command bits it saved, but reaches a device behind a bridge only
// once the bridge has its numbers: the same scan gives the same ones.
void pci_resume(void)
{
	scan();
	route_irqs();
}

void pci_setup(void)
{
	scan();

	struct pci_res *res = malloc_tmp(MAX_RES * sizeof(*res), 8);
	int count = 0;
	for (int i = 0; i < pci_device_count; i++) {
		struct pci_device *d = &pci_devices[i];
		// The host bridge's and chipset functions' fixed ranges are
		// left alone; everything with BARs is placed.
		int bars = d->header_type == 0	 ? 6
			   : d->header_type == 1 ? 2
						 : 0;
		for (int b = 0; b < bars;) {
			b += size_bar(i, PCI_BAR0 + b * 4, false, &res[count]);
			if (res[count].size)
				count++;
		}
		u8 rom_reg = d->header_type == 1 ? PCI_BRIDGE_ROM_ADDRESS
						 : PCI_ROM_ADDRESS;
		if (d->header_type <= 1) {
			size_bar(i, rom_reg, true, &res[count]);
			if (res[count].size)
				count++;
		}
		if (d->header_type == 1)
			close_windows(d->bdf);
	}

	u32 mem_start =
	    platform.chipset == CHIPSET_Q35 ? 0xC0000000u : 0xE0000000u;
	if (platform.ram_below_4g > mem_start)
		mem_start = ALIGN_UP(platform.ram_below_4g, 0x10000000u);
	u64 above4g = 0x100000000ull + platform.ram_above_4g;
	above4g = ALIGN_UP(above4g, 0x40000000ull);
	struct pci_window root[RES_TYPES] = {
	    [RES_IO] = {0xC000, 0x10000},
	    [RES_MEM] = {mem_start, 0xFEC00000u},
	    [RES_PREF] = {above4g, above4g + 0x800000000ull},
	};
	// 64-bit prefetchable BARs go below 4 GiB when they all fit there,
	// which keeps them reachable for 32-bit drivers and OSes.
	u64 pref_total = 0, mem_total = 0;
	for (int i = 0; i < count; i++) {
		if (res[i].type == RES_PREF)
			pref_total += res[i].size;
		else if (res[i].type == RES_MEM)
			mem_total += res[i].size;
	}
	if (pref_total + mem_total + 0x4000000 < (u64)0xFEC00000u - mem_start)
		for (int i = 0; i < count; i++)
			if (res[i].type == RES_PREF)
				res[i].type = RES_MEM;

	if (!pci_alloc(res, &count, MAX_RES, buses, bus_count, root))
		printf_console("warning: PCI resources do not all fit; "
			       "some devices are left disabled\n");
	for (int i = 0; i < count; i++)
		if (res[i].addr)
			program(&res[i]);
	// Decoding on for every device with a resource placed, in one command
	// write per device: QEMU rebuilds its memory maps for each change a
	// write makes, 0.1-0.5 ms each under TCG (docs/benchmarks.md). Bus
	// mastering is left to the drivers that do DMA (ahci, nvme, virtio);
	// legacy IDE gets it with its fixed ports, which it decodes without
	// BARs (PCI IDE spec 1.0, 2.1), for the OS's bus-master DMA.
	for (int i = 0; i < pci_device_count; i++) {
		struct pci_device *d = &pci_devices[i];
		u16 bits = d->class == PCI_CLASS_STORAGE_IDE
			       ? PCI_CMD_IO | PCI_CMD_MASTER
			       : 0;
		for (int r = 0; r < count; r++)
			if (res[r].addr && res[r].dev == i)
				bits |= res[r].type == RES_IO ? PCI_CMD_IO
							      : PCI_CMD_MEMORY;
		u16 cmd = bits ? pci_read16(d->bdf, PCI_COMMAND) : 0;
		if ((cmd | bits) != cmd)
			pci_write16(d->bdf, PCI_COMMAND, cmd | bits);
	}
	route_irqs();
	dprint(DL_INFO, "pci: %d devices on %d buses, %d resources\n",
	       pci_device_count, bus_count, count);
}

u32 pci_rom_address(u16 bdf)
{
	for (int i = 0; i < pci_device_count; i++)
		if (pci_devices[i].bdf == bdf)
			return rom_addr[i];
	return 0;
}
