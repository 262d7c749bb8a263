// QEMU's fw_cfg "bootorder" file: one OpenFirmware-style device path per
// line, highest priority first (from -device ...,bootindex=N).
#ifndef MBIOS_FW_BOOTORDER_H
#define MBIOS_FW_BOOTORDER_H

#include "std/types.h"

// What a boot entry is, in the terms bootorder paths use.
struct boot_location {
	const char *rom_name; // "genroms/linuxboot_dma.bin" style, or NULL
	int pci_slot, pci_fn; // -1 when not a PCI device
	int channel;	      // IDE channel / AHCI port ("drive@N"), -1 if none
	int unit;	      // IDE master/slave ("disk@N"), -1 if none
	int lun;	      // SCSI "disk@target,LUN" or NVMe "namespace@N"
};

// Priority of a location in the bootorder text (0 = first line), or -1.
int bootorder_find(const char *text, u32 len, const struct boot_location *loc);

#endif
