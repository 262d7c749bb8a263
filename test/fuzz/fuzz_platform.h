// The QEMU platform the fw/ fuzz targets run on: a fw_cfg device on the
// I/O ports (port io only: DMA is a transport, not a parser) serving files
// from the fuzz input, and the firmware's memory zones (lib/memalloc.h) in
// memory below 4 GiB, so that 32-bit physical addresses are host pointers.
// Each zone is followed by an inaccessible page.
#ifndef MBIOS_TEST_FUZZ_PLATFORM_H
#define MBIOS_TEST_FUZZ_PLATFORM_H

#include "fuzz_input.h"

// Forget all items and files; empty zones. Call first in every run.
void fuzz_platform_reset(void);
// An item by selector (data must live until the next reset).
void fuzz_fw_cfg_item(u16 key, const u8 *data, u32 len);
// A named file: the next free selector, an entry in the directory. `size`
// is what the directory claims; bytes past `len` read as zero.
void fuzz_fw_cfg_file(const char *name, const u8 *data, u32 len, u32 size);
// Files from the input until it ends: u8 name length, the name, u32 size
// (directory), u32 length of the data that follows (the rest is zeros).
void fuzz_fw_cfg_load(struct fuzz_in *in);
// Offer DMA (the default after a reset) or only the data port.
void fuzz_fw_cfg_dma(bool on);
// Bytes the first read of an item not defined returns (the same for all).
void fuzz_fw_cfg_default(const u8 *data, u32 len);

#endif
