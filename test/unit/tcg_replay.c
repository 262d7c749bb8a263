// Host-side PCR replay of a log area (see tcg_replay.h).
#include <string.h>

#include "tcg_replay.h"
#include "crypto/hash.h"

static int extend_cb(void *opaque, const struct tcglog_event *ev)
{
	struct replay *r = opaque;
	static const char loc_sig[] = "StartupLocality"; // 16 with NUL

	if (ev->type == EV_NO_ACTION) {
		// PFP "Startup Locality Event": PCR 0 starts at the locality.
		if (ev->pcr == 0 && ev->data_size == sizeof(loc_sig) + 1 &&
		    !memcmp(ev->data, loc_sig, sizeof(loc_sig)))
			for (u32 i = 0; i < r->nbanks; i++)
				r->b[i].pcr[0][r->b[i].size - 1] =
				    ev->data[sizeof(loc_sig)];
		return 0;
	}
	for (u32 d = 0; d < ev->ndigests; d++) {
		struct replay_bank *b = NULL;
		for (u32 i = 0; i < r->nbanks; i++)
			if (r->b[i].alg == ev->digests[d].alg)
				b = &r->b[i];
		if (!b)
			return TCGLOG_ERR_FORMAT;
		// TPM extend: PCR = H(PCR || digest)
		struct hash_ctx ctx;
		if (hash_init(&ctx, b->alg))
			return TCGLOG_ERR_INVAL;
		hash_update(&ctx, b->pcr[ev->pcr], b->size);
		hash_update(&ctx, ev->digests[d].digest, b->size);
		hash_final(&ctx, b->pcr[ev->pcr]);
	}
	return 0;
}

// The bank table is only known once the Spec ID event is parsed; a first
// pass learns it, the second extends.
int replay_log(const void *area, u32 size, struct replay *r)
{
	memset(r, 0, sizeof(*r));
	int rc = tcglog_parse(area, size, &r->parsed, NULL, NULL);
	if (rc)
		return rc;
	r->nbanks = r->parsed.nbanks;
	for (u32 i = 0; i < r->nbanks; i++) {
		r->b[i].alg = r->parsed.banks[i].alg;
		r->b[i].size = r->parsed.banks[i].size;
		if (!hash_alg_size(r->b[i].alg))
			return TCGLOG_ERR_INVAL;
	}
	return tcglog_parse(area, size, &r->parsed, extend_cb, r);
}

const struct replay_bank *replay_bank(const struct replay *r, u16 alg)
{
	for (u32 i = 0; i < r->nbanks; i++)
		if (r->b[i].alg == alg)
			return &r->b[i];
	return NULL;
}

void replay_print(FILE *f, const struct replay *r)
{
	for (u32 i = 0; i < r->nbanks; i++)
		for (u32 p = 0; p < TCGLOG_NUM_PCRS; p++) {
			fprintf(f, "%s:%u=", hash_alg_name(r->b[i].alg), p);
			for (u32 k = 0; k < r->b[i].size; k++)
				fprintf(f, "%02X", r->b[i].pcr[p][k]);
			fputc('\n', f);
		}
}
