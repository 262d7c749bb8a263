// Option ROM headers: the legacy ROM header (PCI Firmware spec 3.0, 5.1),
// the PCI data structure and the PnP expansion header (PnP BIOS spec 1.0A,
// appendix A).
#ifndef MBIOS_STD_OPTIONROM_H
#define MBIOS_STD_OPTIONROM_H

#include "std/types.h"

#define OPTIONROM_SIGNATURE 0xAA55

struct option_rom_header {
	u16 signature;	  // 0x55, 0xAA
	u8 size_512;	  // length in 512-byte units
	u8 init_entry[3]; // far call target at offset 3
	u8 reserved[0x12];
	u16 pcir_offset; // 0x18
	u16 pnp_offset;	 // 0x1A
} PACKED;

struct pci_data {
	u32 signature; // "PCIR"
	u16 vendor, device;
	u16 vpd;
	u16 length;
	u8 revision;
	u8 class_lo, class_mid, class_hi;
	u16 image_length; // 512-byte units
	u16 code_revision;
	u8 code_type; // 0 = x86 PC-AT
	u8 indicator; // bit 7: last image
	u16 reserved;
} PACKED;

#define PCIR_SIGNATURE 0x52494350 // "PCIR"

struct pnp_header {
	u32 signature; // "$PnP"
	u8 revision;
	u8 length; // 16-byte units
	u16 next;
	u8 reserved;
	u8 checksum;
	u32 device_id;
	u16 manufacturer;
	u16 product;
	u8 type[3];
	u8 indicators;
	u16 bcv;
	u16 dv;
	u16 bev;
	u16 reserved2;
	u16 static_resources;
} PACKED;

#define PNP_SIGNATURE 0x506E5024 // "$PnP"

// PnP BIOS installation check structure (PnP BIOS spec 1.0A, 4.4).
struct pnp_install_check {
	u32 signature; // "$PnP"
	u8 version;    // 0x10
	u8 length;     // 0x21
	u16 control;
	u8 checksum;
	u32 event_flag;
	u16 rm_entry_offset, rm_entry_seg;
	u16 pm_entry_offset;
	u32 pm_entry_base;
	u32 oem_id;
	u16 rm_data_seg;
	u32 pm_data_base;
} PACKED;

STATIC_ASSERT(sizeof(struct pnp_install_check) == 0x21, "PnP check size");

#endif
