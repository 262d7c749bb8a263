// Drive registry: BIOS drive numbers, logical CHS geometry, range-checked
// transfers. Drivers own the hardware; this file owns the numbering.
#include "hw/block.h"
#include "output.h"
#include "lib/bda.h"

static struct drive *drives[MAX_DRIVES];
static int ndrives;

#define LCHS_SPT 63
#define LCHS_MAX_CYL 1024

// LBA-assisted translation (Phoenix EDD 1.1, "LBA Assist Translation"):
// 63 sectors per track; the head count is the smallest of 16/32/64/128/255
// that keeps the cylinder count within 1024.
static void set_geometry(struct drive *d)
{
	static const u8 head_steps[] = {16, 32, 64, 128};
	u32 heads = 255;
	for (u32 i = 0; i < ARRAY_SIZE(head_steps); i++) {
		if (d->sectors <=
		    (u64)LCHS_MAX_CYL * head_steps[i] * LCHS_SPT) {
			heads = head_steps[i];
			break;
		}
	}
	u32 per_cyl = heads * LCHS_SPT;
	u32 cyl = LCHS_MAX_CYL;
	// Below the cap the count fits 32 bits: no 64-bit division needed.
	if (d->sectors < (u64)LCHS_MAX_CYL * per_cyl)
		cyl = (u32)d->sectors / per_cyl;
	d->heads = heads;
	d->spt = LCHS_SPT;
	d->cylinders = cyl ? cyl : 1;
}

static void renumber(void)
{
	for (int i = 0; i < ndrives; i++)
		drives[i]->number = 0x80 + i;
	bda_u8(BDA_DISK_COUNT) = ndrives;
}

bool drive_register(struct drive *d)
{
	if (ndrives >= MAX_DRIVES) {
		dprint(DL_ERR, "block: drive table full, %s ignored\n",
		       d->model);
		return false;
	}
	if (!d->sector_size)
		d->sector_size = 512;
	set_geometry(d);
	drives[ndrives++] = d;
	renumber();
	dprint(DL_INFO, "block: %02x = %s, %u MiB, CHS %u/%u/%u\n", d->number,
	       d->model, (u32)(d->sectors >> 11), d->cylinders, d->heads,
	       d->spt);
	return true;
}

struct drive *drive_by_number(u8 number)
{
	int i = number - 0x80;
	return i >= 0 && i < ndrives ? drives[i] : NULL;
}

int drive_count(void)
{
	return ndrives;
}

struct drive *drive_at(int index)
{
	return index >= 0 && index < ndrives ? drives[index] : NULL;
}

static struct drive *cdroms[MAX_CDROMS];
static int ncdroms;

bool cdrom_register(struct drive *d)
{
	if (ncdroms >= MAX_CDROMS) {
		dprint(DL_ERR, "block: CD-ROM table full, %s ignored\n",
		       d->model);
		return false;
	}
	d->media = MEDIA_CDROM;
	if (!d->sector_size)
		d->sector_size = 2048;
	cdroms[ncdroms++] = d;
	dprint(DL_INFO, "block: CD-ROM %d = %s\n", ncdroms - 1, d->model);
	return true;
}

int cdrom_count(void)
{
	return ncdroms;
}

struct drive *cdrom_at(int index)
{
	return index >= 0 && index < ncdroms ? cdroms[index] : NULL;
}

static bool in_range(const struct drive *d, u64 lba, u32 count)
{
	return lba < d->sectors && count <= d->sectors - lba;
}

int drive_read(struct drive *d, u64 lba, u32 count, void *buf)
{
	if (!count)
		return DISK_OK;
	if (!in_range(d, lba, count))
		return DISK_ERR_RANGE;
	return d->transfer(d, false, lba, count, buf);
}

int drive_write(struct drive *d, u64 lba, u32 count, const void *buf)
{
	if (!count)
		return DISK_OK;
	if (!in_range(d, lba, count))
		return DISK_ERR_RANGE;
	if (d->read_only)
		return DISK_ERR_WRITE_PROTECT;
	return d->transfer(d, true, lba, count, (u8 *)buf);
}

enum boot_sector_verdict boot_sector_check(const u8 *sector)
{
	u8 any = 0;
	for (u32 i = 0; i < 512; i++)
		any |= sector[i];
	if (!any)
		return BOOT_SECTOR_EMPTY;
	if (sector[510] != 0x55 || sector[511] != 0xAA)
		return BOOT_SECTOR_NO_SIGNATURE;
	return BOOT_SECTOR_OK;
}

void drive_make_first(struct drive *first)
{
	int i;
	for (i = 0; i < ndrives && drives[i] != first; i++)
		;
	if (i == ndrives)
		return;
	for (; i > 0; i--)
		drives[i] = drives[i - 1];
	drives[0] = first;
	renumber();
}

void drive_unregister(struct drive *d)
{
	int i;
	for (i = 0; i < ndrives && drives[i] != d; i++)
		;
	if (i == ndrives)
		return;
	for (ndrives--; i < ndrives; i++)
		drives[i] = drives[i + 1];
	renumber();
}

#ifdef HOST_TEST
void drive_reset_all(void)
{
	ndrives = 0;
	ncdroms = 0;
	bda_u8(BDA_DISK_COUNT) = 0;
}
#endif
