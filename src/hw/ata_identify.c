// Word numbers are ATA8-ACS 7.16, table 22.
#include "hw/ata_identify.h"

const char *ata_identify_parse(const u16 *id, struct ata_identity *out)
{
	// Word 0 bit 15: not an ATA device; word 49 bit 9: LBA supported.
	if (id[0] & 0x8000)
		return "not an ATA device";
	if (!(id[49] & 0x0200))
		return "CHS-only disk, not supported";
	// Word 106: bit 14 set/bit 15 clear = valid; bit 12 = logical sector
	// longer than 256 words (size in words 117-118).
	if ((id[106] & 0xC000) == 0x4000 && (id[106] & 0x1000) &&
	    (id[117] | (u32)id[118] << 16) != 256)
		return "sector size is not 512";
	// Words 83/86 bit 10: 48-bit feature set supported/enabled; the size
	// is then in words 100-103, else in words 60-61.
	out->lba48 = (id[83] & 0x0400) && (id[86] & 0x0400);
	out->sectors = id[60] | (u32)id[61] << 16;
	if (out->lba48)
		out->sectors = id[100] | (u32)id[101] << 16 |
			       (u64)(id[102] | (u32)id[103] << 16) << 32;
	ata_identify_model(id, out->model);
	return NULL;
}

void ata_identify_model(const u16 *id, char *model)
{
	// Words 27-46: the model, two characters per word, high byte first.
	for (int i = 0; i < 20; i++) {
		model[2 * i] = (char)(id[27 + i] >> 8);
		model[2 * i + 1] = (char)(id[27 + i] & 0xFF);
	}
	int n = 40;
	while (n > 0 && (model[n - 1] == ' ' || model[n - 1] == 0))
		n--;
	model[n] = 0;
}
