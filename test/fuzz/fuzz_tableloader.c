// libFuzzer target: table-loader commands from a hostile QEMU. Every fw_cfg
// file exists with a size taken from the input; nothing may read or write
// outside the blobs.
#include <stdlib.h>
#include <string.h>

#include "fw/tableloader.h"

static u8 arena[1 << 16];
static u32 arena_next;
static u32 file_sizes[4];

static int f_size(void *ctx, const char *name)
{
	(void)ctx;
	return (int)file_sizes[(u8)name[0] & 3];
}

static void f_read(void *ctx, const char *name, void *buf, u32 len)
{
	(void)ctx;
	memset(buf, (u8)name[0], len);
}

static bool f_write(void *ctx, const char *name, u32 off, const void *buf,
		    u32 len)
{
	(void)ctx;
	// The loader promised off + len is within the file.
	if (off + len > file_sizes[(u8)name[0] & 3])
		abort();
	(void)buf;
	return true;
}

static void *f_alloc(void *ctx, u32 size, u32 align, int zone)
{
	(void)ctx;
	(void)zone;
	u32 a = (arena_next + align - 1) & ~(align - 1);
	if (a < arena_next || a + size > sizeof(arena) || a + size < a)
		return NULL;
	arena_next = a + size;
	return malloc(size); // separate allocations so ASan sees overflows
}

static u64 f_addr(void *ctx, const void *p)
{
	(void)ctx;
	return (u64)(uintptr_t)p;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size < 8)
		return 0;
	for (int i = 0; i < 4; i++)
		file_sizes[i] = (u32)data[i] * 4 + data[4 + i % 4];
	arena_next = 0;
	static const struct loader_env env = {f_size,  f_read, f_write,
					      f_alloc, f_addr, NULL};
	struct loader_result res;
	loader_run(&env, data + 8, (u32)(size - 8), &res);
	for (int i = 0; i < res.count; i++)
		free(res.files[i].data);
	return 0;
}
