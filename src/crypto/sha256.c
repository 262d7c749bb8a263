// SHA-256 (FIPS 180-4 6.2): the bank every TPM 2.0 has.
#include "crypto/hash.h"
#include "crypto/hash64.h"
#include "crypto/md.h"
#include "std/byteorder.h"

// FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube
// roots of the first 64 primes.
const u32 sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(void *state, const u8 *p)
{
	u32 *hs = state;
	u32 w[16]; // rolling message schedule: W[t] lives in w[t % 16]
	u32 a = hs[0], b = hs[1], c = hs[2], d = hs[3];
	u32 e = hs[4], f = hs[5], g = hs[6], h = hs[7];

	for (u32 t = 0; t < 64; t++) {
		if (t < 16) {
			w[t] = get_be32(p + 4 * t);
		} else {
			// FIPS 180-4 6.2.2 step 1, sigma0/sigma1 of 4.1.2
			u32 x = w[(t + 1) & 15], y = w[(t + 14) & 15];
			w[t & 15] += (ror32(x, 7) ^ ror32(x, 18) ^ x >> 3) +
				     (ror32(y, 17) ^ ror32(y, 19) ^ y >> 10) +
				     w[(t + 9) & 15];
		}
		u32 t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
			 ((e & f) ^ (~e & g)) + sha256_k[t] + w[t & 15];
		u32 t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
			 ((a & b) ^ (a & c) ^ (b & c));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	hs[0] += a;
	hs[1] += b;
	hs[2] += c;
	hs[3] += d;
	hs[4] += e;
	hs[5] += f;
	hs[6] += g;
	hs[7] += h;
}

void sha256_init(struct sha256_ctx *c)
{
	// FIPS 180-4 5.3.3: fractional parts of the square roots of the
	// first 8 primes.
	c->h[0] = 0x6a09e667;
	c->h[1] = 0xbb67ae85;
	c->h[2] = 0x3c6ef372;
	c->h[3] = 0xa54ff53a;
	c->h[4] = 0x510e527f;
	c->h[5] = 0x9b05688c;
	c->h[6] = 0x1f83d9ab;
	c->h[7] = 0x5be0cd19;
	c->len = 0;
}

void sha256_update(struct sha256_ctx *c, const void *data, u32 len)
{
	md_update(c->h, c->buf, &c->len, 64, sha256_block, HASH64_SHA256,
		  sha256_k, data, len);
}

void sha256_final(struct sha256_ctx *c, u8 out[SHA256_SIZE])
{
	md_pad(c->h, c->buf, c->len, 64, sha256_block, HASH64_SHA256, sha256_k);
	md_out32(out, c->h, SHA256_SIZE);
}

void sha256(const void *data, u32 len, u8 out[SHA256_SIZE])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}
