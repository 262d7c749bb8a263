// Every field is checked before use: names must be terminated, files must
// exist, offsets and sizes must stay inside the blob. A rejected command is
// reported and skipped, never half-applied.
#include "fw/tableloader.h"
#include "lib/string.h"
#include "output.h"
#include "std/byteorder.h"

static bool name_ok(const u8 *field)
{
	return strnlen((const char *)field, LOADER_FILESZ) < LOADER_FILESZ &&
	       field[0];
}

const struct loader_file *loader_find(const struct loader_result *res,
				      const char *name)
{
	for (int i = 0; i < res->count; i++)
		if (!strncmp(res->files[i].name, name, LOADER_FILESZ))
			return &res->files[i];
	return NULL;
}

static bool reject(struct loader_result *res, int idx, const char *why,
		   const u8 *name)
{
	char n[LOADER_FILESZ + 1];
	memcpy(n, name, LOADER_FILESZ);
	n[LOADER_FILESZ] = 0;
	for (int i = 0; n[i]; i++)
		if (n[i] < 0x20 || n[i] > 0x7E)
			n[i] = '?';
	dprint(DL_ERR, "table-loader: command %d (%s): %s; skipped\n", idx, n,
	       why);
	res->errors++;
	return false;
}

static bool do_allocate(const struct loader_env *env, const u8 *c, int idx,
			struct loader_result *res)
{
	const u8 *name = c + 4;
	u32 align = get_le32(c + 4 + LOADER_FILESZ);
	u8 zone = c[8 + LOADER_FILESZ];
	if (!name_ok(name))
		return reject(res, idx, "bad file name", name);
	if (loader_find(res, (const char *)name))
		return reject(res, idx, "file allocated twice", name);
	if (res->count >= LOADER_MAX_FILES)
		return reject(res, idx, "too many files", name);
	if (!align || (align & (align - 1)) || align > 0x100000)
		return reject(res, idx, "bad alignment", name);
	if (zone != LOADER_ZONE_HIGH && zone != LOADER_ZONE_FSEG)
		return reject(res, idx, "unknown zone", name);
	int size = env->file_size(env->ctx, (const char *)name);
	if (size <= 0)
		return reject(res, idx, "no such fw_cfg file", name);
	if (align < 16)
		align = 16;
	u8 *p = env->alloc(env->ctx, (u32)size, align, zone);
	if (!p)
		return reject(res, idx, "out of memory", name);
	env->read_file(env->ctx, (const char *)name, p, (u32)size);
	struct loader_file *f = &res->files[res->count++];
	memcpy(f->name, name, LOADER_FILESZ);
	f->data = p;
	f->size = (u32)size;
	dprint(DL_INFO, "table-loader: %s, %u bytes at %p\n", f->name, f->size,
	       p);
	return true;
}

static u64 get_le(const u8 *p, u8 size)
{
	u64 v = 0;
	for (int i = size - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_le(u8 *p, u8 size, u64 v)
{
	for (int i = 0; i < size; i++, v >>= 8)
		p[i] = (u8)v;
}

static bool size_ok(u8 size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static bool do_add_pointer(const struct loader_env *env, const u8 *c, int idx,
			   struct loader_result *res)
{
	const u8 *dest_name = c + 4, *src_name = c + 4 + LOADER_FILESZ;
	u32 offset = get_le32(c + 4 + 2 * LOADER_FILESZ);
	u8 size = c[8 + 2 * LOADER_FILESZ];
	if (!name_ok(dest_name) || !name_ok(src_name))
		return reject(res, idx, "bad file name", dest_name);
	const struct loader_file *dest =
	    loader_find(res, (const char *)dest_name);
	const struct loader_file *src =
	    loader_find(res, (const char *)src_name);
	if (!dest || !src)
		return reject(res, idx, "unknown file",
			      dest ? src_name : dest_name);
	if (!size_ok(size) || offset > dest->size || size > dest->size - offset)
		return reject(res, idx, "pointer outside the file", dest_name);
	u64 v = get_le(dest->data + offset, size);
	v += env->addr_of(env->ctx, src->data);
	if (size < 8 && (v >> (size * 8)))
		return reject(res, idx, "pointer does not fit", dest_name);
	put_le(dest->data + offset, size, v);
	return true;
}

static bool do_add_checksum(const u8 *c, int idx, struct loader_result *res)
{
	const u8 *name = c + 4;
	u32 offset = get_le32(c + 4 + LOADER_FILESZ);
	u32 start = get_le32(c + 8 + LOADER_FILESZ);
	u32 length = get_le32(c + 12 + LOADER_FILESZ);
	if (!name_ok(name))
		return reject(res, idx, "bad file name", name);
	const struct loader_file *f = loader_find(res, (const char *)name);
	if (!f)
		return reject(res, idx, "unknown file", name);
	if (offset >= f->size || start > f->size || length > f->size - start)
		return reject(res, idx, "checksum range outside the file",
			      name);
	f->data[offset] = 0;
	u8 sum = 0;
	for (u32 i = 0; i < length; i++)
		sum += f->data[start + i];
	f->data[offset] = (u8)-sum;
	return true;
}

static bool do_write_pointer(const struct loader_env *env, const u8 *c, int idx,
			     struct loader_result *res)
{
	const u8 *dest_name = c + 4, *src_name = c + 4 + LOADER_FILESZ;
	u32 dst_offset = get_le32(c + 4 + 2 * LOADER_FILESZ);
	u32 src_offset = get_le32(c + 8 + 2 * LOADER_FILESZ);
	u8 size = c[12 + 2 * LOADER_FILESZ];
	if (!name_ok(dest_name) || !name_ok(src_name))
		return reject(res, idx, "bad file name", dest_name);
	const struct loader_file *src =
	    loader_find(res, (const char *)src_name);
	if (!src)
		return reject(res, idx, "unknown file", src_name);
	int dsize = env->file_size(env->ctx, (const char *)dest_name);
	if (dsize < 0)
		return reject(res, idx, "no such fw_cfg file", dest_name);
	if (!size_ok(size) || dst_offset > (u32)dsize ||
	    size > (u32)dsize - dst_offset || src_offset >= src->size)
		return reject(res, idx, "pointer outside the file", dest_name);
	u64 v = env->addr_of(env->ctx, src->data) + src_offset;
	u8 buf[8];
	put_le(buf, size, v);
	if (!env->write_file(env->ctx, (const char *)dest_name, dst_offset, buf,
			     size))
		return reject(res, idx, "fw_cfg write failed", dest_name);
	return true;
}

void loader_run(const struct loader_env *env, const u8 *cmds, u32 len,
		struct loader_result *res)
{
	memset(res, 0, sizeof(*res));
	if (len % LOADER_CMD_SIZE)
		dprint(DL_ERR, "table-loader: %u trailing bytes ignored\n",
		       len % LOADER_CMD_SIZE);
	for (u32 i = 0; i + LOADER_CMD_SIZE <= len; i += LOADER_CMD_SIZE) {
		const u8 *c = cmds + i;
		int idx = (int)(i / LOADER_CMD_SIZE);
		switch (get_le32(c)) {
		case LOADER_ALLOCATE:
			do_allocate(env, c, idx, res);
			break;
		case LOADER_ADD_POINTER:
			do_add_pointer(env, c, idx, res);
			break;
		case LOADER_ADD_CHECKSUM:
			do_add_checksum(c, idx, res);
			break;
		case LOADER_WRITE_POINTER:
			do_write_pointer(env, c, idx, res);
			break;
		case 0:
			break; // padding
		default:
			// Newer QEMUs may add commands; the format says skip.
			dprint(DL_INFO,
			       "table-loader: command %d: unknown "
			       "type %u skipped\n",
			       idx, get_le32(c));
		}
	}
}
