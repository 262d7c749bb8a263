// Boot devices, the boot order, the boot menu and INT 18h/19h.
#ifndef MBIOS_BOOT_H
#define MBIOS_BOOT_H

#include "std/types.h"

struct drive;

// A boot entry vector from an option ROM's PnP header; fw_path is the
// device path QEMU's bootorder uses for it.
void boot_add_bev(u16 seg, u16 off, const char *desc, const char *fw_path,
		  u16 bdf);
void boot_add_drive(struct drive *d);
// A CD-ROM drive (registry, cdrom_at): booted through El Torito.
void boot_add_cdrom(struct drive *d);
// Right before control goes to boot code (a boot sector, a BEV): the last
// measurement complete, the CPU's POST sleeping off.
void boot_handoff(void);
// Build the boot order and boot; tries each entry, never returns.
void boot_start(void) NORETURN;

#endif
