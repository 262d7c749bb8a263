// ATAPI CD-ROM commands over a controller's packet transport (atapi.h).
#include "hw/atapi.h"
#include "hw/ata_identify.h"
#include "hw/clock.h"
#include "lib/format.h"
#include "lib/string.h"
#include "output.h"
#include "std/byteorder.h"

#define CMD_TEST_UNIT_READY 0x00
#define CMD_REQUEST_SENSE 0x03
#define CMD_READ_CAPACITY 0x25
#define CMD_READ10 0x28

// SPC-3 4.5: fixed-format sense data, sense key in byte 2 (bits 0-3),
// additional sense code and qualifier in bytes 12 and 13.
#define SENSE_LEN 18
#define KEY_NOT_READY 0x02
#define KEY_UNIT_ATTENTION 0x06
#define ASC_NOT_READY 0x04
#define ASCQ_BECOMING_READY 0x01
#define ASC_NO_MEDIUM 0x3A

// Sectors per READ(10): 64 KiB, one DMA buffer / a few PIO blocks.
#define READ_CHUNK 32
// Between polls of a drive that is not ready yet.
#define RETRY_DELAY_MS 10

const char *atapi_identify_parse(const u16 *id, char *model)
{
	// ATA8-ACS 7.17 IDENTIFY PACKET DEVICE word 0: bits 15-14 = 10b
	// (ATAPI), bits 12-8 the SCSI device type (05h: CD/DVD), bits 1-0 the
	// packet size (00b: 12 bytes).
	if ((id[0] & 0xC000) != 0x8000)
		return "not an ATAPI device";
	if ((id[0] >> 8 & 0x1F) != 0x05)
		return "ATAPI device that is not a CD/DVD drive";
	if (id[0] & 0x0003)
		return "ATAPI drive with 16-byte packets, not supported";
	ata_identify_model(id, model);
	return NULL;
}

void atapi_register(struct drive *d, const char *where, const char *model)
{
	d->media = MEDIA_CDROM;
	d->sector_size = 2048;
	d->read_only = true;
	d->sectors = 0; // READ CAPACITY at boot (atapi_prepare)
	snprintf(d->model, sizeof(d->model), "DVD/CD [%s]: %s", where, model);
	printf_console("%s\n", d->model);
	cdrom_register(d);
}

enum atapi_sense atapi_classify_sense(const u8 *sense, u32 len)
{
	// Response code 70h/71h: fixed format (SPC-3 4.5.3).
	if (len < 14 || (sense[0] & 0x7E) != 0x70)
		return SENSE_RETRY;
	u8 key = sense[2] & 0x0F, asc = sense[12], ascq = sense[13];
	if (key == KEY_UNIT_ATTENTION)
		return SENSE_RETRY; // medium changed, reset: ask again
	if (key == KEY_NOT_READY && asc == ASC_NO_MEDIUM)
		return SENSE_NO_MEDIUM;
	if (key == KEY_NOT_READY && asc == ASC_NOT_READY &&
	    ascq == ASCQ_BECOMING_READY)
		return SENSE_BECOMING;
	if (key == KEY_NOT_READY || key == 0)
		return SENSE_RETRY;
	return SENSE_FAILED;
}

static int request_sense(struct drive *d, atapi_packet_fn packet, u8 *sense)
{
	u8 cdb[12] = {CMD_REQUEST_SENSE, 0, 0, 0, SENSE_LEN};
	memset(sense, 0, SENSE_LEN);
	return packet(d, cdb, sense, SENSE_LEN);
}

// TEST UNIT READY until the drive says ready, within the bounds above.
static int wait_ready(struct drive *d, atapi_packet_fn packet)
{
	u64 end = clock_deadline(ATAPI_READY_US);
	bool becoming = false;
	int no_medium = 0;
	for (;;) {
		static const u8 tur[12] = {CMD_TEST_UNIT_READY};
		int rc = packet(d, tur, NULL, 0);
		if (rc == DISK_OK)
			return DISK_OK;
		if (rc == DISK_ERR_TIMEOUT)
			return rc;
		u8 sense[SENSE_LEN];
		enum atapi_sense s = SENSE_RETRY;
		if (request_sense(d, packet, sense) == DISK_OK) {
			s = atapi_classify_sense(sense, SENSE_LEN);
			dprint(DL_DETAIL, "atapi: %s: sense %x/%02x/%02x\n",
			       d->model, sense[2] & 0xF, sense[12], sense[13]);
		}
		if (s == SENSE_NO_MEDIUM &&
		    ++no_medium >= ATAPI_NO_MEDIUM_TRIES)
			return DISK_ERR_NO_MEDIA;
		if (s == SENSE_FAILED) {
			dprint(DL_ERR,
			       "atapi: %s: not ready, sense %x/%02x/%02x\n",
			       d->model, sense[2] & 0xF, sense[12], sense[13]);
			return DISK_ERR_IO;
		}
		if (s == SENSE_BECOMING && !becoming) {
			becoming = true;
			end = clock_deadline(ATAPI_BECOMING_US);
			printf_console("%s: waiting for the medium to become "
				       "ready...\n",
				       d->model);
		}
		if (clock_expired(end))
			return DISK_ERR_TIMEOUT;
		// A unit attention is reported once: ask again at once.
		if (s != SENSE_RETRY || (sense[2] & 0x0F) != KEY_UNIT_ATTENTION)
			mdelay(RETRY_DELAY_MS);
	}
}

int atapi_prepare(struct drive *d, atapi_packet_fn packet)
{
	int rc = wait_ready(d, packet);
	if (rc)
		return rc;
	// READ CAPACITY(10): last LBA and block length, big-endian.
	static const u8 cdb[12] = {CMD_READ_CAPACITY};
	u8 cap[8];
	rc = packet(d, cdb, cap, sizeof(cap));
	if (rc)
		return rc;
	u32 last = get_be32(cap), block = get_be32(cap + 4);
	dprint(DL_INFO, "atapi: %s: %u sectors of %u bytes\n", d->model,
	       last + 1, block);
	if (block != 2048)
		return DISK_ERR_IO;
	d->sectors = (u64)last + 1;
	return DISK_OK;
}

int atapi_read(struct drive *d, atapi_packet_fn packet, u64 lba, u32 count,
	       u8 *buf)
{
	while (count) {
		u32 n = MIN(count, (u32)READ_CHUNK);
		u8 cdb[12] = {CMD_READ10};
		put_be32(cdb + 2, (u32)lba);
		cdb[7] = n >> 8;
		cdb[8] = n;
		int rc = packet(d, cdb, buf, n * 2048);
		if (rc) {
			u8 sense[SENSE_LEN];
			if (rc == DISK_ERR_IO &&
			    request_sense(d, packet, sense) == DISK_OK)
				dprint(DL_ERR,
				       "atapi: %s: read of %u at %u failed, "
				       "sense %x/%02x/%02x\n",
				       d->model, n, (u32)lba, sense[2] & 0xF,
				       sense[12], sense[13]);
			return rc;
		}
		lba += n;
		count -= n;
		buf += n * 2048;
	}
	return DISK_OK;
}
