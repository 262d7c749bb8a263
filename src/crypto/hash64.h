// Interface between the i386 hashes (src/crypto) and their 64-bit bulk
// code (src/crypto/lm64), which hw/longmode.c runs in long mode.
#ifndef MBIOS_CRYPTO_HASH64_H
#define MBIOS_CRYPTO_HASH64_H

#include "std/types.h"

// The round constants (FIPS 180-4 4.2.2, 4.2.3), shared with the 64-bit
// code.
extern const u32 sha256_k[64];
extern const u64 sha512_k[80];

enum hash64_alg { HASH64_SHA1 = 1, HASH64_SHA256, HASH64_SHA512 };

// Hashes nblocks whole blocks into state (the ctx's h[] words), as the
// block function of that algorithm would one by one; k is the round
// constant table (sha256_k or sha512_k, NULL for SHA-1). Returns nblocks,
// or 0 for an unknown algorithm.
u32 hash64_entry(u32 alg, void *state, const u8 *data, u32 nblocks,
		 const void *k);

// Set by the platform when it can run the 64-bit code: called by
// md_update for runs of whole blocks. Returns false to have the i386 code
// do them.
typedef bool (*hash64_runner)(u32 alg, void *state, const u8 *data, u32 nblocks,
			      const void *k);
void hash64_set_runner(hash64_runner run);

#endif
