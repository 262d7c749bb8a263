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

// One run of whole blocks: nblocks blocks at data hashed into state (the
// ctx's h[] words) as that algorithm's block function would one by one; k
// is the round constant table (sha256_k or sha512_k, 0 for SHA-1).
// Addresses are u64 so that the 32-bit firmware, the 64-bit blob and the
// 64-bit host tests agree on the layout.
struct hash64_job {
	u64 state, data, k;
	u32 alg; // enum hash64_alg
	u32 nblocks;
};

// Runs the jobs in order; returns njobs, or the index of the first job with
// an unknown algorithm (it and the ones after it are not run).
u32 hash64_entry(const struct hash64_job *jobs, u32 njobs);

// Set by the platform when it can run the 64-bit code: called by
// md_update and md_pad for runs of whole blocks, and by hash_buffer_multi
// with every bank's blocks at once (one switch to long mode for all).
// Returns false to have the i386 code do them.
typedef bool (*hash64_runner)(const struct hash64_job *jobs, u32 njobs);
void hash64_set_runner(hash64_runner run);

#endif
