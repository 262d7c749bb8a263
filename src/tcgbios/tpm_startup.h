// TPM start-up, OS hand-off and S3 resume sequences. Any failure prints a
// message on the console and marks the TPM unusable for the rest of the
// boot; every user checks tpm_usable() before measuring.
#ifndef MBIOS_TCGBIOS_TPM_STARTUP_H
#define MBIOS_TCGBIOS_TPM_STARTUP_H

#include "hw/tpm_drivers.h"
#include "tcgbios/tpm_cmd.h"
#include "std/types.h"

struct tpm_state {
	struct tpm_dev dev; // dev.transfers counts round-trips
	bool present;	    // a TPM answered the probe
	// A command failed: no measurements this boot, and the TPM is closed
	// before the OS (docs/tpm.md, failure policy).
	bool failed;
	bool dead;   // no answer within the bound: no more commands at all
	bool usable; // started and fit for measurements
	bool locked; // tpm_prepare_boot done (PP locked / platform hierarchy)
	bool capped; // PCRs 0-7 took the error separator
	// Startup said the TPM was started before this boot (passthrough):
	// no log, PCRs capped, the TPM still handed to the OS locked.
	bool already_started;
	u8 version; // enum tpm_version
	int error;  // first failure (TPM_E_* or a TPM response code)
	// TPM 2.0: every implemented bank, and the active ones to extend.
	struct tpm2_banks all_banks, banks;
	// TPM 1.2: flags read at start-up, for the menu and INT 1Ah status.
	struct tpm12_permanent_flags pflags;
	bool pp_asserted; // physical presence asserted during POST
	// tpm_setup_begin ran: the probe's result, and whether the start-up
	// command was sent ahead and is to be collected by tpm_setup.
	bool begun, startup_sent;
	int probe_rc;
};

// Result of tpm_resume() when the saved state was lost: the TPM was started
// afresh, PCRs 0-7 capped and the TPM locked again.
#define TPM_RESUME_RESTARTED 1

// The firmware's one TPM (the functions also take other instances, for
// tests).
extern struct tpm_state g_tpm;

// Probe at `base` (TPM_MMIO_BASE) and start the TPM. Returns 0 when usable,
// TPM_E_NODEV when there is no TPM, another code otherwise.
int tpm_setup(struct tpm_state *s, u32 base);
// Optional, early in POST: the probe, and TPM_Startup/TPM2_Startup(CLEAR)
// sent ahead, so that the TPM starts while POST goes on; tpm_setup then
// collects the answer and goes on from there. Until then no other command
// may be sent. Returns the probe's result.
int tpm_setup_begin(struct tpm_state *s, u32 base);
// Before the OS: TPM 2.0 gets a random platform auth (platform hierarchy
// unusable to the OS), TPM 1.2 gets physical presence locked. A failed TPM
// whose PCRs could not be capped also gets its owner and endorsement
// hierarchies disabled (2.0) or is deactivated until reset (1.2). Then the
// locality is released, and for a failed TPM the console says what the OS
// gets. Idempotent.
int tpm_prepare_boot(struct tpm_state *s);
// S3 resume: Startup(STATE) (+ SelfTest on 2.0), then the hand-off lock.
// Without the saved state: Startup(CLEAR), PCRs 0-7 capped, locked.
// Console lines for every failure. Returns 0, TPM_RESUME_RESTARTED or an
// error.
int tpm_resume(struct tpm_state *s, u32 base);
// TPM 1.2: assert physical presence now unless start-up already did
// (CMD_ENABLE, then PRESENT). Whether it is asserted.
bool tpm12_assert_pp(struct tpm_state *s);
// Mark the TPM unusable for measurements for this boot, with a console
// message. A TPM that did not answer at all is also abandoned (no further
// command is sent); one that answered, even with garbage, still gets the
// cap and the hand-off lock.
int tpm_set_failed(struct tpm_state *s, const char *what, int err);
// Extend the error separator (PFP "EV_SEPARATOR", value 00000001h) into
// `pcr` in every active bank: TPM 2.0 hashes it itself (PCR_Event), so this
// works for banks the firmware cannot hash. Returns 0 or the error.
int tpm_cap_pcr(struct tpm_state *s, u32 pcr);
extern const u8 tpm_error_separator[4];
// tpm_cap_pcr() for PCRs 0-7, stopping at the first failure; sets `capped`
// when all eight took it. Returns how many did.
u32 tpm_cap_pcrs(struct tpm_state *s);

static inline bool tpm_usable(const struct tpm_state *s)
{
	return s->present && s->usable && !s->failed;
}
static inline u32 tpm_round_trips(const struct tpm_state *s)
{
	return s->dev.transfers;
}

#endif
