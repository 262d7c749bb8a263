// The fuzz input as a stream the targets take values from. Past its end
// every value reads as zero, so a short input still makes a whole run.
#ifndef MBIOS_TEST_FUZZ_INPUT_H
#define MBIOS_TEST_FUZZ_INPUT_H

#include <stddef.h>

#include "std/types.h"

struct fuzz_in {
	const u8 *p;
	size_t left;
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static inline u8 fi_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline u16 fi_u16(struct fuzz_in *in)
{
	u16 lo = fi_u8(in);
	return (u16)(lo | fi_u8(in) << 8);
}

static inline u32 fi_u32(struct fuzz_in *in)
{
	u32 lo = fi_u16(in);
	return lo | (u32)fi_u16(in) << 16;
}

static inline u64 fi_u64(struct fuzz_in *in)
{
	u64 lo = fi_u32(in);
	return lo | (u64)fi_u32(in) << 32;
}

// Up to n bytes in place; *got says how many there were.
static inline const u8 *fi_bytes(struct fuzz_in *in, size_t n, size_t *got)
{
	const u8 *p = in->p;
	*got = n < in->left ? n : in->left;
	in->p += *got;
	in->left -= *got;
	return p;
}

// A TPM response from the stream: u16 length, then that many bytes. With
// bit 15 of the length set the response header's size field is made to
// match, which spares the fuzzer finding the one value the checks accept.
// Returns the full length asked for; at most `max` bytes are written.
static inline u32 fi_tpm_response(struct fuzz_in *in, u8 *rsp, u32 max)
{
	u16 len = fi_u16(in);
	bool fix_size = len & 0x8000;
	len &= 0x7FFF;
	size_t got;
	const u8 *p = fi_bytes(in, len, &got);
	u32 n = got < max ? (u32)got : max;
	for (u32 i = 0; i < n; i++)
		rsp[i] = p[i];
	for (u32 i = n; i < len && i < max; i++)
		rsp[i] = 0;
	if (fix_size && len >= 6 && max >= 6) {
		rsp[2] = (u8)(len >> 24);
		rsp[3] = (u8)(len >> 16);
		rsp[4] = (u8)(len >> 8);
		rsp[5] = (u8)len;
	}
	return len;
}

#endif
