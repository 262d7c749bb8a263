// SCSI device answers (INQUIRY, READ CAPACITY, sense) as pure functions,
// and the READ/WRITE CDBs, shared by SCSI transports (hw/virtio_scsi.c).
#ifndef MBIOS_HW_SCSI_PARSE_H
#define MBIOS_HW_SCSI_PARSE_H

#include "std/types.h"

struct scsi_inquiry {
	u8 type;	  // peripheral device type (SCSI_TYPE_*)
	bool removable;	  // RMB
	char vendor[9];	  // trailing blanks removed
	char product[17]; // trailing blanks removed
};

// NULL if `len` bytes of INQUIRY data name a connected disk or CD-ROM,
// else why it is skipped (no device at this LUN, other type, short).
const char *scsi_inquiry_parse(const u8 *data, u32 len,
			       struct scsi_inquiry *out);

// READ CAPACITY (10) or (16) data (`len` tells which) -> block count and
// size. Returns false when short or the block size is 0 or not a power of
// two. *blocks = 0 from (10) means the disk needs READ CAPACITY (16).
bool scsi_capacity_parse(const u8 *data, u32 len, u64 *blocks, u32 *block_size);

// Sense key of fixed- or descriptor-format sense data, or -1 if none.
int scsi_sense_key(const u8 *sense, u32 len);

// READ or WRITE CDB for `count` blocks at `lba`: (10) when it fits, else
// (16). Returns the CDB length.
u32 scsi_cdb_rw(u8 *cdb, bool write, u64 lba, u32 count);

#endif
