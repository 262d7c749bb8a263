// Option ROMs: the VGA ROM first, then PCI device ROMs and fw_cfg genroms.
#ifndef MBIOS_OPTIONROMS_H
#define MBIOS_OPTIONROMS_H

#include "std/types.h"

// Run the VGA option ROM (PCI VGA device, or fw_cfg vgaroms/).
void vga_setup(void);
// Run every other option ROM; each BEV/BCV found becomes a boot entry.
void optionroms_setup(void);
void drives_setup(void);

#endif
