// SM3 (GB/T 32905-2016, also draft-shen-sm3-hash): the Chinese national
// digest, TPM_ALG_SM3_256. Same padding as SHA-256; the compression
// function differs and the state is XORed, not added, into the chain.
#include "crypto/hash.h"
#include "crypto/md.h"
#include "lib/string.h"
#include "std/byteorder.h"

// GB/T 32905-2016 4.1 (IV)
static const u32 sm3_iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
			      0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};

// GB/T 32905-2016 4.4 permutations
static inline u32 p0(u32 x)
{
	return x ^ rol32(x, 9) ^ rol32(x, 17);
}
static inline u32 p1(u32 x)
{
	return x ^ rol32(x, 15) ^ rol32(x, 23);
}

static void sm3_block(void *state, const u8 *p)
{
	u32 *v = state;
	// The standard expands W[0..67]; a 16-word ring suffices because
	// round j only looks at W[j] and W[j+4], and W[j+4] depends on
	// W[j-12 .. j+3], which are still in the ring when it is computed.
	u32 w[16];
	u32 a = v[0], b = v[1], c = v[2], d = v[3];
	u32 e = v[4], f = v[5], g = v[6], h = v[7];

	for (u32 j = 0; j < 16; j++)
		w[j] = get_be32(p + 4 * j);
	for (u32 j = 0; j < 64; j++) {
		if (j >= 12) {
			// 5.3.2 b): W[n] = P1(W[n-16] ^ W[n-9] ^ (W[n-3] <<<
			// 15)) ^ (W[n-13] <<< 7) ^ W[n-6], here with n = j + 4.
			u32 x = w[(j + 4) & 15] ^ w[(j + 11) & 15] ^
				rol32(w[(j + 1) & 15], 15);
			w[(j + 4) & 15] = p1(x) ^ rol32(w[(j + 7) & 15], 7) ^
					  w[(j + 14) & 15];
		}
		u32 wj = w[j & 15];
		u32 wj1 = wj ^ w[(j + 4) & 15]; // W'[j], 5.3.2 c)
		// 5.3.3: constant T_j (4.2) rotated by j mod 32
		u32 tj = rol32(j < 16 ? 0x79cc4519 : 0x7a879d8a, j);
		u32 ss1 = rol32(rol32(a, 12) + e + tj, 7);
		u32 ss2 = ss1 ^ rol32(a, 12);
		// 4.3 boolean functions FF_j / GG_j
		u32 ff, gg;
		if (j < 16) {
			ff = a ^ b ^ c;
			gg = e ^ f ^ g;
		} else {
			ff = (a & b) | (a & c) | (b & c);
			gg = (e & f) | (~e & g);
		}
		u32 tt1 = ff + d + ss2 + wj1;
		u32 tt2 = gg + h + ss1 + wj;
		d = c;
		c = rol32(b, 9);
		b = a;
		a = tt1;
		h = g;
		g = rol32(f, 19);
		f = e;
		e = p0(tt2);
	}
	v[0] ^= a;
	v[1] ^= b;
	v[2] ^= c;
	v[3] ^= d;
	v[4] ^= e;
	v[5] ^= f;
	v[6] ^= g;
	v[7] ^= h;
}

void sm3_init(struct sm3_ctx *c)
{
	memcpy(c->h, sm3_iv, sizeof(c->h));
	c->len = 0;
}

void sm3_update(struct sm3_ctx *c, const void *data, u32 len)
{
	md_update(c->h, c->buf, &c->len, 64, sm3_block, 0, NULL, data, len);
}

void sm3_final(struct sm3_ctx *c, u8 out[SM3_SIZE])
{
	md_pad(c->h, c->buf, c->len, 64, sm3_block, 0, NULL);
	md_out32(out, c->h, SM3_SIZE);
}

void sm3(const void *data, u32 len, u8 out[SM3_SIZE])
{
	struct sm3_ctx c;
	sm3_init(&c);
	sm3_update(&c, data, len);
	sm3_final(&c, out);
}
