// Fixed addresses and selectors shared by the assembly entry code and C.
// docs/memory-map.md explains each region.
#ifndef MBIOS_LAYOUT_H
#define MBIOS_LAYOUT_H

#define BIOS_SEG 0xF000
#define BIOS_BASE 0xF0000
// The image's last 128 KiB: linked here, shadowed into RAM at reset.
#define IMAGE_LOW_BASE 0xE0000
#define IMAGE_LOW_SIZE 0x20000
// The same bytes just below 4 GiB; always ROM, whatever PAM says.
#define IMAGE_HIGH_BASE 0xFFFE0000
#define HIGH_ALIAS_DELTA (IMAGE_HIGH_BASE - IMAGE_LOW_BASE)

// The F-segment pool (layout.ld .fsegpool): RSDP and SMBIOS entry point.
// An S3 resume keeps it when it re-copies the image: the OS found its RSDP
// there, and the resume reads the waking vector through it.
#define FSEG_POOL_BASE 0xFE000
#define FSEG_POOL_SIZE 0x1000

// CMOS shutdown status (register 0Fh): QEMU sets FEh when it wakes the
// machine from S3 (its RTC's suspend notifier).
#define CMOS_SHUTDOWN_STATUS 0x0F
#define CMOS_SHUTDOWN_S3_RESUME 0xFE

// Start of the 16-bit entry code (layout.ld places .text16 here).
#define TEXT16_BASE 0xFF000

#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18
#define SEL_DATA16 0x20
#define SEL_CODE64 0x28

// Extended BIOS data area: BDA[0x40E] points here; it also holds the firmware
// stack used in POST and by every interrupt service after boot.
#define EBDA_BASE 0x9C000
#define EBDA_SIZE_KB 16
#define FW_STACK_TOP (EBDA_BASE + EBDA_SIZE_KB * 1024 - 16)

// Real-mode stack for calls into 16-bit code during POST (option ROM init,
// BEVs, boot sectors): below the boot sector, below 64 KiB as linuxboot needs.
#define POST_RM_STACK_SEG 0x0000
#define POST_RM_STACK_OFF 0x7000
// Real-mode stack for the jump to the OS's waking vector: inside the EBDA,
// because on S3 resume all conventional memory is the OS's.
#define RESUME_RM_STACK_SEG (EBDA_BASE >> 4)
#define RESUME_RM_STACK_OFF 0x1000

#endif
