// Start-up, hand-off and S3 resume sequences on libtpms behind the
// register fake: TPM 2.0 (TIS and CRB) and TPM 1.2 (TIS), tolerated
// re-starts and PCR bank changes. Failures: test_tpm_failclosed.c.
#include "tpm_test_util.h"

#include "crypto/hash.h"
#include "tpm_state_fixtures.h"

static void extend_pcr0(struct tpm_state *s, u8 fill)
{
	u8 d[TPM2_MAX_BANKS * TPM2_MAX_DIGEST_SIZE];
	memset(d, fill, sizeof(d));
	assert_int_equal(tpm2_pcr_extend(&s->dev, 0, &s->banks, d), 0);
}

static void check_pcr0(struct tpm_state *s, int step)
{
	for (u32 i = 0; i < s->banks.count; i++) {
		u8 v[64], zero[64] = {0};
		u32 len;
		u16 alg = s->banks.b[i].alg;
		assert_int_equal(tpm2_pcr_read(&s->dev, 0, alg, v, 64, &len),
				 0);
		if (step)
			assert_memory_equal(v, expected_pcr(alg, step), len);
		else
			assert_memory_equal(v, zero, len);
	}
}

// The platform hierarchy no longer takes the empty auth.
static bool platform_locked(struct tpm_state *s)
{
	int rc = tpm2_hierarchy_change_auth(&s->dev, TPM2_RH_PLATFORM, NULL, 0,
					    NULL, 0);
	return (rc & TPM2_RC_FMT1_MASK) == TPM2_RC_BAD_AUTH;
}

// ---- TPM 2.0
// -----------------------------------------------------------------------

static void test_setup20(void **state)
{
	(void)state;
	u32 lines = host_console_lines();
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	assert_true(st.present);
	assert_true(tpm_usable(&st));
	assert_false(st.failed);
	assert_int_equal(st.version, TPM_VER_20);
	// Startup, GetCapability, IncrementalSelfTest.
	assert_int_equal(tpm_round_trips(&st), 3);
	assert_int_equal(host_console_lines(), lines);
	assert_true(st.banks.count >= 1);
	assert_true(st.all_banks.count >= st.banks.count);
	for (u32 i = 0; i < st.banks.count; i++)
		assert_int_equal(st.banks.b[i].digest_size,
				 tpm2_digest_size(st.banks.b[i].alg));
	extend_pcr0(&st, 1);
	check_pcr0(&st, 1);
}

static void test_setup20_twice(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	extend_pcr0(&st, 1);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	// No TPM reset in between (passthrough, a VM reboot): Startup answers
	// TPM_RC_INITIALIZE. No measurements, but the TPM is not abandoned.
	u32 lines = host_console_lines();
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM_E_STARTED);
	assert_true(host_console_lines() > lines);
	assert_true(st.already_started);
	assert_false(tpm_usable(&st));
	assert_true(st.failed);
	assert_false(st.dead);
	check_pcr0(&st, 1); // PCRs untouched
	// The first boot's random platform auth: already locked, not an
	// error that would close the TPM.
	assert_int_equal(tpm_cap_pcrs(&st), 8);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	assert_true(st.locked);
	assert_true(platform_locked(&st));
}

static void test_banks_after_allocate(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	struct tpm2_banks sel = st.all_banks;
	bool have384 = false;
	for (u32 i = 0; i < sel.count; i++) {
		have384 |= sel.b[i].alg == TPM2_ALG_SHA384;
		sel.b[i].pcr_mask =
		    sel.b[i].alg == TPM2_ALG_SHA384 ? 0xFFFFFF : 0;
	}
	assert_true(have384);
	bool ok;
	assert_int_equal(tpm2_pcr_allocate(&st.dev, NULL, 0, &sel, &ok), 0);
	assert_true(ok);
	fake_tpm_reset();
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	assert_int_equal(st.banks.count, 1);
	assert_int_equal(st.banks.b[0].alg, TPM2_ALG_SHA384);
	assert_int_equal(st.banks.b[0].digest_size, 48);
	extend_pcr0(&st, 1);
	check_pcr0(&st, 1);
	// The TPM refuses an allocation without any PCR (TPM_RC_PCR), so a
	// TPM without active banks cannot be made here.
	for (u32 i = 0; i < sel.count; i++)
		sel.b[i].pcr_mask = 0;
	assert_int_equal(tpm2_pcr_allocate(&st.dev, NULL, 0, &sel, &ok),
			 TPM2_RC_PCR);
}

static void test_prepare_boot20(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	assert_false(platform_locked(&st)); // empty auth after Startup(CLEAR)
	u32 n = tpm_round_trips(&st);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	assert_true(st.locked);
	assert_int_equal(tpm_round_trips(&st), n + 2); // GetRandom, ChangeAuth
	assert_int_equal(fake_tpm_active_locality(), -1); // released
	assert_int_equal(tpm_prepare_boot(&st), 0);	  // idempotent
	assert_int_equal(tpm_round_trips(&st), n + 2);
	assert_true(platform_locked(&st));
	// Platform-authorized commands fail for the OS.
	struct tpm2_banks sel = st.all_banks;
	bool ok;
	int rc = tpm2_pcr_allocate(&st.dev, NULL, 0, &sel, &ok);
	assert_int_equal(rc & TPM2_RC_FMT1_MASK, TPM2_RC_BAD_AUTH);
	// Measurements still work after the hand-off (INT 1Ah).
	assert_true(tpm_usable(&st));
	extend_pcr0(&st, 1);
}

static void test_resume20(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	extend_pcr0(&st, 1);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	// The OS suspends: Shutdown(STATE), power off, resume.
	assert_int_equal(tpm2_shutdown(&st.dev, TPM2_SU_STATE), 0);
	fake_tpm_reset();
	u32 n = tpm_round_trips(&st);
	assert_int_equal(tpm_resume(&st, TPM_MMIO_BASE), 0);
	// Startup(STATE), SelfTest, and the lock: GetRandom and a
	// HierarchyChangeAuth that the restored platform auth refuses.
	assert_int_equal(tpm_round_trips(&st), n + 4);
	assert_false(st.failed);
	check_pcr0(&st, 1);		   // PCRs restored
	assert_true(platform_locked(&st)); // platformAuth restored
}

static void test_resume20_without_state(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	extend_pcr0(&st, 1);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	fake_tpm_reset(); // no Shutdown(STATE): nothing to resume
	u32 lines = host_console_lines();
	assert_int_equal(tpm_resume(&st, TPM_MMIO_BASE), TPM_RESUME_RESTARTED);
	assert_true(host_console_lines() > lines);
	assert_true(st.failed);
	assert_false(tpm_usable(&st));
	assert_true(st.capped);
	// PCR 0 holds the error separator alone: neither the boot's value
	// nor the reset value.
	u8 expect[64] = {0}, pcr[64];
	u32 len;
	sha256(tpm_error_separator, 4, expect + 32);
	sha256(expect, 64, expect);
	assert_int_equal(
	    tpm2_pcr_read(&st.dev, 0, TPM2_ALG_SHA256, pcr, 64, &len), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(pcr, expect, 32);
	assert_true(platform_locked(&st)); // locked again
}

static void test_no_tpm(void **state)
{
	(void)state;
	fake_tpm_init(FAKE_NONE, 20);
	u32 lines = host_console_lines();
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM_E_NODEV);
	assert_false(st.present);
	assert_false(tpm_usable(&st));
	assert_int_equal(host_console_lines(), lines); // not an error
	assert_int_equal(tpm_prepare_boot(&st), TPM_E_NODEV);
	assert_int_equal(tpm_resume(&st, TPM_MMIO_BASE), TPM_E_NODEV);
}

static void test_prepare_boot20_failure(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	fake_tpm_set_fault(FAULT_HANG);
	u64 t0 = fake_clock_now();
	assert_true(tpm_prepare_boot(&st) != 0);
	assert_true(fake_clock_now() - t0 < 2 * MAX_FAIL_US);
	assert_true(st.failed);
	assert_false(st.locked);
	assert_false(tpm_usable(&st));
}

// ---- TPM 1.2
// -----------------------------------------------------------------------

static void test_setup12(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	assert_true(tpm_usable(&st));
	assert_int_equal(st.version, TPM_VER_12);
	assert_true(st.pp_asserted);
	// Startup, PP x2, timeouts, durations, SelfTestFull,
	// ResetEstablishmentBit, permanent and volatile flags.
	assert_int_equal(tpm_round_trips(&st), 9);
	// libtpms reports 1 s timeouts and 50/100/300 s durations.
	assert_int_equal(st.dev.timeout_a, 1000000);
	assert_int_equal(st.dev.timeout_d, 1000000);
	// Each capped at its class's default: 2, 20 and 60 s.
	assert_int_equal(st.dev.duration[TPM_DUR_SHORT], 2000000);
	assert_int_equal(st.dev.duration[TPM_DUR_MEDIUM], 20000000);
	assert_int_equal(st.dev.duration[TPM_DUR_LONG], 60000000);
	assert_int_equal(st.dev.locality, 0);
	struct tpm12_stclear_flags vf;
	assert_int_equal(tpm12_get_stclear_flags(&st.dev, &vf), 0);
	assert_true(vf.physical_presence);
	u8 d[20], out[20];
	memset(d, 1, sizeof(d));
	assert_int_equal(tpm12_extend(&st.dev, 0, d, out), 0);
	assert_memory_equal(out, PCR_SHA1_1, 20);

	assert_int_equal(tpm_prepare_boot(&st), 0);
	assert_int_equal(fake_tpm_active_locality(), -1);
	assert_int_equal(tpm12_get_stclear_flags(&st.dev, &vf), 0);
	assert_false(vf.physical_presence);
	assert_true(vf.physical_presence_lock);
	assert_int_equal(tpm12_physical_presence(&st.dev, TPM_PP_PRESENT),
			 TPM_BAD_PARAMETER);
}

static void test_setup12_twice(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	// Started and locked already (no TPM_Init): INVALID_POSTINIT and a
	// refused PRESENT are both survivable; no measurements.
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM_E_STARTED);
	assert_true(st.already_started);
	assert_false(tpm_usable(&st));
	assert_false(st.dead);
	assert_false(st.pp_asserted);
	assert_int_equal(tpm_prepare_boot(&st), 0); // already locked is fine
}

static void test_setup12_deactivated(void **state)
{
	(void)state;
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	assert_int_equal(tpm12_physical_set_deactivated(&st.dev, true), 0);
	fake_tpm_reset();
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), TPM_DEACTIVATED);
	assert_false(tpm_usable(&st));
	assert_false(st.failed);
	assert_true(st.pflags.deactivated);
	// The menu could still activate it; the hand-off lock still works.
	assert_int_equal(tpm12_physical_set_deactivated(&st.dev, false), 0);
	assert_int_equal(tpm_prepare_boot(&st), 0);
}

static void test_resume12(void **state)
{
	(void)state;
	static const u8 save_state[] = {0, 0xC1, 0, 0, 0, 10, 0, 0, 0, 0x98};
	assert_int_equal(tpm_setup(&st, TPM_MMIO_BASE), 0);
	u8 d[20], out[20], rsp[16];
	memset(d, 1, sizeof(d));
	assert_int_equal(tpm12_extend(&st.dev, 0, d, out), 0);
	assert_int_equal(tpm_prepare_boot(&st), 0);
	assert_int_equal(fake_tpm_engine(save_state, sizeof(save_state), rsp,
					 sizeof(rsp), 0),
			 10);
	assert_int_equal(rsp_code(rsp), 0);
	fake_tpm_reset();
	assert_int_equal(tpm_resume(&st, TPM_MMIO_BASE), 0);
	assert_int_equal(tpm12_pcr_read(&st.dev, 0, out), 0);
	assert_memory_equal(out, PCR_SHA1_1, 20);
	struct tpm12_stclear_flags vf;
	assert_int_equal(tpm12_get_stclear_flags(&st.dev, &vf), 0);
	assert_true(vf.physical_presence_lock);
	// Without a saved state a TPM 1.2 fails ST_STATE and then refuses
	// ST_CLEAR until TPM_Init: no measurements, with a message; the TPM
	// still answers (and refuses) commands.
	fake_tpm_reset();
	u32 lines = host_console_lines();
	assert_int_equal(tpm_resume(&st, TPM_MMIO_BASE), TPM_INVALID_POSTINIT);
	assert_true(st.failed);
	assert_false(tpm_usable(&st));
	assert_true(host_console_lines() > lines);
	assert_false(st.dead);
	assert_true(tpm12_pcr_read(&st.dev, 0, out) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_setup20, setup_tis20),
	    cmocka_unit_test_setup(test_setup20, setup_crb20),
	    cmocka_unit_test_setup(test_setup20_twice, setup_tis20),
	    cmocka_unit_test_setup(test_setup20_twice, setup_crb20),
	    cmocka_unit_test_setup(test_banks_after_allocate, setup_crb20),
	    cmocka_unit_test_setup(test_prepare_boot20, setup_tis20),
	    cmocka_unit_test_setup(test_prepare_boot20, setup_crb20),
	    cmocka_unit_test_setup(test_resume20, setup_tis20),
	    cmocka_unit_test_setup(test_resume20, setup_crb20),
	    cmocka_unit_test_setup(test_resume20_without_state, setup_tis20),
	    cmocka_unit_test_setup(test_no_tpm, setup_tis20),
	    cmocka_unit_test_setup(test_prepare_boot20_failure, setup_tis20),
	    cmocka_unit_test_setup(test_setup12, setup_tis12),
	    cmocka_unit_test_setup(test_setup12_twice, setup_tis12),
	    cmocka_unit_test_setup(test_setup12_deactivated, setup_tis12),
	    cmocka_unit_test_setup(test_resume12, setup_tis12),
	};
	return cmocka_run_group_tests(tests, NULL, fake_teardown);
}
