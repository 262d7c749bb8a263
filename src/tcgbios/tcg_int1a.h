// The INT 1Ah TCG BIOS interface (AH=BBh; Conventional BIOS spec 1.21,
// section 13) on top of the measurement primitive. Callers speak the
// TPM 1.2 formats whatever the TPM is; on a TPM 2.0 their events are
// hashed in every active bank, extended into all of them and logged as
// crypto-agile records, and the 1.2 output block still carries the SHA-1
// digest (docs/tpm.md, "INT 1Ah").
//
// Every block, data area and buffer a caller names is checked with the
// range function the boot flow passes (e820 RAM: never the firmware, its
// stack or the log) before anything is read, and every check is done
// before anything is written, extended or logged: bad input changes
// nothing.
#ifndef MBIOS_TCGBIOS_TCG_INT1A_H
#define MBIOS_TCGBIOS_TCG_INT1A_H

#include "std/tcg_bios.h"
#include "std/types.h"
#include "tcgbios/tcg_measure.h"

// The caller's registers; ES:DI and DS:SI as linear addresses. Only the
// registers the spec names for a function are changed.
struct tcg_bios_regs {
	u32 eax, ebx, ecx, edx, esi, edi;
	u32 es_di, ds_si;
	bool cf;
};

// Whether a caller may have the firmware read or write [addr, addr+len)
// (len > 0, no wrap-around: checked before the call).
typedef bool (*tcg_bios_range_fn)(u32 addr, u32 len);

// One AH=BBh call. c is the boot's log (g_tcg), t its TPM (g_tpm).
void tcg_bios_call(struct tcg_ctx *c, struct tpm_state *t,
		   struct tcg_bios_regs *r, tcg_bios_range_fn range_ok);
// Undo ShutdownPreBootInterface (a new boot; host tests).
void tcg_bios_reset(void);

// ---- input blocks (exposed for the unit tests and the fuzzer) -------------

// A HashLogExtendEvent (01h), HashLogEvent (04h) or
// CompactHashLogExtendEvent (07h) request, validated.
struct tcg_bios_event {
	u32 pcr, type;
	u32 hash_addr, hash_len; // what to hash; hash_len 0: use `sha1`
	u8 sha1[TCG_SHA1_SIZE];	 // the digest in the caller's event header
	u32 data_addr, data_len; // event data to log
};

// PCRs a caller may name: 0-16 and 23, those locality 0 may extend on a
// PC Client TPM (17-22 belong to the dynamic root of trust).
bool tcg_bios_pcr_ok(u32 pcr);

// Each returns TCG_PC_OK or the spec's error code. ipb is the linear
// address of the input block (ES:DI).
u32 tcg_bios_parse_hlee(u32 ipb, tcg_bios_range_fn ok,
			struct tcg_bios_event *ev);
u32 tcg_bios_parse_hle(u32 ipb, tcg_bios_range_fn ok,
		       struct tcg_bios_event *ev);
u32 tcg_bios_parse_hash_all(u32 ipb, tcg_bios_range_fn ok, u32 *addr, u32 *len);
// *cmd: the TPM command's address, *cmd_len its size field (checked
// against the block), *opb_max the caller's output block size.
u32 tcg_bios_parse_pass(u32 ipb, tcg_bios_range_fn ok, u32 *cmd, u32 *cmd_len,
			u32 *opb_max);

// The 1.2 -> crypto-agile conversion: the digests of `ev` for every bank of
// `log` (n returned in *n) and the SHA-1 the 1.2 output block returns. A
// caller-supplied digest (hash_len 0) only works for a SHA-1-only log:
// the other banks' digests cannot be made from it.
u32 tcg_bios_event_digests(const struct tcglog *log,
			   const struct tcg_bios_event *ev,
			   struct tcglog_digest d[TCGLOG_MAX_BANKS], u32 *n,
			   u8 sha1_out[TCG_SHA1_SIZE]);

#endif
