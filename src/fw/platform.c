// Chipset identification and the early set-up that everything after it
// relies on (PM timer for clock.c, MMCONFIG before ACPI is built).
#include "fw/platform.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "hw/pci.h"
#include "output.h"

#define PCI_VENDOR_INTEL 0x8086
#define DEV_I440FX 0x1237
#define DEV_Q35_MCH 0x29C0

// PIIX4 power management function (00:01.3) and ICH9 LPC (00:1f.0).
#define PIIX4_PMBASE 0x40
#define PIIX4_PMREGMISC 0x80 // bit 0: PM I/O space enable
#define ICH9_PMBASE 0x40
#define ICH9_ACPI_CNTL 0x44 // bit 7: ACPI enable
#define Q35_PCIEXBAR 0x60

struct platform platform;

const char *platform_name(void)
{
	switch (platform.chipset) {
	case CHIPSET_I440FX:
		return "i440FX/PIIX (pc)";
	case CHIPSET_Q35:
		return "Q35/ICH9 (q35)";
	default:
		return "unknown chipset";
	}
}

void platform_init(void)
{
	u16 dev = pci_read16(0, PCI_DEVICE_ID);
	if (pci_read16(0, PCI_VENDOR_ID) == PCI_VENDOR_INTEL &&
	    dev == DEV_Q35_MCH) {
		platform.chipset = CHIPSET_Q35;
		platform.pm_bdf = PCI_BDF(0, 0x1F, 0);
		platform.isa_bdf = PCI_BDF(0, 0x1F, 0);
		// PCIEXBAR: 256 MiB window (length field 0), enable bit 0.
		pci_write32(0, Q35_PCIEXBAR + 4, 0);
		pci_write32(0, Q35_PCIEXBAR, Q35_MMCONFIG_BASE | 1);
		pci_write32(platform.pm_bdf, ICH9_PMBASE, PM_IO_BASE | 1);
		pci_write8(platform.pm_bdf, ICH9_ACPI_CNTL,
			   pci_read8(platform.pm_bdf, ICH9_ACPI_CNTL) | 0x80);
	} else {
		platform.chipset =
		    dev == DEV_I440FX ? CHIPSET_I440FX : CHIPSET_UNKNOWN;
		platform.pm_bdf = PCI_BDF(0, 1, 3);
		platform.isa_bdf = PCI_BDF(0, 1, 0);
		pci_write32(platform.pm_bdf, PIIX4_PMBASE, PM_IO_BASE | 1);
		pci_write8(platform.pm_bdf, PIIX4_PMREGMISC,
			   pci_read8(platform.pm_bdf, PIIX4_PMREGMISC) | 1);
		// SCI is wired to IRQ 9 on PIIX4.
		pci_write8(platform.pm_bdf, PCI_INTERRUPT_LINE, 9);
	}
	clock_init(PM_IO_BASE);
	// Fast A20 gate on (QEMU starts with it on; a reboot may not).
	outb(inb(0x92) | 0x02, 0x92);
}

void platform_reset(void)
{
	// Reset Control Register 0CF9h (PIIX3 and ICH9): hard reset + CPU
	// reset.
	outb(0x02, 0xCF9);
	outb(0x06, 0xCF9);
	mdelay(10);
	outb(0xFE, 0x64); // keyboard controller pulse on the reset line
	for (;;)
		__asm__ volatile("hlt");
}
