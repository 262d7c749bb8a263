// The IDENTIFY DEVICE data both disk drivers read (ATA8-ACS 7.16).
#ifndef MBIOS_HW_ATA_IDENTIFY_H
#define MBIOS_HW_ATA_IDENTIFY_H

#include "std/types.h"

struct ata_identity {
	u64 sectors;
	bool lba48;	// 48-bit commands supported and enabled
	char model[41]; // trailing blanks removed
};

// NULL when the device is a disk this BIOS can use (LBA, 512-byte
// sectors), else why not, for a "skipped" message.
const char *ata_identify_parse(const u16 *id, struct ata_identity *out);
// Words 27-46 (the same in IDENTIFY PACKET DEVICE), trailing blanks
// removed, into 41 bytes.
void ata_identify_model(const u16 *id, char *model);

#endif
