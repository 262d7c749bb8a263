// TCG event log writer and walker (see tcglog.h).
#include "tcgbios/tcglog.h"
#include "crypto/hash.h"
#include "lib/string.h"
#include "std/byteorder.h"

#define SHA1_HDR sizeof(struct tcg_pcr_event)	     // 32
#define AGILE_HDR sizeof(struct tcg_pcr_event2_head) // 12

// Header + digests + event size field, without the data.
static u32 record_overhead(const struct tcglog *log)
{
	if (!log->agile)
		return SHA1_HDR;
	u32 n = AGILE_HDR + 4;
	for (u32 i = 0; i < log->nbanks; i++)
		n += 2 + log->banks[i].size;
	return n;
}

u32 tcglog_record_size(const struct tcglog *log, u32 datalen)
{
	return record_overhead(log) + datalen;
}

// Room check that cannot overflow: the invariant next + TAIL <= size
// holds from init on, so avail never wraps.
static bool fits(const struct tcglog *log, u32 datalen, bool use_reserve)
{
	u32 avail = log->size - TCGLOG_TAIL - log->next;
	u32 over = record_overhead(log);

	if (!use_reserve && log->full)
		return false;
	if (datalen > avail || over > avail - datalen)
		return false;
	u32 rec = over + datalen;
	return use_reserve || log->reserve <= avail - rec;
}

bool tcglog_room(const struct tcglog *log, u32 datalen)
{
	return fits(log, datalen, false);
}

static void log_reset(struct tcglog *log, void *area, u32 size)
{
	memset(log, 0, sizeof(*log));
	log->base = area;
	log->size = size;
	memset(area, 0, size);
}

int tcglog_init_tpm12(struct tcglog *log, void *area, u32 size)
{
	if (size < TCGLOG_TAIL)
		return TCGLOG_ERR_FULL;
	log_reset(log, area, size);
	log->nbanks = 1;
	log->banks[0].alg = TPM_ALG_SHA1;
	log->banks[0].size = SHA1_SIZE;
	log->reserve = 8 * tcglog_record_size(log, 4);
	if (!fits(log, 0, false))
		return TCGLOG_ERR_FULL; // not even one event beyond the reserve
	return TCGLOG_OK;
}

// Finds the digest for alg; NULL if absent or given twice.
static const u8 *find_digest(const struct tcglog_digest *d, u32 n, u16 alg)
{
	const u8 *found = NULL;
	for (u32 i = 0; i < n; i++) {
		if (d[i].alg != alg)
			continue;
		if (found)
			return NULL;
		found = d[i].digest;
	}
	return found;
}

static const u8 zero_digest[TCG_MAX_DIGEST_SIZE];

static int write_record(struct tcglog *log, u32 pcr, u32 type,
			const struct tcglog_digest *digests, u32 ndigests,
			const void *data, u32 datalen, bool use_reserve)
{
	const u8 *dig[TCGLOG_MAX_BANKS];

	// Type 0 without data would read as the end of the log.
	if (pcr >= TCGLOG_NUM_PCRS || (datalen && !data) ||
	    (type == EV_PREBOOT_CERT && !datalen))
		return TCGLOG_ERR_INVAL;
	// Resolve every bank's digest first: a bank left out would let the OS
	// forge that bank's PCR, so refuse rather than write zeros.
	for (u32 i = 0; i < log->nbanks; i++) {
		if (!digests && !ndigests && type == EV_NO_ACTION)
			dig[i] = zero_digest;
		else if (!digests || !(dig[i] = find_digest(digests, ndigests,
							    log->banks[i].alg)))
			return TCGLOG_ERR_INVAL;
	}
	if (!fits(log, datalen, use_reserve)) {
		if (!use_reserve)
			log->full = true;
		return TCGLOG_ERR_FULL;
	}

	// From here on the record is written whole.
	u8 *p = log->base + log->next;
	u32 rec = tcglog_record_size(log, datalen);
	put_le32(p, pcr);
	put_le32(p + 4, type);
	p += 8;
	if (log->agile) {
		put_le32(p, log->nbanks);
		p += 4;
		for (u32 i = 0; i < log->nbanks; i++) {
			put_le16(p, log->banks[i].alg);
			memcpy(p + 2, dig[i], log->banks[i].size);
			p += 2 + log->banks[i].size;
		}
	} else {
		memcpy(p, dig[0], SHA1_SIZE);
		p += SHA1_SIZE;
	}
	put_le32(p, datalen);
	if (datalen)
		memcpy(p + 4, data, datalen);
	log->last = log->next;
	log->next += rec;
	log->entries++;
	return TCGLOG_OK;
}

int tcglog_append(struct tcglog *log, u32 pcr, u32 type,
		  const struct tcglog_digest *digests, u32 ndigests,
		  const void *data, u32 datalen)
{
	return write_record(log, pcr, type, digests, ndigests, data, datalen,
			    false);
}

void tcglog_mark(const struct tcglog *log, struct tcglog_mark *m)
{
	*m = (struct tcglog_mark){log->next, log->last, log->entries};
}

void tcglog_rollback(struct tcglog *log, const struct tcglog_mark *m)
{
	if (m->next > log->next)
		return;
	memset(log->base + m->next, 0, log->next - m->next);
	log->next = m->next;
	log->last = m->last;
	log->entries = m->entries;
}

int tcglog_append_reserved(struct tcglog *log, u32 pcr, u32 type,
			   const struct tcglog_digest *digests, u32 ndigests,
			   const void *data, u32 datalen)
{
	return write_record(log, pcr, type, digests, ndigests, data, datalen,
			    true);
}

int tcglog_init_tpm2(struct tcglog *log, void *area, u32 size, const u16 *algs,
		     u32 nalgs)
{
	u8 specid[TCG_SPEC_ID_SIZE(TCGLOG_MAX_BANKS)];
	struct tcg_spec_id_head *h = (void *)specid;
	u8 *p = specid + sizeof(*h);

	if (!nalgs || nalgs > TCGLOG_MAX_BANKS)
		return TCGLOG_ERR_INVAL;
	for (u32 i = 0; i < nalgs; i++) {
		if (!hash_alg_size(algs[i]))
			return TCGLOG_ERR_INVAL;
		for (u32 j = 0; j < i; j++)
			if (algs[j] == algs[i])
				return TCGLOG_ERR_INVAL;
	}
	if (size < TCGLOG_TAIL)
		return TCGLOG_ERR_FULL;
	log_reset(log, area, size);

	// PFP "Specification ID Version Event": signature with its NUL,
	// platform class 0 (client), version 2.0, then the bank table.
	memset(specid, 0, sizeof(specid));
	memcpy(h->signature, TCG_SPEC_ID_SIGNATURE,
	       sizeof(TCG_SPEC_ID_SIGNATURE));
	h->platform_class = 0;
	h->spec_version_minor = TCGLOG_SPEC_MINOR;
	h->spec_version_major = TCGLOG_SPEC_MAJOR;
	h->spec_errata = TCGLOG_SPEC_ERRATA;
	h->uintn_size = TCGLOG_UINTN_SIZE;
	put_le32((u8 *)&h->number_of_algorithms, nalgs);
	for (u32 i = 0; i < nalgs; i++) {
		put_le16(p, algs[i]);
		put_le16(p + 2, (u16)hash_alg_size(algs[i]));
		p += 4;
	}
	*p = 0; // vendorInfoSize

	// The Spec ID record itself is in SHA-1 format (a TPM 1.2 reader
	// sees one harmless EV_NO_ACTION), so the bank table is only
	// switched on after it is written.
	log->nbanks = 1;
	log->banks[0].alg = TPM_ALG_SHA1;
	log->banks[0].size = SHA1_SIZE;
	struct tcglog agile = *log;
	agile.agile = true;
	agile.nbanks = (u8)nalgs;
	for (u32 i = 0; i < nalgs; i++) {
		agile.banks[i].alg = algs[i];
		agile.banks[i].size = (u16)hash_alg_size(algs[i]);
	}
	// Reserve computed for the agile records that follow; the Spec ID
	// must leave room for it plus one more record.
	log->reserve = 8 * tcglog_record_size(&agile, 4);
	int rc = write_record(log, 0, EV_NO_ACTION, NULL, 0, specid,
			      TCG_SPEC_ID_SIZE(nalgs), false);
	if (rc)
		return rc;
	agile.next = log->next;
	agile.last = log->last;
	agile.entries = log->entries;
	agile.reserve = log->reserve;
	*log = agile;
	if (!fits(log, 0, false))
		return TCGLOG_ERR_FULL;
	return TCGLOG_OK;
}

int tcglog_hash_event(const struct tcglog *log, const void *data, u32 len,
		      struct tcglog_digest out[TCGLOG_MAX_BANKS])
{
	u16 algs[TCGLOG_MAX_BANKS];
	u8 *digests[TCGLOG_MAX_BANKS];
	for (u32 i = 0; i < log->nbanks; i++) {
		algs[i] = out[i].alg = log->banks[i].alg;
		digests[i] = out[i].digest;
	}
	if (hash_buffer_multi(algs, log->nbanks, data, len, digests) < 0)
		return TCGLOG_ERR_INVAL;
	return log->nbanks;
}

// ---- walker ----------------------------------------------------------------

static bool all_zero(const u8 *p, u32 n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static int known_size(u16 alg)
{
	// Sizes the walker can check even without an implementation.
	switch (alg) {
	case TPM_ALG_SHA3_256:
		return 32;
	case TPM_ALG_SHA3_384:
		return 48;
	case TPM_ALG_SHA3_512:
		return 64;
	}
	return hash_alg_size(alg);
}

// Validates the Spec ID event data and fills the bank table.
static int parse_spec_id(const u8 *d, u32 len, struct tcglog_parsed *out)
{
	if (len < sizeof(struct tcg_spec_id_head) + 1)
		return TCGLOG_ERR_FORMAT;
	u32 n = get_le32(
	    d + offsetof(struct tcg_spec_id_head, number_of_algorithms));
	if (!n || n > TCGLOG_PARSE_MAX_BANKS ||
	    len < TCG_SPEC_ID_SIZE(n)) // n is small: no overflow
		return TCGLOG_ERR_FORMAT;
	const u8 *a = d + sizeof(struct tcg_spec_id_head);
	for (u32 i = 0; i < n; i++, a += 4) {
		u16 alg = get_le16(a), size = get_le16(a + 2);
		int want = known_size(alg);
		if (!size || size > TCG_MAX_DIGEST_SIZE ||
		    (want && want != size))
			return TCGLOG_ERR_FORMAT;
		for (u32 j = 0; j < i; j++)
			if (out->banks[j].alg == alg)
				return TCGLOG_ERR_FORMAT;
		out->banks[i].alg = alg;
		out->banks[i].size = size;
	}
	// vendorInfoSize, then exactly that much vendor info.
	if (len != TCG_SPEC_ID_SIZE(n) + *a)
		return TCGLOG_ERR_FORMAT;
	out->nbanks = n;
	return TCGLOG_OK;
}

// Parses one SHA-1 format record at off. Returns 1 at a terminator.
static int parse_sha1(const u8 *base, u32 size, u32 off,
		      struct tcglog_event *ev)
{
	const u8 *p = base + off;
	u32 left = size - off;

	if (left < SHA1_HDR)
		return all_zero(p, left) ? 1 : TCGLOG_ERR_FORMAT;
	ev->pcr = get_le32(p);
	ev->type = get_le32(p + 4);
	ev->data_size = get_le32(p + 28);
	if (!ev->type && !ev->data_size)
		return 1;
	if (ev->data_size > left - SHA1_HDR || ev->pcr >= TCGLOG_NUM_PCRS)
		return TCGLOG_ERR_FORMAT;
	ev->ndigests = 1;
	ev->digests[0].alg = TPM_ALG_SHA1;
	ev->digests[0].size = SHA1_SIZE;
	ev->digests[0].digest = p + 8;
	ev->data = p + SHA1_HDR;
	ev->size = SHA1_HDR + ev->data_size;
	return 0;
}

static int parse_agile(const u8 *base, u32 size, u32 off,
		       const struct tcglog_parsed *log, struct tcglog_event *ev)
{
	const u8 *p = base + off;
	u32 left = size - off;

	if (left < AGILE_HDR || all_zero(p, AGILE_HDR))
		return all_zero(p, MIN(left, AGILE_HDR)) ? 1
							 : TCGLOG_ERR_FORMAT;
	ev->pcr = get_le32(p);
	ev->type = get_le32(p + 4);
	ev->ndigests = get_le32(p + 8);
	// PFP: every event carries every bank of the Spec ID.
	if (ev->ndigests != log->nbanks || ev->pcr >= TCGLOG_NUM_PCRS)
		return TCGLOG_ERR_FORMAT;
	u32 pos = AGILE_HDR;
	for (u32 i = 0; i < ev->ndigests; i++) {
		if (left - pos < 2)
			return TCGLOG_ERR_FORMAT;
		u16 alg = get_le16(p + pos);
		u32 j, k;
		for (j = 0; j < log->nbanks && log->banks[j].alg != alg; j++)
			;
		if (j == log->nbanks)
			return TCGLOG_ERR_FORMAT; // not a Spec ID bank
		for (k = 0; k < i; k++)
			if (ev->digests[k].alg == alg)
				return TCGLOG_ERR_FORMAT; // duplicate
		u16 dsize = log->banks[j].size;
		pos += 2;
		if (left - pos < dsize)
			return TCGLOG_ERR_FORMAT;
		ev->digests[i].alg = alg;
		ev->digests[i].size = dsize;
		ev->digests[i].digest = p + pos;
		pos += dsize;
	}
	if (left - pos < 4)
		return TCGLOG_ERR_FORMAT;
	ev->data_size = get_le32(p + pos);
	pos += 4;
	if (!ev->type && !ev->data_size)
		return 1;
	if (ev->data_size > left - pos)
		return TCGLOG_ERR_FORMAT;
	ev->data = p + pos;
	ev->size = pos + ev->data_size;
	return 0;
}

int tcglog_parse(const void *area, u32 size, struct tcglog_parsed *out,
		 tcglog_event_fn fn, void *opaque)
{
	const u8 *base = area;
	struct tcglog_event ev;
	u32 off = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->nbanks = 1;
	out->banks[0].alg = TPM_ALG_SHA1;
	out->banks[0].size = SHA1_SIZE;

	while (off < size) {
		memset(&ev, 0, sizeof(ev));
		ev.offset = off;
		if (out->entries && out->agile)
			rc = parse_agile(base, size, off, out, &ev);
		else
			rc = parse_sha1(base, size, off, &ev);
		if (rc == 1)
			break;
		if (rc < 0) {
			out->error_at = off;
			return rc;
		}
		if (!out->entries && ev.pcr == 0 && ev.type == EV_NO_ACTION &&
		    ev.data_size >= sizeof(TCG_SPEC_ID_SIGNATURE) &&
		    !memcmp(ev.data, TCG_SPEC_ID_SIGNATURE,
			    sizeof(TCG_SPEC_ID_SIGNATURE))) {
			// PFP: the Spec ID event has an all-zero digest.
			if (!all_zero(ev.digests[0].digest, SHA1_SIZE) ||
			    parse_spec_id(ev.data, ev.data_size, out)) {
				out->error_at = off;
				return TCGLOG_ERR_FORMAT;
			}
			out->agile = true;
		}
		if (fn && (rc = fn(opaque, &ev)) != 0) {
			out->error_at = off;
			return rc;
		}
		out->last = off;
		out->entries++;
		off += ev.size;
		out->end = off;
	}
	return TCGLOG_OK;
}
