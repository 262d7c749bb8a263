// Extend-then-log with a pre-checked log: see tcg_measure.h.
#include "tcgbios/tcg_measure.h"
#include "autoconf.h"
#include "lib/string.h"
#include "output.h"
#include "std/tcg.h"

struct tcg_ctx g_tcg;

int tcg_log_start(struct tcg_ctx *c, struct tpm_state *tpm, void *area,
		  u32 size)
{
	memset(c, 0, sizeof(*c));
	c->tpm = tpm;
	int rc;
	if (tpm->version == TPM_VER_12) {
		rc = tcglog_init_tpm12(&c->log, area, size);
	} else {
		u16 algs[TCGLOG_MAX_BANKS];
		u32 n = 0;
		for (u32 i = 0; i < tpm->banks.count && n < TCGLOG_MAX_BANKS;
		     i++)
			algs[n++] = tpm->banks.b[i].alg;
		rc = tcglog_init_tpm2(&c->log, area, size, algs, n);
	}
	if (rc) {
		printf_console("TPM: event log area of %u bytes unusable "
			       "(%d); measurements are off\n",
			       size, rc);
		return rc;
	}
	c->active = true;
	return 0;
}

void tcg_hash_begin(const struct tcg_ctx *c, struct tcg_hasher *h)
{
	h->count = c->log.nbanks;
	for (u32 i = 0; i < h->count; i++)
		hash_init(&h->ctx[i], c->log.banks[i].alg);
}

void tcg_hash_update(struct tcg_hasher *h, const void *data, u32 len)
{
	for (u32 i = 0; i < h->count; i++)
		hash_update(&h->ctx[i], data, len);
}

u32 tcg_hash_end(struct tcg_hasher *h, struct tcglog_digest *out)
{
	for (u32 i = 0; i < h->count; i++) {
		out[i].alg = h->ctx[i].alg;
		hash_final(&h->ctx[i], out[i].digest);
	}
	return h->count;
}

// Send one PCR_Extend (TPM 2.0, all banks) or TPM_Extend (1.2, SHA-1);
// tpm_async_end collects the answer.
static int extend_begin(struct tcg_ctx *c, u32 pcr,
			const struct tcglog_digest *d, u32 n)
{
	struct tpm_state *t = c->tpm;
#if CONFIG_TCG_TEST_FAIL_EXTEND_AT
	static u32 extends;
	if (++extends == CONFIG_TCG_TEST_FAIL_EXTEND_AT) {
		dprint(DL_ERR, "tcg: test build: extend %u sent to PCR 99\n",
		       extends);
		pcr = 99; // no such PCR: the TPM answers with an error
	}
#endif
	if (t->version == TPM_VER_12) {
		for (u32 i = 0; i < n; i++)
			if (d[i].alg == TPM_ALG_SHA1)
				return tpm12_extend_begin(&t->dev, pcr,
							  d[i].digest);
		return TPM_E_ARG;
	}
	u8 packed[TPM2_MAX_BANKS * TCG_MAX_DIGEST_SIZE];
	u32 off = 0;
	for (u32 b = 0; b < t->banks.count; b++) {
		u32 i = 0;
		while (i < n && d[i].alg != t->banks.b[b].alg)
			i++;
		if (i == n)
			return TPM_E_ARG;
		memcpy(packed + off, d[i].digest, t->banks.b[b].digest_size);
		off += t->banks.b[b].digest_size;
	}
	return tpm2_pcr_extend_begin(&t->dev, pcr, &t->banks, packed);
}

// A refused extend, kept for tcg_flush.
static void refused(struct tcg_ctx *c, u32 pcr, int rc)
{
	dprint(DL_ERR, "tcg: extend of PCR %u failed (%d)\n", pcr, rc);
	if (!c->failed_rc)
		c->failed_rc = rc;
}

// The answer to the extend in flight; a refused one leaves the log again.
static void complete(struct tcg_ctx *c)
{
	if (!c->pending)
		return;
	c->pending = false;
	int rc = tpm_async_end(&c->tpm->dev);
	if (rc == 0)
		return;
	tcglog_rollback(&c->log, &c->pending_mark);
	refused(c, c->pending_pcr, rc);
}

// dev->complete_pending: another command is about to be sent. Capping
// waits for tcg_flush: the caps are commands too, and that one's bytes are
// already in the command buffer.
static struct tcg_ctx *async_ctx; // whose extend may be in flight

static void complete_for_next_command(struct tpm_dev *dev)
{
	(void)dev;
	if (async_ctx)
		complete(async_ctx);
}

int tcg_flush(struct tcg_ctx *c)
{
	complete(c);
	int rc = c->failed_rc;
	if (!rc)
		return TCG_OK;
	c->failed_rc = 0;
	tpm_set_failed(c->tpm, "PCR extend", rc);
	tcg_cap(c, "PCR extend failed");
	return TCG_E_EXTEND;
}

void tcg_async(struct tcg_ctx *c, bool on)
{
	if (!on)
		tcg_flush(c);
	c->async = on && c->active;
	async_ctx = c->async ? c : NULL;
	if (c->tpm)
		c->tpm->dev.complete_pending =
		    c->async ? complete_for_next_command : NULL;
}

bool tcg_measuring(const struct tcg_ctx *c)
{
	return c->active && !c->capped && tpm_usable(c->tpm);
}

void tcg_cap(struct tcg_ctx *c, const char *why)
{
	if (!c->active || c->capped)
		return;
	complete(c); // its record stays only if the TPM took it
	c->capped = true;
	c->cap_reason = why;
	struct tpm_state *t = c->tpm;
	// From now on the TPM counts as failed: closed at the hand-off.
	t->failed = true;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n = tcglog_hash_event(&c->log, tpm_error_separator,
				  sizeof(tpm_error_separator), d);
	u32 pcr = 0;
	for (; pcr < 8; pcr++) {
		if (tpm_cap_pcr(t, pcr))
			break; // the log must not claim more than the TPM took
		tcglog_append_reserved(&c->log, pcr, EV_SEPARATOR, d, n,
				       tpm_error_separator,
				       sizeof(tpm_error_separator));
	}
	t->capped = pcr == 8;
	if (t->capped)
		printf_console("TPM: %s; PCRs 0-7 capped with error "
			       "separators, no further measurements this "
			       "boot\n",
			       why);
	else
		printf_console("TPM: %s; the TPM %s the cap, PCRs %u-7 are "
			       "not capped; the log ends here\n",
			       why, t->dead ? "did not answer" : "refused",
			       pcr);
}

void tcg_cap_without_log(struct tpm_state *tpm, const char *why)
{
	if (!tpm->present || tpm->dead || tpm->capped)
		return;
	tpm->failed = true;
	u32 pcr = tpm_cap_pcrs(tpm);
	if (tpm->capped)
		printf_console("TPM: %s; PCRs 0-7 capped with error "
			       "separators, no measurements this boot\n",
			       why);
	else
		printf_console("TPM: %s; capping PCRs 0-7 failed at PCR %u\n",
			       why, pcr);
}

int tcg_measure_digests(struct tcg_ctx *c, u32 pcr, u32 type,
			const struct tcglog_digest *d, u32 n, const void *event,
			u32 event_len)
{
	if (c->active && tcg_flush(c))
		return TCG_E_EXTEND;
	if (c->active && c->capped)
		return TCG_E_CAPPED;
	if (!c->active || !tpm_usable(c->tpm))
		return TCG_E_INACTIVE;
	if (!tcglog_room(&c->log, event_len)) {
		tcg_cap(c, "event log full");
		return TCG_E_LOG_FULL;
	}
	struct tcglog_mark mark;
	tcglog_mark(&c->log, &mark);
	int rc = extend_begin(c, pcr, d, n);
	if (rc) {
		refused(c, pcr, rc);
		tcg_flush(c);
		return TCG_E_EXTEND;
	}
	rc = tcglog_append(&c->log, pcr, type, d, n, event, event_len);
	c->pending = true;
	c->pending_pcr = pcr;
	c->pending_mark = mark;
	dprint_timeline("tcg: measured PCR %u, event type 0x%x\n", pcr, type);
	if (rc) {
		// The TPM's answer first: a PCR the log cannot take (no such
		// PCR) is one the TPM refuses too.
		complete(c);
		if (c->failed_rc) {
			tcg_flush(c);
			return TCG_E_EXTEND;
		}
		// Cannot happen after tcglog_room(); make it loud if it does.
		tcglog_rollback(&c->log, &mark);
		tcg_cap(c, "event log write failed after extend");
		return TCG_E_LOG_FULL;
	}
	if (!c->async && tcg_flush(c))
		return TCG_E_EXTEND;
	return TCG_OK;
}

int tcg_measure(struct tcg_ctx *c, u32 pcr, u32 type, const void *data, u32 len,
		const void *event, u32 event_len)
{
	if (!c->active)
		return TCG_E_INACTIVE;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n = tcglog_hash_event(&c->log, data, len, d);
	return tcg_measure_digests(c, pcr, type, d, n, event, event_len);
}

int tcg_log_only(struct tcg_ctx *c, u32 pcr, u32 type, const void *event,
		 u32 event_len)
{
	if (!c->active || c->capped)
		return c->active ? TCG_E_CAPPED : TCG_E_INACTIVE;
	if (!tcglog_room(&c->log, event_len)) {
		tcg_cap(c, "event log full");
		return TCG_E_LOG_FULL;
	}
	return tcglog_append(&c->log, pcr, type, NULL, 0, event, event_len)
		   ? TCG_E_LOG_FULL
		   : TCG_OK;
}
