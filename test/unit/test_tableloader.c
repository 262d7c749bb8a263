// table-loader: the four commands against fake fw_cfg files, and rejection
// of malformed commands without side effects.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "fw/tableloader.h"
#include "std/byteorder.h"

struct fake_file {
	const char *name;
	u8 data[256];
	u32 size;
};

static struct fake_file fake[3];
static u8 arena[4096] __attribute__((aligned(64)));
static u32 arena_next;
static u8 written[64];
static u32 written_off, written_len;

static struct fake_file *lookup(const char *name)
{
	for (int i = 0; i < 3; i++)
		if (fake[i].name && !strcmp(fake[i].name, name))
			return &fake[i];
	return NULL;
}

static int f_size(void *ctx, const char *name)
{
	(void)ctx;
	struct fake_file *f = lookup(name);
	return f ? (int)f->size : -1;
}

static void f_read(void *ctx, const char *name, void *buf, u32 len)
{
	(void)ctx;
	memcpy(buf, lookup(name)->data, len);
}

static bool f_write(void *ctx, const char *name, u32 off, const void *buf,
		    u32 len)
{
	(void)ctx;
	(void)name;
	written_off = off;
	written_len = len;
	memcpy(written, buf, len);
	return true;
}

static void *f_alloc(void *ctx, u32 size, u32 align, int zone)
{
	(void)ctx;
	(void)zone;
	u32 a = (arena_next + align - 1) & ~(align - 1);
	if (a + size > sizeof(arena))
		return NULL;
	arena_next = a + size;
	return arena + a;
}

// Addresses as the "OS" sees them: offsets in the arena plus a base.
static u64 f_addr(void *ctx, const void *p)
{
	(void)ctx;
	return 0x7FE0000 + (u64)((const u8 *)p - arena);
}

static const struct loader_env env = {f_size,  f_read, f_write,
				      f_alloc, f_addr, NULL};

static void cmd_allocate(u8 *c, const char *file, u32 align, u8 zone)
{
	memset(c, 0, LOADER_CMD_SIZE);
	put_le32(c, LOADER_ALLOCATE);
	strcpy((char *)c + 4, file);
	put_le32(c + 60, align);
	c[64] = zone;
}

static void cmd_pointer(u8 *c, const char *dst, const char *src, u32 off,
			u8 size)
{
	memset(c, 0, LOADER_CMD_SIZE);
	put_le32(c, LOADER_ADD_POINTER);
	strcpy((char *)c + 4, dst);
	strcpy((char *)c + 60, src);
	put_le32(c + 116, off);
	c[120] = size;
}

static void cmd_checksum(u8 *c, const char *file, u32 off, u32 start, u32 len)
{
	memset(c, 0, LOADER_CMD_SIZE);
	put_le32(c, LOADER_ADD_CHECKSUM);
	strcpy((char *)c + 4, file);
	put_le32(c + 60, off);
	put_le32(c + 64, start);
	put_le32(c + 68, len);
}

static void cmd_write_pointer(u8 *c, const char *dst, const char *src,
			      u32 dst_off, u32 src_off, u8 size)
{
	memset(c, 0, LOADER_CMD_SIZE);
	put_le32(c, LOADER_WRITE_POINTER);
	strcpy((char *)c + 4, dst);
	strcpy((char *)c + 60, src);
	put_le32(c + 116, dst_off);
	put_le32(c + 120, src_off);
	c[124] = size;
}

static int setup(void **state)
{
	(void)state;
	memset(fake, 0, sizeof(fake));
	memset(arena, 0xEE, sizeof(arena));
	arena_next = 0;
	written_len = 0;
	fake[0].name = "etc/acpi/tables";
	fake[0].size = 64;
	for (int i = 0; i < 64; i++)
		fake[0].data[i] = (u8)i;
	put_le32(fake[0].data + 8, 0x10); // pointer field: offset 0x10
	fake[1].name = "etc/acpi/rsdp";
	fake[1].size = 20;
	fake[2].name = "etc/vmgenid_addr";
	fake[2].size = 8;
	return 0;
}

static void test_all_commands(void **state)
{
	(void)state;
	u8 cmds[6 * LOADER_CMD_SIZE];
	cmd_allocate(cmds, "etc/acpi/tables", 64, LOADER_ZONE_HIGH);
	cmd_allocate(cmds + 128, "etc/acpi/rsdp", 16, LOADER_ZONE_FSEG);
	cmd_pointer(cmds + 256, "etc/acpi/tables", "etc/acpi/tables", 8, 4);
	cmd_pointer(cmds + 384, "etc/acpi/rsdp", "etc/acpi/tables", 16, 4);
	cmd_checksum(cmds + 512, "etc/acpi/tables", 20, 0, 32);
	cmd_write_pointer(cmds + 640, "etc/vmgenid_addr", "etc/acpi/tables", 0,
			  40, 8);
	struct loader_result res;
	loader_run(&env, cmds, sizeof(cmds), &res);
	assert_int_equal(res.errors, 0);
	assert_int_equal(res.count, 2);
	const struct loader_file *t = loader_find(&res, "etc/acpi/tables");
	const struct loader_file *r = loader_find(&res, "etc/acpi/rsdp");
	assert_non_null(t);
	assert_non_null(r);
	assert_int_equal(((uintptr_t)t->data) % 64, 0);
	u64 base = f_addr(NULL, t->data);
	assert_int_equal(get_le32(t->data + 8), base + 0x10);
	assert_int_equal(get_le32(r->data + 16), base);
	u8 sum = 0;
	for (int i = 0; i < 32; i++)
		sum += t->data[i];
	assert_int_equal(sum, 0);
	assert_int_equal(written_len, 8);
	assert_int_equal(get_le64(written), base + 40);
}

static void test_rejects_bad_commands(void **state)
{
	(void)state;
	u8 cmds[8 * LOADER_CMD_SIZE];
	cmd_allocate(cmds, "etc/acpi/tables", 64, LOADER_ZONE_HIGH);
	// Unknown file named by a pointer command.
	cmd_pointer(cmds + 128, "etc/acpi/tables", "etc/nonexistent", 8, 4);
	// Pointer past the end of the file.
	cmd_pointer(cmds + 256, "etc/acpi/tables", "etc/acpi/tables", 62, 4);
	// Bad pointer size.
	cmd_pointer(cmds + 384, "etc/acpi/tables", "etc/acpi/tables", 8, 3);
	// Checksum range outside the file.
	cmd_checksum(cmds + 512, "etc/acpi/tables", 0, 60, 10);
	// Allocation of a file QEMU does not have, and a bad alignment.
	cmd_allocate(cmds + 640, "etc/missing", 64, LOADER_ZONE_HIGH);
	cmd_allocate(cmds + 768, "etc/acpi/rsdp", 3, LOADER_ZONE_HIGH);
	// Unterminated name.
	cmd_allocate(cmds + 896, "x", 16, LOADER_ZONE_HIGH);
	memset(cmds + 896 + 4, 'A', LOADER_FILESZ);
	struct loader_result res;
	loader_run(&env, cmds, sizeof(cmds), &res);
	assert_int_equal(res.errors, 7);
	assert_int_equal(res.count, 1);
	// The blob is untouched by the rejected commands.
	const struct loader_file *t = loader_find(&res, "etc/acpi/tables");
	assert_int_equal(get_le32(t->data + 8), 0x10);
	assert_int_equal(t->data[60], 60);
	assert_int_equal(t->data[0], 0);
}

static void test_unknown_command_skipped(void **state)
{
	(void)state;
	u8 cmds[2 * LOADER_CMD_SIZE + 5];
	memset(cmds, 0, sizeof(cmds));
	put_le32(cmds, 99);
	cmd_allocate(cmds + 128, "etc/acpi/rsdp", 16, LOADER_ZONE_FSEG);
	struct loader_result res;
	loader_run(&env, cmds, sizeof(cmds), &res);
	assert_int_equal(res.errors, 0);
	assert_int_equal(res.count, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_all_commands, setup),
	    cmocka_unit_test_setup(test_rejects_bad_commands, setup),
	    cmocka_unit_test_setup(test_unknown_command_skipped, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
