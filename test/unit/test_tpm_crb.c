// CRB driver against the register-level fake backed by libtpms (TPM 2.0):
// detection, buffers from the control area, localities, idle/ready, cancel,
// and every injected fault ending in its own error code in bounded time.
#include "tpm_test_util.h"

static void test_probe(void **state)
{
	(void)state;
	struct tpm_dev dev;
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(dev.iface, TPM_IFACE_CRB);
	assert_int_equal(dev.version, TPM_VER_20);
	assert_int_equal(dev.did_vid, 0x00011014);
	assert_false(dev.all_localities);
	assert_int_equal(dev.locality, 0);
	assert_int_equal(fake_tpm_active_locality(), 0);
	// QEMU's layout: one buffer right after the registers.
	assert_int_equal(dev.crb_cmd_addr, 0xFED40080);
	assert_int_equal(dev.crb_rsp_addr, 0xFED40080);
	assert_int_equal(dev.crb_cmd_size, 0xF80);
	assert_int_equal(dev.crb_rsp_size, 0xF80);
}

static void test_commands(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	for (int i = 0; i < 3; i++)
		check_getrandom(&dev);
	assert_int_equal(dev.transfers, 4);
	assert_int_equal(fake_tpm_commands(), 4);
	// A second Startup reaches the engine: TPM_RC_INITIALIZE.
	u8 rsp[64];
	u32 len;
	assert_int_equal(raw_xfer(&dev, T2_STARTUP, sizeof(T2_STARTUP), rsp,
				  sizeof(rsp), &len),
			 TPM_OK);
	assert_int_equal(rsp_code(rsp), TPM2_RC_INITIALIZE);
}

static void test_localities(void **state)
{
	(void)state;
	struct tpm_dev dev;
	// QEMU offers locality 0 only.
	probe_and_start20(&dev);
	assert_int_equal(tpm_drv_request_locality(&dev, 3),
			 TPM_E_LOCALITY_RANGE);
	assert_int_equal(tpm_drv_request_locality(&dev, 7),
			 TPM_E_LOCALITY_RANGE);
	check_getrandom(&dev);

	// A CRB with five localities.
	fake_tpm_init(FAKE_CRB, 20);
	fake_tpm_set_crb_localities(true);
	probe_and_start20(&dev);
	assert_true(dev.all_localities);
	assert_int_equal(tpm_drv_request_locality(&dev, 3), TPM_OK);
	assert_int_equal(fake_tpm_active_locality(), 3);
	check_getrandom(&dev);
	assert_int_equal(fake_tpm_last_locality(), 3);
	assert_int_equal(tpm_drv_request_locality(&dev, 0), TPM_OK);
	check_getrandom(&dev);
	assert_int_equal(fake_tpm_last_locality(), 0);
	// Released (and idle); the next command requests locality 0 again.
	tpm_drv_release_locality(&dev);
	assert_int_equal(fake_tpm_active_locality(), -1);
	check_getrandom(&dev);
	assert_int_equal(fake_tpm_active_locality(), 0);
}

static void test_locality_not_granted(void **state)
{
	(void)state;
	struct tpm_dev dev;
	fake_tpm_set_fault(FAULT_NO_LOCALITY);
	u64 t0 = fake_clock_now();
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_E_LOCALITY);
	u64 dt = fake_clock_now() - t0;
	assert_true(dt >= 750000 && dt < 800000);
}

static void test_high_buffer(void **state)
{
	(void)state;
	struct tpm_dev dev;
	fake_tpm_set_fault(FAULT_CRB_HIGH_BUFFER);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_E_CRB_BUFFER);
}

static void fault_case(enum fake_fault fault, int err)
{
	struct tpm_dev dev;
	fake_tpm_init(FAKE_CRB, 20);
	probe_and_start20(&dev);
	fake_tpm_set_fault(fault);
	u8 rsp[1024];
	u32 len = 77;
	u64 t0 = fake_clock_now();
	int rc = raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32), rsp,
			  sizeof(rsp), &len);
	u64 dt = fake_clock_now() - t0;
	if (rc != err)
		fail_msg("fault %d: got %d (%s), want %d", fault, rc,
			 tpm_strerror(rc), err);
	assert_true(dt < MAX_FAIL_US);
	if (err)
		assert_int_equal(len, 0);
	if (fault == FAULT_CRB_FATAL)
		return; // only a TPM reset clears it
	fake_tpm_set_fault(FAULT_NONE);
	check_getrandom(&dev);
}

static void test_faults(void **state)
{
	(void)state;
	fault_case(FAULT_NEVER_READY, TPM_E_NOT_READY);
	fault_case(FAULT_HANG, TPM_E_TIMEOUT);
	fault_case(FAULT_HANG_HARD, TPM_E_TIMEOUT);
	fault_case(FAULT_RESP_SHORT, TPM_E_RESP_SHORT);
	fault_case(FAULT_TRUNCATED, TPM_E_RESP_TRUNC);
	fault_case(FAULT_OVERSIZED, TPM_E_RESP_TOO_BIG);
	fault_case(FAULT_CRB_FATAL, TPM_E_CRB_ERROR);
	// The CRB has no end-of-data signal: a short size field passes the
	// driver and is caught by the command layer's parsers.
	fault_case(FAULT_WRONG_SIZE, TPM_OK);
	fault_case(FAULT_GARBAGE, TPM_OK);
}

static void test_fatal_error_sticks(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	fake_tpm_set_fault(FAULT_CRB_FATAL);
	u8 rsp[64];
	u32 len;
	assert_int_equal(raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, sizeof(rsp), &len),
			 TPM_E_CRB_ERROR);
	fake_tpm_set_fault(FAULT_NONE);
	// tpmSts stays set: refused before anything is sent.
	u32 before = fake_tpm_commands();
	assert_int_equal(raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, sizeof(rsp), &len),
			 TPM_E_CRB_ERROR);
	assert_int_equal(fake_tpm_commands(), before);
}

static void test_cancel(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	// Idle TPM: nothing to cancel.
	assert_int_equal(tpm_drv_cancel(&dev), TPM_OK);
	fake_tpm_set_fault(FAULT_HANG);
	u8 rsp[64];
	u32 len;
	u64 t0 = fake_clock_now();
	u32 waited0 = dev.waited_us;
	assert_int_equal(raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, sizeof(rsp), &len),
			 TPM_E_TIMEOUT);
	u64 dt = fake_clock_now() - t0;
	// All of the wait for the answer was polling, and no more than
	// the call took (make bench's "waiting").
	u32 waited = dev.waited_us - waited0;
	assert_true(waited >= dev.duration[TPM_DUR_SHORT]);
	assert_true(waited <= dt);
	assert_true(dt >= dev.duration[TPM_DUR_SHORT]);
	assert_true(dt < dev.duration[TPM_DUR_SHORT] + 100000);
	assert_int_equal(fake_tpm_cancels(), 1);
	fake_tpm_set_fault(FAULT_NONE);
	check_getrandom(&dev);
	// A command the fake answers within a few polls: a little waiting,
	// never more than the call took.
	t0 = fake_clock_now();
	waited0 = dev.waited_us;
	check_getrandom(&dev);
	assert_true(dev.waited_us - waited0 <= fake_clock_now() - t0);
	assert_true(dev.waited_us - waited0 < 1000);
}

static void test_command_too_big(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	static u8 big[0x1000];
	memcpy(big, T2_GETRANDOM32, sizeof(T2_GETRANDOM32));
	put_be32(big + 2, sizeof(big));
	u8 rsp[64];
	u32 len;
	assert_int_equal(
	    raw_xfer(&dev, big, sizeof(big), rsp, sizeof(rsp), &len),
	    TPM_E_CMD_SIZE);
	check_getrandom(&dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_probe, fake_setup_crb20),
	    cmocka_unit_test_setup(test_commands, fake_setup_crb20),
	    cmocka_unit_test_setup(test_localities, fake_setup_crb20),
	    cmocka_unit_test_setup(test_locality_not_granted, fake_setup_crb20),
	    cmocka_unit_test_setup(test_high_buffer, fake_setup_crb20),
	    cmocka_unit_test_setup(test_faults, fake_setup_crb20),
	    cmocka_unit_test_setup(test_fatal_error_sticks, fake_setup_crb20),
	    cmocka_unit_test_setup(test_cancel, fake_setup_crb20),
	    cmocka_unit_test_setup(test_command_too_big, fake_setup_crb20),
	};
	return cmocka_run_group_tests(tests, NULL, fake_teardown);
}
