// Host-side PCR replay of a log area, shared by test_tcglog and mklog.
#ifndef MBIOS_TEST_TCG_REPLAY_H
#define MBIOS_TEST_TCG_REPLAY_H

#include <stdio.h>
#include "tcgbios/tcglog.h"

struct replay_bank {
	u16 alg;
	u16 size;
	u8 pcr[TCGLOG_NUM_PCRS][TCG_MAX_DIGEST_SIZE];
};

struct replay {
	u32 nbanks;
	struct replay_bank b[TCGLOG_PARSE_MAX_BANKS];
	struct tcglog_parsed parsed;
};

// Walks the log and extends every bank (EV_NO_ACTION skipped; a
// StartupLocality event sets PCR 0's initial value). Returns tcglog_parse's
// result, or TCGLOG_ERR_INVAL for a bank crypto/ cannot hash.
int replay_log(const void *area, u32 size, struct replay *r);
const struct replay_bank *replay_bank(const struct replay *r, u16 alg);
// "sha256:0=HEX" lines, PCRs 0-23, banks in Spec ID order.
void replay_print(FILE *f, const struct replay *r);

#endif
