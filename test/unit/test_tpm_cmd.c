// Command layer: marshalling bounds, tpm_transmit's response checks (with a
// mock driver returning crafted bytes), and the TPM 2.0 and TPM 1.2
// commands against libtpms behind the register fake.
#include "tpm_test_util.h"

#include "tcgbios/tpm_cmd.h"

// ---- Marshalling
// -------------------------------------------------------------

static void test_writer_bounds(void **state)
{
	(void)state;
	u8 buf[16];
	struct tpm_writer w;
	tw_init(&w, buf, sizeof(buf));
	tw_header(&w, TPM2_ST_NO_SESSIONS, TPM2_CC_GetRandom);
	tw_u16(&w, 0x1234);
	assert_int_equal(tw_finish(&w), 12);
	assert_int_equal(get_be32(buf + 2), 12);
	assert_int_equal(get_be16(buf + 10), 0x1234);
	tw_u32(&w, 1);
	assert_false(w.err);
	tw_u8(&w, 1); // 17th byte
	assert_true(w.err);
	assert_int_equal(w.len, 16);
	tw_u8(&w, 1); // stays failed, writes nothing
	assert_int_equal(w.len, 16);
	assert_int_equal(tw_finish(&w), TPM_E_CMD_OVERFLOW);
	// A header alone does not fit in 8 bytes.
	tw_init(&w, buf, 8);
	tw_header(&w, TPM2_ST_NO_SESSIONS, 1);
	assert_int_equal(tw_finish(&w), TPM_E_CMD_OVERFLOW);
	// Password session layout (Part 1, 18.6).
	tw_init(&w, buf, sizeof(buf));
	tw_pw_session(&w, (const u8 *)"ab", 2);
	assert_false(w.err);
	const u8 want[] = {0, 0, 0, 11, 0x40, 0, 0, 9, 0, 0, 0, 0, 2, 'a', 'b'};
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
}

static void test_reader_bounds(void **state)
{
	(void)state;
	const u8 data[] = {1, 2, 3, 4, 5, 6, 7};
	struct tpm_reader r;
	tr_init(&r, data, sizeof(data));
	assert_int_equal(tr_u16(&r), 0x0102);
	assert_int_equal(tr_u32(&r), 0x03040506);
	assert_int_equal(tr_left(&r), 1);
	assert_int_equal(tr_u16(&r), 0); // only one byte left
	assert_false(tr_ok(&r));
	assert_int_equal(tr_left(&r), 0);
	assert_int_equal(tr_u8(&r), 0); // sticky
	tr_init(&r, data, sizeof(data));
	assert_null(tr_bytes(&r, 8));
	tr_init(&r, data, sizeof(data));
	assert_non_null(tr_bytes(&r, 7));
	assert_true(tr_ok(&r));
	assert_null(tr_bytes(&r, 0xFFFFFFFF));
}

static void test_parse_pcr_selection(void **state)
{
	(void)state;
	struct tpm2_banks all, act;
	struct tpm_reader r;
	// SHA-1 allocated with no PCRs, SHA-256 with 0-23, SHA-384 with PCR 7.
	const u8 sel[] = {0,	0,    0,    3,	  0x00, 0x04, 3,    0,
			  0,	0,    0x00, 0x0B, 3,	0xFF, 0xFF, 0xFF,
			  0x00, 0x0C, 3,    0x80, 0,	0};
	tr_init(&r, sel, sizeof(sel));
	assert_int_equal(tpm2_parse_pcr_selection(&r, &all), 0);
	assert_int_equal(all.count, 3);
	assert_false(all.b[0].active);
	assert_int_equal(all.b[0].digest_size, 20);
	assert_true(all.b[1].active);
	assert_int_equal(all.b[1].pcr_mask, 0xFFFFFF);
	assert_int_equal(all.b[2].pcr_mask, 0x80);
	tpm2_active_banks(&all, &act);
	assert_int_equal(act.count, 2);
	assert_int_equal(act.b[0].alg, TPM2_ALG_SHA256);
	assert_int_equal(act.b[1].alg, TPM2_ALG_SHA384);
	assert_int_equal(act.b[1].digest_size, 48);
	// Short by one byte.
	tr_init(&r, sel, sizeof(sel) - 1);
	assert_int_equal(tpm2_parse_pcr_selection(&r, &all), TPM_E_RESP_PARSE);
	// More banks than handled.
	const u8 many[] = {0, 0, 0, 9};
	tr_init(&r, many, sizeof(many));
	assert_int_equal(tpm2_parse_pcr_selection(&r, &all), TPM_E_BANKS);
	// The same bank twice.
	const u8 dup[] = {0, 0, 0, 2, 0, 4, 1, 1, 0, 4, 1, 1};
	tr_init(&r, dup, sizeof(dup));
	assert_int_equal(tpm2_parse_pcr_selection(&r, &all), TPM_E_BANKS);
	// Unknown algorithm, selection beyond PCR 31 only: active, size 0.
	const u8 odd[] = {0, 0, 0, 1, 0x12, 0x34, 5, 0, 0, 0, 0, 1};
	tr_init(&r, odd, sizeof(odd));
	assert_int_equal(tpm2_parse_pcr_selection(&r, &all), 0);
	assert_true(all.b[0].active);
	assert_int_equal(all.b[0].pcr_mask, 0);
	assert_int_equal(all.b[0].digest_size, 0);
}

// ---- tpm_transmit with a mock driver
// -------------------------------------------

static u8 mock_rsp[64];
static u32 mock_len;

static int mock_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len)
{
	(void)dev, (void)cmd, (void)cmd_len;
	return TPM_OK;
}

static int mock_finish(struct tpm_dev *dev, u8 *resp, u32 resp_max,
		       u32 *resp_len, u32 wait_us)
{
	(void)dev, (void)wait_us;
	memcpy(resp, mock_rsp, MIN(mock_len, resp_max));
	*resp_len = mock_len; // a driver that lies about the length
	return TPM_OK;
}

static int mock_locality(struct tpm_dev *dev, u8 loc)
{
	dev->locality = (s8)loc;
	return TPM_OK;
}

static const struct tpm_driver_ops mock_ops = {
    .name = "mock",
    .request_locality = mock_locality,
    .start = mock_start,
    .finish = mock_finish,
};

static void set_reply(u16 tag, u32 size, u32 rc, u32 len)
{
	memset(mock_rsp, 0, sizeof(mock_rsp));
	put_be16(mock_rsp, tag);
	put_be32(mock_rsp + 2, size);
	put_be32(mock_rsp + 6, rc);
	mock_len = len;
}

static int mock_xfer(struct tpm_dev *dev, u16 cmd_tag)
{
	u8 cmd[12], rsp[32];
	u32 len;
	memcpy(cmd, T2_GETRANDOM32, sizeof(cmd));
	put_be16(cmd, cmd_tag);
	return tpm_transmit(dev, cmd, sizeof(cmd), rsp, sizeof(rsp), &len,
			    TPM_DUR_SHORT);
}

static void test_transmit_checks(void **state)
{
	(void)state;
	struct tpm_dev dev = {.ops = &mock_ops, .version = TPM_VER_20};
	const u16 ns = TPM2_ST_NO_SESSIONS, s = TPM2_ST_SESSIONS;

	set_reply(ns, 12, 0, 12);
	assert_int_equal(mock_xfer(&dev, ns), 0);
	set_reply(ns, 10, 0, 8); // shorter than a header
	assert_int_equal(mock_xfer(&dev, ns), TPM_E_RESP_LEN);
	set_reply(ns, 20, 0, 12); // size field disagrees with the length
	assert_int_equal(mock_xfer(&dev, ns), TPM_E_RESP_LEN);
	set_reply(ns, 40, 0, 40); // longer than the buffer
	assert_int_equal(mock_xfer(&dev, ns), TPM_E_RESP_LEN);
	set_reply(s, 12, 0, 12); // sessions tag for a no-sessions command
	assert_int_equal(mock_xfer(&dev, ns), TPM_E_RESP_TAG);
	set_reply(0xDEAD, 12, 0x101, 12);
	assert_int_equal(mock_xfer(&dev, ns), TPM_E_RESP_TAG);
	set_reply(ns, 10, 0, 10); // a success for a sessions command needs 8002
	assert_int_equal(mock_xfer(&dev, s), TPM_E_RESP_TAG);
	set_reply(ns, 10, 0x9A2, 10); // errors come back without sessions
	assert_int_equal(mock_xfer(&dev, s), 0x9A2);
	set_reply(TPM_TAG_RSP_COMMAND, 10, TPM2_RC_BAD_TAG, 10);
	assert_int_equal(mock_xfer(&dev, ns), TPM2_RC_BAD_TAG);
	set_reply(ns, 10, 0x80000001, 10);
	assert_int_equal(mock_xfer(&dev, ns), TPM_E_RESP_RC);
	// TPM 1.2 tags.
	set_reply(TPM_TAG_RSP_COMMAND, 10, 0, 10);
	assert_int_equal(mock_xfer(&dev, TPM_TAG_RQU_COMMAND), 0);
	assert_int_equal(mock_xfer(&dev, TPM_TAG_RQU_AUTH1_COMMAND),
			 TPM_E_RESP_TAG);
	set_reply(TPM_TAG_RSP_AUTH1_COMMAND, 10, 0, 10);
	assert_int_equal(mock_xfer(&dev, TPM_TAG_RQU_AUTH1_COMMAND), 0);
	set_reply(TPM_TAG_RSP_COMMAND, 10, TPM_AUTHFAIL, 10);
	assert_int_equal(mock_xfer(&dev, TPM_TAG_RQU_AUTH2_COMMAND),
			 TPM_AUTHFAIL);
	// Unknown command tag: no success tag fits.
	set_reply(0, 10, 0, 10);
	assert_int_equal(mock_xfer(&dev, 0), TPM_E_RESP_TAG);
	// A body shorter than the command's reply is a parse error.
	set_reply(ns, 12, 0, 12);
	u8 buf[8];
	assert_int_equal(tpm2_get_random(&dev, buf, 8), TPM_E_RESP_PARSE);
	// Wrong family.
	assert_int_equal(tpm12_startup(&dev, TPM_ST_CLEAR),
			 TPM_E_WRONG_VERSION);
	assert_string_equal(tpm_cmd_strerror(TPM_E_RESP_TAG),
			    "bad response tag");
	assert_string_equal(tpm_cmd_strerror(TPM_E_TIMEOUT),
			    "command timed out");
}

static void test_durations(void **state)
{
	(void)state;
	assert_int_equal(
	    tpm_cmd_duration(TPM2_ST_NO_SESSIONS, TPM2_CC_SelfTest),
	    TPM_DUR_LONG);
	assert_int_equal(
	    tpm_cmd_duration(TPM2_ST_NO_SESSIONS, TPM2_CC_PCR_Read),
	    TPM_DUR_SHORT);
	assert_int_equal(tpm_cmd_duration(TPM2_ST_SESSIONS, TPM2_CC_PCR_Extend),
			 TPM_DUR_SHORT);
	assert_int_equal(tpm_cmd_duration(TPM2_ST_SESSIONS, TPM2_CC_PCR_Event),
			 TPM_DUR_SHORT);
	assert_int_equal(
	    tpm_cmd_duration(TPM_TAG_RQU_COMMAND, TPM_ORD_SelfTestFull),
	    TPM_DUR_LONG);
	assert_int_equal(tpm_cmd_duration(TPM_TAG_RQU_COMMAND, TPM_ORD_Extend),
			 TPM_DUR_SHORT);
	assert_int_equal(
	    tpm_cmd_duration(TPM_TAG_RQU_COMMAND, TSC_ORD_PhysicalPresence),
	    TPM_DUR_SHORT);
}

// ---- TPM 2.0 against libtpms
// --------------------------------------------------------

static void start20(struct tpm_dev *dev)
{
	assert_int_equal(tpm_drv_probe(dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(tpm2_startup(dev, TPM2_SU_CLEAR), 0);
	assert_int_equal(tpm2_startup(dev, TPM2_SU_CLEAR), TPM2_RC_INITIALIZE);
	assert_int_equal(tpm2_selftest(dev, true), 0);
}

// Extend PCR 0 of every active bank with `fill` bytes, then read back.
static void extend_and_check(struct tpm_dev *dev, const struct tpm2_banks *b,
			     u8 fill, int step)
{
	u8 digests[TPM2_MAX_BANKS * TPM2_MAX_DIGEST_SIZE];
	u32 off = 0;
	for (u32 i = 0; i < b->count; i++) {
		memset(digests + off, fill, b->b[i].digest_size);
		off += b->b[i].digest_size;
	}
	assert_int_equal(tpm2_pcr_extend(dev, 0, b, digests), 0);
	for (u32 i = 0; i < b->count; i++) {
		u8 v[64];
		u32 len;
		assert_int_equal(
		    tpm2_pcr_read(dev, 0, b->b[i].alg, v, sizeof(v), &len), 0);
		assert_int_equal(len, b->b[i].digest_size);
		assert_memory_equal(v, expected_pcr(b->b[i].alg, step), len);
	}
}

static void test_tpm20_pcrs(void **state)
{
	(void)state;
	struct tpm_dev dev;
	start20(&dev);
	struct tpm2_banks all, act;
	assert_int_equal(tpm2_get_pcr_banks(&dev, &all), 0);
	assert_true(all.count >= 2);
	tpm2_active_banks(&all, &act);
	assert_true(act.count >= 1);
	for (u32 i = 0; i < act.count; i++) {
		assert_non_null(expected_pcr(act.b[i].alg, 1));
		assert_int_equal(act.b[i].pcr_mask, 0xFFFFFF);
	}
	extend_and_check(&dev, &act, 0x01, 1);
	extend_and_check(&dev, &act, 0x02, 2);
	// Digests must match each bank's algorithm size.
	struct tpm2_banks bad = act;
	bad.b[0].digest_size = 7;
	u8 d[512] = {0};
	assert_int_equal(tpm2_pcr_extend(&dev, 0, &bad, d), TPM_E_BANKS);
	// PCR 17 belongs to localities 2-4 (PC Client): the engine sees 0.
	int rc = tpm2_pcr_extend(&dev, 17, &act, d);
	assert_int_equal(rc, TPM2_RC_LOCALITY);
	assert_int_equal(
	    tpm2_pcr_read(&dev, 24, TPM2_ALG_SHA256, d, 64, (u32 *)&rc),
	    TPM_E_ARG);
}

static void test_tpm20_random(void **state)
{
	(void)state;
	struct tpm_dev dev;
	start20(&dev);
	u8 a[100], b[100], zero[100] = {0};
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_int_equal(tpm2_get_random(&dev, a, sizeof(a)), 0);
	assert_int_equal(tpm2_get_random(&dev, b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a + 68, zero + 68, 32); // tail filled too
}

static void test_tpm20_hierarchy(void **state)
{
	(void)state;
	struct tpm_dev dev;
	start20(&dev);
	const u8 pw[] = "secret";
	u32 v;
	assert_int_equal(tpm2_get_property(&dev, TPM2_PT_STARTUP_CLEAR, &v), 0);
	assert_true(v & TPM2_STARTUP_PH_ENABLE);
	assert_int_equal(
	    tpm2_hierarchy_change_auth(&dev, TPM2_RH_PLATFORM, NULL, 0, pw, 6),
	    0);
	// The empty auth no longer works: TPM_RC_BAD_AUTH on session 1.
	int rc =
	    tpm2_hierarchy_change_auth(&dev, TPM2_RH_PLATFORM, NULL, 0, pw, 6);
	assert_int_equal(rc & TPM2_RC_FMT1_MASK, TPM2_RC_BAD_AUTH);
	assert_int_equal(
	    tpm2_clear_control(&dev, TPM2_RH_PLATFORM, pw, 6, true), 0);
	assert_int_equal(tpm2_clear(&dev, TPM2_RH_PLATFORM, pw, 6),
			 TPM2_RC_DISABLED);
	assert_int_equal(
	    tpm2_clear_control(&dev, TPM2_RH_PLATFORM, pw, 6, false), 0);
	assert_int_equal(tpm2_clear(&dev, TPM2_RH_PLATFORM, pw, 6), 0);
	assert_int_equal(tpm2_hierarchy_control(&dev, TPM2_RH_PLATFORM, pw, 6,
						TPM2_RH_PLATFORM, false),
			 0);
	assert_int_equal(tpm2_get_property(&dev, TPM2_PT_STARTUP_CLEAR, &v), 0);
	assert_false(v & TPM2_STARTUP_PH_ENABLE);
	// Platform commands now fail with a hierarchy error.
	rc = tpm2_clear(&dev, TPM2_RH_PLATFORM, pw, 6);
	assert_int_equal(rc & TPM2_RC_FMT1_MASK, TPM2_RC_HIERARCHY);
	assert_int_equal(tpm2_shutdown(&dev, TPM2_SU_STATE), 0);
	assert_int_equal(tpm2_startup(&dev, TPM2_SU_CLEAR), TPM2_RC_INITIALIZE);
	u8 big[65] = {0};
	assert_int_equal(tpm2_hierarchy_change_auth(&dev, TPM2_RH_OWNER, NULL,
						    0, big, sizeof(big)),
			 TPM_E_ARG);
}

static void test_tpm20_allocate(void **state)
{
	(void)state;
	struct tpm_dev dev;
	start20(&dev);
	struct tpm2_banks all;
	assert_int_equal(tpm2_get_pcr_banks(&dev, &all), 0);
	// Only SHA-384 and SHA-256, all PCRs.
	for (u32 i = 0; i < all.count; i++) {
		u16 alg = all.b[i].alg;
		all.b[i].pcr_mask =
		    alg == TPM2_ALG_SHA384 || alg == TPM2_ALG_SHA256 ? 0xFFFFFF
								     : 0;
	}
	bool ok = false;
	assert_int_equal(tpm2_pcr_allocate(&dev, NULL, 0, &all, &ok), 0);
	assert_true(ok);
	// Takes effect at the next TPM reset.
	struct tpm2_banks act;
	assert_int_equal(tpm2_get_pcr_banks(&dev, &all), 0);
	tpm2_active_banks(&all, &act);
	u32 before = act.count;
	fake_tpm_reset();
	start20(&dev);
	assert_int_equal(tpm2_get_pcr_banks(&dev, &all), 0);
	tpm2_active_banks(&all, &act);
	assert_int_equal(act.count, 2);
	assert_int_equal(act.b[0].alg, TPM2_ALG_SHA256);
	assert_int_equal(act.b[1].alg, TPM2_ALG_SHA384);
	assert_true(before != 2 || all.count > 2);
	extend_and_check(&dev, &act, 0x01, 1);
}

static void test_tpm20_faults(void **state)
{
	(void)state;
	struct tpm_dev dev;
	start20(&dev);
	u8 buf[16];
	fake_tpm_set_fault(FAULT_GARBAGE);
	assert_int_equal(tpm2_get_random(&dev, buf, 16), TPM_E_RESP_TAG);
	fake_tpm_set_fault(FAULT_OVERSIZED);
	assert_int_equal(tpm2_get_random(&dev, buf, 16), TPM_E_RESP_TOO_BIG);
	fake_tpm_set_fault(FAULT_HANG);
	assert_int_equal(tpm2_get_random(&dev, buf, 16), TPM_E_TIMEOUT);
	fake_tpm_set_fault(FAULT_NONE);
	assert_int_equal(tpm2_get_random(&dev, buf, 16), 0);
	// CRB: a size field 4 short passes the driver, not the parser.
	fake_tpm_init(FAKE_CRB, 20);
	start20(&dev);
	fake_tpm_set_fault(FAULT_WRONG_SIZE);
	assert_int_equal(tpm2_get_random(&dev, buf, 16), TPM_E_RESP_PARSE);
	fake_tpm_set_fault(FAULT_GARBAGE);
	assert_int_equal(tpm2_get_random(&dev, buf, 16), TPM_E_RESP_TAG);
	fake_tpm_set_fault(FAULT_NONE);
	struct tpm2_banks all;
	assert_int_equal(tpm2_get_pcr_banks(&dev, &all), 0);
	fake_tpm_set_fault(FAULT_WRONG_SIZE);
	assert_int_equal(tpm2_get_pcr_banks(&dev, &all), TPM_E_RESP_PARSE);
}

// ---- TPM 1.2 against libtpms
// --------------------------------------------------------

static void test_tpm12(void **state)
{
	(void)state;
	struct tpm_dev dev;
	assert_int_equal(tpm_drv_probe(&dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(tpm12_startup(&dev, TPM_ST_CLEAR), 0);
	assert_int_equal(tpm12_startup(&dev, TPM_ST_CLEAR),
			 TPM_INVALID_POSTINIT);
	assert_int_equal(tpm12_physical_presence(&dev, TPM_PP_CMD_ENABLE), 0);
	assert_int_equal(tpm12_physical_presence(&dev, TPM_PP_PRESENT), 0);
	struct tpm12_stclear_flags vf;
	assert_int_equal(tpm12_get_stclear_flags(&dev, &vf), 0);
	assert_true(vf.physical_presence);
	assert_false(vf.physical_presence_lock);
	u32 t[4], d[3];
	assert_int_equal(tpm12_get_timeouts(&dev, t), 0);
	assert_int_equal(tpm12_get_durations(&dev, d), 0);
	print_message("libtpms 1.2: timeouts %u %u %u %u, durations %u %u %u\n",
		      t[0], t[1], t[2], t[3], d[0], d[1], d[2]);
	assert_int_equal(tpm12_selftest_full(&dev), 0);
	assert_int_equal(tpm12_continue_selftest(&dev), 0);
	struct tpm12_permanent_flags pf;
	assert_int_equal(tpm12_get_permanent_flags(&dev, &pf), 0);
	print_message("libtpms 1.2: disable %u deactivated %u owned %u\n",
		      pf.disable, pf.deactivated, pf.ownership);
	bool owned = true;
	assert_int_equal(tpm12_get_owner(&dev, &owned), 0);
	assert_false(owned);

	u8 dig[20], out[20];
	memset(dig, 0x01, sizeof(dig));
	assert_int_equal(tpm12_extend(&dev, 0, dig, out), 0);
	assert_memory_equal(out, PCR_SHA1_1, 20);
	memset(dig, 0x02, sizeof(dig));
	assert_int_equal(tpm12_extend(&dev, 0, dig, NULL), 0);
	assert_int_equal(tpm12_pcr_read(&dev, 0, out), 0);
	assert_memory_equal(out, PCR_SHA1_2, 20);

	// The establishment bit: locality 3 only.
	assert_int_equal(tpm12_reset_establishment(&dev), TPM_BAD_LOCALITY);
	assert_int_equal(tpm_drv_request_locality(&dev, 3), TPM_OK);
	assert_int_equal(tpm12_reset_establishment(&dev), 0);
	assert_int_equal(fake_tpm_last_locality(), 3);
	assert_int_equal(tpm_drv_request_locality(&dev, 0), TPM_OK);

	// Menu operations under physical presence.
	assert_int_equal(tpm12_set_owner_install(&dev, true), 0);
	assert_int_equal(tpm12_force_clear(&dev), 0);
	// A cleared TPM 1.2 comes back disabled and deactivated.
	assert_int_equal(tpm12_get_permanent_flags(&dev, &pf), 0);
	assert_true(pf.disable);
	assert_true(pf.deactivated);
	assert_int_equal(tpm12_physical_enable(&dev), 0);
	assert_int_equal(tpm12_physical_set_deactivated(&dev, false), 0);
	assert_int_equal(tpm12_physical_disable(&dev), 0);
	assert_int_equal(tpm12_get_permanent_flags(&dev, &pf), 0);
	assert_true(pf.disable);
	assert_int_equal(tpm12_physical_enable(&dev), 0);
	assert_int_equal(tpm12_physical_set_deactivated(&dev, true), 0);
	assert_int_equal(tpm12_get_permanent_flags(&dev, &pf), 0);
	assert_false(pf.disable);
	assert_true(pf.deactivated);
	assert_int_equal(tpm12_physical_set_deactivated(&dev, false), 0);
	// Without presence they are refused.
	assert_int_equal(
	    tpm12_physical_presence(&dev, TPM_PP_NOTPRESENT | TPM_PP_LOCK), 0);
	assert_int_equal(tpm12_physical_disable(&dev), TPM_BAD_PRESENCE);
	assert_int_equal(tpm12_physical_presence(&dev, TPM_PP_PRESENT),
			 TPM_BAD_PARAMETER);
	assert_int_equal(tpm2_startup(&dev, TPM2_SU_CLEAR),
			 TPM_E_WRONG_VERSION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_writer_bounds),
	    cmocka_unit_test(test_reader_bounds),
	    cmocka_unit_test(test_parse_pcr_selection),
	    cmocka_unit_test(test_transmit_checks),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test_setup(test_tpm20_pcrs, fake_setup_tis20),
	    cmocka_unit_test_setup(test_tpm20_random, fake_setup_tis20),
	    cmocka_unit_test_setup(test_tpm20_hierarchy, fake_setup_tis20),
	    cmocka_unit_test_setup(test_tpm20_allocate, fake_setup_tis20),
	    cmocka_unit_test_setup(test_tpm20_faults, fake_setup_tis20),
	    cmocka_unit_test_setup(test_tpm12, fake_setup_tis12),
	};
	return cmocka_run_group_tests(tests, NULL, fake_teardown);
}
