// El Torito 1.0 structures: sections 2.0 (boot record), 2.1 (validation
// entry), 2.2 (initial/default entry) and 3.0 (emulated media). Only the
// initial/default entry is used; section headers and section entries
// (multi-image catalogs) are not read.
#include "eltorito.h"
#include "lib/string.h"

static const char brvd_system[] = "EL TORITO SPECIFICATION";

const char *eltorito_parse_brvd(const u8 *sector, u64 sectors, u32 *catalog_lba)
{
	const struct eltorito_brvd *b = (const void *)sector;
	if (b->type != 0 || memcmp(b->id, "CD001", 5) || b->version != 1)
		return "no El Torito boot record at sector 17";
	// The identifier, then zeros to the end of the 32-byte field.
	u8 pad = 0;
	for (u32 i = sizeof(brvd_system) - 1; i < sizeof(b->system); i++)
		pad |= (u8)b->system[i];
	if (memcmp(b->system, brvd_system, sizeof(brvd_system) - 1) || pad)
		return "sector 17 is not an El Torito boot record";
	u32 lba = b->catalog_lba;
	if (lba <= ELTORITO_BRVD_LBA || lba >= sectors)
		return "boot catalog outside the medium";
	*catalog_lba = lba;
	return NULL;
}

const char *eltorito_parse_catalog(const u8 *catalog, u64 sectors,
				   const struct eltorito_window *win,
				   struct eltorito_boot *out)
{
	const struct eltorito_validation *v = (const void *)catalog;
	const struct eltorito_entry *e = (const void *)(catalog + 32);
	if (v->header_id != ELTORITO_HEADER_ID)
		return "boot catalog: bad validation entry (header id)";
	if (v->key55 != 0x55 || v->keyAA != 0xAA)
		return "boot catalog: bad validation entry (no 55 AA)";
	u16 sum = 0;
	for (u32 i = 0; i < 32; i += 2)
		sum += (u16)(catalog[i] | catalog[i + 1] << 8);
	if (sum)
		return "boot catalog: bad validation entry (checksum)";
	if (v->platform != ELTORITO_PLATFORM_X86)
		return "boot catalog: not for 80x86 PCs";
	if (e->indicator == ELTORITO_NOT_BOOTABLE)
		return "boot catalog: default entry not bootable";
	if (e->indicator != ELTORITO_BOOTABLE)
		return "boot catalog: invalid boot indicator";
	u8 media = e->media & ELTORITO_MEDIA_MASK;
	if (media > ELTORITO_MEDIA_HDD)
		return "boot catalog: unknown emulation type";
	if (!e->sector_count)
		return "boot catalog: entry loads no sectors";
	u32 seg = e->load_seg ? e->load_seg : ELTORITO_DEFAULT_SEG;
	u32 start = seg * 16, bytes = e->sector_count * ELTORITO_VSECTOR;
	if (start < win->lo || start >= win->hi || bytes > win->hi - start)
		return "boot image does not fit in memory";
	u32 lba = e->load_rba;
	if (lba >= sectors)
		return "boot image starts beyond the end of the medium";
	// The CD sectors the image occupies: what is loaded (no emulation)
	// or the whole diskette; a hard disk image's size is in its MBR.
	u32 vsectors = e->sector_count;
	if (media >= ELTORITO_MEDIA_FD12 && media <= ELTORITO_MEDIA_FD288) {
		struct eltorito_geometry g;
		eltorito_floppy_geometry(media, &g);
		if (vsectors > g.sectors)
			return "entry loads more than the diskette holds";
		vsectors = g.sectors;
	}
	if (eltorito_cd_sectors(vsectors) > sectors - lba)
		return "boot image goes beyond the end of the medium";
	out->media = media;
	out->system_type = e->system_type;
	out->load_seg = (u16)seg;
	out->sector_count = e->sector_count;
	out->image_lba = lba;
	return NULL;
}

const char *eltorito_floppy_geometry(u8 media, struct eltorito_geometry *g)
{
	// 3.0: 1.2 MB, 1.44 MB and 2.88 MB diskettes, 80 cylinders, 2 heads.
	static const u8 spt[] = {15, 18, 36}, type[] = {2, 4, 6};
	if (media < ELTORITO_MEDIA_FD12 || media > ELTORITO_MEDIA_FD288)
		return "not a diskette emulation";
	g->cylinders = 80;
	g->heads = 2;
	g->spt = spt[media - 1];
	g->sectors = 80u * 2 * g->spt;
	g->bios_type = type[media - 1];
	return NULL;
}

const char *eltorito_hd_geometry(const u8 *mbr, u64 avail,
				 struct eltorito_geometry *g)
{
	if (mbr[510] != 0x55 || mbr[511] != 0xAA)
		return "disk image has no MBR (55 AA)";
	// 3.0: the image holds one partition; its ending CHS is the last
	// sector of the disk.
	const u8 *p = NULL;
	for (u32 i = 0; i < 4 && !p; i++)
		if (mbr[446 + i * 16 + 4])
			p = mbr + 446 + i * 16;
	if (!p)
		return "disk image: empty partition table";
	u32 heads = p[5] + 1u, spt = p[6] & 0x3F;
	u32 cyls = (p[7] | (p[6] & 0xC0u) << 2) + 1;
	if (!spt)
		return "disk image: partition ends at sector 0";
	g->cylinders = (u16)cyls;
	g->heads = (u16)heads;
	g->spt = (u16)spt;
	g->sectors = cyls * heads * spt;
	g->bios_type = 0;
	if (g->sectors > avail)
		return "disk image goes beyond the end of the medium";
	return NULL;
}
