// El Torito parsing (eltorito.c): pure functions over sectors already
// read, shared by the CD boot (cdrom.c), the unit tests and fuzz_eltorito.
// Each returns NULL when the structure is usable, else a sentence saying
// what is wrong with the medium, for the console.
#ifndef MBIOS_ELTORITO_H
#define MBIOS_ELTORITO_H

#include "std/eltorito.h"

// What the default entry asks for, checked against the medium.
struct eltorito_boot {
	u8 media;	  // ELTORITO_MEDIA_*
	u8 system_type;	  // partition type (hard disk emulation)
	u16 load_seg;	  // 07C0h when the catalog says 0
	u16 sector_count; // 512-byte sectors loaded at load_seg:0
	u32 image_lba;	  // first CD sector of the image
};

// The emulated drive of a floppy or hard disk emulation boot.
struct eltorito_geometry {
	u16 cylinders, heads, spt;
	u32 sectors;  // 512-byte sectors: cylinders * heads * spt
	u8 bios_type; // INT 13h 08h BL for a diskette (0 for a hard disk)
};

// Where a boot image may be loaded: [lo, hi) in real-mode memory.
struct eltorito_window {
	u32 lo, hi;
};

// Sector 17 (2048 bytes): the Boot Record Volume Descriptor. On success
// *catalog_lba is its catalog pointer, inside a medium of `sectors`.
const char *eltorito_parse_brvd(const u8 *sector, u64 sectors,
				u32 *catalog_lba);

// The first sector of the boot catalog (2048 bytes): validation entry
// (header id, platform, checksum, 55 AA) and the initial/default entry
// (bootable, media type, sector count, load address inside `win`, image
// start and, for no emulation and diskettes, its end inside the medium).
const char *eltorito_parse_catalog(const u8 *catalog, u64 sectors,
				   const struct eltorito_window *win,
				   struct eltorito_boot *out);

// The emulated diskette's geometry for its media type.
const char *eltorito_floppy_geometry(u8 media, struct eltorito_geometry *g);

// Hard disk emulation: the geometry from the image's MBR (first sector of
// the image): the one partition's ending CHS gives heads and sectors per
// track; the image must end inside the medium (`avail` 512-byte sectors
// from the image start to the end of the medium).
const char *eltorito_hd_geometry(const u8 *mbr, u64 avail,
				 struct eltorito_geometry *g);

// CD sectors that hold `vsectors` 512-byte sectors.
static inline u32 eltorito_cd_sectors(u32 vsectors)
{
	return (vsectors + 3) / 4;
}

#endif
