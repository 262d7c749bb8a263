// Booting a CD-ROM (El Torito) and the INT 13h view of the booted CD:
// generic over any CD-ROM drive in the registry (media MEDIA_CDROM,
// 2048-byte sectors through drive_read), whatever its controller.
#ifndef MBIOS_CDROM_H
#define MBIOS_CDROM_H

#include "autoconf.h"
#include "bregs.h"
#include "hw/block.h"

// 1 when CD-ROM support is built (Kconfig CDROM), for C conditions:
// genconfig leaves a disabled option undefined.
#ifdef CONFIG_CDROM
#define HAVE_CDROM 1
#else
#define HAVE_CDROM 0
#endif

// The booted CD's own INT 13h number (no emulation: DL for the boot image;
// with emulation it stays reachable with 2048-byte EDD reads).
#define CDROM_DRIVE_NUMBER 0xE0
// The lowest address a boot image may be loaded to: above the real-mode
// stack the firmware calls it on (layout.h POST_RM_STACK_OFF).
#define CDROM_LOAD_LO 0x7000

// Before the high zone is sealed, when there is a CD-ROM drive: the CD
// sector buffer the boot and the emulated drives use (high zone: it is
// still read after boot).
void cdrom_setup(void);

// Boot `d`: wait for the medium, read the boot record and catalog, load
// and measure the default entry's image, map an emulated diskette (00h)
// or hard disk (80h) if it asks for one, and jump to it with DL = its
// drive. Returns when the medium cannot be booted (the console says why)
// or the boot image returned; the emulation is gone again then.
void cdrom_boot(struct drive *d, const char *desc);

// INT 13h: the drive behind DL when it is the booted CD (CDROM_DRIVE_NUMBER)
// or the emulated diskette (00h), else NULL. An emulated hard disk is a
// registered disk (80h), found by drive_by_number().
struct drive *cdrom_int13_drive(u8 dl);
// Is `d` the emulated diskette (INT 13h 08h/15h answer as for one)?
bool cdrom_is_floppy(const struct drive *d);
// Its diskette parameter table (INT 13h 08h ES:DI) and drive type (BL).
const u8 *cdrom_floppy_dpt(u8 *type);
// AH=4Bh: AL=00h terminate emulation, AL=01h status; the specification
// packet to DS:SI. Returns the INT 13h status.
u8 cdrom_int13_4b(struct bregs *r);
// A 2048-byte buffer for INT 13h verify of CD sectors.
u8 *cdrom_scratch(void);

#endif
