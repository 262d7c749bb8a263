// A disk for the block-layer fuzz targets: its size and first sectors come
// from the input (sectors past the data read as zeros), one sector may
// fail, and every request the block layer passes on is checked against
// the disk's end.
#ifndef MBIOS_TEST_FUZZ_DISK_H
#define MBIOS_TEST_FUZZ_DISK_H

#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "hw/block.h"

struct fuzz_disk {
	struct drive d;
	const u8 *data;
	size_t len;
	u64 bad_lba;
};

static int fuzz_disk_transfer(struct drive *d, bool write, u64 lba, u32 count,
			      u8 *buf)
{
	struct fuzz_disk *f = container_of(d, struct fuzz_disk, d);
	if (!count || lba >= d->sectors || count > d->sectors - lba)
		abort(); // block.c promised an in-range request
	if (f->bad_lba >= lba && f->bad_lba - lba < count)
		return DISK_ERR_IO;
	for (u32 s = 0; s < count; s++) {
		u8 *p = buf + s * 512;
		u64 off = (lba + s) * 512;
		if (write) {
			volatile u8 sink = p[0] ^ p[511]; // the caller's bytes
			(void)sink;
			continue;
		}
		memset(p, 0, 512);
		if (off < f->len)
			memcpy(p, f->data + off,
			       f->len - off < 512 ? f->len - off : 512);
	}
	return DISK_OK;
}

// Takes the disk's description from the input: type, size in sectors, the
// failing sector, read-only; the rest of the input is its data when
// `data_rest` is set.
static inline void fuzz_disk_init(struct fuzz_disk *f, struct fuzz_in *in,
				  bool data_rest)
{
	memset(f, 0, sizeof(*f));
	u8 flags = fi_u8(in);
	f->d.type = (enum drive_type)(1 + flags % 3);
	f->d.read_only = flags & 0x80;
	f->d.transfer = fuzz_disk_transfer;
	f->d.sectors = fi_u64(in) >> (fi_u8(in) % 64);
	f->bad_lba = fi_u8(in) & 1 ? fi_u32(in) : ~0ull;
	f->d.unit = (flags >> 2) & 1;
	f->d.channel = (flags >> 3) & 3;
	if (data_rest) {
		f->data = in->p;
		f->len = in->left;
	}
}

#endif
