// Field positions are SPC-4 and SBC-3 (std/scsi.h).
#include "hw/scsi_parse.h"
#include "lib/string.h"
#include "std/byteorder.h"
#include "std/scsi.h"

static void copy_trimmed(char *dst, const u8 *src, u32 n)
{
	memcpy(dst, src, n);
	while (n > 0 && (dst[n - 1] == ' ' || dst[n - 1] == 0))
		n--;
	dst[n] = 0;
	// The names go to the console: no control characters.
	for (u32 i = 0; i < n; i++)
		if (dst[i] < 0x20 || dst[i] > 0x7E)
			dst[i] = '?';
}

const char *scsi_inquiry_parse(const u8 *data, u32 len,
			       struct scsi_inquiry *out)
{
	if (len < SCSI_INQUIRY_LEN)
		return "short INQUIRY data";
	if (data[0] >> 5)
		return "no device at this LUN";
	out->type = data[0] & 0x1F;
	if (out->type != SCSI_TYPE_DISK && out->type != SCSI_TYPE_CDROM)
		return "not a disk or CD-ROM";
	out->removable = data[1] & 0x80;
	copy_trimmed(out->vendor, data + 8, 8);
	copy_trimmed(out->product, data + 16, 16);
	return NULL;
}

bool scsi_capacity_parse(const u8 *data, u32 len, u64 *blocks, u32 *block_size)
{
	u64 last;
	u32 bs;
	if (len >= SCSI_CAPACITY16_LEN) {
		last = get_be64(data);
		bs = get_be32(data + 8);
	} else if (len >= SCSI_CAPACITY10_LEN) {
		last = get_be32(data);
		bs = get_be32(data + 4);
	} else {
		return false;
	}
	if (!bs || (bs & (bs - 1)))
		return false;
	*block_size = bs;
	// Last LBA, so +1; all ones from (10) or (16) has no count.
	*blocks =
	    (len < SCSI_CAPACITY16_LEN && last == 0xFFFFFFFFu) || last == ~0ull
		? 0
		: last + 1;
	return true;
}

int scsi_sense_key(const u8 *sense, u32 len)
{
	if (len < 2)
		return -1;
	u8 code = sense[0] & 0x7F;
	if ((code == 0x70 || code == 0x71) && len >= 3)
		return sense[2] & 0x0F; // fixed format (SPC-4 4.5.3)
	if (code == 0x72 || code == 0x73)
		return sense[1] & 0x0F; // descriptor format (4.5.2)
	return -1;
}

u32 scsi_cdb_rw(u8 *cdb, bool write, u64 lba, u32 count)
{
	memset(cdb, 0, SCSI_CDB_MAX);
	if (lba + count <= 0x100000000ull && count <= 0xFFFF) {
		cdb[0] = write ? SCSI_WRITE10 : SCSI_READ10;
		put_be32(cdb + 2, (u32)lba);
		put_be16(cdb + 7, (u16)count);
		return 10;
	}
	cdb[0] = write ? SCSI_WRITE16 : SCSI_READ16;
	put_be64(cdb + 2, lba);
	put_be32(cdb + 10, count);
	return 16;
}
