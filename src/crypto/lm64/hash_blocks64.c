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

// FIPS 180-4 4.1.1 and 6.1.2, five rounds per loop pass with the working
// variables renamed instead of moved.
#define F_CH(b, c, d) ((d) ^ ((b) & ((c) ^ (d))))
#define F_PARITY(b, c, d) ((b) ^ (c) ^ (d))
#define F_MAJ(b, c, d) (((b) & (c)) | ((d) & ((b) | (c))))
#define W(t)                                                                   \
	(w[(t) & 15] = rol32(w[((t) + 13) & 15] ^ w[((t) + 8) & 15] ^         \
				 w[((t) + 2) & 15] ^ w[(t) & 15],             \
			     1))
#define LOAD(t) (w[t] = get_be32(p + 4 * (t)))
#define ROUND(a, b, c, d, e, fn, k, wt)                                        \
	do {                                                                   \
		e += rol32(a, 5) + fn(b, c, d) + (k) + (wt);                   \
		b = rol32(b, 30);                                              \
	} while (0)
#define FIVE(t, fn, k, wt)                                                     \
	do {                                                                   \
		ROUND(a, b, c, d, e, fn, k, wt((t) + 0));                      \
		ROUND(e, a, b, c, d, fn, k, wt((t) + 1));                      \
		ROUND(d, e, a, b, c, fn, k, wt((t) + 2));                      \
		ROUND(c, d, e, a, b, fn, k, wt((t) + 3));                      \
		ROUND(b, c, d, e, a, fn, k, wt((t) + 4));                      \
	} while (0)

static void sha1_block64(u32 *h, const u8 *p)
{
	u32 w[16]; // rolling message schedule: W[t] lives in w[t % 16]
	u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
	u32 t;

	for (t = 0; t < 15; t += 5)
		FIVE(t, F_CH, 0x5a827999, LOAD);
	// Round 15 loads the last word, rounds 16-19 start the schedule.
	ROUND(a, b, c, d, e, F_CH, 0x5a827999, LOAD(15));
	ROUND(e, a, b, c, d, F_CH, 0x5a827999, W(16));
	ROUND(d, e, a, b, c, F_CH, 0x5a827999, W(17));
	ROUND(c, d, e, a, b, F_CH, 0x5a827999, W(18));
	ROUND(b, c, d, e, a, F_CH, 0x5a827999, W(19));
	for (t = 20; t < 40; t += 5)
		FIVE(t, F_PARITY, 0x6ed9eba1, W);
	for (t = 40; t < 60; t += 5)
		FIVE(t, F_MAJ, 0x8f1bbcdc, W);
	for (t = 60; t < 80; t += 5)
		FIVE(t, F_PARITY, 0xca62c1d6, W);
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}
#undef F_CH
#undef F_PARITY
#undef F_MAJ
#undef W
#undef LOAD
#undef ROUND
#undef FIVE

// FIPS 180-4 4.1.2 and 6.2.2, eight rounds per loop pass with the working
// variables renamed instead of moved. The Sigma and sigma functions are
// nested rotations, ror(x ^ ror(x ^ ror(x, c), b), a) for rotations by a,
// a+b and a+b+c: one instruction fewer each on x86 (same for SHA-512).
#define S0(x) ror32((x) ^ ror32((x) ^ ror32(x, 9), 11), 2)
#define S1(x) ror32((x) ^ ror32((x) ^ ror32(x, 14), 5), 6)
#define s0(x) (ror32((x) ^ ror32(x, 11), 7) ^ (x) >> 3)
#define s1(x) (ror32((x) ^ ror32(x, 2), 17) ^ (x) >> 10)
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
// W[t] for t >= 16 lives in w[t % 16] (a rolling schedule).
#define W(t)                                                                   \
	(w[(t) & 15] += s0(w[((t) + 1) & 15]) + s1(w[((t) + 14) & 15]) +      \
			w[((t) + 9) & 15])
#define ROUND(a, b, c, d, e, f, g, h, t, wt)                                   \
	do {                                                                   \
		u32 t1 = h + S1(e) + CH(e, f, g) + k256[t] + (wt);             \
		d += t1;                                                       \
		h = t1 + S0(a) + MAJ(a, b, c);                                 \
	} while (0)
#define EIGHT(t, wt)                                                           \
	do {                                                                   \
		ROUND(a, b, c, d, e, f, g, h, (t) + 0, wt((t) + 0));           \
		ROUND(h, a, b, c, d, e, f, g, (t) + 1, wt((t) + 1));           \
		ROUND(g, h, a, b, c, d, e, f, (t) + 2, wt((t) + 2));           \
		ROUND(f, g, h, a, b, c, d, e, (t) + 3, wt((t) + 3));           \
		ROUND(e, f, g, h, a, b, c, d, (t) + 4, wt((t) + 4));           \
		ROUND(d, e, f, g, h, a, b, c, (t) + 5, wt((t) + 5));           \
		ROUND(c, d, e, f, g, h, a, b, (t) + 6, wt((t) + 6));           \
		ROUND(b, c, d, e, f, g, h, a, (t) + 7, wt((t) + 7));           \
	} while (0)

static void sha256_block64(u32 *hs, const u8 *p, const u32 *k256)
{
	u32 w[16];
	u32 a = hs[0], b = hs[1], c = hs[2], d = hs[3];
	u32 e = hs[4], f = hs[5], g = hs[6], h = hs[7];

#define LOAD(t) (w[t] = get_be32(p + 4 * (t)))
	for (u32 t = 0; t < 16; t += 8)
		EIGHT(t, LOAD);
	for (u32 t = 16; t < 64; t += 8)
		EIGHT(t, W);
#undef LOAD
	hs[0] += a;
	hs[1] += b;
	hs[2] += c;
	hs[3] += d;
	hs[4] += e;
	hs[5] += f;
	hs[6] += g;
	hs[7] += h;
}
#undef S0
#undef S1
#undef s0
#undef s1
#undef CH
#undef MAJ
#undef W
#undef ROUND
#undef EIGHT

// FIPS 180-4 4.1.3 and 6.4.2, eight rounds per loop pass with the working
// variables renamed instead of moved.
#define S0(x) ror64((x) ^ ror64((x) ^ ror64(x, 5), 6), 28)
#define S1(x) ror64((x) ^ ror64((x) ^ ror64(x, 23), 4), 14)
#define s0(x) (ror64((x) ^ ror64(x, 7), 1) ^ (x) >> 7)
#define s1(x) (ror64((x) ^ ror64(x, 42), 19) ^ (x) >> 6)
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))
#define W(t)                                                                   \
	(w[(t) & 15] += s0(w[((t) + 1) & 15]) + s1(w[((t) + 14) & 15]) +      \
			w[((t) + 9) & 15])
#define ROUND(a, b, c, d, e, f, g, h, t, wt)                                   \
	do {                                                                   \
		u64 t1 = h + S1(e) + CH(e, f, g) + k512[t] + (wt);             \
		d += t1;                                                       \
		h = t1 + S0(a) + MAJ(a, b, c);                                 \
	} while (0)
#define EIGHT(t, wt)                                                           \
	do {                                                                   \
		ROUND(a, b, c, d, e, f, g, h, (t) + 0, wt((t) + 0));           \
		ROUND(h, a, b, c, d, e, f, g, (t) + 1, wt((t) + 1));           \
		ROUND(g, h, a, b, c, d, e, f, (t) + 2, wt((t) + 2));           \
		ROUND(f, g, h, a, b, c, d, e, (t) + 3, wt((t) + 3));           \
		ROUND(e, f, g, h, a, b, c, d, (t) + 4, wt((t) + 4));           \
		ROUND(d, e, f, g, h, a, b, c, (t) + 5, wt((t) + 5));           \
		ROUND(c, d, e, f, g, h, a, b, (t) + 6, wt((t) + 6));           \
		ROUND(b, c, d, e, f, g, h, a, (t) + 7, wt((t) + 7));           \
	} while (0)

static void sha512_block64(u64 *hs, const u8 *p, const u64 *k512)
{
	u64 w[16]; // rolling message schedule: W[t] lives in w[t % 16]
	u64 a = hs[0], b = hs[1], c = hs[2], d = hs[3];
	u64 e = hs[4], f = hs[5], g = hs[6], h = hs[7];

#define LOAD(t) (w[t] = get_be64(p + 8 * (t)))
	for (u32 t = 0; t < 16; t += 8)
		EIGHT(t, LOAD);
	for (u32 t = 16; t < 80; t += 8)
		EIGHT(t, W);
#undef LOAD
	hs[0] += a;
	hs[1] += b;
	hs[2] += c;
	hs[3] += d;
	hs[4] += e;
	hs[5] += f;
	hs[6] += g;
	hs[7] += h;
}

// The blob's entry (offset 0, see hash64.ld), System V AMD64 calling
// convention.
__attribute__((section(".text.entry"))) u32
hash64_entry(u32 alg, void *state, const u8 *data, u32 nblocks,
	     const void *k)
{
	for (u32 i = 0; i < nblocks; i++) {
		switch (alg) {
		case HASH64_SHA1:
			sha1_block64(state, data + 64 * i);
			break;
		case HASH64_SHA256:
			sha256_block64(state, data + 64 * i, k);
			break;
		case HASH64_SHA512:
			sha512_block64(state, data + 128 * (u64)i, k);
			break;
		default:
			return 0;
		}
	}
	return nblocks;
}
