// Disks as the BIOS sees them: every controller driver (hw/ata.c,
// hw/ahci.c, hw/virtio_blk.c) registers its drives here, INT 13h and the
// boot code use them by BIOS drive number (0x80, 0x81, ...).
#ifndef MBIOS_BLOCK_H
#define MBIOS_BLOCK_H

#include "std/types.h"

enum drive_type {
	DRIVE_ATA = 1,
	DRIVE_AHCI,
	DRIVE_VIRTIO_BLK,
	DRIVE_ATAPI,	  // packet device on PIIX IDE
	DRIVE_AHCI_ATAPI, // packet device on an AHCI port
	DRIVE_VIRTIO_SCSI,
	DRIVE_NVME,
};

// Disks get BIOS numbers 80h+ at registration; CD-ROMs are kept apart
// (cdrom_register) and get a number only when El Torito boots them.
enum drive_media { MEDIA_DISK = 0, MEDIA_CDROM };

#define DISK_OK 0
#define DISK_ERR_IO -1	    // device reported an error
#define DISK_ERR_TIMEOUT -2 // device did not answer in time
#define DISK_ERR_RANGE -3   // request beyond the end of the disk
#define DISK_ERR_WRITE_PROTECT -4
#define DISK_ERR_NO_MEDIA -5 // removable drive without a medium

struct drive;
// Transfer `count` sectors at `lba` to (write) or from `buf` (any address
// below 4 GiB; drivers handle alignment and DMA limits themselves). block.c
// has checked the range, write protection and that count > 0. Returns
// DISK_*.
typedef int (*drive_transfer_fn)(struct drive *d, bool write, u64 lba,
				 u32 count, u8 *buf);

// Lives as long as the OS may call INT 13h: drivers allocate it (and any
// memory the device uses) with malloc_high.
struct drive {
	enum drive_type type;
	enum drive_media media;
	drive_transfer_fn transfer;
	u32 sector_size; // 512 for disks, 2048 for CD-ROMs
	u64 sectors;
	// Logical geometry for CHS calls (INT 13h 02h/08h), from block.c.
	u16 cylinders, heads, spt;
	// Location, for bootorder matching and EDD device paths.
	u16 bdf;	// controller PCI address
	u8 channel;	// ATA channel / AHCI port / SCSI target
	u8 unit;	// ATA master 0 / slave 1 / SCSI LUN / NVMe nsid
	u16 io_base;	// ATA command block (EDD DPTE)
	u16 ctrl_base;	// ATA control block (EDD DPTE)
	u8 irq;		// ATA interrupt line (EDD DPTE)
	bool read_only; // writes fail with DISK_ERR_WRITE_PROTECT
	char model[41]; // "ata0-1: QEMU HARDDISK": boot menu and messages
	u8 number;	// BIOS drive number once registered
	void *priv;	// driver state
	// CD-ROMs whose medium is checked only when it is booted (ATAPI):
	// wait for it to be ready and set `sectors`. NULL when `sectors` is
	// known at registration. Returns DISK_*.
	int (*prepare)(struct drive *d);
};

#define MAX_DRIVES 8
#define MAX_CDROMS 4

// Register a disk: computes the CHS geometry and assigns the next BIOS drive
// number (kept in BDA 0x475). Returns false when the table is full.
bool drive_register(struct drive *d);
struct drive *drive_by_number(u8 number);
int drive_count(void);
struct drive *drive_at(int index);
// Register a CD-ROM drive (media = MEDIA_CDROM, sector_size 2048): kept in
// its own table, no BIOS number until it is booted. False when full.
bool cdrom_register(struct drive *d);
int cdrom_count(void);
struct drive *cdrom_at(int index);
// Reads through ops with range checks; the one entry point boot code uses.
int drive_read(struct drive *d, u64 lba, u32 count, void *buf);
int drive_write(struct drive *d, u64 lba, u32 count, const void *buf);
// What the boot code checks in a boot sector (512 bytes) before jumping to
// it: the 55h AAh signature at 510, and that it is not all zeros (a blank
// disk whose read "succeeded").
enum boot_sector_verdict {
	BOOT_SECTOR_OK,
	BOOT_SECTOR_EMPTY,
	BOOT_SECTOR_NO_SIGNATURE,
};
enum boot_sector_verdict boot_sector_check(const u8 *sector);
// Change the order of BIOS numbers (boot order): `first` becomes 0x80.
void drive_make_first(struct drive *first);
// Take a disk out of the numbering again (an El Torito hard disk
// emulation that ended); the others close up.
void drive_unregister(struct drive *d);

#ifdef HOST_TEST
void drive_reset_all(void); // unit tests: forget every drive
#endif

// Controller set-up, called once in POST after PCI enumeration.
void ata_setup(void);
void ahci_setup(void);
void virtio_blk_setup(void);
void virtio_scsi_setup(void);
void nvme_setup(void);

#endif
