// libFuzzer target: QEMU's bootorder file (fw/bootorder.c). Input: four
// bytes describing one more boot location (PCI slot, function, channel,
// unit), then the file. Every location the firmware has (IDE, AHCI,
// virtio, option ROMs) is looked up; a priority must name a line that
// exists.
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "fw/bootorder.h"

static int lines(const char *text, u32 len)
{
	int n = 1;
	for (u32 i = 0; i < len && text[i]; i++)
		n += text[i] == '\n';
	return n;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct boot_location extra = {NULL,	      (s8)fi_u8(&in),
				      (s8)fi_u8(&in), (s8)fi_u8(&in),
				      (s8)fi_u8(&in), (s8)fi_u8(&in)};
	// An exact copy of the file, so that ASan sees a read past its end.
	u32 len = (u32)in.left;
	char *text = malloc(len ? len : 1);
	memcpy(text, in.p, len);
	const struct boot_location locs[] = {
	    extra,
	    {NULL, 1, 1, 0, 0, -1},
	    {NULL, 1, 1, 1, 1, -1},
	    {NULL, 3, 0, -1, 2, 3},  // virtio-scsi target 2 LUN 3
	    {NULL, 4, 0, -1, -1, 1}, // NVMe namespace 1
	    {NULL, 0x1f, 2, 2, 0, -1},
	    {NULL, 4, 0, -1, -1, -1},
	    {"genroms/linuxboot_dma.bin", -1, -1, -1, -1, -1},
	    {"genroms/multiboot.bin", -1, -1, -1, -1, -1},
	};
	for (u32 i = 0; i < sizeof(locs) / sizeof(locs[0]); i++) {
		int prio = bootorder_find(text, len, &locs[i]);
		if (prio < -1 || prio >= lines(text, len))
			abort();
	}
	free(text);
	return 0;
}
