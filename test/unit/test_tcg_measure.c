// The measurement primitive against a libtpms TPM: after any sequence of
// measurements, a full log or a rejected extend, the log replays exactly to
// the TPM's PCRs in every bank; capping without a log puts the error
// separator into every bank.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "crypto/hash.h"
#include "fake_tpm.h"
#include "std/byteorder.h"
#include "std/tcg.h"
#include "std/tpm.h"
#include "tcg_replay.h"
#include "tcgbios/tcg_measure.h"

static u8 area[16384];
static struct tpm_state tpm;
static struct tcg_ctx ctx;

static void start(int version, u32 log_size)
{
	fake_tpm_init(FAKE_TIS, version);
	memset(&tpm, 0, sizeof(tpm));
	assert_int_equal(tpm_setup(&tpm, TPM_MMIO_BASE), 0);
	assert_true(tpm_usable(&tpm));
	assert_int_equal(tcg_log_start(&ctx, &tpm, area, log_size), 0);
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

// Every bank of the log against the TPM, PCRs 0-7.
static void assert_log_matches_tpm(void)
{
	struct replay r;
	assert_int_equal(replay_log(area, sizeof(area), &r), 0);
	assert_true(r.nbanks >= 1);
	for (u32 b = 0; b < r.nbanks; b++)
		for (u32 pcr = 0; pcr < 8; pcr++) {
			u8 got[64];
			u32 len;
			read_pcr(pcr, r.b[b].alg, got, &len);
			assert_int_equal(len, r.b[b].size);
			assert_memory_equal(got, r.b[b].pcr[pcr], len);
		}
}

struct counter {
	u32 value;
	int n;
};

static int count_cb(void *o, const struct tcglog_event *ev)
{
	struct counter *k = o;
	if (ev->type == EV_SEPARATOR && ev->data_size == 4 &&
	    get_le32(ev->data) == k->value)
		k->n++;
	return 0;
}

static int count_separators(u32 value)
{
	struct tcglog_parsed p;
	struct counter c = {value, 0};
	assert_int_equal(tcglog_parse(area, sizeof(area), &p, count_cb, &c), 0);
	return c.n;
}

static void measure_some(void)
{
	static const char ev[] = "Calling INT 19h";
	static const u8 sep[4] = {0};
	assert_int_equal(tcg_measure(&ctx, 4, EV_ACTION, ev, sizeof(ev) - 1, ev,
				     sizeof(ev) - 1),
			 TCG_OK);
	for (u32 pcr = 0; pcr < 8; pcr++)
		assert_int_equal(
		    tcg_measure(&ctx, pcr, EV_SEPARATOR, sep, 4, sep, 4),
		    TCG_OK);
}

static void test_replay_tpm2(void **state)
{
	(void)state;
	start(20, sizeof(area));
	measure_some();
	assert_log_matches_tpm();
	assert_int_equal(count_separators(0), 8);
	fake_tpm_fini();
}

static void test_replay_tpm12(void **state)
{
	(void)state;
	start(12, sizeof(area));
	measure_some();
	assert_log_matches_tpm();
	fake_tpm_fini();
}

// A log too small for what is measured: error separators, still in step.
static void test_log_full_caps(void **state)
{
	(void)state;
	start(20, 2048);
	u8 blob[200] = {0};
	int rc = TCG_OK;
	for (int i = 0; i < 50 && rc == TCG_OK; i++)
		rc = tcg_measure(&ctx, 2, EV_EVENT_TAG, blob, sizeof(blob),
				 blob, sizeof(blob));
	assert_int_equal(rc, TCG_E_LOG_FULL);
	assert_true(ctx.capped);
	assert_int_equal(tcg_measure(&ctx, 4, EV_ACTION, "x", 1, "x", 1),
			 TCG_E_CAPPED);
	memset(area + 2048, 0, sizeof(area) - 2048);
	assert_log_matches_tpm();
	assert_int_equal(count_separators(1), 8);
	fake_tpm_fini();
}

// The TPM rejects an extend (no PCR 30 on a PC client TPM): the event is
// not logged, the PCRs are capped, log and TPM agree.
static void test_failed_extend_caps(void **state)
{
	(void)state;
	start(20, sizeof(area));
	measure_some();
	u32 before = ctx.log.entries;
	assert_int_equal(tcg_measure(&ctx, 30, EV_ACTION, "y", 1, "y", 1),
			 TCG_E_EXTEND);
	assert_true(ctx.capped);
	assert_int_equal(ctx.log.entries, before + 8); // separators only
	assert_log_matches_tpm();
	assert_int_equal(count_separators(1), 8);
	fake_tpm_fini();
}

// POST's overlapped extends (tcg_async): measurements return with the
// extend in flight; flushed, the log replays as before.
static void test_async_replay(void **state)
{
	(void)state;
	start(20, sizeof(area));
	tcg_async(&ctx, true);
	measure_some();
	assert_true(ctx.pending);
	assert_int_equal(tcg_flush(&ctx), TCG_OK);
	assert_false(ctx.pending);
	assert_log_matches_tpm();
	assert_int_equal(count_separators(0), 8);
	tcg_async(&ctx, false);
	fake_tpm_fini();
}

// A refused extend in flight (TPM 1.2): its record, already written, leaves
// the log again when the next measurement collects it; then the PCRs are
// capped.
static void test_async_failed_extend_rolls_back(void **state)
{
	(void)state;
	start(12, sizeof(area));
	tcg_async(&ctx, true);
	measure_some();
	assert_int_equal(tcg_flush(&ctx), TCG_OK);
	u32 before = ctx.log.entries;
	fake_tpm_fail_command(TPM_ORD_Extend, TPM_FAIL, 1);
	assert_int_equal(tcg_measure(&ctx, 5, EV_ACTION, "y", 1, "y", 1),
			 TCG_OK); // not answered yet
	assert_int_equal(ctx.log.entries, before + 1);
	assert_int_equal(tcg_measure(&ctx, 4, EV_ACTION, "z", 1, "z", 1),
			 TCG_E_EXTEND);
	assert_true(ctx.capped);
	assert_int_equal(ctx.log.entries, before + 8); // separators only
	assert_log_matches_tpm();
	assert_int_equal(count_separators(1), 8);
	tcg_async(&ctx, false);
	fake_tpm_fini();
}

// Any other TPM command first collects the extend in flight (the driver's
// complete_pending hook); a refusal is kept for tcg_flush, which caps.
static void test_async_other_command_collects(void **state)
{
	(void)state;
	start(20, sizeof(area));
	tcg_async(&ctx, true);
	measure_some();
	fake_tpm_fail_command(TPM2_CC_PCR_Extend, TPM2_RC_FAILURE, 1);
	assert_int_equal(tcg_measure(&ctx, 5, EV_ACTION, "y", 1, "y", 1),
			 TCG_OK);
	u32 with_pending = ctx.log.entries;
	u8 pcr[64];
	u32 len;
	assert_int_equal(
	    tpm2_pcr_read(&tpm.dev, 0, TPM_ALG_SHA256, pcr, sizeof(pcr), &len),
	    0);
	assert_false(ctx.pending);
	assert_int_equal(ctx.log.entries, with_pending - 1);
	assert_false(ctx.capped);
	assert_int_equal(tcg_flush(&ctx), TCG_E_EXTEND);
	assert_true(ctx.capped);
	assert_log_matches_tpm();
	assert_int_equal(count_separators(1), 8);
	tcg_async(&ctx, false);
	fake_tpm_fini();
}

// No log at all: every bank of PCRs 0-7 holds extend(0, H(01000000)).
static void test_cap_without_log(void **state)
{
	(void)state;
	fake_tpm_init(FAKE_TIS, 20);
	memset(&tpm, 0, sizeof(tpm));
	assert_int_equal(tpm_setup(&tpm, TPM_MMIO_BASE), 0);
	tcg_cap_without_log(&tpm, "test");
	static const u8 sep[4] = {1, 0, 0, 0};
	for (u32 b = 0; b < tpm.banks.count; b++) {
		u16 alg = tpm.banks.b[b].alg;
		u32 n = (u32)hash_alg_size(alg);
		u8 buf[128] = {0}, want[64];
		hash_buffer(alg, sep, 4, buf + n);
		hash_buffer(alg, buf, 2 * n, want);
		for (u32 pcr = 0; pcr < 8; pcr++) {
			u8 got[64];
			u32 len;
			read_pcr(pcr, alg, got, &len);
			assert_memory_equal(got, want, n);
		}
	}
	fake_tpm_fini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_replay_tpm2),
	    cmocka_unit_test(test_replay_tpm12),
	    cmocka_unit_test(test_log_full_caps),
	    cmocka_unit_test(test_failed_extend_caps),
	    cmocka_unit_test(test_async_replay),
	    cmocka_unit_test(test_async_failed_extend_rolls_back),
	    cmocka_unit_test(test_async_other_command_collects),
	    cmocka_unit_test(test_cap_without_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
