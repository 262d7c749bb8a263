// Internal to src/crypto: the Merkle-Damgard block buffering and padding
// shared by SHA-1, SHA-2 and SM3, which all pad the same way (FIPS 180-4
// 5.1, GB/T 32905-2016 5.2) and only differ in block size.
#ifndef MBIOS_CRYPTO_MD_H
#define MBIOS_CRYPTO_MD_H

#include "std/types.h"

typedef void (*md_block_fn)(void *state, const u8 *block);

// Feeds n bytes; bsize is 64 or 128, buf holds a partial block and *len
// counts all bytes so far (its low bits give the fill level of buf).
// alg64 (enum hash64_alg, 0 for none) and k let whole blocks go to the
// 64-bit code when the platform registered a runner (hash64.h).
void md_update(void *state, u8 *buf, u64 *len, u32 bsize, md_block_fn fn,
	       u32 alg64, const void *k, const void *data, u32 n);
// Appends 0x80, zeros and the big-endian bit length (64 bits for 64-byte
// blocks, 128 bits for 128-byte blocks) and compresses the final block(s)
// in one run (alg64 and k as for md_update).
void md_pad(void *state, u8 *buf, u64 len, u32 bsize, md_block_fn fn, u32 alg64,
	    const void *k);
// Big-endian output of n bytes of 32-bit or 64-bit state words.
void md_out32(u8 *out, const u32 *h, u32 n);
void md_out64(u8 *out, const u64 *h, u32 n);

static inline u32 rol32(u32 x, u32 n)
{
	return x << (n & 31) | x >> ((32 - n) & 31);
}
static inline u32 ror32(u32 x, u32 n)
{
	return rol32(x, 32 - n);
}

#endif
