// Endianness helpers: TPM commands and fw_cfg are big-endian, x86 is not.
#ifndef MBIOS_STD_BYTEORDER_H
#define MBIOS_STD_BYTEORDER_H

#include "std/types.h"

static inline u16 swab16(u16 v)
{
	return __builtin_bswap16(v);
}
static inline u32 swab32(u32 v)
{
	return __builtin_bswap32(v);
}
static inline u64 swab64(u64 v)
{
	return __builtin_bswap64(v);
}

#define cpu_to_be16(v) swab16(v)
#define cpu_to_be32(v) swab32(v)
#define cpu_to_be64(v) swab64(v)
#define be16_to_cpu(v) swab16(v)
#define be32_to_cpu(v) swab32(v)
#define be64_to_cpu(v) swab64(v)

// Unaligned big/little-endian loads and stores on byte buffers.
static inline u16 get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}
static inline u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}
static inline u64 get_be64(const u8 *p)
{
	return (u64)get_be32(p) << 32 | get_be32(p + 4);
}
static inline void put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = (u8)v;
}
static inline void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = (u8)v;
}
static inline void put_be64(u8 *p, u64 v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, (u32)v);
}
static inline u16 get_le16(const u8 *p)
{
	return (u16)(p[0] | p[1] << 8);
}
static inline u32 get_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}
static inline u64 get_le64(const u8 *p)
{
	return get_le32(p) | (u64)get_le32(p + 4) << 32;
}
static inline void put_le16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = v >> 8;
}
static inline void put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}
static inline void put_le64(u8 *p, u64 v)
{
	put_le32(p, (u32)v);
	put_le32(p + 4, v >> 32);
}

#endif
