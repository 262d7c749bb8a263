// Configuration mechanism #1; both QEMU chipsets support it.
#include "hw/pci.h"
#include "hw/io.h"

#define PCI_ADDR 0xCF8
#define PCI_DATA 0xCFC

struct pci_device pci_devices[PCI_MAX_DEVICES];
int pci_device_count;

static void select_reg(u16 bdf, u8 reg)
{
	outl(0x80000000u | (u32)bdf << 8 | (reg & 0xFC), PCI_ADDR);
}

u32 pci_read32(u16 bdf, u8 reg)
{
	select_reg(bdf, reg);
	return inl(PCI_DATA);
}

u16 pci_read16(u16 bdf, u8 reg)
{
	select_reg(bdf, reg);
	return inw(PCI_DATA + (reg & 2));
}

u8 pci_read8(u16 bdf, u8 reg)
{
	select_reg(bdf, reg);
	return inb(PCI_DATA + (reg & 3));
}

void pci_write32(u16 bdf, u8 reg, u32 v)
{
	select_reg(bdf, reg);
	outl(v, PCI_DATA);
}

void pci_write16(u16 bdf, u8 reg, u16 v)
{
	select_reg(bdf, reg);
	outw(v, PCI_DATA + (reg & 2));
}

void pci_write8(u16 bdf, u8 reg, u8 v)
{
	select_reg(bdf, reg);
	outb(v, PCI_DATA + (reg & 3));
}

u8 pci_find_cap(u16 bdf, u8 id, u8 start)
{
	if (!(pci_read16(bdf, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	u8 pos = start ? pci_read8(bdf, start + 1)
		       : pci_read8(bdf, PCI_CAPABILITY_LIST);
	// A malformed list could loop; 48 is the most that fits in 256 bytes.
	for (int i = 0; i < 48 && pos >= 0x40; i++) {
		pos &= ~3;
		if (pci_read8(bdf, pos) == id)
			return pos;
		pos = pci_read8(bdf, pos + 1);
	}
	return 0;
}
