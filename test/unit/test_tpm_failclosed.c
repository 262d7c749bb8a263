// The failure policy of docs/tpm.md ("Failure handling"), row by row, on
// libtpms behind the register fake: a TPM that stops answering is
// abandoned in bounded time; one that answers with errors or garbage gets
// PCRs 0-7 capped and the hand-off lock, and where even the cap fails, its
// owner and endorsement hierarchies off (2.0) or a temporary deactivation
// (1.2). Warnings that ask for a retry are retried, within a bound.
#include "tpm_test_util.h"

#include "crypto/hash.h"

#include "tpm_state_fixtures.h"

// Zero extended with H(00000001h): a PCR after the cap alone.
static void capped_value(u16 alg, u8 *out)
{
	u8 buf[2 * 64] = {0};
	int n = hash_alg_size(alg);
	hash_buffer(alg, tpm_error_separator, 4, buf + n);
	hash_buffer(alg, buf, 2 * n, out);
}

static void assert_capped20(void)
{
	struct tpm2_banks all, act;
	assert_int_equal(tpm2_get_pcr_banks(&st.dev, &all), 0);
	tpm2_active_banks(&all, &act);
	assert_true(act.count > 0);
	for (u32 b = 0; b < act.count; b++)
		for (u32 pcr = 0; pcr < 8; pcr++) {
			u8 got[64], want[64];
			u32 len;
			u16 alg = act.b[b].alg;
			assert_int_equal(
			    tpm2_pcr_read(&st.dev, pcr, alg, got, 64, &len), 0);
			capped_value(alg, want);
			assert_memory_equal(got, want, len);
		}
}

static void assert_capped12(void)
{
	for (u32 pcr = 0; pcr < 8; pcr++) {
		u8 got[20], want[20];
		assert_int_equal(tpm12_pcr_read(&st.dev, pcr, got), 0);
		capped_value(TPM2_ALG_SHA1, want);
		assert_memory_equal(got, want, 20);
	}
}

static bool platform_locked(void)
{
	int rc = tpm2_hierarchy_change_auth(&st.dev, TPM2_RH_PLATFORM, NULL, 0,
					    NULL, 0);
	return (rc & TPM2_RC_FMT1_MASK) == TPM2_RC_BAD_AUTH;
}

static u32 startup_clear_flags(void)
{
	u32 v = 0;
	assert_int_equal(tpm2_get_property(&st.dev, TPM2_PT_STARTUP_CLEAR, &v),
			 0);
	return v;
}

static void assert_pp_locked(void)
{
	struct tpm12_stclear_flags vf;
	assert_int_equal(tpm12_get_stclear_flags(&st.dev, &vf), 0);
	assert_true(vf.physical_presence_lock);
	assert_false(vf.physical_presence);
}

// What tcg_setup does when start-up fails: cap, then (at the boot) lock.
static void fail_closed(void)
{
	tpm_cap_pcrs(&st);
	tpm_prepare_boot(&st);
}

// ---- Row "no answer": abandoned at once, nothing more is sent.

static void dead_setup(enum fake_iface iface, int version,
		       enum fake_fault fault)
{
	fresh_tpm(iface, version);
	fake_tpm_set_fault(fault);
	u32 lines = host_console_lines();
	u64 t0 = fake_clock_now();
	int rc = tpm_setup(&st, TPM_MMIO_BASE);
	assert_true(fake_clock_now() - t0 < MAX_FAIL_US);
	if (rc == 0)
		fail_msg("fault %d: setup succeeded", fault);
	assert_true(st.present && st.failed && st.dead);
	assert_false(tpm_usable(&st));
	assert_int_equal(st.error, rc);
	assert_true(host_console_lines() > lines);
	assert_non_null(strstr(host_last_console(), "abandoned"));
	fake_tpm_set_fault(FAULT_NONE);
	u32 cmds = fake_tpm_commands();
	assert_int_equal(tpm_cap_pcrs(&st), 0);
	assert_int_equal(tpm_prepare_boot(&st), TPM_E_DISABLED);
	assert_int_equal(fake_tpm_commands(), cmds);
	assert_non_null(strstr(host_last_console(), "prove nothing"));
}

static void test_no_answer(void **state)
{
	(void)state;
	static const enum fake_fault tis[] = {
	    FAULT_NO_LOCALITY,	FAULT_NEVER_READY, FAULT_BURST_ZERO,
	    FAULT_NO_STS_VALID, FAULT_HANG,	   FAULT_HANG_HARD,
	};
	for (size_t i = 0; i < ARRAY_SIZE(tis); i++) {
		dead_setup(FAKE_TIS, 20, tis[i]);
		dead_setup(FAKE_TIS, 12, tis[i]);
	}
	static const enum fake_fault crb[] = {
	    FAULT_NO_LOCALITY, FAULT_NEVER_READY,     FAULT_HANG,
	    FAULT_CRB_FATAL,   FAULT_CRB_HIGH_BUFFER,
	};
	for (size_t i = 0; i < ARRAY_SIZE(crb); i++)
		dead_setup(FAKE_CRB, 20, crb[i]);
}

// ---- Row "answers with garbage": capped and locked once it answers again.

static void garbage_setup(enum fake_iface iface, int version,
			  enum fake_fault fault)
{
	fresh_tpm(iface, version);
	fake_tpm_set_fault(fault);
	int rc = tpm_setup(&st, TPM_MMIO_BASE);
	if (rc == 0)
		fail_msg("fault %d: setup succeeded", fault);
	assert_true(st.present && st.failed);
	assert_false(st.dead);
	assert_false(tpm_usable(&st));
	fake_tpm_set_fault(FAULT_NONE);
	fail_closed();
	assert_true(st.capped);
	assert_true(st.locked);
	assert_non_null(strstr(host_last_console(), "capped"));
	if (version == 20) {
		assert_capped20();
		assert_true(platform_locked());
	} else {
		assert_capped12();
		assert_pp_locked();
	}
}

static void test_garbage(void **state)
{
	(void)state;
	static const enum fake_fault faults[] = {
	    FAULT_EXPECT_EARLY, FAULT_GARBAGE,	 FAULT_RESP_SHORT,
	    FAULT_TRUNCATED,	FAULT_OVERSIZED, FAULT_WRONG_SIZE,
	};
	for (size_t i = 0; i < ARRAY_SIZE(faults); i++) {
		garbage_setup(FAKE_TIS, 20, faults[i]);
		garbage_setup(FAKE_TIS, 12, faults[i]);
		if (faults[i] != FAULT_EXPECT_EARLY)
			garbage_setup(FAKE_CRB, 20, faults[i]);
	}
}

// ---- Row "error code on one start-up command".

static void test_error_on_startup_command20(void **state)
{
	(void)state;
	static const u32 codes[] = {TPM2_CC_Startup,
				    TPM2_CC_IncrementalSelfTest,
				    TPM2_CC_GetCapability};
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		setup_tis20(NULL);
		fake_tpm_fail_command(codes[i], TPM2_RC_FAILURE, 1);
		assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE),
				 TPM2_RC_FAILURE);
		assert_true(st.failed);
		assert_false(st.dead);
		fail_closed();
		assert_true(st.capped);
		assert_true(st.locked);
		assert_capped20();
		assert_true(platform_locked());
	}
}

static void test_error_on_startup_command12(void **state)
{
	(void)state;
	static const u32 codes[] = {TPM_ORD_Startup, TPM_ORD_SelfTestFull,
				    TPM_ORD_GetCapability};
	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		setup_tis12(NULL);
		// GetCapability: the timeouts and durations are optional, the
		// third (the flags) is not.
		fake_tpm_fail_command(codes[i], TPM_FAIL,
				      codes[i] == TPM_ORD_GetCapability ? 3
									: 1);
		assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM_FAIL);
		assert_true(st.failed);
		fail_closed();
		assert_true(st.capped);
		assert_true(st.locked);
		assert_capped12();
		assert_pp_locked();
	}
}

// ---- Row "garbage to one GetCapability": a well-framed reply that does
// not parse.

static void test_garbled_capability(void **state)
{
	(void)state;
	fake_tpm_garble_command(TPM2_CC_GetCapability, 1);
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM_E_RESP_PARSE);
	assert_false(st.dead);
	fail_closed();
	assert_capped20();
	assert_true(platform_locked());
}

// ---- Row "the cap fails too": owner and endorsement off, or deactivated.

static void test_cap_refused20(void **state)
{
	(void)state;
	fake_tpm_fail_command(TPM2_CC_IncrementalSelfTest, TPM2_RC_FAILURE, 1);
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM2_RC_FAILURE);
	fake_tpm_fail_command(TPM2_CC_PCR_Event, TPM2_RC_FAILURE, 1);
	assert_int_equal(tpm_cap_pcrs(&st), 0);
	assert_false(st.capped);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	assert_true(st.locked);
	assert_true(platform_locked());
	u32 v = startup_clear_flags();
	assert_int_equal(v & 6, 0); // TPMA_STARTUP_CLEAR shEnable, ehEnable
	assert_non_null(strstr(host_last_console(), "owner and endorsement"));
}

static void test_cap_refused12(void **state)
{
	(void)state;
	fake_tpm_fail_command(TPM_ORD_SelfTestFull, TPM_FAIL, 1);
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM_FAIL);
	fake_tpm_fail_command(TPM_ORD_Extend, TPM_FAIL, 1);
	assert_int_equal(tpm_cap_pcrs(&st), 0);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	struct tpm12_stclear_flags vf;
	assert_int_equal(tpm12_get_stclear_flags(&st.dev, &vf), 0);
	assert_true(vf.deactivated);
	assert_true(vf.physical_presence_lock);
	assert_false(vf.physical_presence);
	assert_non_null(strstr(host_last_console(), "deactivated"));
}

// ---- Retries: warnings are not failures.

static void test_selftest_testing_once(void **state)
{
	(void)state;
	fake_tpm_fail_command(TPM2_CC_IncrementalSelfTest, TPM2_RC_TESTING, 1);
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	assert_true(tpm_usable(&st));
	assert_int_equal(tpm_prepare_boot(&st), 0);
	assert_true(platform_locked());
}

static void test_retry_warnings20(void **state)
{
	(void)state;
	static const u32 rcs[] = {TPM2_RC_RETRY, TPM2_RC_YIELDED,
				  TPM2_RC_TESTING};
	for (size_t i = 0; i < ARRAY_SIZE(rcs); i++) {
		setup_tis20(NULL);
		fake_tpm_fail_command(TPM2_CC_GetCapability, rcs[i], 3);
		assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
		assert_true(tpm_usable(&st));
	}
}

static void test_retry_warnings12(void **state)
{
	(void)state;
	static const u32 rcs[] = {TPM_RETRY, TPM_DOING_SELFTEST,
				  TPM_NEEDS_SELFTEST};
	for (size_t i = 0; i < ARRAY_SIZE(rcs); i++) {
		setup_tis12(NULL);
		fake_tpm_fail_command(TPM_ORD_GetCapability, rcs[i], 2);
		assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
		assert_true(tpm_usable(&st));
	}
}

// A TPM that never stops asking for a retry: bounded, then a failure that
// still fails closed.
static void test_retry_bounded(void **state)
{
	(void)state;
	fake_tpm_fail_command(TPM2_CC_GetCapability, TPM2_RC_RETRY, 100000);
	u64 t0 = fake_clock_now();
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM2_RC_RETRY);
	assert_true(fake_clock_now() - t0 <= TPM_RETRY_BUDGET_US + 1000000);
	assert_false(st.dead);
	fake_tpm_fail_command(0, 0, 0);
	fail_closed();
	assert_capped20();
	assert_true(platform_locked());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_answer),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_error_on_startup_command20),
	    cmocka_unit_test(test_error_on_startup_command12),
	    cmocka_unit_test_setup(test_garbled_capability, setup_tis20),
	    cmocka_unit_test_setup(test_garbled_capability, setup_crb20),
	    cmocka_unit_test_setup(test_cap_refused20, setup_tis20),
	    cmocka_unit_test_setup(test_cap_refused12, setup_tis12),
	    cmocka_unit_test_setup(test_selftest_testing_once, setup_tis20),
	    cmocka_unit_test_setup(test_selftest_testing_once, setup_crb20),
	    cmocka_unit_test(test_retry_warnings20),
	    cmocka_unit_test(test_retry_warnings12),
	    cmocka_unit_test_setup(test_retry_bounded, setup_tis20),
	};
	return cmocka_run_group_tests(tests, NULL, fake_teardown);
}
