// ACPI structures the firmware builds or patches (ACPI 6.5).
#ifndef MBIOS_STD_ACPI_H
#define MBIOS_STD_ACPI_H

#include "std/types.h"

// ACPI 6.5 5.2.6 "System Description Table Header", common to every SDT.
struct acpi_header {
	char signature[4];
	u32 length; // whole table, header included
	u8 revision;
	u8 checksum; // all bytes of the table sum to 0
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	char creator_id[4];
	u32 creator_revision;
} PACKED;
STATIC_ASSERT(sizeof(struct acpi_header) == 36, "ACPI SDT header");

// ACPI 6.5 5.2.5.3 "Root System Description Pointer (RSDP) Structure".
// Revision 0 (ACPI 1.0) ends after rsdt_address: 20 bytes, covered by
// checksum; the extended fields are covered by ext_checksum.
struct acpi_rsdp {
	char signature[8]; // "RSD PTR "
	u8 checksum;
	char oem_id[6];
	u8 revision; // 0 for ACPI 1.0, 2 for 2.0 and later
	u32 rsdt_address;
	u32 length; // revision >= 2
	u64 xsdt_address;
	u8 ext_checksum;
	u8 reserved[3];
} PACKED;
STATIC_ASSERT(offsetof(struct acpi_rsdp, length) == 20, "RSDP v1 size");
STATIC_ASSERT(sizeof(struct acpi_rsdp) == 36, "RSDP v2 size");
#define ACPI_RSDP_V1_SIZE 20 // the bytes `checksum` covers

// ACPI 6.5 5.2.7 "RSDT" and 5.2.8 "XSDT": a header, then 32-bit (RSDT) or
// 64-bit (XSDT) physical addresses of the other tables.
#define ACPI_RSDT_ENTRY_SIZE 4
#define ACPI_XSDT_ENTRY_SIZE 8

// ACPI 6.5 5.2.9 "Fixed ACPI Description Table (FADT)": the DSDT address,
// and its 64-bit form, which takes precedence when the FADT is long enough
// to hold it and it is nonzero.
#define ACPI_FADT_DSDT 40    // u32
#define ACPI_FADT_X_DSDT 140 // u64
// The FACS address, and its 64-bit form with the same precedence.
#define ACPI_FADT_FIRMWARE_CTRL 36    // u32
#define ACPI_FADT_X_FIRMWARE_CTRL 132 // u64

// ACPI 6.5 5.2.10 "Firmware ACPI Control Structure (FACS)". No checksum.
// x_firmware_waking_vector exists from version 1, ospm_flags from 2.
struct acpi_facs {
	char signature[4]; // "FACS"
	u32 length;	   // at least 64
	u32 hardware_signature;
	u32 firmware_waking_vector; // real mode: CS = v >> 4, IP = v & 0xF
	u32 global_lock;
	u32 flags; // ACPI_FACS_*
	u64 x_firmware_waking_vector;
	u8 version;
	u8 reserved[3];
	u32 ospm_flags; // ACPI_FACS_OSPM_*
	u8 reserved2[24];
} PACKED;
STATIC_ASSERT(sizeof(struct acpi_facs) == 64, "FACS size");
#define ACPI_FACS_64BIT_WAKE_SUPPORTED (1u << 1) // the firmware offers it
#define ACPI_FACS_OSPM_64BIT_WAKE (1u << 0)	 // the OS asks for it

#endif
