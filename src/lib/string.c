// Minimal string functions for the freestanding firmware.
#include "lib/string.h"

// Under QEMU's TCG every iteration of a rep-prefixed string instruction is
// a pass of its own through the translated code: 16 bytes per loop pass
// copy and clear tables, ROMs and buffers about ten times faster than
// rep movsb/stosb. The loops must not be turned back into calls to
// memcpy/memset (no-tree-loop-distribute-patterns).
typedef u32 __attribute__((may_alias, aligned(1))) u32_any;

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *
memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	for (; n >= 16; n -= 16, d += 16, s += 16) {
		u32 a = ((const u32_any *)s)[0], b = ((const u32_any *)s)[1];
		u32 c = ((const u32_any *)s)[2], e = ((const u32_any *)s)[3];
		((u32_any *)d)[0] = a;
		((u32_any *)d)[1] = b;
		((u32_any *)d)[2] = c;
		((u32_any *)d)[3] = e;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

__attribute__((optimize("no-tree-loop-distribute-patterns"))) void *
memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u32 v = 0x01010101u * (u8)c;
	for (; n >= 16; n -= 16, d += 16) {
		((u32_any *)d)[0] = v;
		((u32_any *)d)[1] = v;
		((u32_any *)d)[2] = v;
		((u32_any *)d)[3] = v;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
