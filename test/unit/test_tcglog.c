// Event log writer and walker: exact Spec ID bytes, record layouts for
// TPM 1.2 and 2.0, the log-full path and its reserve, walker rejection of
// damaged logs, and a PCR replay checked against independent values.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "crypto/hash.h"
#include "lib/string.h"
#include "tcg_replay.h"
#include "tcgbios/tcglog.h"

static u8 area[65536];
static u8 snap[65536];

// ---- Spec ID event bytes (PFP "TCG_EfiSpecIdEvent") -------------------------

// SHA-1 record header: PCR 0, EV_NO_ACTION, zero digest, then event size.
#define SPECID_HDR(size)                                                       \
	0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,   \
	    0, 0, 0, 0, 0, size, 0, 0, 0
// "Spec ID Event03\0", class 0, version 2.0 errata 2, uintnSize 1.
#define SPECID_BODY(n)                                                         \
	'S', 'p', 'e', 'c', ' ', 'I', 'D', ' ', 'E', 'v', 'e', 'n', 't', '0',  \
	    '3', 0, 0, 0, 0, 0, 0, 2, 2, 1, n, 0, 0, 0

static const u8 specid_1[] = {SPECID_HDR(33),
			      SPECID_BODY(1),
			      0x0b,
			      0,
			      32,
			      0, // SHA-256
			      0};
static const u8 specid_2[] = {SPECID_HDR(37),
			      SPECID_BODY(2),
			      0x04,
			      0,
			      20,
			      0, // SHA-1
			      0x0b,
			      0,
			      32,
			      0, // SHA-256
			      0};
static const u8 specid_4[] = {SPECID_HDR(45),
			      SPECID_BODY(4),
			      0x04,
			      0,
			      20,
			      0, // SHA-1
			      0x0b,
			      0,
			      32,
			      0, // SHA-256
			      0x0c,
			      0,
			      48,
			      0, // SHA-384
			      0x0d,
			      0,
			      64,
			      0, // SHA-512
			      0};

static void check_specid(const u16 *algs, u32 n, const u8 *want, u32 len)
{
	struct tcglog log;
	struct tcglog_parsed p;

	memset(area, 0xCC, sizeof(area));
	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, algs, n), 0);
	assert_int_equal(len, 32 + 29 + 4 * n);
	assert_memory_equal(area, want, len);
	for (u32 i = len; i < 4096; i++) // rest of the area zeroed
		assert_int_equal(area[i], 0);
	assert_int_equal(area[4096], 0xCC); // nothing past the area
	assert_int_equal(log.next, len);
	assert_int_equal(log.last, 0);
	assert_int_equal(log.entries, 1);
	assert_true(log.agile);
	assert_int_equal(log.nbanks, n);

	assert_int_equal(tcglog_parse(area, 4096, &p, NULL, NULL), 0);
	assert_true(p.agile);
	assert_int_equal(p.nbanks, n);
	for (u32 i = 0; i < n; i++) {
		assert_int_equal(p.banks[i].alg, algs[i]);
		assert_int_equal(p.banks[i].size, hash_alg_size(algs[i]));
	}
	assert_int_equal(p.entries, 1);
	assert_int_equal(p.end, len);
}

static void test_specid_bytes(void **state)
{
	(void)state;
	static const u16 a1[] = {TPM_ALG_SHA256};
	static const u16 a2[] = {TPM_ALG_SHA1, TPM_ALG_SHA256};
	static const u16 a4[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
				 TPM_ALG_SHA512};
	check_specid(a1, 1, specid_1, sizeof(specid_1));
	check_specid(a2, 2, specid_2, sizeof(specid_2));
	check_specid(a4, 4, specid_4, sizeof(specid_4));
}

static void test_init_rejects(void **state)
{
	(void)state;
	struct tcglog log;
	static const u16 dup[] = {TPM_ALG_SHA256, TPM_ALG_SHA256};
	static const u16 sha3[] = {TPM_ALG_SHA256, TPM_ALG_SHA3_256};
	static const u16 six[] = {4, 0xb, 0xc, 0xd, 0x12, 4};
	static const u16 one[] = {TPM_ALG_SHA256};

	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, one, 0),
			 TCGLOG_ERR_INVAL);
	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, dup, 2),
			 TCGLOG_ERR_INVAL);
	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, sha3, 2),
			 TCGLOG_ERR_INVAL);
	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, six, 6),
			 TCGLOG_ERR_INVAL);
	// Too small for Spec ID + reserve + one more record.
	assert_int_equal(tcglog_init_tpm2(&log, area, 200, one, 1),
			 TCGLOG_ERR_FULL);
	assert_int_equal(tcglog_init_tpm2(&log, area, 8, one, 1),
			 TCGLOG_ERR_FULL);
	assert_int_equal(tcglog_init_tpm12(&log, area, 300), TCGLOG_ERR_FULL);
	assert_int_equal(tcglog_init_tpm12(&log, area, 400), 0);
}

// ---- record layouts ---------------------------------------------------------

static void test_tpm12_records(void **state)
{
	(void)state;
	struct tcglog log;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	static const u8 sep[4] = {0xff, 0xff, 0xff, 0xff};
	static const char act[] = "Calling INT 19h";
	u8 want[64];

	memset(area, 0xCC, sizeof(area));
	assert_int_equal(tcglog_init_tpm12(&log, area, 4096), 0);
	assert_false(log.agile);
	assert_int_equal(log.next, 0);
	assert_int_equal(log.entries, 0);
	assert_int_equal(log.reserve, 8 * 36);

	assert_int_equal(tcglog_hash_event(&log, act, 15, d), 1);
	assert_int_equal(tcglog_append(&log, 4, EV_ACTION, d, 1, act, 15), 0);
	assert_int_equal(log.last, 0);
	assert_int_equal(log.next, 32 + 15);
	tcglog_hash_event(&log, sep, 4, d);
	assert_int_equal(tcglog_append(&log, 7, EV_SEPARATOR, d, 1, sep, 4), 0);
	assert_int_equal(log.last, 47);
	assert_int_equal(log.next, 47 + 36);
	assert_int_equal(log.entries, 2);

	// u32 pcr, u32 type, sha1[20], u32 size, data; little-endian.
	memset(want, 0, sizeof(want));
	want[0] = 7;
	want[4] = EV_SEPARATOR;
	sha1(sep, 4, want + 8);
	want[28] = 4;
	memcpy(want + 32, sep, 4);
	assert_memory_equal(area + 47, want, 36);
	want[0] = 4;
	want[4] = EV_ACTION;
	sha1(act, 15, want + 8);
	want[28] = 15;
	memcpy(want + 32, act, 15);
	assert_memory_equal(area, want, 47);
	assert_int_equal(area[83], 0);

	struct tcglog_parsed p;
	assert_int_equal(tcglog_parse(area, 4096, &p, NULL, NULL), 0);
	assert_false(p.agile);
	assert_int_equal(p.entries, 2);
	assert_int_equal(p.last, 47);
	assert_int_equal(p.end, 83);
}

static void test_tpm2_records(void **state)
{
	(void)state;
	struct tcglog log;
	static const u16 algs[] = {TPM_ALG_SHA1, TPM_ALG_SM3_256,
				   TPM_ALG_SHA256};
	static const char data[] = "POST CODE";
	struct tcglog_digest d[TCGLOG_MAX_BANKS];

	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, algs, 3), 0);
	u32 at = log.next;
	assert_int_equal(at, 32 + 29 + 12);
	// Digests handed over in another order than the banks, plus one for
	// an inactive bank that must be ignored.
	struct tcglog_digest given[4];
	given[0].alg = TPM_ALG_SHA256;
	memset(given[0].digest, 0x22, 64);
	given[1].alg = TPM_ALG_SHA512;
	memset(given[1].digest, 0x55, 64);
	given[2].alg = TPM_ALG_SHA1;
	memset(given[2].digest, 0x11, 64);
	given[3].alg = TPM_ALG_SM3_256;
	memset(given[3].digest, 0x33, 64);
	assert_int_equal(
	    tcglog_append(&log, 0, EV_POST_CODE, given, 4, data, 9), 0);
	u32 rec = 12 + (2 + 20) + (2 + 32) + (2 + 32) + 4 + 9;
	assert_int_equal(tcglog_record_size(&log, 9), rec);
	assert_int_equal(log.next, at + rec);
	assert_int_equal(log.last, at);
	assert_int_equal(log.entries, 2);

	u8 want[128], *w = want;
	memset(want, 0, sizeof(want));
	w[4] = EV_POST_CODE;
	w[8] = 3; // count
	w += 12;
	w[0] = 0x04; // banks in Spec ID order
	memset(w + 2, 0x11, 20);
	w += 22;
	w[0] = 0x12;
	memset(w + 2, 0x33, 32);
	w += 34;
	w[0] = 0x0b;
	memset(w + 2, 0x22, 32);
	w += 34;
	w[0] = 9;
	memcpy(w + 4, data, 9);
	assert_memory_equal(area + at, want, rec);

	// EV_NO_ACTION may omit digests: all zero.
	assert_int_equal(tcglog_append(&log, 0, EV_NO_ACTION, NULL, 0, "x", 1),
			 0);
	memset(want, 0, sizeof(want));
	want[4] = EV_NO_ACTION;
	want[8] = 3;
	want[12] = 0x04;
	want[34] = 0x12;
	want[68] = 0x0b;
	want[102] = 1;
	want[106] = 'x';
	assert_memory_equal(area + at + rec, want, 107);

	// tcglog_hash_event follows the bank order.
	assert_int_equal(tcglog_hash_event(&log, data, 9, d), 3);
	assert_int_equal(d[0].alg, TPM_ALG_SHA1);
	assert_int_equal(d[1].alg, TPM_ALG_SM3_256);
	assert_int_equal(d[2].alg, TPM_ALG_SHA256);
	u8 h[32];
	sm3(data, 9, h);
	assert_memory_equal(d[1].digest, h, 32);
}

static void test_append_rejects(void **state)
{
	(void)state;
	struct tcglog log;
	static const u16 algs[] = {TPM_ALG_SHA1, TPM_ALG_SHA256};
	struct tcglog_digest d[TCGLOG_MAX_BANKS];

	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, algs, 2), 0);
	tcglog_hash_event(&log, "abc", 3, d);
	memcpy(snap, area, 4096);
	struct tcglog before = log;

	// A bank missing, a bank twice, no digests for a measured event,
	// PCR out of range, data pointer missing, type 0 without data.
	assert_int_equal(tcglog_append(&log, 1, EV_ACTION, d, 1, "abc", 3),
			 TCGLOG_ERR_INVAL);
	d[2] = d[1];
	assert_int_equal(tcglog_append(&log, 1, EV_ACTION, d, 3, "abc", 3),
			 TCGLOG_ERR_INVAL);
	assert_int_equal(tcglog_append(&log, 1, EV_ACTION, NULL, 0, "abc", 3),
			 TCGLOG_ERR_INVAL);
	assert_int_equal(tcglog_append(&log, 24, EV_ACTION, d, 2, "abc", 3),
			 TCGLOG_ERR_INVAL);
	assert_int_equal(tcglog_append(&log, 1, EV_ACTION, d, 2, NULL, 3),
			 TCGLOG_ERR_INVAL);
	assert_int_equal(tcglog_append(&log, 1, EV_PREBOOT_CERT, d, 2, NULL, 0),
			 TCGLOG_ERR_INVAL);
	assert_memory_equal(area, snap, 4096);
	assert_memory_equal(&log, &before, sizeof(log));
	assert_int_equal(tcglog_append(&log, 1, EV_ACTION, d, 2, "abc", 3), 0);
}

// ---- log full
// -----------------------------------------------------------------

static void fill_until_full(struct tcglog *log, u32 datalen)
{
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u8 data[200];
	u32 n = 0;

	memset(data, 0x5A, sizeof(data));
	tcglog_hash_event(log, data, datalen, d);
	for (;;) {
		bool room = tcglog_room(log, datalen);
		memcpy(snap, log->base, log->size);
		struct tcglog before = *log;
		int rc = tcglog_append(log, 2, EV_EVENT_TAG, d, log->nbanks,
				       data, datalen);
		if (rc == TCGLOG_ERR_FULL) {
			assert_false(room);
			// Nothing partial: area and offsets untouched.
			assert_memory_equal(log->base, snap, log->size);
			assert_int_equal(log->next, before.next);
			assert_int_equal(log->last, before.last);
			assert_int_equal(log->entries, before.entries);
			assert_true(log->full);
			break;
		}
		assert_int_equal(rc, 0);
		assert_true(room);
		n++;
	}
	assert_true(n > 0);
	// Room for the reserve is all that is left (less than one record).
	assert_true(log->size - TCGLOG_TAIL - log->next <
		    log->reserve + tcglog_record_size(log, datalen));
	assert_true(log->size - TCGLOG_TAIL - log->next >= log->reserve);
}

static void full_path(struct tcglog *log, u32 area_size)
{
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 err = TCG_SEPARATOR_ERROR;

	fill_until_full(log, 150);
	// Sticky: even a small event is refused now.
	tcglog_hash_event(log, "x", 1, d);
	assert_false(tcglog_room(log, 0));
	assert_int_equal(
	    tcglog_append(log, 3, EV_ACTION, d, log->nbanks, "x", 1),
	    TCGLOG_ERR_FULL);
	// Huge sizes must not wrap the room check.
	assert_int_equal(tcglog_append_reserved(log, 3, EV_ACTION, d,
						log->nbanks, "x", 0xFFFFFFFF),
			 TCGLOG_ERR_FULL);
	assert_int_equal(tcglog_append_reserved(log, 3, EV_ACTION, d,
						log->nbanks, "x", 0xFFFFFFF0),
			 TCGLOG_ERR_FULL);

	// The reserve takes the eight error separators.
	tcglog_hash_event(log, &err, 4, d);
	for (u32 pcr = 0; pcr < 8; pcr++)
		assert_int_equal(tcglog_append_reserved(log, pcr, EV_SEPARATOR,
							d, log->nbanks, &err,
							4),
				 0);
	// The zero tail is intact and the log still walks.
	for (u32 i = area_size - TCGLOG_TAIL; i < area_size; i++)
		assert_int_equal(area[i], 0);
	struct tcglog_parsed p;
	assert_int_equal(tcglog_parse(area, area_size, &p, NULL, NULL), 0);
	assert_int_equal(p.entries, log->entries);
	assert_int_equal(p.last, log->last);
	assert_int_equal(p.end, log->next);
	assert_true(log->next + TCGLOG_TAIL <= area_size);
}

static void test_full_tpm12(void **state)
{
	(void)state;
	struct tcglog log;
	memset(area, 0xCC, sizeof(area));
	assert_int_equal(tcglog_init_tpm12(&log, area, 2000), 0);
	full_path(&log, 2000);
	assert_int_equal(area[2000], 0xCC);
}

static void test_full_tpm2(void **state)
{
	(void)state;
	struct tcglog log;
	static const u16 all[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
				  TPM_ALG_SHA512, TPM_ALG_SM3_256};
	static const u16 one[] = {TPM_ALG_SHA256};

	memset(area, 0xCC, sizeof(area));
	assert_int_equal(tcglog_init_tpm2(&log, area, 3000, one, 1), 0);
	assert_int_equal(log.reserve, 8 * 54); // documented in tcglog.h
	full_path(&log, 3000);
	assert_int_equal(area[3000], 0xCC);

	memset(area, 0xCC, sizeof(area));
	assert_int_equal(tcglog_init_tpm2(&log, area, 5000, all, 5), 0);
	assert_int_equal(log.reserve, 1808);
	full_path(&log, 5000);
	assert_int_equal(area[5000], 0xCC);
}

// ---- walker rejections
// --------------------------------------------------------

static u32 build_tpm2_log(const u16 *algs, u32 n)
{
	struct tcglog log;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];

	assert_int_equal(tcglog_init_tpm2(&log, area, 4096, algs, n), 0);
	tcglog_hash_event(&log, "one", 3, d);
	assert_int_equal(tcglog_append(&log, 1, EV_ACTION, d, n, "one", 3), 0);
	tcglog_hash_event(&log, "two", 3, d);
	assert_int_equal(tcglog_append(&log, 4, EV_ACTION, d, n, "two", 3), 0);
	return log.next;
}

static int parse(u32 size)
{
	struct tcglog_parsed p;
	return tcglog_parse(area, size, &p, NULL, NULL);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	static const u16 algs[] = {TPM_ALG_SHA1, TPM_ALG_SHA256};
	struct tcglog_parsed p;
	u32 end = build_tpm2_log(algs, 2);
	u32 last = end - (12 + 22 + 34 + 4 + 3);

	assert_int_equal(parse(4096), 0);
	assert_int_equal(parse(end), 0); // trimmed like the kernel's file
	// Every cut inside the last record (PCR 4, so never all zero).
	for (u32 cut = last + 1; cut < end; cut++)
		assert_int_equal(parse(cut), TCGLOG_ERR_FORMAT);
	assert_int_equal(tcglog_parse(area, end - 1, &p, NULL, NULL),
			 TCGLOG_ERR_FORMAT);
	assert_int_equal(p.error_at, last);

#define CORRUPT(off, val, expect)                                              \
	do {                                                                   \
		u8 old = area[off];                                            \
		area[off] = (val);                                             \
		assert_int_equal(parse(4096), expect);                         \
		area[off] = old;                                               \
	} while (0)
	CORRUPT(8, 1, TCGLOG_ERR_FORMAT);	   // Spec ID digest not zero
	CORRUPT(32 + 24, 0, TCGLOG_ERR_FORMAT);	   // numberOfAlgorithms 0
	CORRUPT(32 + 24, 9, TCGLOG_ERR_FORMAT);	   // more banks than listed
	CORRUPT(32 + 30, 32, TCGLOG_ERR_FORMAT);   // SHA-1 size says 32
	CORRUPT(32 + 34, 20, TCGLOG_ERR_FORMAT);   // SHA-256 size says 20
	CORRUPT(32 + 32, 0x04, TCGLOG_ERR_FORMAT); // SHA-1 listed twice
	CORRUPT(32 + 36, 1, TCGLOG_ERR_FORMAT);	   // vendorInfoSize too big
	CORRUPT(28, 36, TCGLOG_ERR_FORMAT);	   // Spec ID event size
	u32 r1 = 32 + 37;
	CORRUPT(r1 + 0, 24, TCGLOG_ERR_FORMAT);	   // PCR 24
	CORRUPT(r1 + 8, 1, TCGLOG_ERR_FORMAT);	   // digest count 1
	CORRUPT(r1 + 8, 3, TCGLOG_ERR_FORMAT);	   // digest count 3
	CORRUPT(r1 + 12, 0x0c, TCGLOG_ERR_FORMAT); // SHA-384: not a bank
	CORRUPT(r1 + 12, 0x0b, TCGLOG_ERR_FORMAT); // SHA-256 twice
	CORRUPT(r1 + 12 + 22 + 34 + 3, 0x80, TCGLOG_ERR_FORMAT); // huge size
	// Data running past a trimmed log's end.
	area[r1 + 12 + 22 + 34] = 200;
	assert_int_equal(parse(end), TCGLOG_ERR_FORMAT);
	area[r1 + 12 + 22 + 34] = 3;
	// A stray byte after the terminator is not looked at, but a stray
	// byte in a short tail is.
	assert_int_equal(parse(end + 5), 0);
	area[end + 2] = 1;
	assert_int_equal(parse(end + 5), TCGLOG_ERR_FORMAT);
	area[end + 2] = 0;
	assert_int_equal(parse(4096), 0);
}

static void test_parse_garbage(void **state)
{
	(void)state;
	struct tcglog_parsed p;
	u32 seed = 12345, rejected = 0;

	// An empty (zeroed) area is a valid empty log.
	memset(area, 0, 4096);
	assert_int_equal(tcglog_parse(area, 4096, &p, NULL, NULL), 0);
	assert_int_equal(p.entries, 0);
	assert_int_equal(tcglog_parse(area, 0, &p, NULL, NULL), 0);
	// Random bytes: must never crash; nearly always rejected (a random
	// PCR index is < 24 with probability 2^-27).
	for (int round = 0; round < 200; round++) {
		for (u32 i = 0; i < 4096; i++) {
			seed = seed * 1103515245 + 12345;
			area[i] = (u8)(seed >> 16);
		}
		if (tcglog_parse(area, 4096, &p, NULL, NULL))
			rejected++;
	}
	assert_int_equal(rejected, 200);
	// A valid Spec ID followed by garbage.
	static const u16 algs[] = {TPM_ALG_SHA256};
	u32 end = build_tpm2_log(algs, 1);
	memset(area + end, 0xA5, 100);
	assert_int_equal(tcglog_parse(area, 4096, &p, NULL, NULL),
			 TCGLOG_ERR_FORMAT);
	assert_int_equal(p.error_at, end);
}

// ---- host replay
// --------------------------------------------------------------

struct sim {
	u8 pcr[TCGLOG_MAX_BANKS][TCGLOG_NUM_PCRS][TCG_MAX_DIGEST_SIZE];
};

// What a TPM would do: PCR = H(PCR || digest) per bank, computed straight
// from the event list, not from the log.
static void sim_extend(struct sim *s, const struct tcglog *log, u32 pcr,
		       const struct tcglog_digest *d)
{
	for (u32 i = 0; i < log->nbanks; i++) {
		u8 buf[2 * TCG_MAX_DIGEST_SIZE];
		u32 n = log->banks[i].size;
		memcpy(buf, s->pcr[i][pcr], n);
		memcpy(buf + n, d[i].digest, n);
		hash_buffer(log->banks[i].alg, buf, 2 * n, s->pcr[i][pcr]);
	}
}

static void measure(struct sim *s, struct tcglog *log, u32 pcr, u32 type,
		    const void *what, u32 whatlen, const void *data,
		    u32 datalen)
{
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	tcglog_hash_event(log, what, whatlen, d);
	assert_int_equal(
	    tcglog_append(log, pcr, type, d, log->nbanks, data, datalen), 0);
	if (type != EV_NO_ACTION)
		sim_extend(s, log, pcr, d);
}

static void unhex(const char *hex, u8 *out)
{
	for (size_t i = 0; hex[2 * i]; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (u8)v;
	}
}

static void test_replay(void **state)
{
	(void)state;
	static const u16 algs[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
				   TPM_ALG_SHA512, TPM_ALG_SM3_256};
	static struct sim s;
	static struct replay r;
	struct tcglog log;
	u8 image[4096], mbr[512];
	u32 zero = 0;

	for (u32 i = 0; i < sizeof(image); i++)
		image[i] = (u8)(i * 13);
	for (u32 i = 0; i < sizeof(mbr); i++)
		mbr[i] = (u8)(i ^ 0x5A);
	memset(&s, 0, sizeof(s));
	assert_int_equal(tcglog_init_tpm2(&log, area, 65536, algs, 5), 0);
	measure(&s, &log, 0, EV_S_CRTM_VERSION, "mbios", 5, "mbios", 5);
	measure(&s, &log, 0, EV_POST_CODE, image, sizeof(image), "POST CODE",
		9);
	measure(&s, &log, 0, EV_NO_ACTION, "ignored", 7, "vendor", 6);
	measure(&s, &log, 4, EV_ACTION, "Calling INT 19h", 15,
		"Calling INT 19h", 15);
	for (u32 pcr = 0; pcr < 8; pcr++)
		measure(&s, &log, pcr, EV_SEPARATOR, &zero, 4, &zero, 4);
	measure(&s, &log, 4, EV_IPL, mbr, 440, "MBR", 3);
	measure(&s, &log, 5, EV_IPL_PARTITION_DATA, mbr + 440, 72, mbr + 440,
		72);

	assert_int_equal(replay_log(area, 65536, &r), 0);
	assert_int_equal(r.nbanks, 5);
	assert_int_equal(r.parsed.entries, 15);
	for (u32 i = 0; i < 5; i++)
		for (u32 pcr = 0; pcr < TCGLOG_NUM_PCRS; pcr++)
			assert_memory_equal(r.b[i].pcr[pcr], s.pcr[i][pcr],
					    r.b[i].size);

	// Values computed with Python's hashlib for the same sequence.
	u8 want[64];
	unhex("17664ABB35DFA949AE48D829BB9E08CF95835060", want);
	assert_memory_equal(replay_bank(&r, TPM_ALG_SHA1)->pcr[0], want, 20);
	unhex(
	    "44B9CAED7B84540CFF2BFE117A977F19FE967277FC96952399146188E920F2B1",
	    want);
	assert_memory_equal(replay_bank(&r, TPM_ALG_SHA256)->pcr[4], want, 32);
	unhex(
	    "0D72B0164E4FA67D6B43D3CB8EAD734737E479767E0D545EFF22C6FE6275B357",
	    want);
	assert_memory_equal(replay_bank(&r, TPM_ALG_SM3_256)->pcr[7], want, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_specid_bytes),
	    cmocka_unit_test(test_init_rejects),
	    cmocka_unit_test(test_tpm12_records),
	    cmocka_unit_test(test_tpm2_records),
	    cmocka_unit_test(test_append_rejects),
	    cmocka_unit_test(test_full_tpm12),
	    cmocka_unit_test(test_full_tpm2),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_parse_garbage),
	    cmocka_unit_test(test_replay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
