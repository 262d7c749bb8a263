// TIS/FIFO driver against the register-level fake backed by libtpms:
// detection, burst and byte-at-a-time transfers, localities, cancel, and
// every injected fault ending in its own error code in bounded time.
#include "tpm_test_util.h"

static void test_probe_tpm20(void **state)
{
	(void)state;
	struct tpm_dev dev;
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(dev.iface, TPM_IFACE_TIS);
	assert_int_equal(dev.version, TPM_VER_20);
	assert_int_equal(dev.did_vid, 0x00011014);
	assert_int_equal(dev.locality, 0);
	assert_int_equal(fake_tpm_active_locality(), 0);
	// PTP default timeouts for TPM 2.0.
	assert_int_equal(dev.timeout_a, 750000);
	assert_int_equal(dev.timeout_b, 2000000);
	assert_int_equal(dev.timeout_c, 200000);
	assert_int_equal(dev.timeout_d, 30000);
}

static void test_probe_tpm12(void **state)
{
	(void)state;
	struct tpm_dev dev;
	u8 rsp[64];
	u32 len;
	// TIS 1.3 (QEMU) and TIS 1.2 capability versions both mean TPM 1.2.
	for (int ifver = 0; ifver <= 2; ifver += 2) {
		fake_tpm_set_tis_ifver(ifver);
		assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
		assert_int_equal(dev.iface, TPM_IFACE_TIS);
		assert_int_equal(dev.version, TPM_VER_12);
		assert_int_equal(dev.timeout_c, 750000);
		assert_int_equal(dev.duration[TPM_DUR_LONG], 60000000);
	}
	assert_int_equal(raw_xfer(&dev, T12_STARTUP, sizeof(T12_STARTUP), rsp,
				  sizeof(rsp), &len),
			 TPM_OK);
	assert_int_equal(len, 10);
	assert_int_equal(get_be16(rsp), TPM_TAG_RSP_COMMAND);
	assert_int_equal(rsp_code(rsp), 0);
	// A second Startup: TPM_INVALID_POSTINIT from the real engine.
	assert_int_equal(raw_xfer(&dev, T12_STARTUP, sizeof(T12_STARTUP), rsp,
				  sizeof(rsp), &len),
			 TPM_OK);
	assert_int_equal(rsp_code(rsp), TPM_INVALID_POSTINIT);
	// A reserved TPM_INTERFACE_ID reading 0 ("FIFO") on a TIS 1.2 part:
	// the capability register still says TPM 1.2.
	fake_tpm_set_intf_id(0);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(dev.version, TPM_VER_12);
	// TPM_STS.tpmFamily says 1.2 whatever the interface version.
	fake_tpm_set_tis_ifver(TIS_CAP_IFVER_PTP20);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(dev.version, TPM_VER_12);
	// Neither TIS nor CRB.
	fake_tpm_set_intf_id(0x00000007);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_E_IFACE);
}

// A TPM 2.0 behind a TIS 1.3 interface (interface version "TIS 1.3", which
// also serves TPM 1.2): TPM_STS.tpmFamily says 2.0, so it is driven as 2.0.
static void test_probe_tpm20_behind_tis13(void **state)
{
	(void)state;
	struct tpm_dev dev;
	fake_tpm_set_tis_ifver(TIS_CAP_IFVER_TIS13);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(dev.version, TPM_VER_20);
	assert_int_equal(dev.timeout_c, 200000); // PTP defaults, not 1.2's
	// An unknown interface version with a 2.0 family: 2.0 as well.
	fake_tpm_set_tis_ifver(5);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(dev.version, TPM_VER_20);
	u8 rsp[64];
	u32 len;
	assert_int_equal(raw_xfer(&dev, T2_STARTUP, sizeof(T2_STARTUP), rsp,
				  sizeof(rsp), &len),
			 TPM_OK);
	assert_int_equal(rsp_code(rsp), 0);
}

static void test_no_device(void **state)
{
	(void)state;
	fake_tpm_init(FAKE_NONE, 20);
	struct tpm_dev dev;
	u64 t0 = fake_clock_now();
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_E_NODEV);
	assert_true(fake_clock_now() - t0 < 1000);
	u32 len;
	u8 rsp[16];
	assert_int_equal(raw_xfer(&dev, T2_STARTUP, sizeof(T2_STARTUP), rsp,
				  sizeof(rsp), &len),
			 TPM_E_NODEV);
}

// TPM 1.2 behind TIS: byte-at-a-time, and a hung command aborted with
// commandReady (TIS 1.2 has no commandCancel).
static void test_tpm12_transfers(void **state)
{
	(void)state;
	static const u8 get_tis_timeouts[] = {0, 0xC1, 0, 0, 0, 22,  0, 0,
					      0, 0x65, 0, 0, 0, 5,   0, 0,
					      0, 4,    0, 0, 1, 0x15};
	struct tpm_dev dev;
	u8 rsp[64];
	u32 len;
	fake_tpm_set_burst(1);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(raw_xfer(&dev, T12_STARTUP, sizeof(T12_STARTUP), rsp,
				  sizeof(rsp), &len),
			 TPM_OK);
	assert_int_equal(raw_xfer(&dev, get_tis_timeouts,
				  sizeof(get_tis_timeouts), rsp, sizeof(rsp),
				  &len),
			 TPM_OK);
	assert_int_equal(len, 10 + 4 + 16);
	assert_int_equal(rsp_code(rsp), 0);
	assert_int_equal(fake_tpm_max_chunk(), 1);
	fake_tpm_set_burst(64);
	fake_tpm_set_fault(FAULT_HANG);
	u64 t0 = fake_clock_now();
	assert_int_equal(raw_xfer(&dev, get_tis_timeouts,
				  sizeof(get_tis_timeouts), rsp, sizeof(rsp),
				  &len),
			 TPM_E_TIMEOUT);
	assert_true(fake_clock_now() - t0 < dev.duration[0] + 100000);
	assert_int_equal(fake_tpm_cancels(), 1);
	fake_tpm_set_fault(FAULT_TRUNCATED);
	assert_int_equal(raw_xfer(&dev, get_tis_timeouts,
				  sizeof(get_tis_timeouts), rsp, sizeof(rsp),
				  &len),
			 TPM_E_RESP_TRUNC);
	fake_tpm_set_fault(FAULT_NONE);
	assert_int_equal(raw_xfer(&dev, get_tis_timeouts,
				  sizeof(get_tis_timeouts), rsp, sizeof(rsp),
				  &len),
			 TPM_OK);
	assert_int_equal(rsp_code(rsp), 0);
}

static void test_burst_64(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	check_getrandom(&dev);
	assert_true(fake_tpm_max_chunk() > 8);
	assert_int_equal(dev.transfers, 2);
}

static void test_byte_at_a_time(void **state)
{
	(void)state;
	struct tpm_dev dev;
	fake_tpm_set_burst(1);
	probe_and_start20(&dev);
	check_getrandom(&dev);
	// Every FIFO byte was preceded by a status read.
	assert_int_equal(fake_tpm_max_chunk(), 1);
}

static void test_odd_burst(void **state)
{
	(void)state;
	struct tpm_dev dev;
	fake_tpm_set_burst(5);
	probe_and_start20(&dev);
	check_getrandom(&dev);
	assert_int_equal(fake_tpm_max_chunk(), 5);
}

static void test_localities(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	assert_int_equal(tpm_drv_request_locality(&dev, 2), TPM_OK);
	assert_int_equal(fake_tpm_active_locality(), 2);
	assert_int_equal(dev.locality, 2);
	check_getrandom(&dev);
	assert_int_equal(fake_tpm_last_locality(), 2);
	assert_int_equal(tpm_drv_request_locality(&dev, 4), TPM_OK);
	check_getrandom(&dev);
	assert_int_equal(fake_tpm_last_locality(), 4);
	assert_int_equal(tpm_drv_request_locality(&dev, 5),
			 TPM_E_LOCALITY_RANGE);
	assert_int_equal(tpm_drv_request_locality(&dev, 0), TPM_OK);
	assert_int_equal(fake_tpm_active_locality(), 0);
	// Released: the next command takes the wanted locality again.
	tpm_drv_release_locality(&dev);
	assert_int_equal(fake_tpm_active_locality(), -1);
	assert_int_equal(dev.locality, -1);
	check_getrandom(&dev);
	assert_int_equal(fake_tpm_last_locality(), 0);
	assert_int_equal(fake_tpm_active_locality(), 0);
}

static void test_locality_not_granted(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	fake_tpm_set_fault(FAULT_NO_LOCALITY);
	u64 t0 = fake_clock_now();
	assert_int_equal(tpm_drv_request_locality(&dev, 3), TPM_E_LOCALITY);
	u64 dt = fake_clock_now() - t0;
	assert_true(dt >= dev.timeout_a && dt < dev.timeout_a + 10000);
	// Locality 0 was given up for 3: a command cannot get it back.
	u8 rsp[64];
	u32 len;
	assert_int_equal(raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, sizeof(rsp), &len),
			 TPM_E_LOCALITY);
	fake_tpm_set_fault(FAULT_NONE);
	check_getrandom(&dev);
	// Probe reports it too.
	fake_tpm_reset();
	fake_tpm_set_fault(FAULT_NO_LOCALITY);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_E_LOCALITY);
}

// Inject `fault`, expect `err` within bounded time, then recover.
static void fault_case(enum fake_fault fault, int err)
{
	struct tpm_dev dev;
	fake_tpm_init(FAKE_TIS, 20);
	probe_and_start20(&dev);
	fake_tpm_set_fault(fault);
	u8 rsp[1024];
	u32 len = 123;
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
	fake_tpm_set_fault(FAULT_NONE);
	check_getrandom(&dev); // the driver left the TPM usable
}

static void test_faults(void **state)
{
	(void)state;
	fault_case(FAULT_NEVER_READY, TPM_E_NOT_READY);
	fault_case(FAULT_BURST_ZERO, TPM_E_BURST);
	fault_case(FAULT_NO_STS_VALID, TPM_E_STS_VALID);
	fault_case(FAULT_EXPECT_EARLY, TPM_E_EXPECT);
	fault_case(FAULT_HANG, TPM_E_TIMEOUT);
	fault_case(FAULT_HANG_HARD, TPM_E_TIMEOUT);
	fault_case(FAULT_RESP_SHORT, TPM_E_RESP_SHORT);
	fault_case(FAULT_TRUNCATED, TPM_E_RESP_TRUNC);
	fault_case(FAULT_OVERSIZED, TPM_E_RESP_TOO_BIG);
	fault_case(FAULT_WRONG_SIZE, TPM_E_RESP_EXTRA);
	// Garbage with a consistent size passes the driver; the command
	// layer rejects its tag (test_tpm_cmd).
	fault_case(FAULT_GARBAGE, TPM_OK);
}

static void test_hang_is_cancelled(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
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
	// Waited the short duration, then cancelled promptly.
	assert_true(dt >= dev.duration[TPM_DUR_SHORT]);
	assert_true(dt < dev.duration[TPM_DUR_SHORT] + 100000);
	assert_int_equal(fake_tpm_cancels(), 1);
	// A command the fake answers within a few polls: a little waiting,
	// never more than the call took.
	fake_tpm_set_fault(FAULT_NONE);
	t0 = fake_clock_now();
	waited0 = dev.waited_us;
	assert_int_equal(raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, sizeof(rsp), &len),
			 TPM_OK);
	assert_true(dev.waited_us - waited0 <= fake_clock_now() - t0);
	assert_true(dev.waited_us - waited0 < 1000);
}

// A TPM that stops answering costs at most the boot's wait budget, over
// any number of commands, long ones included.
static void test_hang_costs_the_budget_at_most(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	fake_tpm_set_fault(FAULT_HANG);
	u8 rsp[64];
	u32 len;
	u64 t0 = fake_clock_now();
	for (int i = 0; i < 20; i++)
		assert_int_not_equal(tpm_drv_transmit(&dev, T2_GETRANDOM32,
						      sizeof(T2_GETRANDOM32),
						      rsp, sizeof(rsp), &len,
						      TPM_DUR_LONG),
				     TPM_OK);
	u64 dt = fake_clock_now() - t0;
	assert_true(dt >= TPM_WAIT_BUDGET_US);
	assert_true(dt < TPM_WAIT_BUDGET_US + 100000);
	assert_int_equal(dev.wait_budget_us, 0);
}

static void test_cancel(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	assert_int_equal(tpm_drv_cancel(&dev), TPM_OK);
	check_getrandom(&dev);
	fake_tpm_set_fault(FAULT_NEVER_READY);
	assert_int_equal(tpm_drv_cancel(&dev), TPM_E_CANCEL);
	fake_tpm_set_fault(FAULT_NONE);
	check_getrandom(&dev);
	// TPM 1.2: cancel is commandReady alone.
	fake_tpm_init(FAKE_TIS, 12);
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(tpm_drv_cancel(&dev), TPM_OK);
}

// The two halves: the TPM executes between them, the command buffer may be
// reused at once, a second command waits for the first to be collected
// (without a complete_pending hook it is refused), and a collect without a
// command is an error.
static void test_start_finish(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	u8 cmd[sizeof(T2_GETRANDOM32)], rsp[64];
	u32 len;
	memcpy(cmd, T2_GETRANDOM32, sizeof(cmd));
	assert_int_equal(tpm_drv_start(&dev, cmd, sizeof(cmd), TPM_DUR_SHORT),
			 TPM_OK);
	memset(cmd, 0, sizeof(cmd));
	u32 before = fake_tpm_commands();
	assert_int_equal(tpm_drv_start(&dev, T2_GETRANDOM32,
				       sizeof(T2_GETRANDOM32), TPM_DUR_SHORT),
			 TPM_E_BUSY);
	assert_int_equal(fake_tpm_commands(), before);
	assert_int_equal(tpm_drv_finish(&dev, rsp, sizeof(rsp), &len), TPM_OK);
	assert_int_equal(len, 10 + 2 + 32);
	assert_int_equal(get_be32(rsp + 6), 0);
	assert_int_equal(tpm_drv_finish(&dev, rsp, sizeof(rsp), &len),
			 TPM_E_ARG);
	check_getrandom(&dev);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	struct tpm_dev dev;
	probe_and_start20(&dev);
	u8 rsp[64], cmd[12];
	u32 len;
	memcpy(cmd, T2_GETRANDOM32, sizeof(cmd));
	put_be32(cmd + 2, 40); // size field disagrees with the length
	assert_int_equal(
	    raw_xfer(&dev, cmd, sizeof(cmd), rsp, sizeof(rsp), &len),
	    TPM_E_CMD_SIZE);
	assert_int_equal(raw_xfer(&dev, cmd, 6, rsp, sizeof(rsp), &len),
			 TPM_E_CMD_SIZE);
	assert_int_equal(raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, 8, &len),
			 TPM_E_ARG);
	assert_int_equal(tpm_drv_transmit(&dev, T2_GETRANDOM32,
					  sizeof(T2_GETRANDOM32), rsp,
					  sizeof(rsp), &len, 7),
			 TPM_E_ARG);
	dev.failed = true;
	u32 before = fake_tpm_commands();
	assert_int_equal(raw_xfer(&dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, sizeof(rsp), &len),
			 TPM_E_DISABLED);
	assert_int_equal(fake_tpm_commands(), before);
}

static void test_timeouts_from_tpm12(void **state)
{
	(void)state;
	struct tpm_dev dev;
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	const u32 t[4] = {0, 500, 5, 99000000};
	tpm_drv_set_timeouts(&dev, t);
	assert_int_equal(dev.timeout_a, 750000);   // 0: default
	assert_int_equal(dev.timeout_b, 500000);   // milliseconds fixed up
	assert_int_equal(dev.timeout_c, 30000);	   // raised to the floor
	assert_int_equal(dev.timeout_d, 10000000); // capped
	const u32 d[3] = {1500000, 0, 500000000};
	tpm_drv_set_durations(&dev, d);
	assert_int_equal(dev.duration[0], 1500000);
	assert_int_equal(dev.duration[1], 20000000);
	assert_int_equal(dev.duration[2], 60000000); // the class default
	const u32 huge[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
	tpm_drv_set_durations(&dev, huge);
	assert_int_equal(dev.duration[0], 2000000);
	assert_int_equal(dev.duration[1], 20000000);
	assert_int_equal(dev.duration[2], 60000000);
	assert_string_equal(tpm_strerror(TPM_E_BURST), "burstCount stuck at 0");
	assert_string_equal(tpm_strerror(-999), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_probe_tpm20, fake_setup_tis20),
	    cmocka_unit_test_setup(test_probe_tpm12, fake_setup_tis12),
	    cmocka_unit_test_setup(test_probe_tpm20_behind_tis13,
				   fake_setup_tis20),
	    cmocka_unit_test_setup(test_no_device, fake_setup_tis20),
	    cmocka_unit_test_setup(test_hang_costs_the_budget_at_most,
				   fake_setup_tis20),
	    cmocka_unit_test_setup(test_tpm12_transfers, fake_setup_tis12),
	    cmocka_unit_test_setup(test_burst_64, fake_setup_tis20),
	    cmocka_unit_test_setup(test_byte_at_a_time, fake_setup_tis20),
	    cmocka_unit_test_setup(test_odd_burst, fake_setup_tis20),
	    cmocka_unit_test_setup(test_localities, fake_setup_tis20),
	    cmocka_unit_test_setup(test_locality_not_granted, fake_setup_tis20),
	    cmocka_unit_test_setup(test_faults, fake_setup_tis20),
	    cmocka_unit_test_setup(test_hang_is_cancelled, fake_setup_tis20),
	    cmocka_unit_test_setup(test_cancel, fake_setup_tis20),
	    cmocka_unit_test_setup(test_start_finish, fake_setup_tis20),
	    cmocka_unit_test_setup(test_bad_arguments, fake_setup_tis20),
	    cmocka_unit_test_setup(test_timeouts_from_tpm12, fake_setup_tis12),
	};
	return cmocka_run_group_tests(tests, NULL, fake_teardown);
}
