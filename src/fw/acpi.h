// ACPI and SMBIOS from QEMU: run the table-loader, remember where the
// blobs landed (RSDP, the TPM log area), install SMBIOS.
#ifndef MBIOS_FW_ACPI_H
#define MBIOS_FW_ACPI_H

#include "fw/tableloader.h"
#include "std/acpi.h"

void acpi_setup(void);
void smbios_setup(void);

// Results for later stages (TPM log, measurements, S3).
extern struct loader_result acpi_loaded;
const void *acpi_rsdp(void);
// The first table with this signature reachable from the RSDP, or NULL.
// Only tables wholly inside a loader blob or the high zone are followed
// (fw/acpi_tables.c; QEMU's blobs are as untrusted as any input).
void *acpi_find_table(const char sig[4]);
// Bytes readable from addr on: the rest of the loader blob or of the
// reserved high zone holding it; 0 when it is in neither.
u32 acpi_room_at(u64 addr);
// The table at addr when its header and `length` bytes (at least min_len)
// lie within acpi_room_at(addr); else NULL.
struct acpi_header *acpi_table_at(u64 addr, u32 min_len);
// SMBIOS entry point and table as installed (for measurement); NULL if none.
const void *smbios_entry(u32 *len);
const void *smbios_table(u32 *len);
// Blank what identifies one machine rather than its configuration in a
// copy of the structure table, for PCR 1: the system UUID (zeroed) and the
// serial number, asset tag and part number strings (each character made a
// space) of types 1, 2, 3, 4 and 17. Stops at the end-of-table structure
// (type 127) or at the first malformed structure.
void smbios_mask_platform_unique(u8 *table, u32 len);
// Point QEMU's SMBIOS entry point (`size` bytes, 2.1 or 3.x) at the table
// and fix its checksums; false when it is malformed.
bool smbios_fix_entry(u8 *ep, u32 size, u32 table_addr, u32 table_len);

#endif
