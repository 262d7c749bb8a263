// The S3 waking vector: RSDP -> RSDT/XSDT -> FADT -> FACS, read from the
// tables the OS was given. Everything in RAM after boot is the OS's to
// change, so every pointer and length is checked.
#ifndef MBIOS_FW_ACPI_WAKE_H
#define MBIOS_FW_ACPI_WAKE_H

#include "std/types.h"

enum acpi_wake_mode {
	ACPI_WAKE_NONE, // no usable vector: boot normally
	ACPI_WAKE_REAL, // Firmware_Waking_Vector, real mode
	ACPI_WAKE_PM32, // X_Firmware_Waking_Vector, 32-bit flat
};

struct acpi_wake {
	enum acpi_wake_mode mode;
	u32 vector;	 // physical address of the OS's wake code
	const char *why; // for ACPI_WAKE_NONE: what was missing
};

// The RSDP in [start, start + len) on a 16-byte boundary, with valid
// checksums (ACPI 6.5 5.2.5.1 "Finding the RSDP on IA-PC Systems"), or NULL.
const void *acpi_scan_rsdp(u32 start, u32 len);
// The waking vector the tables under `rsdp` hold.
struct acpi_wake acpi_waking_vector(const void *rsdp);

#endif
