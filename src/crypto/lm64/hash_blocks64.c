// The bulk of SHA-1, SHA-256 and SHA-384/512: whole blocks, compiled for
// 64-bit long mode into a position-independent blob (out/fw/hash64.bin)
// that hw/longmode.c calls from 32-bit code. Under QEMU's TCG, where
// measured boot mostly runs, 64-bit code with 16 registers hashes about
// three to eight times faster than the i386 code in ../sha*.c, which stays
// the reference and the fallback (docs/benchmarks.md has the figures).
// The rounds are unrolled by renaming the working variables: under TCG a
// loop pass per round costs more than the round itself.
//
// Freestanding, no data of its own: the round constants come from the
// 32-bit image (sha256_k, sha512_k), mapped at the same addresses.
#include "crypto/hash64.h"
#include "crypto/md.h"
#include "std/byteorder.h"

static inline u64 ror64(u64 x, u32 n)
{
	return x >> n | x << (64 - n);
}

// FIPS 180-4 6.1.2: the message schedule first, then the rounds, five per
// loop pass with the working variables renamed instead of moved.
#define F_CH(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define F_PARITY(b, c, d) ((b) ^ (c) ^ (d))
#define F_MAJ(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))
#define ROUND1(a, b, c, d, e, fn, k, t)                                        \
	do {                                                                   \
		e += rol32(a, 5) + fn(b, c, d) + (k) + w[t];                   \
		b = rol32(b, 30);                                              \
	} while (0)
#define FIVE(fn, k)                                                            \
	for (u32 end = t + 20; t < end; t += 5) {                              \
		ROUND1(a, b, c, d, e, fn, k, t);                               \
		ROUND1(e, a, b, c, d, fn, k, t + 1);                           \
		ROUND1(d, e, a, b, c, fn, k, t + 2);                           \
		ROUND1(c, d, e, a, b, fn, k, t + 3);                           \
		ROUND1(b, c, d, e, a, fn, k, t + 4);                           \
	}

static void sha1_block64(u32 *h, const u8 *p)
{
	u32 w[80];
	for (u32 t = 0; t < 16; t++)
		w[t] = get_be32(p + 4 * t);
	for (u32 t = 16; t < 80; t++)
		w[t] = rol32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	u32 t = 0;
	FIVE(F_CH, 0x5a827999);
	FIVE(F_PARITY, 0x6ed9eba1);
	FIVE(F_MAJ, 0x8f1bbcdc);
	FIVE(F_PARITY, 0xca62c1d6);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

// SHA-256 and SHA-512 (FIPS 180-4 6.2.2, 6.4.2) share their shape: the
// schedule first, then eight rounds per loop pass with the working
// variables renamed. The Sigma and sigma functions are nested rotations,
// ror(x ^ ror(x ^ ror(x, c), b), a) for rotations by a, a+b and a+b+c:
// one instruction fewer each on x86.
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
#define ROUND2(a, b, c, d, e, f, g, h, t)                                      \
	do {                                                                   \
		h += S1(e) + CH(e, f, g) + k[t] + w[t];                        \
		d += h;                                                        \
		h += S0(a) + MAJ(a, b, c);                                     \
	} while (0)
#define SHA2_BLOCK(word, rounds, load)                                         \
	word w[rounds];                                                        \
	for (u32 t = 0; t < 16; t++)                                           \
		w[t] = load(p + sizeof(word) * t);                             \
	for (u32 t = 16; t < rounds; t++)                                      \
		w[t] = s1(w[t - 2]) + w[t - 7] + s0(w[t - 15]) + w[t - 16];    \
	word a = hs[0], b = hs[1], c = hs[2], d = hs[3];                       \
	word e = hs[4], f = hs[5], g = hs[6], h = hs[7];                       \
	for (u32 t = 0; t < rounds; t += 8) {                                  \
		ROUND2(a, b, c, d, e, f, g, h, t);                             \
		ROUND2(h, a, b, c, d, e, f, g, t + 1);                         \
		ROUND2(g, h, a, b, c, d, e, f, t + 2);                         \
		ROUND2(f, g, h, a, b, c, d, e, t + 3);                         \
		ROUND2(e, f, g, h, a, b, c, d, t + 4);                         \
		ROUND2(d, e, f, g, h, a, b, c, t + 5);                         \
		ROUND2(c, d, e, f, g, h, a, b, t + 6);                         \
		ROUND2(b, c, d, e, f, g, h, a, t + 7);                         \
	}                                                                      \
	hs[0] += a;                                                            \
	hs[1] += b;                                                            \
	hs[2] += c;                                                            \
	hs[3] += d;                                                            \
	hs[4] += e;                                                            \
	hs[5] += f;                                                            \
	hs[6] += g;                                                            \
	hs[7] += h

static void sha256_block64(u32 *hs, const u8 *p, const u32 *k)
{
#define S0(x) ror32((x) ^ ror32((x) ^ ror32(x, 9), 11), 2)
#define S1(x) ror32((x) ^ ror32((x) ^ ror32(x, 14), 5), 6)
#define s0(x) (ror32((x) ^ ror32(x, 11), 7) ^ (x) >> 3)
#define s1(x) (ror32((x) ^ ror32(x, 2), 17) ^ (x) >> 10)
	SHA2_BLOCK(u32, 64, get_be32);
#undef S0
#undef S1
#undef s0
#undef s1
}

static void sha512_block64(u64 *hs, const u8 *p, const u64 *k)
{
#define S0(x) ror64((x) ^ ror64((x) ^ ror64(x, 5), 6), 28)
#define S1(x) ror64((x) ^ ror64((x) ^ ror64(x, 23), 4), 14)
#define s0(x) (ror64((x) ^ ror64(x, 7), 1) ^ (x) >> 7)
#define s1(x) (ror64((x) ^ ror64(x, 42), 19) ^ (x) >> 6)
	SHA2_BLOCK(u64, 80, get_be64);
#undef S0
#undef S1
#undef s0
#undef s1
}

// The blob's entry (offset 0, see hash64.ld), System V AMD64 calling
// convention.
__attribute__((section(".text.entry"))) u32
hash64_entry(const struct hash64_job *jobs, u32 njobs)
{
	for (u32 j = 0; j < njobs; j++) {
		const struct hash64_job *job = &jobs[j];
		void *state = (void *)job->state;
		const u8 *data = (const u8 *)job->data;
		const void *k = (const void *)job->k;
		for (u32 i = 0; i < job->nblocks; i++) {
			switch (job->alg) {
			case HASH64_SHA1:
				sha1_block64(state, data + 64 * (u64)i);
				break;
			case HASH64_SHA256:
				sha256_block64(state, data + 64 * (u64)i, k);
				break;
			case HASH64_SHA512:
				sha512_block64(state, data + 128 * (u64)i, k);
				break;
			default:
				return j;
			}
		}
	}
	return njobs;
}
