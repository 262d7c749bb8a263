// Message digests for measured boot: SHA-1, SHA-256, SHA-384, SHA-512
// (FIPS 180-4) and SM3 (GB/T 32905-2016). Freestanding, no allocation;
// every context lives in caller memory and no call uses more than a few
// hundred bytes of stack. Lengths are u32 per call, totals are u64.
#ifndef MBIOS_CRYPTO_HASH_H
#define MBIOS_CRYPTO_HASH_H

#include "std/types.h"
#include "std/tcg.h"

#define SHA1_SIZE 20
#define SHA256_SIZE 32
#define SHA384_SIZE 48
#define SHA512_SIZE 64
#define SM3_SIZE 32
#define HASH_MAX_SIZE 64

// Returned by the generic API for an algorithm id it does not implement,
// or for a context that was never initialised (or already finalised).
#define HASH_ERR_ALG (-1)

struct sha1_ctx {
	u32 h[5];
	u64 len; // bytes hashed so far
	u8 buf[64];
};

struct sha256_ctx {
	u32 h[8];
	u64 len;
	u8 buf[64];
};

// Shared by SHA-384 and SHA-512; they differ in IV and output length.
struct sha512_ctx {
	u64 h[8];
	u64 len;
	u8 buf[128];
	u32 outlen;
};

struct sm3_ctx {
	u32 h[8];
	u64 len;
	u8 buf[64];
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, u32 len);
void sha1_final(struct sha1_ctx *c, u8 out[SHA1_SIZE]);
void sha1(const void *data, u32 len, u8 out[SHA1_SIZE]);

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, u32 len);
void sha256_final(struct sha256_ctx *c, u8 out[SHA256_SIZE]);
void sha256(const void *data, u32 len, u8 out[SHA256_SIZE]);

void sha384_init(struct sha512_ctx *c);
void sha512_init(struct sha512_ctx *c);
// Works for both SHA-384 and SHA-512 contexts.
void sha512_update(struct sha512_ctx *c, const void *data, u32 len);
// Writes 48 bytes for a SHA-384 context, 64 for SHA-512.
void sha512_final(struct sha512_ctx *c, u8 *out);
void sha384(const void *data, u32 len, u8 out[SHA384_SIZE]);
void sha512(const void *data, u32 len, u8 out[SHA512_SIZE]);

void sm3_init(struct sm3_ctx *c);
void sm3_update(struct sm3_ctx *c, const void *data, u32 len);
void sm3_final(struct sm3_ctx *c, u8 out[SM3_SIZE]);
void sm3(const void *data, u32 len, u8 out[SM3_SIZE]);

// Generic interface keyed by TPM_ALG_* id (TPM 2.0 Library Part 2,
// TPM_ALG_ID). The log writer and the TPM drivers iterate over the active
// PCR banks with it.
struct hash_ctx {
	u16 alg; // 0 when not initialised
	union {
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
		struct sha512_ctx sha512;
		struct sm3_ctx sm3;
	} u;
};

// Digest size in bytes, 0 for an algorithm this code cannot compute.
int hash_alg_size(u16 alg);
// Lower-case name as Linux's sysfs uses it (pcr-sha256), or "unknown".
const char *hash_alg_name(u16 alg);
// 0, or HASH_ERR_ALG for an unknown algorithm (ctx is then unusable).
int hash_init(struct hash_ctx *ctx, u16 alg);
// 0, or HASH_ERR_ALG when ctx is not initialised.
int hash_update(struct hash_ctx *ctx, const void *data, u32 len);
// Writes the digest, returns its size, or HASH_ERR_ALG. The context must
// be initialised again before reuse.
int hash_final(struct hash_ctx *ctx, u8 *out);
// One-shot: returns the digest size, or HASH_ERR_ALG.
int hash_buffer(u16 alg, const void *data, u32 len, u8 *out);
// One buffer's digests for n algorithms (out[i] gets algs[i]'s), as
// hash_buffer would give them. With the 64-bit code (hash64.h) and at
// most HASH_MULTI_MAX algorithms it serves, all banks' blocks go in one
// switch to long mode: a PCR event's four banks cost one switch, not four
// to eight. 0, or HASH_ERR_ALG.
#define HASH_MULTI_MAX 5
int hash_buffer_multi(const u16 *algs, u32 n, const void *data, u32 len,
		      u8 *const *out);

#endif
