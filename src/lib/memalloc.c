// Bump allocators: the firmware never frees, except the POST scratch zone.
#include "lib/memalloc.h"
#include "autoconf.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "output.h"

#define FSEG_POOL_SIZE 4096 // the .fsegpool section in layout.ld
#define HIGH_ZONE_SIZE (CONFIG_HIGH_ZONE_KB * 1024)
// The scratch zone sits just below the high zone, in the same 2 MiB of
// guest RAM: QEMU backs RAM with transparent huge pages, and the first
// touch of each one costs the host 0.4-7 ms here (docs/benchmarks.md).
#define TMP_ZONE_SIZE 0x00100000

static u8 fseg_pool[FSEG_POOL_SIZE]
    __attribute__((section(".fsegpool"), aligned(16)));
static u32 fseg_next;
static u32 high_start, high_end, high_next;
static u32 tmp_start, tmp_next;

void memalloc_init(u32 ram_top)
{
	high_end = ram_top;
	high_start = ALIGN_DOWN(ram_top - HIGH_ZONE_SIZE, 0x10000);
	high_next = high_end;
	tmp_start = high_start - TMP_ZONE_SIZE;
	tmp_next = tmp_start;
	fseg_next = 0;
}

void *malloc_fseg(u32 size, u32 align)
{
	u32 off = ALIGN_UP(fseg_next, align);
	if (off + size > FSEG_POOL_SIZE) {
		dprint(DL_ERR, "memalloc: fseg pool full (%u bytes asked)\n",
		       size);
		return NULL;
	}
	fseg_next = off + size;
	memset(fseg_pool + off, 0, size);
	return fseg_pool + off;
}

void *malloc_high(u32 size, u32 align)
{
	if (size > high_next - high_start)
		goto full;
	u32 addr = ALIGN_DOWN(high_next - size, align);
	if (addr < high_start)
		goto full;
	high_next = addr;
	void *p = phys_ptr(addr);
	memset(p, 0, size);
	return p;
full:
	dprint(DL_ERR, "memalloc: high zone full (%u bytes asked)\n", size);
	return NULL;
}

void *malloc_tmp(u32 size, u32 align)
{
	u32 addr = ALIGN_UP(tmp_next, align);
	if (size > TMP_ZONE_SIZE || addr > tmp_start + TMP_ZONE_SIZE - size) {
		dprint(DL_ERR, "memalloc: tmp zone full (%u bytes asked)\n",
		       size);
		return NULL;
	}
	tmp_next = addr + size;
	return phys_ptr(addr);
}

void free_tmp_all(void)
{
	tmp_next = tmp_start;
}

u32 high_zone_seal(void)
{
	// The next allocation would have failed anyway once the OS runs.
	high_start = ALIGN_DOWN(high_next, 0x1000);
	return high_start;
}

u32 high_zone_start(void)
{
	return high_start;
}
u32 high_zone_end(void)
{
	return high_end;
}
u32 fseg_used(void)
{
	return fseg_next;
}
