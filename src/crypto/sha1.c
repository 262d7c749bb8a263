// SHA-1 (FIPS 180-4 6.1). Still needed: TPM 1.2 only extends SHA-1 and
// the first record of every log carries a SHA-1 sized digest field.
#include "crypto/hash.h"
#include "crypto/hash64.h"
#include "crypto/md.h"
#include "std/byteorder.h"

// FIPS 180-4 4.2.1
static const u32 sha1_k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};

static void sha1_block(void *state, const u8 *p)
{
	u32 *h = state;
	u32 w[16]; // rolling message schedule: W[t] lives in w[t % 16]
	u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (u32 t = 0; t < 80; t++) {
		u32 f;
		if (t < 16)
			w[t] = get_be32(p + 4 * t);
		else
			w[t & 15] = rol32(w[(t + 13) & 15] ^ w[(t + 8) & 15] ^
					      w[(t + 2) & 15] ^ w[t & 15],
					  1);
		// FIPS 180-4 4.1.1: Ch, Parity, Maj, Parity
		if (t < 20)
			f = (b & c) | (~b & d);
		else if (t >= 40 && t < 60)
			f = (b & c) | (b & d) | (c & d);
		else
			f = b ^ c ^ d;
		u32 tmp = rol32(a, 5) + f + e + sha1_k[t / 20] + w[t & 15];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_init(struct sha1_ctx *c)
{
	// FIPS 180-4 5.3.1
	c->h[0] = 0x67452301;
	c->h[1] = 0xefcdab89;
	c->h[2] = 0x98badcfe;
	c->h[3] = 0x10325476;
	c->h[4] = 0xc3d2e1f0;
	c->len = 0;
}

void sha1_update(struct sha1_ctx *c, const void *data, u32 len)
{
	md_update(c->h, c->buf, &c->len, 64, sha1_block, HASH64_SHA1, NULL,
		  data, len);
}

void sha1_final(struct sha1_ctx *c, u8 out[SHA1_SIZE])
{
	md_pad(c->h, c->buf, c->len, 64, sha1_block, HASH64_SHA1, NULL);
	md_out32(out, c->h, SHA1_SIZE);
}

void sha1(const void *data, u32 len, u8 out[SHA1_SIZE])
{
	struct sha1_ctx c;
	sha1_init(&c);
	sha1_update(&c, data, len);
	sha1_final(&c, out);
}
