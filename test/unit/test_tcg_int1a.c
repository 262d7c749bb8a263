// The INT 1Ah TCG BIOS interface against a libtpms TPM: input-block
// parsing (lengths, pointers, the event structure against the call), the
// 1.2 -> crypto-agile conversion (every bank hashed, SHA-1 returned), and
// the promise that a call either succeeds with log and PCRs in step or
// fails with the spec's code and changes nothing.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "crypto/hash.h"
#include "fake_tpm.h"
#include "lib/phys.h"
#include "std/byteorder.h"
#include "std/tcg.h"
#include "std/tcg_bios.h"
#include "std/tpm.h"
#include "tcg_replay.h"
#include "tcgbios/tcg_int1a.h"

// "Physical memory": RAM a caller may use is [RAM_START, RAM_END); the
// log sits above it, where callers may not point (like e820-reserved).
#define MEM_SIZE 0x40000
#define RAM_START 0x1000
#define RAM_END 0x30000
#define LOG_AT RAM_END
#define LOG_SIZE 0x8000
static u8 mem[MEM_SIZE] ALIGNED(16);

// Where the test builds blocks (linear addresses inside mem).
#define IPB 0x2000
#define OPB 0x2100
#define EVENT 0x2200
#define DATA 0x3000

static struct tpm_state tpm;
static struct tcg_ctx ctx;

static bool ram_only(u32 addr, u32 len)
{
	return addr >= RAM_START && addr <= RAM_END && len <= RAM_END - addr;
}

static u8 *m(u32 addr)
{
	return mem + addr;
}

static void start(int version, u32 log_size)
{
	memset(mem, 0, sizeof(mem));
	host_phys_base = (uintptr_t)mem;
	tcg_bios_reset();
	fake_tpm_init(FAKE_TIS, version);
	memset(&tpm, 0, sizeof(tpm));
	assert_int_equal(tpm_setup(&tpm, TPM_MMIO_BASE), 0);
	assert_int_equal(tcg_log_start(&ctx, &tpm, m(LOG_AT), log_size), 0);
}

static int teardown(void **state)
{
	(void)state;
	host_phys_base = 0;
	fake_tpm_fini();
	return 0;
}

// The caller's TCG_PCClientPCREventStruc at EVENT.
static u32 put_event(u32 pcr, u32 type, const char *data)
{
	u32 n = (u32)strlen(data);
	put_le32(m(EVENT), pcr);
	put_le32(m(EVENT + 4), type);
	memset(m(EVENT + 8), 0, 20);
	put_le32(m(EVENT + 28), n);
	memcpy(m(EVENT + 32), data, n);
	return 32 + n;
}

static void put_hlee(u16 form, u32 hash_ptr, u32 hash_len, u32 pcr, u32 log_len)
{
	memset(m(IPB), 0, 0x20);
	put_le16(m(IPB), form);
	put_le32(m(IPB + 4), hash_ptr);
	put_le32(m(IPB + 8), hash_len);
	put_le32(m(IPB + 12), pcr);
	u32 at = form == 0x1C ? 20 : 16;
	put_le32(m(IPB + at), EVENT);
	put_le32(m(IPB + at + 4), log_len);
}

static void fill(u32 addr, u32 n, u8 seed)
{
	for (u32 i = 0; i < n; i++)
		mem[addr + i] = (u8)(i * 7 + seed);
}

static struct tcg_bios_regs call(u8 fn)
{
	struct tcg_bios_regs r = {0};
	r.eax = 0xBB00 | fn;
	r.ebx = TCG_BIOS_MAGIC;
	r.es_di = IPB;
	r.ds_si = OPB;
	tcg_bios_call(&ctx, &tpm, &r, ram_only);
	return r;
}

static void read_pcr(u32 pcr, u16 alg, u8 *out, u32 *len)
{
	if (tpm.version == TPM_VER_12) {
		assert_int_equal(tpm12_pcr_read(&tpm.dev, pcr, out), 0);
		*len = 20;
	} else {
		assert_int_equal(
		    tpm2_pcr_read(&tpm.dev, pcr, alg, out, 64, len), 0);
	}
}

// Every bank of the log against the TPM, PCRs 0-16.
static void assert_log_matches_tpm(void)
{
	struct replay r;
	assert_int_equal(replay_log(m(LOG_AT), ctx.log.size, &r), 0);
	for (u32 b = 0; b < r.nbanks; b++)
		for (u32 pcr = 0; pcr <= 16; pcr++) {
			u8 got[64];
			u32 len;
			read_pcr(pcr, r.b[b].alg, got, &len);
			assert_int_equal(len, r.b[b].size);
			assert_memory_equal(got, r.b[b].pcr[pcr], len);
		}
}

// ---- parsing ----------------------------------------------------------------

static void test_parse_hlee_forms(void **state)
{
	(void)state;
	start(20, LOG_SIZE);
	struct tcg_bios_event ev;
	u32 len = put_event(8, EV_IPL, "loader");
	fill(DATA, 100, 1);
	put_hlee(0x18, DATA, 100, 8, len);
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev), TCG_PC_OK);
	assert_int_equal(ev.pcr, 8);
	assert_int_equal(ev.type, EV_IPL);
	assert_int_equal(ev.hash_addr, DATA);
	assert_int_equal(ev.hash_len, 100);
	assert_int_equal(ev.data_addr, EVENT + 32);
	assert_int_equal(ev.data_len, 6);
	put_hlee(0x1C, DATA, 100, 8, len);
	put_le32(m(IPB + 16), 0xDEADBEEF); // the long form's reserved dword
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev), TCG_PC_OK);
	assert_int_equal(ev.data_addr, EVENT + 32);
	assert_int_equal(ev.hash_len, 100);
}

static void test_parse_hlee_rejects(void **state)
{
	(void)state;
	start(20, LOG_SIZE);
	struct tcg_bios_event ev;
	u32 len = put_event(8, EV_IPL, "loader");
	static const u16 bad_forms[] = {0, 4, 0x17, 0x19, 0x1B, 0x1D, 0xFFFF};
	for (u32 i = 0; i < ARRAY_SIZE(bad_forms); i++) {
		put_hlee(0x18, DATA, 10, 8, len);
		put_le16(m(IPB), bad_forms[i]);
		assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
				 TCG_INVALID_INPUT_PARA);
	}
	// The event names another PCR; its size contradicts LogDataLen.
	put_hlee(0x18, DATA, 10, 9, len);
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	put_hlee(0x18, DATA, 10, 8, len + 1);
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	put_hlee(0x18, DATA, 10, 8, 31);
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	// PCRs: 17-22 (DRTM) and 24+ refused, 16 and 23 accepted.
	static const u32 pcrs[] = {17, 20, 22, 24, 0xFFFFFFFF};
	for (u32 i = 0; i < ARRAY_SIZE(pcrs); i++) {
		len = put_event(pcrs[i], EV_IPL, "x");
		put_hlee(0x18, DATA, 10, pcrs[i], len);
		assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
				 TCG_INVALID_INPUT_PARA);
	}
	for (u32 pcr = 16; pcr <= 23; pcr += 7) {
		len = put_event(pcr, EV_IPL, "x");
		put_hlee(0x18, DATA, 10, pcr, len);
		assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
				 TCG_PC_OK);
	}
	// An extended EV_NO_ACTION; type 0 with no data (a log terminator).
	len = put_event(8, EV_NO_ACTION, "x");
	put_hlee(0x18, DATA, 10, 8, len);
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	len = put_event(8, EV_PREBOOT_CERT, "");
	put_hlee(0x18, DATA, 10, 8, len);
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	// Hash data over the log, past memory, wrapping past 4 GiB.
	len = put_event(8, EV_IPL, "x");
	static const u32 ptr[] = {LOG_AT, RAM_END - 4, 0xFFFFFFF0, 0};
	static const u32 n[] = {16, 5, 0x20, 16};
	for (u32 i = 0; i < ARRAY_SIZE(ptr); i++) {
		put_hlee(0x18, ptr[i], n[i], 8, len);
		assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
				 TCG_INVALID_INPUT_PARA);
	}
	// The event structure itself past memory; the IPB past memory.
	put_hlee(0x18, DATA, 10, 8, len);
	put_le32(m(IPB + 16), RAM_END - 16);
	assert_int_equal(tcg_bios_parse_hlee(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	assert_int_equal(tcg_bios_parse_hlee(RAM_END - 0x10, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	assert_int_equal(tcg_bios_parse_hlee(RAM_END - 2, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
}

static void test_parse_other_blocks(void **state)
{
	(void)state;
	start(20, LOG_SIZE);
	struct tcg_bios_event ev;
	u32 len = put_event(9, EV_IPL, "logged");
	memset(m(IPB), 0, 0x20);
	put_le16(m(IPB), 0x1C);
	put_le32(m(IPB + 4), DATA);
	put_le32(m(IPB + 8), 10);
	put_le32(m(IPB + 12), 9);
	put_le32(m(IPB + 16), EV_IPL);
	put_le32(m(IPB + 20), EVENT);
	put_le32(m(IPB + 24), len);
	assert_int_equal(tcg_bios_parse_hle(IPB, ram_only, &ev), TCG_PC_OK);
	put_le32(m(IPB + 16), EV_ACTION); // contradicts the event's type
	assert_int_equal(tcg_bios_parse_hle(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);
	put_le32(m(IPB + 16), EV_IPL);
	put_le16(m(IPB), 0x18);
	assert_int_equal(tcg_bios_parse_hle(IPB, ram_only, &ev),
			 TCG_INVALID_INPUT_PARA);

	u32 addr, n;
	memset(m(IPB), 0, 0x20);
	put_le16(m(IPB), 0x10);
	put_le32(m(IPB + 4), DATA);
	put_le32(m(IPB + 8), 77);
	put_le32(m(IPB + 12), TCG_BIOS_ALG_SHA1);
	assert_int_equal(tcg_bios_parse_hash_all(IPB, ram_only, &addr, &n),
			 TCG_PC_OK);
	assert_int_equal(addr, DATA);
	assert_int_equal(n, 77);
	put_le32(m(IPB + 12), TPM_ALG_SHA256);
	assert_int_equal(tcg_bios_parse_hash_all(IPB, ram_only, &addr, &n),
			 TCG_INVALID_INPUT_PARA);

	// PassThroughToTPM: the command's size field against the block.
	u32 cmd, cmd_len, opb;
	memset(m(IPB), 0, 0x40);
	put_le16(m(IPB), 8 + 12);
	put_le16(m(IPB + 4), 64);
	memcpy(m(IPB + 8), "\x80\x01\0\0\0\x0c\0\0\x01\x7b\0\x08", 12);
	assert_int_equal(
	    tcg_bios_parse_pass(IPB, ram_only, &cmd, &cmd_len, &opb),
	    TCG_PC_OK);
	assert_int_equal(cmd, IPB + 8);
	assert_int_equal(cmd_len, 12);
	assert_int_equal(opb, 64);
	put_be32(m(IPB + 10), 13); // longer than the block
	assert_int_equal(
	    tcg_bios_parse_pass(IPB, ram_only, &cmd, &cmd_len, &opb),
	    TCG_INVALID_INPUT_PARA);
	put_be32(m(IPB + 10), 9); // shorter than a header
	assert_int_equal(
	    tcg_bios_parse_pass(IPB, ram_only, &cmd, &cmd_len, &opb),
	    TCG_INVALID_INPUT_PARA);
	put_be32(m(IPB + 10), 12);
	put_le16(m(IPB + 4), 13); // no room for a response header
	assert_int_equal(
	    tcg_bios_parse_pass(IPB, ram_only, &cmd, &cmd_len, &opb),
	    TCG_INVALID_INPUT_PARA);
	put_le16(m(IPB), 8 + 9);
	assert_int_equal(
	    tcg_bios_parse_pass(IPB, ram_only, &cmd, &cmd_len, &opb),
	    TCG_INVALID_INPUT_PARA);
}

// ---- the 1.2 -> crypto-agile conversion -----------------------------------

static void test_conversion_all_banks(void **state)
{
	(void)state;
	start(20, LOG_SIZE); // the fake's TPM 2.0 has SHA-1 and SHA-256
	assert_true(ctx.log.agile);
	struct tcg_bios_event ev = {.pcr = 8, .type = EV_IPL};
	fill(DATA, 300, 3);
	ev.hash_addr = DATA;
	ev.hash_len = 300;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n;
	u8 sha[20], want[64];
	assert_int_equal(tcg_bios_event_digests(&ctx.log, &ev, d, &n, sha),
			 TCG_PC_OK);
	assert_int_equal(n, ctx.log.nbanks);
	for (u32 i = 0; i < n; i++) {
		assert_int_equal(d[i].alg, ctx.log.banks[i].alg);
		hash_buffer(d[i].alg, m(DATA), 300, want);
		assert_memory_equal(d[i].digest, want, ctx.log.banks[i].size);
	}
	sha1(m(DATA), 300, want);
	assert_memory_equal(sha, want, 20);

	// A log without a SHA-1 bank still returns the SHA-1.
	struct tcglog only256;
	u16 alg = TPM_ALG_SHA256;
	static u8 area[4096];
	assert_int_equal(
	    tcglog_init_tpm2(&only256, area, sizeof(area), &alg, 1), 0);
	memset(sha, 0, sizeof(sha));
	assert_int_equal(tcg_bios_event_digests(&only256, &ev, d, &n, sha),
			 TCG_PC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].alg, TPM_ALG_SHA256);
	assert_memory_equal(sha, want, 20);

	// A caller's SHA-1 cannot stand in for the other banks.
	ev.hash_len = 0;
	assert_int_equal(tcg_bios_event_digests(&ctx.log, &ev, d, &n, sha),
			 TCG_INVALID_INPUT_PARA);
}

static void test_conversion_caller_digest_sha1_log(void **state)
{
	(void)state;
	start(12, LOG_SIZE);
	struct tcg_bios_event ev = {.pcr = 8, .type = EV_IPL};
	for (u32 i = 0; i < 20; i++)
		ev.sha1[i] = (u8)(0xA0 + i);
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n;
	u8 sha[20];
	assert_int_equal(tcg_bios_event_digests(&ctx.log, &ev, d, &n, sha),
			 TCG_PC_OK);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].alg, TPM_ALG_SHA1);
	assert_memory_equal(d[0].digest, ev.sha1, 20);
	assert_memory_equal(sha, ev.sha1, 20);
}

// ---- whole calls ------------------------------------------------------------

// HashLogExtendEvent on TPM 2.0: one crypto-agile record with every bank,
// the SHA-1 and the event number in the 1.2 output block, log == PCRs.
static void test_hlee_tpm2_record(void **state)
{
	(void)state;
	start(20, LOG_SIZE);
	u32 len = put_event(8, EV_IPL, "loader stage 2");
	fill(DATA, 517, 9);
	put_hlee(0x1C, DATA, 517, 8, len);
	u32 before = ctx.log.entries;
	struct tcg_bios_regs r = call(TCG_BIOS_HASH_LOG_EXTEND_EVENT);
	assert_int_equal(r.eax, TCG_PC_OK);
	assert_false(r.cf);
	assert_int_equal(ctx.log.entries, before + 1);
	assert_int_equal(get_le16(m(OPB)), 0x1C);
	assert_int_equal(get_le32(m(OPB + 4)), ctx.log.entries);
	u8 want[20];
	sha1(m(DATA), 517, want);
	assert_memory_equal(m(OPB + 8), want, 20);
	// The record: PCR 8, EV_IPL, every bank, the caller's event data.
	const u8 *rec = ctx.log.base + ctx.log.last;
	assert_int_equal(get_le32(rec), 8);
	assert_int_equal(get_le32(rec + 4), EV_IPL);
	assert_int_equal(get_le32(rec + 8), ctx.log.nbanks);
	assert_log_matches_tpm();

	// StatusCheck points at the log and that record.
	r = call(TCG_BIOS_STATUS_CHECK);
	assert_int_equal(r.eax, 0);
	assert_int_equal(r.ebx, TCG_BIOS_MAGIC);
	assert_int_equal(r.ecx & 0xFFFF, 0x0102);
	assert_int_equal(r.esi, LOG_AT);
	assert_int_equal(r.edi, LOG_AT + ctx.log.last);
}

static void test_compact_and_log_only(void **state)
{
	(void)state;
	start(20, LOG_SIZE);
	fill(DATA, 100, 5);
	struct tcg_bios_regs r = {0};
	r.eax = 0xBB07;
	r.ebx = TCG_BIOS_MAGIC;
	r.ecx = 100;
	r.edx = 9;
	r.esi = 0x11223344;
	r.es_di = DATA;
	tcg_bios_call(&ctx, &tpm, &r, ram_only);
	assert_int_equal(r.eax, 0);
	assert_int_equal(r.edx, ctx.log.entries);
	assert_int_equal(r.esi, 0x11223344);
	const u8 *rec = ctx.log.base + ctx.log.last;
	u32 dsize = tcglog_record_size(&ctx.log, 4);
	assert_int_equal(get_le32(rec + 4), EV_COMPACT_HASH);
	assert_int_equal(get_le32(rec + dsize - 4), 0x11223344); // ESI, LE
	assert_log_matches_tpm();

	// HashLogEvent of EV_NO_ACTION: zero digests, no extend.
	u32 len = put_event(9, EV_NO_ACTION, "note");
	memset(m(IPB), 0, 0x20);
	put_le16(m(IPB), 0x1C);
	put_le32(m(IPB + 12), 9);
	put_le32(m(IPB + 16), EV_NO_ACTION);
	put_le32(m(IPB + 20), EVENT);
	put_le32(m(IPB + 24), len);
	r = call(TCG_BIOS_HASH_LOG_EVENT);
	assert_int_equal(r.eax, 0);
	assert_int_equal(get_le32(m(OPB + 4)), ctx.log.entries);
	assert_log_matches_tpm();
}

// Snapshot of everything a call may change: the log area, its state and
// PCRs 8 and 9 in every bank.
struct snapshot {
	u8 log[LOG_SIZE];
	struct tcglog state;
	u8 pcr[2][TCGLOG_MAX_BANKS][64];
};
static struct snapshot before, after;

static void snap(struct snapshot *s)
{
	memcpy(s->log, m(LOG_AT), LOG_SIZE);
	s->state = ctx.log;
	for (u32 p = 0; p < 2; p++)
		for (u32 b = 0; b < ctx.log.nbanks; b++) {
			u32 len;
			read_pcr(8 + p, ctx.log.banks[b].alg, s->pcr[p][b],
				 &len);
		}
}

static void assert_unchanged(void)
{
	snap(&after);
	assert_memory_equal(before.log, after.log, LOG_SIZE);
	assert_memory_equal(&before.state, &after.state, sizeof(before.state));
	assert_memory_equal(before.pcr, after.pcr, sizeof(before.pcr));
}

static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	start(20, LOG_SIZE);
	u32 len = put_event(8, EV_IPL, "x");
	fill(DATA, 64, 2);
	snap(&before);
	put_hlee(0x18, DATA, 64, 8, len + 1);
	assert_int_equal(call(1).eax, TCG_INVALID_INPUT_PARA);
	put_hlee(0x18, DATA, 64, 8, len);
	struct tcg_bios_regs r = {0};
	r.eax = 0xBB01;
	r.ebx = TCG_BIOS_MAGIC;
	r.es_di = IPB;
	r.ds_si = LOG_AT; // output over the log
	tcg_bios_call(&ctx, &tpm, &r, ram_only);
	assert_int_equal(r.eax, TCG_INVALID_INPUT_PARA);
	r.eax = 0xBB01;		// EAX carries the result now
	r.ds_si = RAM_END - 27; // output block runs past memory
	tcg_bios_call(&ctx, &tpm, &r, ram_only);
	assert_int_equal(r.eax, TCG_INVALID_INPUT_PARA);
	r = (struct tcg_bios_regs){.eax = 0xBB01, .es_di = IPB, .ds_si = OPB};
	tcg_bios_call(&ctx, &tpm, &r, ram_only); // EBX is not 'TCPA'
	assert_int_equal(r.eax, TCG_INVALID_INPUT_PARA);
	// CompactHashLogExtendEvent: bad PCR, data past memory; EDX kept.
	r = (struct tcg_bios_regs){.eax = 0xBB07,
				   .ebx = TCG_BIOS_MAGIC,
				   .ecx = 0x100,
				   .edx = 30,
				   .es_di = DATA};
	tcg_bios_call(&ctx, &tpm, &r, ram_only);
	assert_int_equal(r.eax, TCG_INVALID_INPUT_PARA);
	assert_int_equal(r.edx, 30);
	r.eax = 0xBB07;
	r.edx = 8;
	r.es_di = RAM_END - 0x80;
	tcg_bios_call(&ctx, &tpm, &r, ram_only);
	assert_int_equal(r.eax, TCG_INVALID_INPUT_PARA);
	assert_int_equal(r.edx, 8);
	// Unknown function: CF and "unsupported"; TSS: unsupported.
	r = call(0x08);
	assert_int_equal(r.eax, TCG_PC_UNSUPPORTED);
	assert_true(r.cf);
	r = call(TCG_BIOS_TSS);
	assert_int_equal(r.eax, TCG_PC_UNSUPPORTED);
	assert_false(r.cf);
	assert_unchanged();
}

// A full log: the overflow code, nothing extended, nothing logged, and
// (unlike a boot measurement) no cap: the firmware's own events are done.
static void test_log_full(void **state)
{
	(void)state;
	start(20, 2048);
	u32 len = put_event(8, EV_IPL, "a loader event of some length.....");
	fill(DATA, 64, 4);
	put_hlee(0x18, DATA, 64, 8, len);
	u32 rc = TCG_PC_OK;
	int ok = 0;
	while ((rc = call(1).eax) == TCG_PC_OK)
		ok++;
	assert_true(ok > 0);
	assert_int_equal(rc, TCG_PC_LOGOVERFLOW);
	assert_false(ctx.capped);
	snap(&before);
	assert_int_equal(call(1).eax, TCG_PC_LOGOVERFLOW);
	put_le32(m(IPB + 16), 0); // HashLogEvent block shape
	memset(m(IPB), 0, 0x20);
	put_le16(m(IPB), 0x1C);
	put_le32(m(IPB + 4), DATA);
	put_le32(m(IPB + 8), 64);
	put_le32(m(IPB + 12), 8);
	put_le32(m(IPB + 16), EV_IPL);
	put_le32(m(IPB + 20), EVENT);
	put_le32(m(IPB + 24), len);
	assert_int_equal(call(TCG_BIOS_HASH_LOG_EVENT).eax, TCG_PC_LOGOVERFLOW);
	assert_unchanged();
	assert_log_matches_tpm();
}

static void test_pass_through(void **state)
{
	(void)state;
	start(20, LOG_SIZE);
	static const u8 getrandom[] = {0x80, 0x01, 0, 0,    0, 12,
				       0,    0,	   1, 0x7B, 0, 16};
	memset(m(IPB), 0, 0x40);
	put_le16(m(IPB), 8 + sizeof(getrandom));
	put_le16(m(IPB + 4), 64);
	memcpy(m(IPB + 8), getrandom, sizeof(getrandom));
	struct tcg_bios_regs r = call(TCG_BIOS_PASS_THROUGH_TO_TPM);
	assert_int_equal(r.eax, 0);
	assert_int_equal(get_le16(m(OPB)), 4 + 10 + 2 + 16);
	assert_int_equal(get_be16(m(OPB + 4)), 0x8001);
	assert_int_equal(get_be32(m(OPB + 10)), 0);
	// A response larger than the caller's block.
	put_le16(m(IPB + 4), 4 + 20);
	r = call(TCG_BIOS_PASS_THROUGH_TO_TPM);
	assert_int_equal(r.eax, TCG_OUTPUT_BUFFER_TOO_SHORT);
	// The same buffer for command and response works.
	put_le16(m(IPB + 4), 64);
	r.eax = 0xBB02;
	r.ds_si = IPB;
	tcg_bios_call(&ctx, &tpm, &r, ram_only);
	assert_int_equal(r.eax, 0);
	assert_int_equal(get_le16(m(IPB)), 4 + 10 + 2 + 16);
}

static void test_shutdown_and_absent(void **state)
{
	(void)state;
	start(12, LOG_SIZE);
	assert_int_equal(call(TCG_BIOS_SHUTDOWN_PRE_BOOT_INTERFACE).eax, 0);
	for (u8 fn = 1; fn <= 7; fn++) {
		struct tcg_bios_regs r = call(fn);
		assert_int_equal(r.eax, TCG_INTERFACE_SHUTDOWN);
		assert_false(r.cf);
	}
	assert_int_equal(call(TCG_BIOS_STATUS_CHECK).eax, 0);
	tcg_bios_reset();
	tpm.present = false;
	assert_int_equal(call(TCG_BIOS_STATUS_CHECK).eax,
			 TCG_PC_TPM_NOT_PRESENT);
	assert_int_equal(call(1).eax, TCG_PC_TPM_NOT_PRESENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_parse_hlee_forms, teardown),
	    cmocka_unit_test_teardown(test_parse_hlee_rejects, teardown),
	    cmocka_unit_test_teardown(test_parse_other_blocks, teardown),
	    cmocka_unit_test_teardown(test_conversion_all_banks, teardown),
	    cmocka_unit_test_teardown(test_conversion_caller_digest_sha1_log,
				      teardown),
	    cmocka_unit_test_teardown(test_hlee_tpm2_record, teardown),
	    cmocka_unit_test_teardown(test_compact_and_log_only, teardown),
	    cmocka_unit_test_teardown(test_bad_input_changes_nothing, teardown),
	    cmocka_unit_test_teardown(test_log_full, teardown),
	    cmocka_unit_test_teardown(test_pass_through, teardown),
	    cmocka_unit_test_teardown(test_shutdown_and_absent, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
