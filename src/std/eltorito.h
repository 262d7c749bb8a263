// "El Torito" Bootable CD-ROM Format Specification 1.0 (Phoenix/IBM,
// 1995): the Boot Record Volume Descriptor, the boot catalog's validation
// and initial/default entries, the INT 13h 4Bh specification packet.
// Sections of the spec are named where a field is defined.
#ifndef MBIOS_STD_ELTORITO_H
#define MBIOS_STD_ELTORITO_H

#include "std/types.h"

#define CD_SECTOR 2048
#define ELTORITO_VSECTOR 512 // the "virtual sector" of sector counts

// 2.0 Boot Record Volume Descriptor, always at sector 17 (ISO 9660 volume
// descriptor set: type 0 = boot record).
#define ELTORITO_BRVD_LBA 17
struct eltorito_brvd {
	u8 type;	 // 0
	char id[5];	 // "CD001"
	u8 version;	 // 1
	char system[32]; // "EL TORITO SPECIFICATION", zero padded
	u8 unused[32];	 // boot identifier, zeros
	u32 catalog_lba; // 47h: first sector of the boot catalog
} PACKED;
STATIC_ASSERT(offsetof(struct eltorito_brvd, catalog_lba) == 0x47,
	      "BRVD catalog pointer at 47h");

// 2.1 Validation entry: the catalog's first 32 bytes.
struct eltorito_validation {
	u8 header_id; // 01
	u8 platform;  // 0 = 80x86, 1 = PowerPC, 2 = Mac (EFh: UEFI, later)
	u16 reserved;
	char id[24];  // manufacturer / developer
	u16 checksum; // the sixteen words of the entry sum to zero
	u8 key55, keyAA;
} PACKED;
STATIC_ASSERT(sizeof(struct eltorito_validation) == 32, "validation entry");

#define ELTORITO_HEADER_ID 0x01
#define ELTORITO_PLATFORM_X86 0x00

// 2.2 Initial/default entry: the catalog's second 32 bytes.
struct eltorito_entry {
	u8 indicator;	// 88h bootable, 00h not bootable
	u8 media;	// bits 0-3: ELTORITO_MEDIA_*
	u16 load_seg;	// 0: the traditional 07C0h
	u8 system_type; // the image's partition type (hard disk emulation)
	u8 unused1;
	u16 sector_count; // virtual (512-byte) sectors loaded at load_seg
	u32 load_rba;	  // first CD sector of the image
	u8 unused2[20];
} PACKED;
STATIC_ASSERT(sizeof(struct eltorito_entry) == 32, "default entry");

#define ELTORITO_BOOTABLE 0x88
#define ELTORITO_NOT_BOOTABLE 0x00
#define ELTORITO_MEDIA_MASK 0x0F
#define ELTORITO_MEDIA_NOEMU 0
#define ELTORITO_MEDIA_FD12 1 // 1.2 MB diskette
#define ELTORITO_MEDIA_FD144 2
#define ELTORITO_MEDIA_FD288 3
#define ELTORITO_MEDIA_HDD 4
#define ELTORITO_DEFAULT_SEG 0x07C0

// 5.0 INT 13h function 4Bh (00h terminate emulation, 01h status): the
// specification packet at DS:SI.
struct eltorito_spec_packet {
	u8 size;	 // 13h
	u8 media;	 // bits 0-3 as above; bit 6 ATAPI, bit 7 SCSI drivers
	u8 drive;	 // emulated drive (00h, 80h) or the CD's own number
	u8 controller;	 // controller index
	u32 image_lba;	 // the image's first CD sector
	u16 device_spec; // IDE: bit 0 = slave; SCSI: LUN/PUN
	u16 buffer_seg;	 // 3 KiB user buffer (0: none)
	u16 load_seg;
	u16 sector_count;
	u8 cyl_low;	 // emulated geometry, INT 13h 08h style
	u8 sec_cyl_high; // bits 0-5 sectors per track, 6-7 cylinder bits 8-9
	u8 heads;	 // head count - 1
} PACKED;
STATIC_ASSERT(sizeof(struct eltorito_spec_packet) == 0x13, "4Bh packet");

#endif
