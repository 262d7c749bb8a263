// The TPM configuration operations shared by the boot menu and the PPI,
// and the PPI page handling, on libtpms behind the register fake: each
// operation's effect is read back from the TPM, and what the page offers
// and answers is checked byte by byte.
#include "tpm_test_util.h"

#include "std/tpm_ppi.h"
#include "tcgbios/tpm_ops.h"
#include "tcgbios/tpm_ppi.h"

#include "tpm_state_fixtures.h"

static void start(int version)
{
	fresh_tpm(FAKE_TIS, version);
	tpm_setup(&st, TPM_MMIO_BASE);
	assert_true(st.present && !st.dead);
}

// A TPM_Init and a new boot's start-up.
static void restart(void)
{
	fake_tpm_reset();
	memset(&st, 0, sizeof(st));
	tpm_setup(&st, TPM_MMIO_BASE);
}

static int owner_empty_auth(void)
{
	return tpm2_hierarchy_change_auth(&st.dev, TPM2_RH_OWNER, NULL, 0, NULL,
					  0);
}

static void test_clear20(void **state)
{
	(void)state;
	start(20);
	static const u8 pw[] = {'m', 'b', 't'};
	assert_int_equal(tpm2_hierarchy_change_auth(&st.dev, TPM2_RH_OWNER,
						    NULL, 0, pw, sizeof(pw)),
			 0);
	assert_true(owner_empty_auth() != 0);
	bool reset;
	assert_int_equal(tpm_op_run(&st, PPI_OP_CLEAR, 0, &reset), 0);
	assert_false(reset);
	assert_int_equal(owner_empty_auth(), 0);
	assert_int_equal(tpm_op_run(&st, PPI_OP_CHANGE_EPS, 0, &reset), 0);
	assert_int_equal(tpm_op_run(&st, PPI_OP_LOG_ALL_DIGESTS, 0, &reset), 0);
	// After the hand-off lock nothing runs.
	assert_int_equal(tpm_prepare_boot(&st), 0);
	assert_int_equal(tpm_op_run(&st, PPI_OP_CLEAR, 0, &reset),
			 PPI_RESULT_BIOS_FAILURE);
}

static void test_banks20(void **state)
{
	(void)state;
	start(20);
	u32 supported = tpm_op_supported_bank_bits(&st);
	assert_true(supported & PPI_BANK_SHA256);
	assert_int_equal(tpm_op_active_bank_bits(&st), supported);
	bool reset;
	// No bank, or a bank the TPM does not have: refused, nothing changes.
	assert_int_equal(tpm_op_run(&st, PPI_OP_SET_PCR_BANKS, 0, &reset),
			 PPI_RESULT_BIOS_FAILURE);
	assert_int_equal(
	    tpm_op_run(&st, PPI_OP_SET_PCR_BANKS, ~supported & 0xFF, &reset),
	    PPI_RESULT_BIOS_FAILURE);
	restart();
	assert_int_equal(tpm_op_active_bank_bits(&st), supported);
	assert_int_equal(
	    tpm_op_run(&st, PPI_OP_SET_PCR_BANKS, PPI_BANK_SHA256, &reset), 0);
	assert_true(reset);
	restart();
	assert_int_equal(tpm_op_active_bank_bits(&st), PPI_BANK_SHA256);
	assert_int_equal(st.banks.count, 1);
	assert_int_equal(st.banks.b[0].alg, TPM2_ALG_SHA256);
}

static void flags12(struct tpm12_permanent_flags *p)
{
	assert_int_equal(tpm12_get_permanent_flags(&st.dev, p), 0);
}

static void test_ops12(void **state)
{
	(void)state;
	start(12);
	struct tpm12_permanent_flags p;
	bool reset;
	assert_int_equal(tpm_op_run(&st, PPI_OP_DISABLE, 0, &reset), 0);
	flags12(&p);
	assert_true(p.disable);
	assert_int_equal(tpm_op_run(&st, PPI_OP_ENABLE, 0, &reset), 0);
	flags12(&p);
	assert_false(p.disable);
	assert_int_equal(tpm_op_run(&st, PPI_OP_DEACTIVATE, 0, &reset), 0);
	assert_true(reset);
	restart();
	assert_true(st.pflags.deactivated);
	assert_false(tpm_usable(&st));
	assert_int_equal(tpm_op_run(&st, PPI_OP_ACTIVATE, 0, &reset), 0);
	assert_true(reset);
	restart();
	assert_true(tpm_usable(&st));
	assert_int_equal(tpm_op_run(&st, PPI_OP_OWNER_INSTALL_FALSE, 0, &reset),
			 0);
	flags12(&p);
	assert_false(p.ownership);
	assert_int_equal(tpm_op_run(&st, PPI_OP_OWNER_INSTALL_TRUE, 0, &reset),
			 0);
	flags12(&p);
	assert_true(p.ownership);
	// Clear + Enable + Activate: enabled and active again after the reset.
	assert_int_equal(
	    tpm_op_run(&st, PPI_OP_CLEAR_ENABLE_ACTIVATE, 0, &reset), 0);
	restart();
	assert_true(tpm_usable(&st));
	// The PP lock at the hand-off still happens after operations.
	assert_int_equal(tpm_prepare_boot(&st), 0);
	struct tpm12_stclear_flags vf;
	assert_int_equal(tpm12_get_stclear_flags(&st.dev, &vf), 0);
	assert_true(vf.physical_presence_lock && !vf.physical_presence);
}

static void test_func_table(void **state)
{
	(void)state;
	start(20);
	u8 page[PPI_PAGE_SIZE] ALIGNED(4);
	memset(page, 0xAA, sizeof(page));
	tpm_ppi_publish(&st, page);
	assert_int_equal(page[0], PPI_FUNC_PP_NOT_REQUIRED);
	assert_int_equal(page[5], PPI_FUNC_PP_REQUIRED);
	assert_int_equal(page[23], PPI_FUNC_PP_REQUIRED);
	assert_int_equal(page[17], PPI_FUNC_BLOCKED);
	assert_int_equal(page[18], PPI_FUNC_PP_NOT_REQUIRED);
	assert_int_equal(page[1], PPI_FUNC_NOT_IMPLEMENTED); // 1.2 only
	assert_int_equal(page[24], PPI_FUNC_PP_REQUIRED);
	assert_int_equal(page[33], PPI_FUNC_PP_NOT_REQUIRED);
	assert_int_equal(page[34], PPI_FUNC_NOT_IMPLEMENTED);
	assert_int_equal(page[PPI_PPRP], 0xAA); // only func[] is written
	// A TPM started before this boot: nothing that changes it is offered
	// or run.
	st.already_started = true;
	tpm_ppi_publish(&st, page);
	assert_int_equal(page[0], PPI_FUNC_PP_NOT_REQUIRED);
	assert_int_equal(page[5], PPI_FUNC_BLOCKED);
	assert_int_equal(page[23], PPI_FUNC_BLOCKED);
	bool reset;
	assert_int_equal(tpm_op_run(&st, PPI_OP_CLEAR, 0, &reset),
			 PPI_RESULT_BIOS_FAILURE);
	start(12);
	tpm_ppi_publish(&st, page);
	for (u32 op = 1; op <= 11; op++)
		assert_int_equal(page[op], PPI_FUNC_PP_REQUIRED);
	assert_int_equal(page[23], PPI_FUNC_NOT_IMPLEMENTED); // 2.0 only
	assert_int_equal(page[16], PPI_FUNC_BLOCKED);
}

static void put_request(u8 *page, u32 op, u32 arg)
{
	put_le32(page + PPI_PPRQ, op);
	put_le32(page + PPI_PPRM, arg);
}

static void test_requests(void **state)
{
	(void)state;
	start(20);
	u8 page[PPI_PAGE_SIZE] = {0};
	tpm_ppi_publish(&st, page);
	u32 op, arg;
	assert_int_equal(tpm_ppi_request(&st, page, &op, &arg), PPI_REQ_NONE);
	put_request(page, 5, 0);
	assert_int_equal(tpm_ppi_request(&st, page, &op, &arg), PPI_REQ_VALID);
	assert_int_equal(op, 5);
	put_request(page, 23, 0x06);
	assert_int_equal(tpm_ppi_request(&st, page, &op, &arg), PPI_REQ_VALID);
	assert_int_equal(arg, 0x06);
	// Refused, and answered at once: bad argument, out of range, not
	// offered, blocked.
	static const u32 bad[][2] = {{5, 1},	      {23, 0x100}, {256, 0},
				     {0xFFFFFFFF, 0}, {34, 0},	   {17, 0}};
	for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
		put_request(page, bad[i][0], bad[i][1]);
		assert_int_equal(tpm_ppi_request(&st, page, &op, &arg),
				 PPI_REQ_REFUSED);
		assert_int_equal(get_le32(page + PPI_LPPR), bad[i][0]);
		assert_int_equal(get_le32(page + PPI_PPRP),
				 PPI_RESULT_BIOS_FAILURE);
		assert_int_equal(get_le32(page + PPI_PPRQ), 0);
		assert_int_equal(get_le32(page + PPI_PPRM), 0);
	}
	tpm_ppi_respond(page, 5, PPI_RESULT_USER_ABORT);
	assert_int_equal(get_le32(page + PPI_LPPR), 5);
	assert_int_equal(get_le32(page + PPI_PPRP), PPI_RESULT_USER_ABORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clear20),  cmocka_unit_test(test_banks20),
	    cmocka_unit_test(test_ops12),    cmocka_unit_test(test_func_table),
	    cmocka_unit_test(test_requests),
	};
	return cmocka_run_group_tests(tests, NULL, fake_teardown);
}
