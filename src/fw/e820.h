// The BIOS memory map (INT 15h E820): QEMU's etc/e820 RAM list plus what
// the firmware reserves. Pure logic, unit-tested on the host.
#ifndef MBIOS_FW_E820_H
#define MBIOS_FW_E820_H

#include "std/types.h"

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3
#define E820_NVS 4
#define E820_UNUSABLE 5

struct e820_entry {
	u64 start;
	u64 size;
	u32 type;
} PACKED;

#define E820_MAX 32

struct e820_map {
	int count;
	struct e820_entry e[E820_MAX];
};

// Set [start, start+size) to `type`, splitting or merging neighbours.
// Returns false if the table is full (the map is left unchanged).
bool e820_add(struct e820_map *m, u64 start, u64 size, u32 type);
// Remove a range entirely (e.g. a hole).
bool e820_remove(struct e820_map *m, u64 start, u64 size);
// QEMU's etc/e820 (`size` bytes of e820 entries: RAM and what QEMU
// reserves) added in file order; returns the number of entries taken.
int e820_add_qemu(struct e820_map *m, const void *file, u32 size);
// End of the RAM that begins at or below `limit` and is contiguous from 1 MiB.
u64 e820_ram_top_below(const struct e820_map *m, u64 limit);

extern struct e820_map bios_e820;

#endif
