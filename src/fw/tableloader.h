// QEMU's table-loader (hw/acpi/bios-linker-loader.c's command format):
// fw_cfg "etc/table-loader" is an array of 128-byte commands that tell the
// firmware where to put QEMU's ACPI/SMBIOS/TPM blobs and how to link them.
#ifndef MBIOS_FW_TABLELOADER_H
#define MBIOS_FW_TABLELOADER_H

#include "std/types.h"

#define LOADER_CMD_SIZE 128
#define LOADER_FILESZ 56

enum loader_cmd {
	LOADER_ALLOCATE = 1,
	LOADER_ADD_POINTER = 2,
	LOADER_ADD_CHECKSUM = 3,
	LOADER_WRITE_POINTER = 4,
};

enum loader_zone { LOADER_ZONE_HIGH = 1, LOADER_ZONE_FSEG = 2 };

// The services the loader needs, so it runs on the host in tests.
struct loader_env {
	// Size of a fw_cfg file, -1 if absent.
	int (*file_size)(void *ctx, const char *name);
	void (*read_file)(void *ctx, const char *name, void *buf, u32 len);
	bool (*write_file)(void *ctx, const char *name, u32 offset,
			   const void *buf, u32 len);
	void *(*alloc)(void *ctx, u32 size, u32 align, int zone);
	// Firmware pointers as the OS sees them (physical addresses).
	u64 (*addr_of)(void *ctx, const void *p);
	void *ctx;
};

struct loader_file {
	char name[LOADER_FILESZ];
	u8 *data;
	u32 size;
};

#define LOADER_MAX_FILES 16

struct loader_result {
	struct loader_file files[LOADER_MAX_FILES];
	int count;
	int errors; // commands rejected (each one reported)
};

// Run the commands in `cmds` (len bytes). Bad commands are reported and
// skipped; the rest still run.
void loader_run(const struct loader_env *env, const u8 *cmds, u32 len,
		struct loader_result *res);
const struct loader_file *loader_find(const struct loader_result *res,
				      const char *name);

#endif
