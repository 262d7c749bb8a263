// ATAPI CD-ROM drives (packet devices, MMC commands), shared by the PIIX
// IDE (hw/ata.c) and AHCI (hw/ahci.c) drivers: each supplies the packet
// transport, this layer the commands. Facts: ATA8-ACS (IDENTIFY PACKET
// DEVICE), SPC-3 (TEST UNIT READY, REQUEST SENSE, sense keys and codes),
// MMC-5 / SBC (READ CAPACITY(10), READ(10)).
#ifndef MBIOS_HW_ATAPI_H
#define MBIOS_HW_ATAPI_H

#include "hw/block.h"

// Send the 12-byte command block and move up to `len` bytes from the
// device into `buf` (NULL when len is 0). DISK_OK; DISK_ERR_IO for CHECK
// CONDITION (REQUEST SENSE says why) or a short transfer;
// DISK_ERR_TIMEOUT when the device does not answer.
typedef int (*atapi_packet_fn)(struct drive *d, const u8 *cdb, void *buf,
			       u32 len);

// IDENTIFY PACKET DEVICE data (256 words): NULL when this is a CD-ROM
// (packet device, type 05h) with 12-byte command packets; else why not.
// `model` (41 bytes) gets the model string without trailing blanks.
const char *atapi_identify_parse(const u16 *id, char *model);

// Fill in a CD-ROM drive found at `where` ("AHCI port 2", "ata1-0") and
// register it (cdrom_register). The driver has set type, location and the
// callbacks.
void atapi_register(struct drive *d, const char *where, const char *model);

// What a REQUEST SENSE answer means for a drive that is coming up.
enum atapi_sense {
	SENSE_RETRY,	 // unit attention, not ready for another reason
	SENSE_BECOMING,	 // 02h/04h/01h: becoming ready
	SENSE_NO_MEDIUM, // 02h/3Ah: medium not present
	SENSE_FAILED,	 // anything else: a hardware or medium error
};
enum atapi_sense atapi_classify_sense(const u8 *sense, u32 len);

// Bounds of the wait for a medium (see atapi_prepare).
#define ATAPI_READY_US 5000000	   // a drive that answers "not ready"
#define ATAPI_BECOMING_US 15000000 // one that says "becoming ready"
#define ATAPI_NO_MEDIUM_TRIES 3

// Before the first read of a boot: TEST UNIT READY until the drive is
// ready (retrying unit attentions and "becoming ready"), then READ
// CAPACITY into d->sectors. DISK_OK, DISK_ERR_NO_MEDIA (medium not
// present, reported ATAPI_NO_MEDIUM_TRIES times), DISK_ERR_TIMEOUT (not
// ready within ATAPI_READY_US, or ATAPI_BECOMING_US while it says it is
// becoming ready), DISK_ERR_IO (a medium error, or sectors that are not
// 2048 bytes).
int atapi_prepare(struct drive *d, atapi_packet_fn packet);

// READ(10) of 2048-byte sectors; the range is checked by block.c.
int atapi_read(struct drive *d, atapi_packet_fn packet, u64 lba, u32 count,
	       u8 *buf);

#endif
