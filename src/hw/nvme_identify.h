// NVMe IDENTIFY answers as pure functions (hw/nvme.c sends the commands).
#ifndef MBIOS_HW_NVME_IDENTIFY_H
#define MBIOS_HW_NVME_IDENTIFY_H

#include "std/types.h"

// From the 4096-byte IDENTIFY controller data: the model (trailing blanks
// removed) and the largest transfer in bytes (0 = no limit).
void nvme_identify_ctrl(const u8 *id, char model[41], u32 *max_bytes);

// From the 4096-byte IDENTIFY namespace data: size in logical blocks and
// the block size. NULL if the firmware can use the namespace (512 B or
// 4 KiB blocks without metadata, non-empty), else why not.
const char *nvme_identify_ns(const u8 *id, u64 *blocks, u32 *block_size);

#endif
