// cdrom.h for host builds of INT 13h without the CD boot layer (test_block,
// fuzz_int13): no CD has been booted, so no drive number is a CD's.
#include "cdrom.h"

struct drive *cdrom_int13_drive(u8 dl)
{
	(void)dl;
	return NULL;
}

bool cdrom_is_floppy(const struct drive *d)
{
	(void)d;
	return false;
}

const u8 *cdrom_floppy_dpt(u8 *type)
{
	*type = 0;
	return NULL;
}

u8 cdrom_int13_4b(struct bregs *r)
{
	(void)r;
	return 0x01; // invalid function: not booted from a CD
}

u8 *cdrom_scratch(void)
{
	return NULL;
}
