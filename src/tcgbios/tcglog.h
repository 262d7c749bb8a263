// TCG event log writer and walker. Pure memory work on a caller-given area
// (pointer + size), no hardware access, so it runs in host unit tests and
// a fuzzer. Formats: PFP "Event Logging" (TCG_PCR_EVENT for TPM 1.2 logs;
// Spec ID event + TCG_PCR_EVENT2 records for TPM 2.0 crypto-agile logs).
//
// Keeping PCRs and log in step is the caller's job; the writer helps by
// deciding whether a record fits before anything is written:
//   1. tcglog_room() -> false: do not extend; log the error separators
//      with tcglog_append_reserved() (and extend those) instead.
//   2. extend the PCR(s) in the TPM;
//   3. tcglog_append() cannot fail for lack of room after a true
//      tcglog_room() for the same data size.
#ifndef MBIOS_TCGBIOS_TCGLOG_H
#define MBIOS_TCGBIOS_TCGLOG_H

#include "std/types.h"
#include "std/tcg.h"

#define TCGLOG_OK 0
#define TCGLOG_ERR_FULL (-1)   // no room: nothing was written
#define TCGLOG_ERR_INVAL (-2)  // bad PCR, bank list or digest list
#define TCGLOG_ERR_FORMAT (-3) // walker: malformed log

#define TCGLOG_NUM_PCRS 24
// Banks the writer can fill: the algorithms crypto/ implements.
#define TCGLOG_MAX_BANKS 5
// Banks the walker accepts in a Spec ID (it need not hash them).
#define TCGLOG_PARSE_MAX_BANKS 8

// Bytes kept zero after the last record, enough for a whole SHA-1 record
// header. Linux's TPM 2.0 walker drops a record ending exactly at the area
// end, and both its walkers stop on reading a zero header (type 0, size 0).
#define TCGLOG_TAIL 32

// What the Spec ID event claims (PFP "TCG_EfiSpecIdEvent").
#define TCGLOG_SPEC_MINOR 0
#define TCGLOG_SPEC_MAJOR 2
// No consumer checks the errata byte; 2 is what current PFP-following
// firmware (U-Boot, TF-A) writes.
#define TCGLOG_SPEC_ERRATA 2
// UINTN is 32 bits in this firmware, which PFP encodes as 1 (2 = UINT64).
// No BIOS event carries a UINTN, and neither Linux nor tpm2_eventlog
// checks the field; the unit tests run tpm2_eventlog on such a log.
#define TCGLOG_UINTN_SIZE 1

struct tcglog_bank {
	u16 alg;  // TPM_ALG_*
	u16 size; // digest bytes
};

// One digest per active bank is passed to the append functions, in any
// order; entries for algorithms that are not active banks are ignored.
struct tcglog_digest {
	u16 alg;
	u8 digest[TCG_MAX_DIGEST_SIZE];
};

struct tcglog {
	u8 *base;
	u32 size;
	u32 next;    // offset of the first free byte (LAML users: log length)
	u32 last;    // offset of the last record; valid when entries > 0
	u32 entries; // records written, the Spec ID event included
	u32 reserve; // bytes only tcglog_append_reserved() may use
	bool agile;  // TPM 2.0 crypto-agile format
	bool full;   // a normal append failed; only reserved appends remain
	u8 nbanks;
	struct tcglog_bank banks[TCGLOG_MAX_BANKS];
};

// Zeroes the area and prepares a TPM 1.2 log (SHA-1 records only).
int tcglog_init_tpm12(struct tcglog *log, void *area, u32 size);
// Zeroes the area and writes the Spec ID event listing exactly the given
// banks (TPM_ALG_* ids, order kept). Every bank must be one crypto/ can
// compute, without duplicates; a TPM with other banks must have them
// deallocated first. Fails with TCGLOG_ERR_FULL if the area cannot hold
// the Spec ID event plus the reserve.
int tcglog_init_tpm2(struct tcglog *log, void *area, u32 size, const u16 *algs,
		     u32 nalgs);

// Size of one record with datalen bytes of event data in this log.
u32 tcglog_record_size(const struct tcglog *log, u32 datalen);
// Whether tcglog_append() of datalen bytes would find room.
bool tcglog_room(const struct tcglog *log, u32 datalen);

// Appends one record: pcr 0-23, event type, a digest for every active
// bank (see struct tcglog_digest) and the event data. digests may be NULL
// (ndigests 0) only for EV_NO_ACTION, whose digests are all zero.
// TCGLOG_ERR_FULL also marks the log full: from then on only reserved
// appends succeed. Nothing is written on any error.
int tcglog_append(struct tcglog *log, u32 pcr, u32 type,
		  const struct tcglog_digest *digests, u32 ndigests,
		  const void *data, u32 datalen);

// Where the log ends now, to take back the records appended after it
// (tcglog_rollback): the measurement layer appends a record while the TPM
// still executes its extend, and takes it back if the TPM refused it.
struct tcglog_mark {
	u32 next, last, entries;
};
void tcglog_mark(const struct tcglog *log, struct tcglog_mark *m);
// Zeroes what was appended after `m` and ends the log there again.
void tcglog_rollback(struct tcglog *log, const struct tcglog_mark *m);

// The reserve: every init holds back room for eight EV_SEPARATOR records
// with 4 data bytes (the error separators 00000001h on PCRs 0-7 that PFP
// asks for when measurements are lost), i.e. 8 * tcglog_record_size(4):
// 8 * (32 + 4) = 288 bytes for TPM 1.2, and for TPM 2.0
// 8 * (12 + sum(2 + digest size) + 4 + 4): 8 * 54 = 432 for SHA-256 only,
// 1808 for all five banks. This call may use it.
int tcglog_append_reserved(struct tcglog *log, u32 pcr, u32 type,
			   const struct tcglog_digest *digests, u32 ndigests,
			   const void *data, u32 datalen);

// Hashes data once per active bank into out[0 .. nbanks-1] (ready for
// tcglog_append and for the TPM extend). Returns the number of banks.
int tcglog_hash_event(const struct tcglog *log, const void *data, u32 len,
		      struct tcglog_digest out[TCGLOG_MAX_BANKS]);

// ---- walker ----------------------------------------------------------------

struct tcglog_event {
	u32 offset; // of the record in the area
	u32 size;   // whole record
	u32 pcr;
	u32 type;
	u32 ndigests;
	struct {
		u16 alg;
		u16 size;
		const u8 *digest;
	} digests[TCGLOG_PARSE_MAX_BANKS];
	const u8 *data;
	u32 data_size;
};

struct tcglog_parsed {
	bool agile;
	u32 nbanks; // from the Spec ID; 1 (SHA-1) for a TPM 1.2 log
	struct tcglog_bank banks[TCGLOG_PARSE_MAX_BANKS];
	u32 entries;  // records, the Spec ID event included
	u32 end;      // offset just past the last record
	u32 last;     // offset of the last record (0 if none)
	u32 error_at; // offset of the offending record on TCGLOG_ERR_FORMAT
};

// Called for each record in order (the Spec ID event too, as a SHA-1
// record). A non-zero return stops the walk and is returned by
// tcglog_parse.
typedef int (*tcglog_event_fn)(void *opaque, const struct tcglog_event *ev);

// Walks and validates a log area. The first record decides the format: a
// Spec ID event ("Spec ID Event03", PCR 0, EV_NO_ACTION) makes it
// crypto-agile. Every record must lie within the area, PCR indexes must be
// 0-23, agile records must carry exactly the Spec ID banks with the
// announced sizes. The walk ends at the area end or at a terminator: a
// record of type 0 with no data (Linux's rule), an all-zero agile header,
// or zero bytes too few for a header. fn may be NULL.
int tcglog_parse(const void *area, u32 size, struct tcglog_parsed *out,
		 tcglog_event_fn fn, void *opaque);

#endif
