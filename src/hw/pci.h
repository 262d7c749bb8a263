// PCI configuration space through mechanism #1 (ports 0xCF8/0xCFC).
#ifndef MBIOS_HW_PCI_H
#define MBIOS_HW_PCI_H

#include "std/types.h"

#define PCI_BDF(bus, dev, fn) ((u16)((bus) << 8 | (dev) << 3 | (fn)))
#define PCI_BUS(bdf) ((bdf) >> 8)
#define PCI_DEV(bdf) (((bdf) >> 3) & 0x1F)
#define PCI_FN(bdf) ((bdf)&7)

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_CMD_IO 0x1
#define PCI_CMD_MEMORY 0x2
#define PCI_CMD_MASTER 0x4
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CLASS_REVISION 0x08 // class << 8 in the upper 24 bits
#define PCI_HEADER_TYPE 0x0E
#define PCI_HEADER_MULTI 0x80 // in PCI_HEADER_TYPE: a multi-function device
#define PCI_BAR0 0x10
#define PCI_ROM_ADDRESS 0x30
#define PCI_BRIDGE_ROM_ADDRESS 0x38
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3C
#define PCI_INTERRUPT_PIN 0x3D

#define PCI_PRIMARY_BUS 0x18
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBORDINATE_BUS 0x1A
#define PCI_IO_BASE 0x1C
#define PCI_IO_LIMIT 0x1D
#define PCI_MEMORY_BASE 0x20
#define PCI_MEMORY_LIMIT 0x22
#define PCI_PREF_MEMORY_BASE 0x24
#define PCI_PREF_MEMORY_LIMIT 0x26
#define PCI_PREF_BASE_UPPER32 0x28
#define PCI_PREF_LIMIT_UPPER32 0x2C
#define PCI_IO_BASE_UPPER16 0x30
#define PCI_IO_LIMIT_UPPER16 0x32
#define PCI_BRIDGE_CONTROL 0x3E

#define PCI_CLASS_STORAGE_IDE 0x0101
#define PCI_CLASS_STORAGE_SATA 0x0106
#define PCI_CLASS_DISPLAY_VGA 0x0300
#define PCI_CLASS_BRIDGE_PCI 0x0604

#define PCI_CAP_ID_VNDR 0x09

u32 pci_read32(u16 bdf, u8 reg);
u16 pci_read16(u16 bdf, u8 reg);
u8 pci_read8(u16 bdf, u8 reg);
void pci_write32(u16 bdf, u8 reg, u32 v);
void pci_write16(u16 bdf, u8 reg, u16 v);
void pci_write8(u16 bdf, u8 reg, u8 v);

static inline u16 pci_class(u16 bdf)
{
	return pci_read16(bdf, 0x0A);
}
// Offset of the next capability with `id` after `start` (0 = first), or 0.
u8 pci_find_cap(u16 bdf, u8 id, u8 start);

// The devices found by pci_scan(), in bus order.
struct pci_device {
	u16 bdf;
	u16 vendor, device;
	u16 class;
	u8 prog_if;
	u8 header_type;
	u8 secondary_bus; // bridges
	u16 parent;	  // index of the bridge above, 0xFFFF on bus 0
};

#define PCI_MAX_DEVICES 64
extern struct pci_device pci_devices[PCI_MAX_DEVICES];
extern int pci_device_count;

#define for_each_pci_device(d)                                                 \
	for (struct pci_device *d = pci_devices;                               \
	     d < pci_devices + pci_device_count; d++)

#endif
