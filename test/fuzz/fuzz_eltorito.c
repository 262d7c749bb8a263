// libFuzzer target: the El Torito parser (eltorito.c). The input is a
// medium size and the sectors the CD boot reads, in the order it reads
// them: the boot record (sector 17), the boot catalog's first sector and,
// for a hard disk emulation, the image's MBR; sectors past the input read
// as zeros. Whatever the parser accepts must be bootable as cdrom.c does
// it: catalog and image inside the medium, the load inside the memory
// window, an emulated geometry that addresses only the image.
#include <stdlib.h>
#include <string.h>

#include "eltorito.h"
#include "fuzz_input.h"

static void take(struct fuzz_in *in, u8 *to, size_t n)
{
	size_t got;
	const u8 *p = fi_bytes(in, n, &got);
	memset(to, 0, n);
	memcpy(to, p, got);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = {data, size};
	static u8 brvd[CD_SECTOR], catalog[CD_SECTOR], mbr[512];
	// Medium sizes around the interesting ones: a few sectors to 2^32.
	u64 sectors = fi_u32(&in) >> (fi_u8(&in) % 32);
	u8 sel = fi_u8(&in);
	struct eltorito_window win = {0x7000, 0x9C000};
	if (sel & 1)
		win = (struct eltorito_window){fi_u32(&in) & 0xFFFFF,
					       fi_u32(&in) & 0xFFFFF};
	// The parts of each sector that mean something come first.
	take(&in, brvd, 0x50);
	take(&in, catalog, 64);
	take(&in, mbr, 512);
	take(&in, brvd + 0x50, CD_SECTOR - 0x50);

	u32 cat = 0xFFFFFFFF;
	if (!eltorito_parse_brvd(brvd, sectors, &cat)) {
		if (cat <= ELTORITO_BRVD_LBA || cat >= sectors)
			abort();
	}
	struct eltorito_boot b;
	memset(&b, 0xA5, sizeof(b));
	if (eltorito_parse_catalog(catalog, sectors, &win, &b))
		return 0;
	u32 start = b.load_seg * 16u, bytes = b.sector_count * 512u;
	if (b.media > ELTORITO_MEDIA_HDD || !b.sector_count ||
	    b.image_lba >= sectors || start < win.lo ||
	    start + bytes > win.hi || start + bytes < start)
		abort();
	u64 avail = (sectors - b.image_lba) * 4;
	struct eltorito_geometry g;
	memset(&g, 0, sizeof(g));
	if (b.media == ELTORITO_MEDIA_NOEMU) {
		if (b.sector_count > avail)
			abort();
		return 0;
	}
	if (b.media == ELTORITO_MEDIA_HDD) {
		if (eltorito_hd_geometry(mbr, avail, &g))
			return 0;
	} else if (eltorito_floppy_geometry(b.media, &g)) {
		abort(); // the catalog accepted a media type without one
	}
	if (!g.spt || g.spt > 63 || !g.heads || g.heads > 256 || !g.cylinders ||
	    g.cylinders > 1024 ||
	    g.sectors != (u32)g.cylinders * g.heads * g.spt ||
	    g.sectors > avail)
		abort();
	// Every CHS address of the emulated drive is inside the image.
	u32 last =
	    ((g.cylinders - 1u) * g.heads + g.heads - 1) * g.spt + g.spt - 1;
	if (last >= g.sectors)
		abort();
	return 0;
}
