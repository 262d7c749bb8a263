// libFuzzer target: fw_cfg's file directory (fw/fw_cfg.c). The input is
// item 0x19 as QEMU would send it, and also the contents of every file it
// names. Every entry kept must have a terminated name, be found by that
// name and be read within the caller's buffer; DMA and the data port must
// give the same directory.
#include <stdlib.h>
#include <string.h>

#include "fuzz_platform.h"
#include "fw/fw_cfg.h"

static struct fw_cfg_file seen[80];

static int walk(void)
{
	const struct fw_cfg_file *f;
	int i;
	for (i = 0; (f = fw_cfg_file_at(i)); i++) {
		if (i >= 80 || !memchr(f->name, 0, FW_CFG_NAME_LEN))
			abort();
		seen[i] = *f;
		const struct fw_cfg_file *g = fw_cfg_find(f->name);
		if (!g || strcmp(g->name, f->name) || g > f)
			abort(); // the first entry of that name
		u32 max = f->size % 64;
		u8 *buf = malloc(max ? max : 1);
		if (fw_cfg_read_file(f->name, buf, max) != (int)g->size)
			abort();
		free(buf);
		fw_cfg_file_u64(f->name, 0);
	}
	return i;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	fuzz_platform_reset();
	fuzz_fw_cfg_item(FW_CFG_FILE_DIR, data, (u32)size);
	fuzz_fw_cfg_default(data, (u32)size);
	if (!fw_cfg_init())
		abort();
	int n = walk();
	static const char *const names[] = {
	    "bootorder",	  "etc/e820",
	    "etc/table-loader",	  "etc/smbios/smbios-anchor",
	    "etc/boot-menu-wait", ""};
	for (u32 i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		fw_cfg_file_u64(names[i], 7);
	// The data port costs a read per byte skipped: small directories only.
	if (n > 16)
		return 0;
	struct fw_cfg_file dma[80];
	memcpy(dma, seen, sizeof(dma));
	fuzz_fw_cfg_dma(false);
	if (!fw_cfg_init() || walk() != n ||
	    memcmp(dma, seen, n * sizeof(*dma)))
		abort();
	return 0;
}
