// QEMU chipset facts and set-up: which machine, the ACPI PM block, the q35
// MMCONFIG window, RAM sizes.
#ifndef MBIOS_FW_PLATFORM_H
#define MBIOS_FW_PLATFORM_H

#include "std/types.h"

enum chipset { CHIPSET_UNKNOWN, CHIPSET_I440FX, CHIPSET_Q35 };

#define PM_IO_BASE 0x600
#define Q35_MMCONFIG_BASE 0xB0000000u
#define Q35_MMCONFIG_SIZE 0x10000000u

struct platform {
	enum chipset chipset;
	u16 pm_bdf;  // PIIX4 PM function or ICH9 LPC
	u16 isa_bdf; // PIIX3 ISA bridge or ICH9 LPC (PIRQ routing)
	u32 ram_below_4g;
	u64 ram_above_4g;
	u16 cpu_count;
};

extern struct platform platform;

void platform_init(void);
const char *platform_name(void);
// Reset the machine (and with it QEMU's TPM): the PCI reset control
// register, then the keyboard controller. Does not return.
void NORETURN platform_reset(void);

#endif
