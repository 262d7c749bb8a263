// See fuzz_platform.h. Ports 0x510 (selector) and 0x511 (data) after QEMU
// docs/specs/fw_cfg.rst; the directory (item 0x19) is a big-endian count,
// then 64-byte entries {be32 size, be16 select, u16 reserved, name[56]}.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sanitizer/asan_interface.h>
#include <sys/mman.h>

#include "autoconf.h"
#include "fuzz_platform.h"
#include "hw/io.h"
#include "lib/memalloc.h"
#include "std/byteorder.h"

#define MAX_ITEMS 128
#define FIRST_FILE_KEY 0x20
#define DIR_KEY 0x19
#define MAX_DIR_FILES 100
#define MAX_FILE_SIZE (1u << 20)

struct item {
	u16 key;
	const u8 *data;
	u32 len;
};

static struct item items[MAX_ITEMS];
static int nitems;
static u8 dir[4 + 64 * MAX_DIR_FILES];
static u32 dir_files;
static const u8 *default_data;
static u32 default_len;
static const struct item *selected;
static u32 pos;

static void add_item(u16 key, const u8 *data, u32 len)
{
	if (nitems < MAX_ITEMS)
		items[nitems++] = (struct item){key, data, len};
}

void fuzz_fw_cfg_item(u16 key, const u8 *data, u32 len)
{
	add_item(key, data, len);
}

void fuzz_fw_cfg_default(const u8 *data, u32 len)
{
	default_data = data;
	default_len = len;
}

void fuzz_fw_cfg_file(const char *name, const u8 *data, u32 len, u32 size)
{
	if (dir_files >= MAX_DIR_FILES)
		return;
	u8 *e = dir + 4 + 64 * dir_files;
	u16 key = (u16)(FIRST_FILE_KEY + dir_files);
	put_be32(e, size);
	put_be16(e + 4, key);
	strncpy((char *)e + 8, name, 56);
	put_be32(dir, ++dir_files);
	add_item(key, data, len < size ? len : size);
}

void fuzz_fw_cfg_load(struct fuzz_in *in)
{
	while (in->left) {
		char name[57] = {0};
		size_t got;
		const u8 *n = fi_bytes(in, fi_u8(in) % 57, &got);
		memcpy(name, n, got);
		u32 size = fi_u32(in) % MAX_FILE_SIZE;
		const u8 *data = fi_bytes(in, fi_u32(in), &got);
		fuzz_fw_cfg_file(name, data, (u32)got, size);
	}
}

// ---- the device on the ports ------------------------------------------------

static const u8 signature[4] = {'Q', 'E', 'M', 'U'};
static u8 features[4] = {1, 0, 0, 0}; // bit 0 traditional, bit 1 DMA

void fuzz_fw_cfg_dma(bool on)
{
	features[0] = on ? 3 : 1;
}

static void select_item(u16 v)
{
	selected = NULL;
	pos = 0;
	for (int i = nitems - 1; i >= 0 && !selected; i--) // newest first
		if (items[i].key == v)
			selected = &items[i];
	static struct item fallback;
	if (!selected) {
		fallback = (struct item){v, default_data, default_len};
		selected = &fallback;
	}
}

void outw(u16 v, u16 port)
{
	if (port == 0x510)
		select_item(v);
}

// The next `len` bytes of the selected item (zeros past its data).
static void read_data(u8 *buf, u32 len)
{
	u32 n = pos < selected->len ? MIN(len, selected->len - pos) : 0;
	if (n)
		memcpy(buf, selected->data + pos, n);
	memset(buf + n, 0, len - n);
	pos += len;
}

u8 inb(u16 port)
{
	if (port != 0x511 || !selected)
		return 0xFF;
	u8 v;
	read_data(&v, 1);
	return v;
}

// DMA: the descriptor's physical address, big-endian, written to 0x518
// (high half to 0x514: always 0 here). The targets are linked without PIE
// so that the firmware's static descriptor lies below 4 GiB.
void outl(u32 v, u16 port)
{
	if (port != 0x518)
		return;
	if (!(features[0] & 2))
		abort(); // DMA used although not offered
	u8 *desc = (u8 *)(uintptr_t)be32_to_cpu(v);
	u32 ctl = get_be32(desc), len = get_be32(desc + 4);
	u8 *buf = (u8 *)(uintptr_t)get_be64(desc + 8);
	if (ctl & 0x08)
		select_item((u16)(ctl >> 16));
	if (ctl & 0x02)
		read_data(buf, len);
	else if (ctl & 0x04)
		pos += len;
	put_be32(desc, 0); // done
}

// ---- memory zones -----------------------------------------------------------

#define PAGE 0x1000u
#define FSEG_SIZE 0x1000u // as the firmware's .fsegpool
#define HIGH_SIZE (CONFIG_HIGH_ZONE_KB * 1024u)
#define TMP_SIZE 0x200000u

static u8 *fseg, *high, *tmp;
static u32 fseg_next, high_next, tmp_next;

// Zones with a PROT_NONE page after each, below 4 GiB. The F segment and
// tmp zones are poisoned for ASan but for what was handed out, so a read
// past an allocation there is caught; the high zone stays readable as a
// whole, because acpi_tpm.c may read any of it (acpi_room_at()).
static u8 *zone(u32 size)
{
	u8 *p = mmap(NULL, size + PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (p == MAP_FAILED || mprotect(p + size, PAGE, PROT_NONE)) {
		perror("fuzz_platform: mmap");
		abort();
	}
	return p;
}

void fuzz_platform_reset(void)
{
	if (!fseg) {
		fseg = zone(FSEG_SIZE);
		high = zone(HIGH_SIZE);
		tmp = zone(TMP_SIZE);
	}
	nitems = 0;
	dir_files = 0;
	memset(dir, 0, 4);
	add_item(0x00, signature, sizeof(signature));
	add_item(0x01, features, sizeof(features));
	add_item(DIR_KEY, dir, sizeof(dir));
	default_data = NULL;
	default_len = 0;
	fuzz_fw_cfg_dma(true);
	selected = NULL;
	ASAN_UNPOISON_MEMORY_REGION(fseg, FSEG_SIZE);
	ASAN_UNPOISON_MEMORY_REGION(tmp, TMP_SIZE);
	memset(fseg, 0, fseg_next);
	memset(high + high_next, 0, HIGH_SIZE - high_next);
	memset(tmp, 0, tmp_next);
	ASAN_POISON_MEMORY_REGION(fseg, FSEG_SIZE);
	ASAN_POISON_MEMORY_REGION(tmp, TMP_SIZE);
	fseg_next = tmp_next = 0;
	high_next = HIGH_SIZE;
}

void memalloc_init(u32 ram_top_below_4g)
{
	(void)ram_top_below_4g;
}

// Same policy as lib/memalloc.c: fseg and tmp grow up, high grows down,
// fseg and high are zeroed.
static void *bump_up(u8 *zone, u32 zone_size, u32 *next, u32 size, u32 align)
{
	u32 off = (*next + align - 1) & ~(align - 1);
	if (off > zone_size || size > zone_size - off)
		return NULL;
	*next = off + size;
	ASAN_UNPOISON_MEMORY_REGION(zone + off, size);
	return zone + off;
}

void *malloc_fseg(u32 size, u32 align)
{
	return bump_up(fseg, FSEG_SIZE, &fseg_next, size, align);
}

void *malloc_high(u32 size, u32 align)
{
	if (size > high_next)
		return NULL;
	high_next = (high_next - size) & ~(align - 1);
	return high + high_next;
}

void *malloc_tmp(u32 size, u32 align)
{
	return bump_up(tmp, TMP_SIZE, &tmp_next, size, align);
}

void free_tmp_all(void)
{
	tmp_next = 0;
	ASAN_POISON_MEMORY_REGION(tmp, TMP_SIZE);
}

u32 high_zone_start(void)
{
	return (u32)(uintptr_t)high;
}

u32 high_zone_end(void)
{
	return (u32)(uintptr_t)high + HIGH_SIZE;
}

u32 fseg_used(void)
{
	return fseg_next;
}
