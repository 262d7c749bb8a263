// PCI bring-up in POST: bus numbering, BAR and bridge window allocation,
// interrupt routing, command bits.
#ifndef MBIOS_PCIINIT_H
#define MBIOS_PCIINIT_H

#include "std/types.h"

void pci_setup(void);
// S3 resume: bridge bus numbers and interrupt routing as pci_setup left
// them; the OS restores each device's own configuration.
void pci_resume(void);
// Where a device's expansion ROM BAR was placed (0 if it has none).
u32 pci_rom_address(u16 bdf);

#endif
