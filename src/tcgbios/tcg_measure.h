// The measurement primitive: hash once per active bank, extend every bank
// in one command, append the record. PCRs and log never disagree: room for
// the record is checked before the extend, and the record stays only once
// the TPM accepted the extend (during POST it is written while the TPM
// executes, and taken back if the TPM refuses; see tcg_async). On a full log or
// a failed extend the PCRs are capped (PFP "Event Logging", error separators
// 00000001h on PCRs 0-7) and measuring stops for the rest of the boot.
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
	// POST only (tcg_async): an extend may still be executing when
	// tcg_measure returns, its record already appended after `pending_mark`
	// and taken back if the TPM refuses it. `failed_rc` keeps a refusal
	// found while collecting it for another command, until tcg_flush.
	bool async, pending;
	u32 pending_pcr;
	struct tcglog_mark pending_mark;
	int failed_rc;
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
// During POST (on: true) measurements return while the TPM still executes
// the extend, which overlaps the TPM's work with the firmware's; the next
// measurement, any other TPM command, tcg_flush and switching this off
// collect it first. Off, every measurement is complete on return (what INT
// 1Ah callers and the OS see).
void tcg_async(struct tcg_ctx *c, bool on);
// Collect an extend still executing; a refused one is taken out of the log
// and caps the PCRs. TCG_OK or TCG_E_EXTEND.
int tcg_flush(struct tcg_ctx *c);
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
