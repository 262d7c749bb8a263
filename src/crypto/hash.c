// Block buffering shared by all digests, and the dispatcher by TPM
// algorithm id.
#include "crypto/hash.h"
#include "crypto/md.h"
#include "crypto/hash64.h"
#include "lib/string.h"
#include "std/byteorder.h"

static hash64_runner runner64;

void hash64_set_runner(hash64_runner run)
{
	runner64 = run;
}

// Whole blocks go to the 64-bit code when it is there (hash64.h): even one
// block, so that on a CPU with long mode the i386 block functions never run
// and QEMU's TCG never has to translate them (that costs more than the
// switch to long mode and back).
static void blocks(void *state, const u8 *p, u32 n, u32 bsize, md_block_fn fn,
		   u32 alg64, const void *k)
{
	struct hash64_job job = {(unsigned long)state, (unsigned long)p,
				 (unsigned long)k, alg64, n};
	if (alg64 && runner64 && runner64(&job, 1))
		return;
	for (u32 i = 0; i < n; i++)
		fn(state, p + i * bsize);
}

void md_update(void *state, u8 *buf, u64 *len, u32 bsize, md_block_fn fn,
	       u32 alg64, const void *k, const void *data, u32 n)
{
	const u8 *p = data;
	u32 used = (u32)*len & (bsize - 1);

	*len += n;
	while (n) {
		if (!used && n >= bsize) {
			// Whole blocks straight from the caller: no copy.
			u32 whole = n / bsize;
			blocks(state, p, whole, bsize, fn, alg64, k);
			p += whole * bsize;
			n -= whole * bsize;
			continue;
		}
		u32 take = MIN(bsize - used, n);
		memcpy(buf + used, p, take);
		used += take;
		p += take;
		n -= take;
		if (used == bsize) {
			blocks(state, buf, 1, bsize, fn, alg64, k);
			used = 0;
		}
	}
}

// The last block or two of a message of len bytes (FIPS 180-4 5.1): its
// tail (the len % bsize bytes after the whole blocks), 0x80, zeros and the
// big-endian bit count (8 or 16 bytes). Returns the blocks written to out,
// which holds two.
static u32 md_tail(u8 *out, const u8 *tail, u64 len, u32 bsize)
{
	u32 used = (u32)len & (bsize - 1);
	u32 lenfield = bsize / 8;
	u32 end = used + 1 + lenfield > bsize ? 2 * bsize : bsize;

	memcpy(out, tail, used);
	out[used] = 0x80;
	memset(out + used + 1, 0, end - used - 1);
	// The byte count is 64 bits, so the bit count needs at most 67: the
	// top 3 bits land in the byte before the low 64-bit word.
	if (lenfield == 16)
		out[end - 9] = (u8)(len >> 61);
	put_be64(out + end - 8, len << 3);
	return end / bsize;
}

void md_pad(void *state, u8 *buf, u64 len, u32 bsize, md_block_fn fn, u32 alg64,
	    const void *k)
{
	u8 last[2 * 128];
	blocks(state, last, md_tail(last, buf, len, bsize), bsize, fn, alg64,
	       k);
}

void md_out32(u8 *out, const u32 *h, u32 n)
{
	for (u32 i = 0; i < n / 4; i++)
		put_be32(out + 4 * i, h[i]);
}

void md_out64(u8 *out, const u64 *h, u32 n)
{
	for (u32 i = 0; i < n / 8; i++)
		put_be64(out + 8 * i, h[i]);
}

int hash_alg_size(u16 alg)
{
	switch (alg) {
	case TPM_ALG_SHA1:
		return SHA1_SIZE;
	case TPM_ALG_SHA256:
		return SHA256_SIZE;
	case TPM_ALG_SHA384:
		return SHA384_SIZE;
	case TPM_ALG_SHA512:
		return SHA512_SIZE;
	case TPM_ALG_SM3_256:
		return SM3_SIZE;
	}
	return 0;
}

const char *hash_alg_name(u16 alg)
{
	switch (alg) {
	case TPM_ALG_SHA1:
		return "sha1";
	case TPM_ALG_SHA256:
		return "sha256";
	case TPM_ALG_SHA384:
		return "sha384";
	case TPM_ALG_SHA512:
		return "sha512";
	case TPM_ALG_SM3_256:
		return "sm3_256";
	}
	return "unknown";
}

int hash_init(struct hash_ctx *ctx, u16 alg)
{
	ctx->alg = alg;
	switch (alg) {
	case TPM_ALG_SHA1:
		sha1_init(&ctx->u.sha1);
		return 0;
	case TPM_ALG_SHA256:
		sha256_init(&ctx->u.sha256);
		return 0;
	case TPM_ALG_SHA384:
		sha384_init(&ctx->u.sha512);
		return 0;
	case TPM_ALG_SHA512:
		sha512_init(&ctx->u.sha512);
		return 0;
	case TPM_ALG_SM3_256:
		sm3_init(&ctx->u.sm3);
		return 0;
	}
	ctx->alg = 0;
	return HASH_ERR_ALG;
}

int hash_update(struct hash_ctx *ctx, const void *data, u32 len)
{
	switch (ctx->alg) {
	case TPM_ALG_SHA1:
		sha1_update(&ctx->u.sha1, data, len);
		return 0;
	case TPM_ALG_SHA256:
		sha256_update(&ctx->u.sha256, data, len);
		return 0;
	case TPM_ALG_SHA384:
	case TPM_ALG_SHA512:
		sha512_update(&ctx->u.sha512, data, len);
		return 0;
	case TPM_ALG_SM3_256:
		sm3_update(&ctx->u.sm3, data, len);
		return 0;
	}
	return HASH_ERR_ALG;
}

int hash_final(struct hash_ctx *ctx, u8 *out)
{
	u16 alg = ctx->alg;

	ctx->alg = 0; // catch use after final
	switch (alg) {
	case TPM_ALG_SHA1:
		sha1_final(&ctx->u.sha1, out);
		break;
	case TPM_ALG_SHA256:
		sha256_final(&ctx->u.sha256, out);
		break;
	case TPM_ALG_SHA384:
	case TPM_ALG_SHA512:
		sha512_final(&ctx->u.sha512, out);
		break;
	case TPM_ALG_SM3_256:
		sm3_final(&ctx->u.sm3, out);
		break;
	default:
		return HASH_ERR_ALG;
	}
	return hash_alg_size(alg);
}

int hash_buffer(u16 alg, const void *data, u32 len, u8 *out)
{
	struct hash_ctx ctx;

	if (hash_init(&ctx, alg))
		return HASH_ERR_ALG;
	hash_update(&ctx, data, len);
	return hash_final(&ctx, out);
}

// The 64-bit code's algorithm (enum hash64_alg) and round constants, 0 for
// one it does not serve.
static u32 alg64_of(u16 alg, const void **k)
{
	switch (alg) {
	case TPM_ALG_SHA1:
		*k = NULL;
		return HASH64_SHA1;
	case TPM_ALG_SHA256:
		*k = sha256_k;
		return HASH64_SHA256;
	case TPM_ALG_SHA384:
	case TPM_ALG_SHA512:
		*k = sha512_k;
		return HASH64_SHA512;
	}
	return 0;
}

int hash_buffer_multi(const u16 *algs, u32 n, const void *data, u32 len,
		      u8 *const *out)
{
	struct hash_ctx ctx[HASH_MULTI_MAX];
	struct hash64_job jobs[2 * HASH_MULTI_MAX];
	// The padded tail depends only on the block size: SHA-1 and SHA-256
	// share one, SHA-384 and SHA-512 the other.
	u8 last[2][2 * 128];
	u32 nlast[2] = {0, 0};
	bool batch = runner64 && n <= HASH_MULTI_MAX;

	for (u32 i = 0; batch && i < n; i++) {
		const void *k;
		u32 alg64 = alg64_of(algs[i], &k);
		u32 big = alg64 == HASH64_SHA512, bsize = big ? 128 : 64;
		if (!alg64) {
			batch = false;
			break;
		}
		hash_init(&ctx[i], algs[i]);
		if (!nlast[big])
			nlast[big] = md_tail(
			    last[big], (const u8 *)data + (len & ~(bsize - 1)),
			    len, bsize);
		// h[] leads every context.
		u64 state = (unsigned long)&ctx[i].u;
		jobs[2 * i] =
		    (struct hash64_job){state, (unsigned long)data,
					(unsigned long)k, alg64, len / bsize};
		jobs[2 * i + 1] =
		    (struct hash64_job){state, (unsigned long)last[big],
					(unsigned long)k, alg64, nlast[big]};
	}
	if (!batch || !runner64(jobs, 2 * n)) {
		for (u32 i = 0; i < n; i++)
			if (hash_buffer(algs[i], data, len, out[i]) < 0)
				return HASH_ERR_ALG;
		return 0;
	}
	for (u32 i = 0; i < n; i++) {
		if (algs[i] == TPM_ALG_SHA1)
			md_out32(out[i], ctx[i].u.sha1.h, SHA1_SIZE);
		else if (algs[i] == TPM_ALG_SHA256)
			md_out32(out[i], ctx[i].u.sha256.h, SHA256_SIZE);
		else
			md_out64(out[i], ctx[i].u.sha512.h,
				 ctx[i].u.sha512.outlen);
	}
	return 0;
}
