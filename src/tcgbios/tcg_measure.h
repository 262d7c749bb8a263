// The measurement primitive: hash once per active bank, extend every bank
// in one command, append the record. PCRs and log never disagree: the
// record is written only after the TPM accepted the extend, and room for
// it is checked before the extend. On a full log or a failed extend the
// PCRs are capped (PFP "Event Logging", error separators 00000001h on PCRs
// 0-7) and measuring stops for the rest of the boot.
#ifndef MBIOS_TCGBIOS_TCG_MEASURE_H
#define MBIOS_TCGBIOS_TCG_MEASURE_H

#include "crypto/hash.h"
#include "tcgbios/tcglog.h"
#include "tcgbios/tpm_startup.h"

struct tcg_ctx {
	struct tpm_state *tpm;
	struct tcglog log;
	bool active; // log ready and TPM usable: measurements happen
	bool capped; // error separators written; nothing more is measured
	const char *cap_reason;
};

extern struct tcg_ctx g_tcg;

// Start the log in `area` (zeroed here) for the TPM's family and banks.
int tcg_log_start(struct tcg_ctx *c, struct tpm_state *tpm, void *area,
		  u32 size);

// Whether a measurement now would be extended and logged; callers check it
// before hashing megabytes for nothing.
bool tcg_measuring(const struct tcg_ctx *c);

// Incremental hashing of one object in every active bank.
struct tcg_hasher {
	u32 count;
	struct hash_ctx ctx[TCGLOG_MAX_BANKS];
};
void tcg_hash_begin(const struct tcg_ctx *c, struct tcg_hasher *h);
void tcg_hash_update(struct tcg_hasher *h, const void *data, u32 len);
u32 tcg_hash_end(struct tcg_hasher *h, struct tcglog_digest *out);

// Measure `data` (hashed) with `event` as the logged event data.
int tcg_measure(struct tcg_ctx *c, u32 pcr, u32 type, const void *data, u32 len,
		const void *event, u32 event_len);
// Measure digests computed by the caller (one per active bank).
int tcg_measure_digests(struct tcg_ctx *c, u32 pcr, u32 type,
			const struct tcglog_digest *d, u32 n, const void *event,
			u32 event_len);
// EV_NO_ACTION: logged only.
int tcg_log_only(struct tcg_ctx *c, u32 pcr, u32 type, const void *event,
		 u32 event_len);
// Cap PCRs 0-7 with error separators and stop measuring.
void tcg_cap(struct tcg_ctx *c, const char *why);
// The same for a TPM that answers but cannot be measured into (no log area,
// or an active bank the firmware cannot hash): the separators go into every
// bank (TPM 2.0 hashes them itself with PCR_Event), and no log claims
// anything. Without this the OS would find PCRs 0-7 at their reset value
// and could forge any boot.
void tcg_cap_without_log(struct tpm_state *tpm, const char *why);

#define TCG_OK 0
#define TCG_E_INACTIVE (-100) // no TPM/log: nothing measured
#define TCG_E_CAPPED (-101)   // measuring stopped earlier in this boot
#define TCG_E_LOG_FULL (-102)
#define TCG_E_EXTEND (-103)

#endif
