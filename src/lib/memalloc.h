// Memory the firmware hands out. Three zones:
//  - fseg: inside the shadowed 0xE0000-0xFFFFF image (RSDP, SMBIOS anchor),
//    where the OS scans for them;
//  - high: the top of RAM below 4 GiB, reserved in e820 (ACPI tables, the TPM
//    log, SMBIOS tables, disk controller structures used after boot);
//  - tmp: RAM above 1 MiB for POST-only buffers; gone once the OS loads.
#ifndef MBIOS_MEMALLOC_H
#define MBIOS_MEMALLOC_H

#include "std/types.h"

void memalloc_init(u32 ram_top_below_4g);
void *malloc_fseg(u32 size, u32 align);
void *malloc_high(u32 size, u32 align);
void *malloc_tmp(u32 size, u32 align);
void free_tmp_all(void);
// Before boot: no more high allocations; the zone shrinks to what is used
// (4 KiB aligned) and its new start is returned, so the rest goes back to
// the OS as RAM.
u32 high_zone_seal(void);
// The reserved high zone: [start, end).
u32 high_zone_start(void);
u32 high_zone_end(void);
u32 fseg_used(void);

#endif
