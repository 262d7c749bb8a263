// Digest known-answer tests: FIPS 180-4 example messages (NIST CSRC
// "Examples with intermediate values") and the GB/T 32905-2016 SM3
// examples, plus incremental-vs-one-shot and padding-boundary sweeps.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "crypto/hash.h"
#include "crypto/hash64.h"
#include "lib/string.h"

static const char msg448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
static const char abcd16[] = "abcdabcdabcdabcdabcdabcdabcdabcd"
			     "abcdabcdabcdabcdabcdabcdabcdabcd";

enum { M_EMPTY, M_ABC, M_448, M_896, M_MILLION, M_ABCD16 };

struct kat {
	u16 alg;
	int msg;
	const char *hex;
};

static const struct kat kats[] = {
    {TPM_ALG_SHA1, M_EMPTY, "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {TPM_ALG_SHA1, M_ABC, "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {TPM_ALG_SHA1, M_448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
    {TPM_ALG_SHA1, M_896, "a49b2446a02c645bf419f995b67091253a04a259"},
    {TPM_ALG_SHA1, M_MILLION, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
    {TPM_ALG_SHA256, M_EMPTY,
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {TPM_ALG_SHA256, M_ABC,
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {TPM_ALG_SHA256, M_448,
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {TPM_ALG_SHA256, M_896,
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    {TPM_ALG_SHA256, M_MILLION,
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    {TPM_ALG_SHA384, M_EMPTY,
     "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
     "274edebfe76f65fbd51ad2f14898b95b"},
    {TPM_ALG_SHA384, M_ABC,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
     "8086072ba1e7cc2358baeca134c825a7"},
    {TPM_ALG_SHA384, M_448,
     "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6"
     "b0455a8520bc4e6f5fe95b1fe3c8452b"},
    {TPM_ALG_SHA384, M_896,
     "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
     "fcc7c71a557e2db966c3e9fa91746039"},
    {TPM_ALG_SHA384, M_MILLION,
     "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
     "07b8b3dc38ecc4ebae97ddd87f3d8985"},
    {TPM_ALG_SHA512, M_EMPTY,
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    {TPM_ALG_SHA512, M_ABC,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    {TPM_ALG_SHA512, M_448,
     "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
     "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"},
    {TPM_ALG_SHA512, M_896,
     "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
     "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
    {TPM_ALG_SHA512, M_MILLION,
     "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
     "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
    // GB/T 32905-2016 Appendix A examples 1 and 2.
    {TPM_ALG_SM3_256, M_ABC,
     "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
    {TPM_ALG_SM3_256, M_ABCD16,
     "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
    // Not in the standard; cross-checked against OpenSSL's SM3.
    {TPM_ALG_SM3_256, M_EMPTY,
     "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"},
    {TPM_ALG_SM3_256, M_MILLION,
     "c8aaf89429554029e231941a2acc0ad61ff2a5acd8fadd25847a3a732b3b02c3"},
};

static const u16 all_algs[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
			       TPM_ALG_SHA512, TPM_ALG_SM3_256};

static u8 *million; // one million 'a'

static void unhex(const char *hex, u8 *out, size_t n)
{
	assert_int_equal(strlen(hex), 2 * n);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (u8)v;
	}
}

static void msg_of(int m, const u8 **p, u32 *len)
{
	switch (m) {
	case M_EMPTY:
		*p = (const u8 *)"";
		*len = 0;
		return;
	case M_ABC:
		*p = (const u8 *)"abc";
		*len = 3;
		return;
	case M_448:
		*p = (const u8 *)msg448;
		*len = sizeof(msg448) - 1;
		return;
	case M_896:
		*p = (const u8 *)msg896;
		*len = sizeof(msg896) - 1;
		return;
	case M_MILLION:
		*p = million;
		*len = 1000000;
		return;
	case M_ABCD16:
		*p = (const u8 *)abcd16;
		*len = sizeof(abcd16) - 1;
		return;
	}
	fail();
}

// The algorithm-specific one-shot functions, to test them too.
static void oneshot(u16 alg, const void *p, u32 len, u8 *out)
{
	switch (alg) {
	case TPM_ALG_SHA1:
		sha1(p, len, out);
		return;
	case TPM_ALG_SHA256:
		sha256(p, len, out);
		return;
	case TPM_ALG_SHA384:
		sha384(p, len, out);
		return;
	case TPM_ALG_SHA512:
		sha512(p, len, out);
		return;
	case TPM_ALG_SM3_256:
		sm3(p, len, out);
		return;
	}
	fail();
}

static int setup(void **state)
{
	(void)state;
	million = malloc(1000000);
	memset(million, 'a', 1000000);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(million);
	return 0;
}

static void test_known_answers(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(kats); i++) {
		const struct kat *k = &kats[i];
		int size = hash_alg_size(k->alg);
		u8 want[HASH_MAX_SIZE], got[HASH_MAX_SIZE];
		const u8 *p;
		u32 len;

		msg_of(k->msg, &p, &len);
		unhex(k->hex, want, size);
		memset(got, 0xAA, sizeof(got));
		assert_int_equal(hash_buffer(k->alg, p, len, got), size);
		assert_memory_equal(got, want, size);
		memset(got, 0x55, sizeof(got));
		oneshot(k->alg, p, len, got);
		assert_memory_equal(got, want, size);
	}
}

// Feeding in pieces must give the one-shot digest whatever the split:
// odd sizes straddle the 64/128-byte block buffer in every way.
static void test_incremental_splits(void **state)
{
	(void)state;
	static const u32 chunks[] = {1,	 3,   7,   13,	55,  56,  63,	64,
				     65, 111, 112, 127, 128, 129, 1000, 4093};
	u8 data[9000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (u8)(i * 31 + 7);

	for (size_t a = 0; a < ARRAY_SIZE(all_algs); a++) {
		u16 alg = all_algs[a];
		int size = hash_alg_size(alg);
		u8 want[HASH_MAX_SIZE], got[HASH_MAX_SIZE];

		assert_int_equal(hash_buffer(alg, data, sizeof(data), want),
				 size);
		for (size_t c = 0; c < ARRAY_SIZE(chunks); c++) {
			struct hash_ctx ctx;
			u32 off = 0, step = chunks[c];

			assert_int_equal(hash_init(&ctx, alg), 0);
			// Alternate the step with a 1-byte feed so the
			// buffer fill level walks through all offsets.
			while (off < sizeof(data)) {
				u32 n = MIN(step, sizeof(data) - off);
				assert_int_equal(
				    hash_update(&ctx, data + off, n), 0);
				off += n;
				if (off < sizeof(data)) {
					hash_update(&ctx, data + off, 1);
					off++;
				}
			}
			assert_int_equal(hash_final(&ctx, got), size);
			assert_memory_equal(got, want, size);
		}
		// Zero-length updates change nothing.
		struct hash_ctx ctx;
		hash_init(&ctx, alg);
		hash_update(&ctx, data, 0);
		hash_update(&ctx, data, 100);
		hash_update(&ctx, NULL, 0);
		hash_update(&ctx, data + 100, sizeof(data) - 100);
		hash_final(&ctx, got);
		assert_memory_equal(got, want, size);
	}
}

// Million 'a' fed in 997-byte pieces (prime, so never block aligned).
static void test_million_incremental(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(kats); i++) {
		const struct kat *k = &kats[i];
		if (k->msg != M_MILLION)
			continue;
		int size = hash_alg_size(k->alg);
		u8 want[HASH_MAX_SIZE], got[HASH_MAX_SIZE];
		struct hash_ctx ctx;

		unhex(k->hex, want, size);
		assert_int_equal(hash_init(&ctx, k->alg), 0);
		for (u32 off = 0; off < 1000000; off += 997)
			hash_update(&ctx, million + off,
				    MIN(997, 1000000 - off));
		assert_int_equal(hash_final(&ctx, got), size);
		assert_memory_equal(got, want, size);
	}
}

// Every length 0..300 crosses each padding edge (55/56 and 119/120 bytes,
// where the length field spills into an extra block). The digests of all
// prefixes are hashed together and compared with a value computed by
// Python's hashlib (OpenSSL) when the test was written.
static void test_padding_sweep(void **state)
{
	(void)state;
	static const struct {
		u16 alg;
		const char *hex;
	} sweep[] = {
	    {TPM_ALG_SHA1, "43debf5006166594c976375f1c06253e43d53ddf"},
	    {TPM_ALG_SHA256, "7d917fbd2cf49ddff9ad0a8706bba32d"
			     "204e92e71d2e369c5a03d6af29278c9f"},
	    {TPM_ALG_SHA384, "efec719c84acba157f057b3a8be4ab46"
			     "d8d39b7f85dca15c051420621873dcdb"
			     "f6b165d5061f55337fce615e1957e330"},
	    {TPM_ALG_SHA512, "404431b1c0eac12729b20176c61b0e1c"
			     "561b6b20d2ecbb7ee1126c361943d724"
			     "d7c0814a8daf5c3a2a7d3e431a0aaf58"
			     "c12f96d8c3370582b777fd375c3c972f"},
	    {TPM_ALG_SM3_256, "b7fbe3512b783283c95794c33eb1f1a1"
			      "fb91fbf37e169f6880af67a91d33f051"},
	};
	u8 pat[300];
	for (u32 i = 0; i < sizeof(pat); i++)
		pat[i] = (u8)(i * 7 + 3);

	for (size_t s = 0; s < ARRAY_SIZE(sweep); s++) {
		u16 alg = sweep[s].alg;
		int size = hash_alg_size(alg);
		u8 want[HASH_MAX_SIZE], d[HASH_MAX_SIZE];
		struct hash_ctx acc;

		unhex(sweep[s].hex, want, size);
		hash_init(&acc, alg);
		for (u32 n = 0; n <= sizeof(pat); n++) {
			hash_buffer(alg, pat, n, d);
			hash_update(&acc, d, size);
		}
		hash_final(&acc, d);
		assert_memory_equal(d, want, size);
	}
}

static void test_generic_api(void **state)
{
	(void)state;
	struct hash_ctx ctx;
	u8 out[HASH_MAX_SIZE];

	assert_int_equal(hash_alg_size(TPM_ALG_SHA1), 20);
	assert_int_equal(hash_alg_size(TPM_ALG_SHA256), 32);
	assert_int_equal(hash_alg_size(TPM_ALG_SHA384), 48);
	assert_int_equal(hash_alg_size(TPM_ALG_SHA512), 64);
	assert_int_equal(hash_alg_size(TPM_ALG_SM3_256), 32);
	assert_int_equal(hash_alg_size(0), 0);
	assert_int_equal(hash_alg_size(TPM_ALG_SHA3_256), 0);
	assert_int_equal(hash_alg_size(0xFFFF), 0);

	assert_int_equal(hash_init(&ctx, TPM_ALG_SHA3_256), HASH_ERR_ALG);
	assert_int_equal(hash_update(&ctx, "x", 1), HASH_ERR_ALG);
	assert_int_equal(hash_final(&ctx, out), HASH_ERR_ALG);
	assert_int_equal(hash_buffer(0x0010, "x", 1, out), HASH_ERR_ALG);

	// A finalised context refuses more input until re-initialised.
	assert_int_equal(hash_init(&ctx, TPM_ALG_SHA256), 0);
	assert_int_equal(hash_final(&ctx, out), 32);
	assert_int_equal(hash_update(&ctx, "x", 1), HASH_ERR_ALG);
	assert_int_equal(hash_final(&ctx, out), HASH_ERR_ALG);

	// SHA-384 writes exactly 48 bytes.
	memset(out, 0xEE, sizeof(out));
	assert_int_equal(hash_buffer(TPM_ALG_SHA384, "abc", 3, out), 48);
	for (int i = 48; i < HASH_MAX_SIZE; i++)
		assert_int_equal(out[i], 0xEE);
}

// The 64-bit bulk code (src/crypto/lm64), called natively here, against
// the i386 code: every algorithm it serves, runs of blocks long enough to
// reach it, split at odd places.
static u32 runner_calls;

static bool native_runner(const struct hash64_job *jobs, u32 njobs)
{
	runner_calls++;
	return hash64_entry(jobs, njobs) == njobs;
}

static void test_hash64_matches_i386(void **state)
{
	(void)state;
	static const u16 algs[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
				   TPM_ALG_SHA512};
	static const u32 lens[] = {1024, 2048, 4096 + 13, 65536 + 77};
	u32 max = 65536 + 77 + 200;
	u8 *buf = malloc(max);
	assert_non_null(buf);
	srand(1);
	for (u32 i = 0; i < max; i++)
		buf[i] = (u8)rand();
	for (size_t a = 0; a < ARRAY_SIZE(algs); a++) {
		for (size_t l = 0; l < ARRAY_SIZE(lens); l++) {
			u8 want[HASH_MAX_SIZE], got[HASH_MAX_SIZE];
			int size = hash_alg_size(algs[a]);
			hash64_set_runner(NULL);
			hash_buffer(algs[a], buf + 3, lens[l], want);
			hash64_set_runner(native_runner);
			u32 before = runner_calls;
			// A partial block first, then the rest in one go.
			struct hash_ctx c;
			hash_init(&c, algs[a]);
			hash_update(&c, buf + 3, 7);
			hash_update(&c, buf + 10, lens[l] - 7);
			hash_final(&c, got);
			hash64_set_runner(NULL);
			assert_memory_equal(got, want, size);
			if (lens[l] >= 4096)
				assert_true(runner_calls > before);
		}
	}
	free(buf);
}

// hash_buffer_multi against hash_buffer, with and without the 64-bit
// code: every length around the one- and two-block padding boundaries of
// both block sizes, and some with whole blocks. With the 64-bit code and
// only algorithms it serves, one runner call per buffer.
static void test_multi_matches_single(void **state)
{
	(void)state;
	static const u16 algs[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
				   TPM_ALG_SHA512, TPM_ALG_SM3_256};
	u8 buf[1200];
	srand(2);
	for (u32 i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)rand();
	for (int with64 = 0; with64 < 2; with64++) {
		for (u32 len = 0; len < sizeof(buf);
		     len += len < 300 ? 1 : 97) {
			u8 got[ARRAY_SIZE(algs)][HASH_MAX_SIZE];
			u8 *outs[ARRAY_SIZE(algs)];
			for (size_t a = 0; a < ARRAY_SIZE(algs); a++)
				outs[a] = got[a];
			// Without SM3, which the 64-bit code does not serve.
			u32 n = with64 ? 4 : ARRAY_SIZE(algs);
			hash64_set_runner(with64 ? native_runner : NULL);
			u32 before = runner_calls;
			assert_int_equal(
			    hash_buffer_multi(algs, n, buf, len, outs), 0);
			if (with64)
				assert_int_equal(runner_calls, before + 1);
			hash64_set_runner(NULL);
			for (u32 a = 0; a < n; a++) {
				u8 want[HASH_MAX_SIZE];
				int size = hash_buffer(algs[a], buf, len, want);
				assert_memory_equal(got[a], want, size);
			}
		}
	}
	// SM3 among them: each bank on its own, still right.
	u8 sm3_got[HASH_MAX_SIZE], sha1_got[HASH_MAX_SIZE], want[HASH_MAX_SIZE];
	u8 *outs[2] = {sha1_got, sm3_got};
	static const u16 mixed[] = {TPM_ALG_SHA1, TPM_ALG_SM3_256};
	hash64_set_runner(native_runner);
	assert_int_equal(hash_buffer_multi(mixed, 2, buf, 777, outs), 0);
	hash64_set_runner(NULL);
	hash_buffer(TPM_ALG_SM3_256, buf, 777, want);
	assert_memory_equal(sm3_got, want, SM3_SIZE);
	hash_buffer(TPM_ALG_SHA1, buf, 777, want);
	assert_memory_equal(sha1_got, want, SHA1_SIZE);
	// An unknown algorithm is refused.
	static const u16 bad[] = {TPM_ALG_SHA256, 0x7777};
	assert_int_equal(hash_buffer_multi(bad, 2, buf, 10, outs),
			 HASH_ERR_ALG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known_answers),
	    cmocka_unit_test(test_incremental_splits),
	    cmocka_unit_test(test_million_incremental),
	    cmocka_unit_test(test_padding_sweep),
	    cmocka_unit_test(test_generic_api),
	    cmocka_unit_test(test_hash64_matches_i386),
	    cmocka_unit_test(test_multi_matches_single),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
