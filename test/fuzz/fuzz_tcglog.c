// libFuzzer target: the event log walker on hostile bytes (a log handed
// over by another stage, or read back by tools). Every byte it reports
// must lie inside the input; a log it accepts must survive a rebuild with
// the writer: same records, byte for byte where the layout is canonical.
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "std/byteorder.h"
#include "tcgbios/tcglog.h"

static u8 rebuilt[1 << 17];
static volatile u32 sink;

struct ctx {
	const u8 *in;
	u32 size;
	struct tcglog *out; // writer, NULL on the first pass
	const struct tcglog_parsed *parsed;
	bool canonical; // digests in Spec ID bank order everywhere
	u32 sum;
};

static void check_inside(const struct ctx *c, const u8 *p, u32 n)
{
	if (n && (p < c->in || p + n > c->in + c->size))
		abort();
}

static int on_event(void *opaque, const struct tcglog_event *ev)
{
	struct ctx *c = opaque;

	check_inside(c, c->in + ev->offset, ev->size);
	check_inside(c, ev->data, ev->data_size);
	bool specid = c->parsed->agile && ev->offset == 0;
	for (u32 i = 0; i < ev->ndigests; i++) {
		check_inside(c, ev->digests[i].digest, ev->digests[i].size);
		c->sum += ev->digests[i].digest[0]; // make ASan look
		if (!specid && ev->digests[i].alg != c->parsed->banks[i].alg)
			c->canonical = false;
	}
	if (ev->data_size)
		c->sum += ev->data[ev->data_size - 1];
	if (!c->out)
		return 0;
	if (specid)
		return 0; // the writer made its own
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	for (u32 i = 0; i < ev->ndigests; i++) {
		d[i].alg = ev->digests[i].alg;
		memcpy(d[i].digest, ev->digests[i].digest, ev->digests[i].size);
	}
	if (tcglog_append(c->out, ev->pcr, ev->type, d, ev->ndigests, ev->data,
			  ev->data_size))
		abort(); // the writer refused what the walker accepted
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct tcglog_parsed p, q;
	struct ctx c = {.in = data, .size = (u32)size, .canonical = true};
	struct tcglog log;
	u16 algs[TCGLOG_MAX_BANKS];

	if (size > (1 << 16))
		return 0;
	c.parsed = &p;
	// The bank table is only known after the first record, so walk once
	// to learn it, then again to check and rebuild.
	if (tcglog_parse(data, (u32)size, &p, NULL, NULL))
		return 0;
	if (p.end > size || (p.entries && p.last >= p.end))
		abort();
	if (tcglog_parse(data, (u32)size, &p, on_event, &c))
		abort(); // same input, same verdict

	if (p.agile) {
		if (p.nbanks > TCGLOG_MAX_BANKS)
			return 0;
		for (u32 i = 0; i < p.nbanks; i++) {
			algs[i] = p.banks[i].alg;
			if (!hash_alg_size(algs[i]))
				return 0; // a bank the writer cannot fill
		}
		if (tcglog_init_tpm2(&log, rebuilt, sizeof(rebuilt), algs,
				     p.nbanks))
			abort();
	} else if (tcglog_init_tpm12(&log, rebuilt, sizeof(rebuilt))) {
		abort();
	}
	u32 specid_end = log.next;
	c.out = &log;
	if (tcglog_parse(data, (u32)size, &p, on_event, &c))
		abort();
	if (tcglog_parse(rebuilt, sizeof(rebuilt), &q, NULL, NULL) ||
	    q.entries != p.entries || q.end != log.next)
		abort();
	// Records after the Spec ID are canonical when the input listed the
	// digests in bank order: then the bytes must match exactly. An agile
	// log's first record is the Spec ID, 32 bytes + its event size.
	u32 in_first = p.agile ? 32 + get_le32(data + 28) : 0;
	if (c.canonical &&
	    (p.end - in_first != log.next - specid_end ||
	     memcmp(data + in_first, rebuilt + specid_end, p.end - in_first)))
		abort();
	sink = c.sum;
	return 0;
}
