// fw_cfg over DMA when QEMU offers it, else the byte-wide data port.
#include "fw/fw_cfg.h"
#include "hw/io.h"
#include "lib/string.h"
#include "output.h"
#include "std/byteorder.h"

#define PORT_SELECTOR 0x510
#define PORT_DATA 0x511
#define PORT_DMA_HIGH 0x514
#define PORT_DMA_LOW 0x518

#define FEATURE_DMA 0x02

#define DMA_CTL_ERROR 0x01
#define DMA_CTL_READ 0x02
#define DMA_CTL_SKIP 0x04
#define DMA_CTL_SELECT 0x08
#define DMA_CTL_WRITE 0x10

#define MAX_FILES 80

struct fw_cfg_dma {
	u32 control;
	u32 length;
	u64 address;
} PACKED ALIGNED(16);

static bool present, has_dma;
static struct fw_cfg_file files[MAX_FILES];
static int file_count;

static bool dma_transfer(u32 control, void *buf, u32 len)
{
	static struct fw_cfg_dma desc;
	desc.control = cpu_to_be32(control);
	desc.length = cpu_to_be32(len);
	desc.address = cpu_to_be64((uintptr_t)buf);
	barrier();
	outl(0, PORT_DMA_HIGH);
	outl(cpu_to_be32((u32)(uintptr_t)&desc), PORT_DMA_LOW);
	// QEMU completes the transfer within the port write; still bounded.
	for (int i = 0; i < 1000000; i++) {
		barrier();
		u32 ctl = be32_to_cpu(desc.control);
		if (ctl & DMA_CTL_ERROR)
			return false;
		if (!ctl)
			return true;
	}
	return false;
}

void fw_cfg_read(u16 key, u32 offset, void *buf, u32 len)
{
	if (!present) {
		memset(buf, 0, len);
		return;
	}
	if (has_dma) {
		u32 sel = (u32)key << 16 | DMA_CTL_SELECT;
		if (offset && !dma_transfer(sel | DMA_CTL_SKIP, NULL, offset))
			goto fail;
		if (len &&
		    !dma_transfer((offset ? 0 : sel) | DMA_CTL_READ, buf, len))
			goto fail;
		return;
	}
	outw(key, PORT_SELECTOR);
	for (u32 i = 0; i < offset; i++)
		inb(PORT_DATA);
	u8 *p = buf;
	for (u32 i = 0; i < len; i++)
		p[i] = inb(PORT_DATA);
	return;
fail:
	dprint(DL_ERR, "fw_cfg: DMA read of item 0x%x failed\n", key);
	memset(buf, 0, len);
}

bool fw_cfg_write(u16 key, u32 offset, const void *buf, u32 len)
{
	if (!has_dma)
		return false;
	u32 sel = (u32)key << 16 | DMA_CTL_SELECT;
	if (offset && !dma_transfer(sel | DMA_CTL_SKIP, NULL, offset))
		return false;
	return dma_transfer((offset ? 0 : sel) | DMA_CTL_WRITE, (void *)buf,
			    len);
}

u32 fw_cfg_read32(u16 key)
{
	u32 v;
	fw_cfg_read(key, 0, &v, sizeof(v));
	return v;
}

u64 fw_cfg_read64(u16 key)
{
	u64 v;
	fw_cfg_read(key, 0, &v, sizeof(v));
	return v;
}

bool fw_cfg_init(void)
{
	char sig[4];
	present = true;
	has_dma = false;
	fw_cfg_read(FW_CFG_SIGNATURE, 0, sig, 4);
	if (memcmp(sig, "QEMU", 4)) {
		present = false;
		return false;
	}
	has_dma = fw_cfg_read32(FW_CFG_ID) & FEATURE_DMA;

	u32 count_be;
	fw_cfg_read(FW_CFG_FILE_DIR, 0, &count_be, 4);
	u32 count = be32_to_cpu(count_be);
	if (count > MAX_FILES) {
		dprint(DL_ERR, "fw_cfg: %u files, only %u kept\n", count,
		       MAX_FILES);
		count = MAX_FILES;
	}
	for (u32 i = 0; i < count; i++) {
		u8 raw[64];
		fw_cfg_read(FW_CFG_FILE_DIR, 4 + i * 64, raw, 64);
		files[i].size = get_be32(raw);
		files[i].select = get_be16(raw + 4);
		memcpy(files[i].name, raw + 8, FW_CFG_NAME_LEN);
		files[i].name[FW_CFG_NAME_LEN - 1] = 0;
	}
	file_count = count;
	dprint(DL_INFO, "fw_cfg: %s, %d files\n", has_dma ? "DMA" : "port io",
	       file_count);
	return true;
}

bool fw_cfg_present(void)
{
	return present;
}

const struct fw_cfg_file *fw_cfg_file_at(int i)
{
	return i >= 0 && i < file_count ? &files[i] : NULL;
}

const struct fw_cfg_file *fw_cfg_find(const char *name)
{
	for (int i = 0; i < file_count; i++)
		if (!strncmp(files[i].name, name, FW_CFG_NAME_LEN))
			return &files[i];
	return NULL;
}

int fw_cfg_read_file(const char *name, void *buf, u32 max)
{
	const struct fw_cfg_file *f = fw_cfg_find(name);
	if (!f)
		return -1;
	fw_cfg_read(f->select, 0, buf, MIN(f->size, max));
	return (int)f->size;
}

u64 fw_cfg_file_u64(const char *name, u64 def)
{
	const struct fw_cfg_file *f = fw_cfg_find(name);
	if (!f || f->size > 8)
		return def;
	u64 v = 0;
	fw_cfg_read(f->select, 0, &v, f->size);
	return v;
}
