// QEMU's firmware configuration interface (QEMU docs/specs/fw_cfg.rst).
#ifndef MBIOS_FW_FW_CFG_H
#define MBIOS_FW_FW_CFG_H

#include "std/types.h"

#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_ID 0x01
#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NOGRAPHIC 0x04
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_KERNEL_ADDR 0x07
#define FW_CFG_KERNEL_SIZE 0x08
#define FW_CFG_KERNEL_CMDLINE 0x09
#define FW_CFG_INITRD_ADDR 0x0A
#define FW_CFG_INITRD_SIZE 0x0B
#define FW_CFG_BOOT_DEVICE 0x0C
#define FW_CFG_BOOT_MENU 0x0E
#define FW_CFG_MAX_CPUS 0x0F
#define FW_CFG_KERNEL_ENTRY 0x10
#define FW_CFG_KERNEL_DATA 0x11
#define FW_CFG_INITRD_DATA 0x12
#define FW_CFG_CMDLINE_ADDR 0x13
#define FW_CFG_CMDLINE_SIZE 0x14
#define FW_CFG_CMDLINE_DATA 0x15
#define FW_CFG_SETUP_ADDR 0x16
#define FW_CFG_SETUP_SIZE 0x17
#define FW_CFG_SETUP_DATA 0x18
#define FW_CFG_FILE_DIR 0x19

#define FW_CFG_NAME_LEN 56

struct fw_cfg_file {
	u32 size;
	u16 select;
	char name[FW_CFG_NAME_LEN];
};

bool fw_cfg_init(void);
bool fw_cfg_present(void);
// Read `len` bytes of item `key` starting at `offset`.
void fw_cfg_read(u16 key, u32 offset, void *buf, u32 len);
u32 fw_cfg_read32(u16 key);
u64 fw_cfg_read64(u16 key);
// Write into a writable item (table-loader WRITE_POINTER). DMA only.
bool fw_cfg_write(u16 key, u32 offset, const void *buf, u32 len);
// Find a named file; NULL if absent.
const struct fw_cfg_file *fw_cfg_find(const char *name);
// Iterate the directory: returns file i or NULL past the end.
const struct fw_cfg_file *fw_cfg_file_at(int i);
// Read a whole named file into buf (at most max bytes); returns its size,
// or -1 if absent.
int fw_cfg_read_file(const char *name, void *buf, u32 max);
// Small integer files such as etc/boot-menu-wait; def when absent.
u64 fw_cfg_file_u64(const char *name, u64 def);

#endif
