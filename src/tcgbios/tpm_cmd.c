// TPM 1.2 (Main Part 3) and TPM 2.0 (Library Part 3) commands. Every
// response is length- and tag-checked by tpm_transmit and parsed with the
// bounds-checked reader, so a lying TPM yields an error, not a wild read.
#include "tcgbios/tpm_cmd.h"
#include "hw/clock.h"
#include "hw/tpm_drivers.h"
#include "lib/string.h"
#include "output.h"
#include "std/byteorder.h"
#include "std/tpm.h"

// One buffer for command and response (the driver sends before it reads).
// Largest exchange: PCR_Read or PCR_Extend over all banks, well under 1 KiB.
#define TPM_CMD_BUF 1024
static u8 cmdbuf[TPM_CMD_BUF];

const char *tpm_cmd_strerror(int err)
{
	switch (err) {
	case TPM_E_RESP_TAG:
		return "bad response tag";
	case TPM_E_RESP_LEN:
		return "response size field != length";
	case TPM_E_RESP_PARSE:
		return "malformed response";
	case TPM_E_CMD_OVERFLOW:
		return "command too long";
	case TPM_E_RESP_RC:
		return "response code out of range";
	case TPM_E_WRONG_VERSION:
		return "command for the other TPM family";
	case TPM_E_BANKS:
		return "unusable PCR banks";
	case TPM_E_STARTED:
		return "TPM started before this boot";
	}
	return tpm_strerror(err);
}

// ---- Marshalling
// ---------------------------------------------------------------

void tw_init(struct tpm_writer *w, u8 *buf, u32 cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = false;
}

static u8 *tw_space(struct tpm_writer *w, u32 n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = true;
		return NULL;
	}
	u8 *p = w->buf + w->len;
	w->len += n;
	return p;
}

void tw_u8(struct tpm_writer *w, u8 v)
{
	u8 *p = tw_space(w, 1);
	if (p)
		*p = v;
}

void tw_u16(struct tpm_writer *w, u16 v)
{
	u8 *p = tw_space(w, 2);
	if (p)
		put_be16(p, v);
}

void tw_u32(struct tpm_writer *w, u32 v)
{
	u8 *p = tw_space(w, 4);
	if (p)
		put_be32(p, v);
}

void tw_bytes(struct tpm_writer *w, const void *src, u32 n)
{
	u8 *p = tw_space(w, n);
	if (p && n)
		memcpy(p, src, n);
}

void tw_header(struct tpm_writer *w, u16 tag, u32 code)
{
	tw_u16(w, tag);
	tw_u32(w, 0);
	tw_u32(w, code);
}

int tw_finish(struct tpm_writer *w)
{
	if (w->err || w->len < TPM_HEADER_SIZE) {
		dprint(DL_ERR, "tpm: command does not fit %u bytes\n", w->cap);
		return TPM_E_CMD_OVERFLOW;
	}
	put_be32(w->buf + 2, w->len);
	return (int)w->len;
}

// Part 1, "Authorization Area": authorizationSize, then TPMS_AUTH_COMMAND
// {sessionHandle, nonce (empty), sessionAttributes (0), hmac = the password}.
void tw_pw_session(struct tpm_writer *w, const u8 *pw, u16 pw_len)
{
	tw_u32(w, 4 + 2 + 1 + 2 + pw_len);
	tw_u32(w, TPM2_RS_PW);
	tw_u16(w, 0);
	tw_u8(w, 0);
	tw_u16(w, pw_len);
	tw_bytes(w, pw, pw_len);
}

void tr_init(struct tpm_reader *r, const u8 *buf, u32 len)
{
	r->buf = buf;
	r->len = len;
	r->off = 0;
	r->err = false;
}

const u8 *tr_bytes(struct tpm_reader *r, u32 n)
{
	if (r->err || n > r->len - r->off) {
		r->err = true;
		return NULL;
	}
	const u8 *p = r->buf + r->off;
	r->off += n;
	return p;
}

u8 tr_u8(struct tpm_reader *r)
{
	const u8 *p = tr_bytes(r, 1);
	return p ? *p : 0;
}

u16 tr_u16(struct tpm_reader *r)
{
	const u8 *p = tr_bytes(r, 2);
	return p ? get_be16(p) : 0;
}

u32 tr_u32(struct tpm_reader *r)
{
	const u8 *p = tr_bytes(r, 4);
	return p ? get_be32(p) : 0;
}

// ---- Round-trip
// ------------------------------------------------------------------

// Errors found before or after the round-trip, logged with the command.
static int refuse(const char *fn, int err)
{
	dprint(DL_ERR, "tpm: %s: %s\n", fn, tpm_cmd_strerror(err));
	return err;
}

// The tag a successful response to a command with `cmd_tag` carries.
static u16 ok_tag(u16 cmd_tag)
{
	switch (cmd_tag) {
	case TPM2_ST_NO_SESSIONS:
	case TPM2_ST_SESSIONS:
		return cmd_tag;
	case TPM_TAG_RQU_COMMAND:
	case TPM_TAG_RQU_AUTH1_COMMAND:
	case TPM_TAG_RQU_AUTH2_COMMAND:
		return cmd_tag + 3; // C1->C4, C2->C5, C3->C6
	}
	return 0;
}

int tpm_transmit_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len,
		       enum tpm_duration dur)
{
	if (!cmd || cmd_len < TPM_HEADER_SIZE)
		return refuse(__func__, TPM_E_ARG);
	return tpm_drv_start(dev, cmd, cmd_len, dur);
}

int tpm_transmit_finish(struct tpm_dev *dev, u16 cmd_tag, u32 code, u8 *resp,
			u32 resp_max, u32 *resp_len)
{
	if (!resp || !resp_len)
		return refuse(__func__, TPM_E_ARG);
	u32 len = 0;
	*resp_len = 0;
	int rc = tpm_drv_finish(dev, resp, resp_max, &len);
	if (rc)
		return rc;
	if (len < TPM_HEADER_SIZE || len > resp_max) {
		dprint(DL_ERR, "tpm: 0x%x: response length %u\n", code, len);
		return TPM_E_RESP_LEN;
	}
	u16 tag = get_be16(resp);
	u32 size = get_be32(resp + 2);
	u32 trc = get_be32(resp + 6);
	if (size != len) {
		dprint(DL_ERR, "tpm: 0x%x: size field %u, received %u\n", code,
		       size, len);
		return TPM_E_RESP_LEN;
	}
	// Errors come back without sessions: TPM_ST_NO_SESSIONS (Part 1,
	// response header) or TPM_TAG_RSP_COMMAND, also for a command of the
	// other family.
	bool tag_ok =
	    (ok_tag(cmd_tag) && tag == ok_tag(cmd_tag)) ||
	    (trc && (tag == TPM2_ST_NO_SESSIONS || tag == TPM_TAG_RSP_COMMAND));
	if (!tag_ok) {
		dprint(DL_ERR, "tpm: 0x%x: response tag 0x%x for tag 0x%x\n",
		       code, tag, cmd_tag);
		return TPM_E_RESP_TAG;
	}
	if (trc > 0xFFFF) {
		dprint(DL_ERR, "tpm: 0x%x: response code 0x%x\n", code, trc);
		return TPM_E_RESP_RC;
	}
	*resp_len = len;
	if (trc)
		dprint(DL_DETAIL, "tpm: 0x%x returned 0x%x\n", code, trc);
	return (int)trc;
}

int tpm_transmit(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len, u8 *resp,
		 u32 resp_max, u32 *resp_len, enum tpm_duration dur)
{
	if (!cmd || !resp || !resp_len || cmd_len < TPM_HEADER_SIZE)
		return refuse(__func__, TPM_E_ARG);
	// Saved first: resp may alias cmd.
	u16 cmd_tag = get_be16(cmd);
	u32 code = get_be32(cmd + 6);
	*resp_len = 0;
	int rc = tpm_transmit_start(dev, cmd, cmd_len, dur);
	return rc ? rc
		  : tpm_transmit_finish(dev, cmd_tag, code, resp, resp_max,
					resp_len);
}

enum tpm_duration tpm_cmd_duration(u16 tag, u32 code)
{
	if (tag == TPM2_ST_NO_SESSIONS || tag == TPM2_ST_SESSIONS) {
		switch (code) {
		case TPM2_CC_SelfTest:
		case TPM2_CC_IncrementalSelfTest:
		case TPM2_CC_Clear:
		case TPM2_CC_PCR_Allocate:
		case TPM2_CC_CreatePrimary:
			return TPM_DUR_LONG;
		// PCR extends are short whatever the TPM: the firmware sends
		// dozens, and one that hangs must not cost a long wait.
		case TPM2_CC_GetCapability:
		case TPM2_CC_PCR_Read:
		case TPM2_CC_PCR_Extend:
		case TPM2_CC_PCR_Event:
			return TPM_DUR_SHORT;
		}
		return TPM_DUR_MEDIUM;
	}
	switch (code) {
	case TPM_ORD_SelfTestFull:
	case TPM_ORD_ContinueSelfTest:
	case TPM_ORD_TakeOwnership:
	case TPM_ORD_CreateEndorsementKeyPair:
		return TPM_DUR_LONG;
	case TPM_ORD_PcrRead:
	case TPM_ORD_GetRandom:
	case TPM_ORD_Startup:
	case TPM_ORD_SaveState:
	case TPM_ORD_ForceClear:
	case TPM_ORD_OwnerClear:
		return TPM_DUR_MEDIUM;
	}
	// TPM_ORD_Extend, as for TPM 2.0 above, and everything not listed.
	return TPM_DUR_SHORT;
}

static bool is_v20(const struct tpm_dev *dev)
{
	return dev && dev->version == TPM_VER_20;
}
static bool is_v12(const struct tpm_dev *dev)
{
	return dev && dev->version == TPM_VER_12;
}

// Warnings that ask the caller to send the same command again: TPM 2.0
// Library Part 2, TPM_RC "warning" codes (RETRY, YIELDED, TESTING), and
// TPM 1.2 Main Part 2, 16 (TPM_RETRY, TPM_DOING_SELFTEST,
// TPM_NEEDS_SELFTEST, the last after a ContinueSelfTest).
static bool retryable(const struct tpm_dev *dev, int rc)
{
	if (dev->version == TPM_VER_20)
		return rc == TPM2_RC_RETRY || rc == TPM2_RC_YIELDED ||
		       rc == TPM2_RC_TESTING;
	return rc == TPM_RETRY || rc == TPM_DOING_SELFTEST ||
	       rc == TPM_NEEDS_SELFTEST;
}

// TPM_ContinueSelfTest in its own small buffer: cmdbuf holds the command
// that is waiting for it.
static void continue_selftest(struct tpm_dev *dev)
{
	u8 buf[TPM_HEADER_SIZE];
	struct tpm_writer w;
	tw_init(&w, buf, sizeof(buf));
	tw_header(&w, TPM_TAG_RQU_COMMAND, TPM_ORD_ContinueSelfTest);
	u32 rlen;
	if (tw_finish(&w) > 0)
		tpm_transmit(dev, buf, sizeof(buf), buf, sizeof(buf), &rlen,
			     TPM_DUR_LONG);
}

// The response buffer of run(): the command stays in its own buffer, to be
// sent again.
static u8 rspbuf[TPM_CMD_BUF];

// Finish the command in `w` and send it.
static int run_start(struct tpm_dev *dev, struct tpm_writer *w)
{
	int len = tw_finish(w);
	if (len < 0)
		return len;
	return tpm_transmit_start(
	    dev, w->buf, (u32)len,
	    tpm_cmd_duration(get_be16(w->buf), get_be32(w->buf + 6)));
}

// Collect the response to the command run_start() sent, sending it again
// while the TPM asks for that, and on success point `r` (if given) at the
// response body after the header.
static int run_finish(struct tpm_dev *dev, struct tpm_writer *w,
		      struct tpm_reader *r, int start_rc)
{
	u16 tag = get_be16(w->buf);
	u32 code = get_be32(w->buf + 6);
	enum tpm_duration dur = tpm_cmd_duration(tag, code);
	u32 rlen = 0;
	u32 delay = TPM_RETRY_FIRST_US;
	int rc = start_rc;
	for (;;) {
		if (rc == 0)
			rc = tpm_transmit_finish(dev, tag, code, rspbuf,
						 sizeof(rspbuf), &rlen);
		// One line per round-trip: scripts/bench.py sums them.
		dprint_timeline(
		    "tpm: command 0x%x: 0x%x in %u us, %u waiting\n", code, rc,
		    (u32)(clock_us() - dev->start_us),
		    dev->waited_us - dev->start_waited_us);
		// SelfTest's TESTING means the tests run in the background
		// (Library Part 3, TPM2_SelfTest); later commands wait for
		// them.
		if (!retryable(dev, rc) ||
		    (rc == TPM2_RC_TESTING &&
		     (code == TPM2_CC_SelfTest ||
		      code == TPM2_CC_IncrementalSelfTest)))
			break;
		if (dev->retry_budget_us < delay) {
			dprint(DL_ERR,
			       "tpm: 0x%x: still 0x%x, retry time used up\n",
			       code, rc);
			break;
		}
		dprint(DL_DETAIL, "tpm: 0x%x returned 0x%x, again in %u us\n",
		       code, rc, delay);
		dev->retry_budget_us -= delay;
		udelay(delay);
		delay = MIN(delay * 2, TPM_RETRY_MAX_US);
		if (rc == TPM_NEEDS_SELFTEST &&
		    code != TPM_ORD_ContinueSelfTest)
			continue_selftest(dev);
		rc = tpm_transmit_start(dev, w->buf, w->len, dur);
	}
	if (rc == 0 && r)
		tr_init(r, rspbuf + TPM_HEADER_SIZE, rlen - TPM_HEADER_SIZE);
	return rc;
}

// Run the command in `w` (built in cmdbuf); see run_finish().
static int run(struct tpm_dev *dev, struct tpm_writer *w, struct tpm_reader *r)
{
	int rc = run_start(dev, w);
	if (rc == TPM_E_CMD_OVERFLOW)
		return rc;
	return run_finish(dev, w, r, rc);
}

static void start(struct tpm_writer *w, u16 tag, u32 code)
{
	tw_init(w, cmdbuf, sizeof(cmdbuf));
	tw_header(w, tag, code);
}

static int parse_end(struct tpm_reader *r, u32 code)
{
	if (tr_ok(r))
		return 0;
	dprint(DL_ERR, "tpm: 0x%x: malformed response\n", code);
	return TPM_E_RESP_PARSE;
}

// ---- Commands sent ahead ----------------------------------------------------
// One command at a time may be sent ahead (tpm_*_begin) and collected later
// (tpm_async_end). It has a buffer of its own, so that it can be sent again
// by tpm_async_end even when cmdbuf holds the next command by then.
// Largest: PCR_Extend over 8 banks of 64-byte digests.
#define TPM_ASYNC_BUF 640
static u8 async_buf[TPM_ASYNC_BUF];
static struct tpm_writer async_w;
static int async_rc;
static bool async_open;

static void async_init(u16 tag, u32 code)
{
	tw_init(&async_w, async_buf, sizeof(async_buf));
	tw_header(&async_w, tag, code);
}

// Errors found before anything was sent are tpm_async_end's answer.
static int async_send(struct tpm_dev *dev, int err)
{
	async_open = true;
	return async_rc = err ? err : run_start(dev, &async_w);
}

int tpm_async_end(struct tpm_dev *dev)
{
	if (!async_open)
		return refuse(__func__, TPM_E_ARG);
	async_open = false;
	struct tpm_reader r;
	int rc = run_finish(dev, &async_w, &r, async_rc);
	// TPM_Extend answers with the new PCR value: checked, not used.
	if (rc == 0 && get_be32(async_buf + 6) == TPM_ORD_Extend &&
	    get_be16(async_buf) == TPM_TAG_RQU_COMMAND) {
		tr_bytes(&r, TPM12_SHA1_SIZE);
		rc = parse_end(&r, TPM_ORD_Extend);
	}
	return rc;
}

// A sessions response starts with parameterSize (Part 1, response
// parameter area); limit the reader to the parameters.
static void tr_params(struct tpm_reader *r)
{
	u32 n = tr_u32(r);
	if (n > tr_left(r)) {
		r->err = true;
		return;
	}
	r->len = r->off + n;
}

// ---- TPM 2.0
// -----------------------------------------------------------------------

u16 tpm2_digest_size(u16 alg)
{
	switch (alg) {
	case TPM2_ALG_SHA1:
		return 20;
	case TPM2_ALG_SHA256:
	case TPM2_ALG_SM3_256:
	case TPM2_ALG_SHA3_256:
		return 32;
	case TPM2_ALG_SHA384:
	case TPM2_ALG_SHA3_384:
		return 48;
	case TPM2_ALG_SHA512:
	case TPM2_ALG_SHA3_512:
		return 64;
	}
	return 0;
}

int tpm2_parse_pcr_selection(struct tpm_reader *r, struct tpm2_banks *out)
{
	memset(out, 0, sizeof(*out));
	u32 count = tr_u32(r);
	if (!tr_ok(r))
		return refuse(__func__, TPM_E_RESP_PARSE);
	if (count > TPM2_MAX_BANKS) {
		// A bank we cannot hold might be active and left unmeasured.
		dprint(DL_ERR, "tpm2: %u PCR banks, at most %u handled\n",
		       count, TPM2_MAX_BANKS);
		return TPM_E_BANKS;
	}
	for (u32 i = 0; i < count; i++) {
		struct tpm2_bank *b = &out->b[i];
		b->alg = tr_u16(r);
		u8 n = tr_u8(r);
		const u8 *sel = tr_bytes(r, n);
		if (!sel)
			return refuse(__func__, TPM_E_RESP_PARSE);
		for (u32 j = 0; j < n; j++) {
			if (sel[j])
				b->active = true;
			if (j < 4)
				b->pcr_mask |= (u32)sel[j] << (8 * j);
		}
		b->digest_size = tpm2_digest_size(b->alg);
		for (u32 k = 0; k < i; k++)
			if (out->b[k].alg == b->alg)
				return refuse(__func__, TPM_E_BANKS);
	}
	out->count = count;
	return 0;
}

void tpm2_active_banks(const struct tpm2_banks *all, struct tpm2_banks *act)
{
	struct tpm2_banks tmp;
	memset(&tmp, 0, sizeof(tmp));
	for (u32 i = 0; i < all->count && i < TPM2_MAX_BANKS; i++)
		if (all->b[i].active)
			tmp.b[tmp.count++] = all->b[i];
	*act = tmp;
}

static int simple16(struct tpm_dev *dev, u16 tag, u32 code, u16 arg)
{
	struct tpm_writer w;
	start(&w, tag, code);
	tw_u16(&w, arg);
	return run(dev, &w, NULL);
}

int tpm2_startup(struct tpm_dev *dev, u16 type)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	return simple16(dev, TPM2_ST_NO_SESSIONS, TPM2_CC_Startup, type);
}

int tpm2_shutdown(struct tpm_dev *dev, u16 type)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	return simple16(dev, TPM2_ST_NO_SESSIONS, TPM2_CC_Shutdown, type);
}

int tpm2_selftest(struct tpm_dev *dev, bool full)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM2_ST_NO_SESSIONS, TPM2_CC_SelfTest);
	tw_u8(&w, full ? TPM2_YES : TPM2_NO);
	int rc = run(dev, &w, NULL);
	if (rc == TPM2_RC_TESTING) {
		dprint(DL_INFO, "tpm2: self-test runs in the background\n");
		rc = 0;
	}
	return rc;
}

int tpm2_incremental_selftest(struct tpm_dev *dev,
			      const struct tpm2_banks *banks)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM2_ST_NO_SESSIONS, TPM2_CC_IncrementalSelfTest);
	tw_u32(&w, banks->count); // TPML_ALG toTest
	for (u32 i = 0; i < banks->count; i++)
		tw_u16(&w, banks->b[i].alg);
	// The response's toDoList (what is left untested) is not needed.
	int rc = run(dev, &w, NULL);
	if (rc == TPM2_RC_TESTING) {
		dprint(DL_INFO, "tpm2: self-test runs in the background\n");
		rc = 0;
	}
	return rc;
}

// GetCapability; on success r is at TPMU_CAPABILITIES of `cap`.
static int get_cap(struct tpm_dev *dev, u32 cap, u32 prop, u32 count,
		   struct tpm_reader *r)
{
	struct tpm_writer w;
	start(&w, TPM2_ST_NO_SESSIONS, TPM2_CC_GetCapability);
	tw_u32(&w, cap);
	tw_u32(&w, prop);
	tw_u32(&w, count);
	int rc = run(dev, &w, r);
	if (rc)
		return rc;
	tr_u8(r); // moreData: PCRS and single properties fit in one reply
	if (tr_u32(r) != cap || !tr_ok(r)) {
		dprint(DL_ERR, "tpm2: GetCapability 0x%x: malformed reply\n",
		       cap);
		return TPM_E_RESP_PARSE;
	}
	return 0;
}

int tpm2_get_pcr_banks(struct tpm_dev *dev, struct tpm2_banks *all)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_reader r;
	int rc = get_cap(dev, TPM2_CAP_PCRS, 0, 1, &r);
	if (rc)
		return rc;
	rc = tpm2_parse_pcr_selection(&r, all);
	if (rc == TPM_E_RESP_PARSE)
		dprint(DL_ERR, "tpm2: malformed PCR selection\n");
	return rc;
}

int tpm2_get_property(struct tpm_dev *dev, u32 prop, u32 *value)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_reader r;
	int rc = get_cap(dev, TPM2_CAP_TPM_PROPERTIES, prop, 1, &r);
	if (rc)
		return rc;
	u32 n = tr_u32(&r);
	u32 p = tr_u32(&r);
	u32 v = tr_u32(&r);
	if (!tr_ok(&r) || n < 1 || p != prop)
		return refuse(__func__, TPM_E_RESP_PARSE);
	*value = v;
	return 0;
}

// PCR_Extend's parameters after the header (Library Part 3, 22.2).
static int put_pcr_extend(struct tpm_writer *w, u32 pcr,
			  const struct tpm2_banks *banks, const u8 *digests)
{
	if (!banks || !digests || !banks->count ||
	    banks->count > TPM2_MAX_BANKS)
		return refuse("tpm2_pcr_extend", TPM_E_ARG);
	tw_u32(w, pcr);
	tw_pw_session(w, NULL, 0);
	tw_u32(w, banks->count); // TPML_DIGEST_VALUES
	for (u32 i = 0; i < banks->count; i++) {
		u16 n = banks->b[i].digest_size;
		if (!n || n != tpm2_digest_size(banks->b[i].alg))
			return refuse("tpm2_pcr_extend", TPM_E_BANKS);
		tw_u16(w, banks->b[i].alg);
		tw_bytes(w, digests, n);
		digests += n;
	}
	return 0;
}

int tpm2_pcr_extend(struct tpm_dev *dev, u32 pcr,
		    const struct tpm2_banks *banks, const u8 *digests)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM2_ST_SESSIONS, TPM2_CC_PCR_Extend);
	int rc = put_pcr_extend(&w, pcr, banks, digests);
	return rc ? rc : run(dev, &w, NULL);
}

int tpm2_pcr_extend_begin(struct tpm_dev *dev, u32 pcr,
			  const struct tpm2_banks *banks, const u8 *digests)
{
	async_init(TPM2_ST_SESSIONS, TPM2_CC_PCR_Extend);
	return async_send(
	    dev, is_v20(dev) ? put_pcr_extend(&async_w, pcr, banks, digests)
			     : refuse(__func__, TPM_E_WRONG_VERSION));
}

int tpm2_pcr_event(struct tpm_dev *dev, u32 pcr, const u8 *data, u16 len)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	// Part 3, 22.3: eventData is a TPM2B_EVENT of at most 1024 bytes.
	if (!data || len > 1024)
		return refuse(__func__, TPM_E_ARG);
	struct tpm_writer w;
	start(&w, TPM2_ST_SESSIONS, TPM2_CC_PCR_Event);
	tw_u32(&w, pcr);
	tw_pw_session(&w, NULL, 0);
	tw_u16(&w, len);
	tw_bytes(&w, data, len);
	return run(dev, &w, NULL);
}

int tpm2_pcr_read(struct tpm_dev *dev, u32 pcr, u16 alg, u8 *digest, u32 max,
		  u32 *len)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	if (pcr >= 8 * TPM2_PCR_SELECT_MIN || !digest || !len)
		return refuse(__func__, TPM_E_ARG);
	struct tpm_writer w;
	struct tpm_reader r;
	start(&w, TPM2_ST_NO_SESSIONS, TPM2_CC_PCR_Read);
	tw_u32(&w, 1);
	tw_u16(&w, alg);
	tw_u8(&w, TPM2_PCR_SELECT_MIN);
	u8 sel[TPM2_PCR_SELECT_MIN] = {0};
	sel[pcr / 8] = 1 << (pcr % 8);
	tw_bytes(&w, sel, sizeof(sel));
	int rc = run(dev, &w, &r);
	if (rc)
		return rc;
	tr_u32(&r); // pcrUpdateCounter
	struct tpm2_banks out;
	rc = tpm2_parse_pcr_selection(&r, &out);
	if (rc)
		return rc;
	u32 n = tr_u32(&r); // TPML_DIGEST
	if (n != 1 || out.count != 1 || out.b[0].alg != alg ||
	    out.b[0].pcr_mask != 1u << pcr)
		return refuse(__func__, TPM_E_RESP_PARSE);
	u16 sz = tr_u16(&r);
	const u8 *d = tr_bytes(&r, sz);
	if (!d || sz > max)
		return refuse(__func__, TPM_E_RESP_PARSE);
	memcpy(digest, d, sz);
	*len = sz;
	return 0;
}

int tpm2_get_random(struct tpm_dev *dev, u8 *buf, u32 len)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	while (len) {
		u16 want = len > TPM2_MAX_DIGEST_SIZE ? TPM2_MAX_DIGEST_SIZE
						      : (u16)len;
		struct tpm_writer w;
		struct tpm_reader r;
		start(&w, TPM2_ST_NO_SESSIONS, TPM2_CC_GetRandom);
		tw_u16(&w, want);
		int rc = run(dev, &w, &r);
		if (rc)
			return rc;
		u16 got = tr_u16(&r);
		const u8 *p = tr_bytes(&r, got);
		if (!p || !got || got > want) {
			dprint(DL_ERR,
			       "tpm2: GetRandom: bad reply (%u of %u)\n", got,
			       want);
			return TPM_E_RESP_PARSE;
		}
		memcpy(buf, p, got);
		buf += got;
		len -= got;
	}
	return 0;
}

int tpm2_hierarchy_change_auth(struct tpm_dev *dev, u32 hierarchy,
			       const u8 *auth, u16 auth_len, const u8 *new_auth,
			       u16 new_len)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	if (new_len > TPM2_MAX_DIGEST_SIZE || auth_len > TPM2_MAX_DIGEST_SIZE)
		return refuse(__func__, TPM_E_ARG);
	struct tpm_writer w;
	start(&w, TPM2_ST_SESSIONS, TPM2_CC_HierarchyChangeAuth);
	tw_u32(&w, hierarchy);
	tw_pw_session(&w, auth, auth_len);
	tw_u16(&w, new_len);
	tw_bytes(&w, new_auth, new_len);
	return run(dev, &w, NULL);
}

int tpm2_hierarchy_control(struct tpm_dev *dev, u32 auth_handle, const u8 *auth,
			   u16 auth_len, u32 enable, bool state)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM2_ST_SESSIONS, TPM2_CC_HierarchyControl);
	tw_u32(&w, auth_handle);
	tw_pw_session(&w, auth, auth_len);
	tw_u32(&w, enable);
	tw_u8(&w, state ? TPM2_YES : TPM2_NO);
	return run(dev, &w, NULL);
}

int tpm2_pcr_allocate(struct tpm_dev *dev, const u8 *auth, u16 auth_len,
		      const struct tpm2_banks *sel, bool *success)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	if (!sel || sel->count > TPM2_MAX_BANKS)
		return refuse(__func__, TPM_E_ARG);
	struct tpm_writer w;
	struct tpm_reader r;
	start(&w, TPM2_ST_SESSIONS, TPM2_CC_PCR_Allocate);
	tw_u32(&w, TPM2_RH_PLATFORM);
	tw_pw_session(&w, auth, auth_len);
	tw_u32(&w, sel->count);
	for (u32 i = 0; i < sel->count; i++) {
		u32 m = sel->b[i].pcr_mask;
		tw_u16(&w, sel->b[i].alg);
		tw_u8(&w, TPM2_PCR_SELECT_MIN);
		tw_u8(&w, (u8)m);
		tw_u8(&w, (u8)(m >> 8));
		tw_u8(&w, (u8)(m >> 16));
	}
	int rc = run(dev, &w, &r);
	if (rc)
		return rc;
	tr_params(&r);
	u8 ok = tr_u8(&r);
	tr_u32(&r); // maxPCR
	tr_u32(&r); // sizeNeeded
	tr_u32(&r); // sizeAvailable
	rc = parse_end(&r, TPM2_CC_PCR_Allocate);
	if (rc == 0 && success)
		*success = ok == TPM2_YES;
	return rc;
}

// A command whose only parameter is one authorized handle.
static int handle_only(struct tpm_dev *dev, u32 code, u32 auth_handle,
		       const u8 *auth, u16 auth_len)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM2_ST_SESSIONS, code);
	tw_u32(&w, auth_handle);
	tw_pw_session(&w, auth, auth_len);
	return run(dev, &w, NULL);
}

int tpm2_clear(struct tpm_dev *dev, u32 auth_handle, const u8 *auth,
	       u16 auth_len)
{
	return handle_only(dev, TPM2_CC_Clear, auth_handle, auth, auth_len);
}

int tpm2_change_eps(struct tpm_dev *dev, const u8 *auth, u16 auth_len)
{
	return handle_only(dev, TPM2_CC_ChangeEPS, TPM2_RH_PLATFORM, auth,
			   auth_len);
}

int tpm2_clear_control(struct tpm_dev *dev, u32 auth_handle, const u8 *auth,
		       u16 auth_len, bool disable)
{
	if (!is_v20(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM2_ST_SESSIONS, TPM2_CC_ClearControl);
	tw_u32(&w, auth_handle);
	tw_pw_session(&w, auth, auth_len);
	tw_u8(&w, disable ? TPM2_YES : TPM2_NO);
	return run(dev, &w, NULL);
}

// ---- TPM 1.2
// -------------------------------------------------------------------------

static int v12_simple(struct tpm_dev *dev, u32 ord)
{
	if (!is_v12(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM_TAG_RQU_COMMAND, ord);
	return run(dev, &w, NULL);
}

static int v12_simple8(struct tpm_dev *dev, u32 ord, u8 arg)
{
	if (!is_v12(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM_TAG_RQU_COMMAND, ord);
	tw_u8(&w, arg);
	return run(dev, &w, NULL);
}

int tpm12_startup(struct tpm_dev *dev, u16 type)
{
	if (!is_v12(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	return simple16(dev, TPM_TAG_RQU_COMMAND, TPM_ORD_Startup, type);
}

int tpm_startup_begin(struct tpm_dev *dev, u16 type)
{
	bool v20 = is_v20(dev);
	async_init(v20 ? TPM2_ST_NO_SESSIONS : TPM_TAG_RQU_COMMAND,
		   v20 ? TPM2_CC_Startup : TPM_ORD_Startup);
	tw_u16(&async_w, type);
	return async_send(dev, v20 || is_v12(dev)
				   ? 0
				   : refuse(__func__, TPM_E_WRONG_VERSION));
}

int tpm12_physical_presence(struct tpm_dev *dev, u16 pp)
{
	if (!is_v12(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	return simple16(dev, TPM_TAG_RQU_COMMAND, TSC_ORD_PhysicalPresence, pp);
}

// GetCapability(cap, sub) with a u32 sub-capability; on success r is
// limited to the returned blob, whose size is in *size.
static int v12_get_cap(struct tpm_dev *dev, u32 cap, u32 sub,
		       struct tpm_reader *r, u32 *size)
{
	if (!is_v12(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	start(&w, TPM_TAG_RQU_COMMAND, TPM_ORD_GetCapability);
	tw_u32(&w, cap);
	tw_u32(&w, 4);
	tw_u32(&w, sub);
	int rc = run(dev, &w, r);
	if (rc)
		return rc;
	u32 n = tr_u32(r);
	if (!tr_ok(r) || n > tr_left(r)) {
		dprint(DL_ERR, "tpm12: GetCapability 0x%x: bad size %u\n", sub,
		       n);
		return TPM_E_RESP_PARSE;
	}
	r->len = r->off + n;
	*size = n;
	return 0;
}

static int v12_get_u32s(struct tpm_dev *dev, u32 sub, u32 *out, u32 count)
{
	struct tpm_reader r;
	u32 size;
	int rc = v12_get_cap(dev, TPM_CAP_PROPERTY, sub, &r, &size);
	if (rc)
		return rc;
	if (size < 4 * count)
		return refuse(__func__, TPM_E_RESP_PARSE);
	for (u32 i = 0; i < count; i++)
		out[i] = tr_u32(&r);
	return parse_end(&r, TPM_ORD_GetCapability);
}

int tpm12_get_timeouts(struct tpm_dev *dev, u32 t[4])
{
	return v12_get_u32s(dev, TPM_CAP_PROP_TIS_TIMEOUT, t, 4);
}

int tpm12_get_durations(struct tpm_dev *dev, u32 d[3])
{
	return v12_get_u32s(dev, TPM_CAP_PROP_DURATION, d, 3);
}

// Flag sets are a structure tag followed by one byte per flag; copy as many
// as the TPM returned (older revisions have fewer).
static int v12_get_flags(struct tpm_dev *dev, u32 sub, u16 tag, u8 *flags,
			 u32 nflags)
{
	struct tpm_reader r;
	u32 size;
	memset(flags, 0, nflags);
	int rc = v12_get_cap(dev, TPM_CAP_FLAG, sub, &r, &size);
	if (rc)
		return rc;
	if (tr_u16(&r) != tag || !tr_ok(&r))
		return refuse(__func__, TPM_E_RESP_PARSE);
	u32 n = MIN(nflags, tr_left(&r));
	memcpy(flags, tr_bytes(&r, n), n);
	return parse_end(&r, TPM_ORD_GetCapability);
}

int tpm12_get_permanent_flags(struct tpm_dev *dev,
			      struct tpm12_permanent_flags *f)
{
	STATIC_ASSERT(sizeof(*f) == 20, "TPM_PERMANENT_FLAGS has 20 flags");
	return v12_get_flags(dev, TPM_CAP_FLAG_PERMANENT,
			     TPM_TAG_PERMANENT_FLAGS, (u8 *)f, sizeof(*f));
}

int tpm12_get_stclear_flags(struct tpm_dev *dev, struct tpm12_stclear_flags *f)
{
	STATIC_ASSERT(sizeof(*f) == 5, "TPM_STCLEAR_FLAGS has 5 flags");
	return v12_get_flags(dev, TPM_CAP_FLAG_VOLATILE, TPM_TAG_STCLEAR_FLAGS,
			     (u8 *)f, sizeof(*f));
}

int tpm12_get_owner(struct tpm_dev *dev, bool *owned)
{
	struct tpm_reader r;
	u32 size;
	int rc =
	    v12_get_cap(dev, TPM_CAP_PROPERTY, TPM_CAP_PROP_OWNER, &r, &size);
	if (rc)
		return rc;
	u8 v = tr_u8(&r);
	rc = parse_end(&r, TPM_ORD_GetCapability);
	if (rc == 0)
		*owned = v != 0;
	return rc;
}

int tpm12_selftest_full(struct tpm_dev *dev)
{
	return v12_simple(dev, TPM_ORD_SelfTestFull);
}

int tpm12_continue_selftest(struct tpm_dev *dev)
{
	return v12_simple(dev, TPM_ORD_ContinueSelfTest);
}

int tpm12_extend(struct tpm_dev *dev, u32 pcr, const u8 digest[20], u8 out[20])
{
	if (!is_v12(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	struct tpm_reader r;
	start(&w, TPM_TAG_RQU_COMMAND, TPM_ORD_Extend);
	tw_u32(&w, pcr);
	tw_bytes(&w, digest, TPM12_SHA1_SIZE);
	int rc = run(dev, &w, &r);
	if (rc)
		return rc;
	const u8 *p = tr_bytes(&r, TPM12_SHA1_SIZE);
	rc = parse_end(&r, TPM_ORD_Extend);
	if (rc == 0 && out)
		memcpy(out, p, TPM12_SHA1_SIZE);
	return rc;
}

int tpm12_extend_begin(struct tpm_dev *dev, u32 pcr, const u8 digest[20])
{
	async_init(TPM_TAG_RQU_COMMAND, TPM_ORD_Extend);
	tw_u32(&async_w, pcr);
	tw_bytes(&async_w, digest, TPM12_SHA1_SIZE);
	return async_send(
	    dev, is_v12(dev) ? 0 : refuse(__func__, TPM_E_WRONG_VERSION));
}

int tpm12_pcr_read(struct tpm_dev *dev, u32 pcr, u8 out[20])
{
	if (!is_v12(dev))
		return refuse(__func__, TPM_E_WRONG_VERSION);
	struct tpm_writer w;
	struct tpm_reader r;
	start(&w, TPM_TAG_RQU_COMMAND, TPM_ORD_PcrRead);
	tw_u32(&w, pcr);
	int rc = run(dev, &w, &r);
	if (rc)
		return rc;
	const u8 *p = tr_bytes(&r, TPM12_SHA1_SIZE);
	rc = parse_end(&r, TPM_ORD_PcrRead);
	if (rc == 0)
		memcpy(out, p, TPM12_SHA1_SIZE);
	return rc;
}

// With physical presence asserted no authorization is needed (Main Part 3,
// TPM_SetTempDeactivated); the TPM stays deactivated until TPM_Init.
int tpm12_set_temp_deactivated(struct tpm_dev *dev)
{
	return v12_simple(dev, TPM_ORD_SetTempDeactivated);
}

int tpm12_reset_establishment(struct tpm_dev *dev)
{
	return v12_simple(dev, TSC_ORD_ResetEstablishmentBit);
}

int tpm12_physical_enable(struct tpm_dev *dev)
{
	return v12_simple(dev, TPM_ORD_PhysicalEnable);
}

int tpm12_physical_disable(struct tpm_dev *dev)
{
	return v12_simple(dev, TPM_ORD_PhysicalDisable);
}

int tpm12_physical_set_deactivated(struct tpm_dev *dev, bool state)
{
	return v12_simple8(dev, TPM_ORD_PhysicalSetDeactivated, state);
}

int tpm12_set_owner_install(struct tpm_dev *dev, bool state)
{
	return v12_simple8(dev, TPM_ORD_SetOwnerInstall, state);
}

int tpm12_force_clear(struct tpm_dev *dev)
{
	return v12_simple(dev, TPM_ORD_ForceClear);
}
