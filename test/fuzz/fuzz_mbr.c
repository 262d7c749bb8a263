// libFuzzer target: the boot sector (hw/block.c): a disk of any size with
// the input as its first sectors is registered (logical CHS geometry),
// sector 0 is read through the range-checked path and checked for the
// boot signature the way boot.c does before jumping to it. There is no
// partition table parser: the bytes from 440 on are measured as they are
// (PCR 5).
#include "fuzz_disk.h"
#include "lib/phys.h"

// Low memory for the BDA's disk count (phys_ptr() maps 0 here).
static u8 low_mem[0x1000];

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = {data, size};
	host_phys_base = (uintptr_t)low_mem;
	static struct fuzz_disk disk;
	fuzz_disk_init(&disk, &in, true);
	drive_reset_all();
	if (!drive_register(&disk.d))
		abort();
	const struct drive *d = &disk.d;
	if (d->spt != 63 || !d->cylinders || d->cylinders > 1024 ||
	    (d->heads != 16 && d->heads != 32 && d->heads != 64 &&
	     d->heads != 128 && d->heads != 255))
		abort();
	if (d->cylinders > 1 &&
	    (u64)d->cylinders * d->heads * d->spt > d->sectors)
		abort(); // CHS addresses must stay on the disk
	u8 *mbr = malloc(512);
	int rc = drive_read(&disk.d, 0, 1, mbr);
	if (rc == DISK_OK) {
		enum boot_sector_verdict v = boot_sector_check(mbr);
		bool sig = mbr[510] == 0x55 && mbr[511] == 0xAA;
		if ((v == BOOT_SECTOR_OK) != sig)
			abort();
	} else if (rc != DISK_ERR_RANGE && rc != DISK_ERR_IO) {
		abort();
	} else if (rc == DISK_ERR_RANGE && d->sectors) {
		abort();
	}
	free(mbr);
	return 0;
}
