// TPM start-up (TCG PC Client Platform Firmware Profile "PFP" boot flow),
// hand-off to the OS and S3 resume, for TPM 1.2 and TPM 2.0.
#include "tcgbios/tpm_startup.h"
#include "hw/tpm_drivers.h"
#include "lib/format.h"
#include "lib/string.h"
#include "crypto/hash.h"
#include "output.h"
#include "std/tpm.h"
#include "tcgbios/tpm_cmd.h"

struct tpm_state g_tpm;

const u8 tpm_error_separator[4] = {1, 0, 0, 0};

// Errors that mean nothing answered within the bound. Such a TPM gets no
// further command: each would cost another timeout.
static bool no_answer(int err)
{
	switch (err) {
	case TPM_E_NODEV:
	case TPM_E_LOCALITY:
	case TPM_E_NOT_READY:
	case TPM_E_BURST:
	case TPM_E_STS_VALID:
	case TPM_E_TIMEOUT:
	case TPM_E_CRB_ERROR:
	case TPM_E_CANCEL:
	case TPM_E_DISABLED:
	case TPM_E_IFACE:
	case TPM_E_CRB_BUFFER:
		return true;
	}
	return false;
}

int tpm_set_failed(struct tpm_state *s, const char *what, int err)
{
	if (!err)
		err = TPM_E_DISABLED;
	bool dead = no_answer(err);
	const char *then = dead ? "the TPM is abandoned for this boot"
				: "measurements are off for this boot";
	if (err > 0) {
		dprint(DL_ERR, "tpm: %s failed: TPM error 0x%x\n", what, err);
		printf_console("TPM: %s failed (TPM error 0x%x); %s\n", what,
			       err, then);
	} else {
		dprint(DL_ERR, "tpm: %s failed: %s (%d)\n", what,
		       tpm_cmd_strerror(err), err);
		printf_console("TPM: %s failed (%s); %s\n", what,
			       tpm_cmd_strerror(err), then);
	}
	if (!s->error)
		s->error = err;
	s->failed = true;
	s->usable = false;
	if (dead) {
		s->dead = true;
		s->dev.failed = true; // the driver now refuses every command
	}
	return err;
}

static int cap_once(struct tpm_state *s, u32 pcr)
{
	if (s->version == TPM_VER_12) {
		u8 digest[SHA1_SIZE];
		sha1(tpm_error_separator, sizeof(tpm_error_separator), digest);
		return tpm12_extend(&s->dev, pcr, digest, NULL);
	}
	return tpm2_pcr_event(&s->dev, pcr, tpm_error_separator,
			      sizeof(tpm_error_separator));
}

int tpm_cap_pcr(struct tpm_state *s, u32 pcr)
{
	if (s->dead)
		return TPM_E_DISABLED;
	bool v20 = s->version == TPM_VER_20;
	int rc = cap_once(s, pcr);
	// Never started (its Startup failed): start it now, or the OS would
	// start it itself and find every PCR at its reset value.
	if (rc == (v20 ? TPM2_RC_INITIALIZE : TPM_INVALID_POSTINIT)) {
		int src = v20 ? tpm2_startup(&s->dev, TPM2_SU_CLEAR)
			      : tpm12_startup(&s->dev, TPM_ST_CLEAR);
		dprint(DL_ERR,
		       "tpm: not started; Startup(CLEAR) for the cap: "
		       "0x%x\n",
		       src);
		if (src == 0)
			rc = cap_once(s, pcr);
	}
	if (rc)
		tpm_set_failed(s, "capping PCRs", rc);
	return rc;
}

u32 tpm_cap_pcrs(struct tpm_state *s)
{
	u32 pcr = 0;
	while (pcr < 8 && tpm_cap_pcr(s, pcr) == 0)
		pcr++;
	s->capped = pcr == 8;
	return pcr;
}

// Measurements off, but commands still allowed (menu, hand-off lock).
static int not_usable(struct tpm_state *s, const char *why, int err)
{
	dprint(DL_ERR, "tpm: %s\n", why);
	printf_console("TPM: %s; measurements are off for this boot\n", why);
	if (!s->error)
		s->error = err;
	s->usable = false;
	return err;
}

// Startup answered TPM_RC_INITIALIZE (TPM 2.0 Library Part 3, TPM2_Startup)
// or TPM_INVALID_POSTINIT (TPM 1.2 Main Part 3, TPM_Startup): something
// started this TPM before this boot, such as the host's firmware for a
// passed-through TPM, or an earlier boot of a VM whose reset does not reach
// the TPM. Its PCRs hold what that left, which no log of this boot can
// describe: the boot publishes no log and caps PCRs 0-7 (docs/tpm.md).
static void already_started(struct tpm_state *s, int rc)
{
	dprint(DL_INFO, "tpm: already started (0x%x)\n", rc);
	printf_console("TPM: already started before this boot (Startup "
		       "answered 0x%x), e.g. a passed-through TPM: its PCRs "
		       "hold values from before this boot, so no event log "
		       "is published\n",
		       rc);
	s->already_started = true;
}

// The end of a start-up that went well: an already started TPM still gets
// no measurements.
static int started(struct tpm_state *s)
{
	if (!s->already_started) {
		s->usable = true;
		return 0;
	}
	s->failed = true;
	if (!s->error)
		s->error = TPM_E_STARTED;
	return TPM_E_STARTED;
}

// Startup(CLEAR), or the answer to the one tpm_setup_begin sent.
static int startup_clear(struct tpm_state *s)
{
	if (s->startup_sent) {
		s->startup_sent = false;
		return tpm_async_end(&s->dev);
	}
	return s->version == TPM_VER_20 ? tpm2_startup(&s->dev, TPM2_SU_CLEAR)
					: tpm12_startup(&s->dev, TPM_ST_CLEAR);
}

static int setup20(struct tpm_state *s)
{
	struct tpm_dev *d = &s->dev;
	int rc = startup_clear(s);
	if (rc == TPM2_RC_INITIALIZE)
		already_started(s, rc);
	else if (rc)
		return tpm_set_failed(s, "TPM2_Startup(CLEAR)", rc);
	rc = tpm2_get_pcr_banks(d, &s->all_banks);
	if (rc)
		return tpm_set_failed(s, "TPM2_GetCapability(PCRS)", rc);
	tpm2_active_banks(&s->all_banks, &s->banks);
	// One line: each debug line costs tens of microseconds under TCG.
	char list[TPM2_MAX_BANKS * 16] = "";
	for (u32 i = 0, n = 0; i < s->banks.count && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, " 0x%04x (%u bytes)",
			      s->banks.b[i].alg, s->banks.b[i].digest_size);
	dprint(DL_INFO, "tpm2: active banks:%s\n", list);
	if (!s->banks.count)
		return not_usable(s, "no active PCR bank", TPM_E_BANKS);
	// Only what the PCR extends use, not the full self-test: a full one
	// costs ~25 ms of swtpm's time at every boot, mostly asymmetric
	// algorithms the firmware never uses (docs/tpm.md, start-up).
	rc = tpm2_incremental_selftest(d, &s->banks);
	if (rc)
		return tpm_set_failed(s, "TPM2_IncrementalSelfTest", rc);
	for (u32 i = 0; i < s->banks.count; i++)
		// A bank we cannot hash stays forgeable by the OS: the TPM
		// is treated as failed, so it is capped and closed.
		if (!s->banks.b[i].digest_size)
			return tpm_set_failed(s, "PCR bank check", TPM_E_BANKS);
	return started(s);
}

static int setup12(struct tpm_state *s)
{
	struct tpm_dev *d = &s->dev;
	int rc = startup_clear(s);
	if (rc == TPM_INVALID_POSTINIT)
		already_started(s, rc);
	else if (rc)
		return tpm_set_failed(s, "TPM_Startup(ST_CLEAR)", rc);

	// CMD_ENABLE fails once the lifetime lock is set; PRESENT still works
	// if it was enabled before, so only PRESENT decides.
	rc = tpm12_physical_presence(d, TPM_PP_CMD_ENABLE);
	if (rc < 0)
		return tpm_set_failed(s, "TSC_PhysicalPresence(CMD_ENABLE)",
				      rc);
	rc = tpm12_physical_presence(d, TPM_PP_PRESENT);
	if (rc < 0)
		return tpm_set_failed(s, "TSC_PhysicalPresence(PRESENT)", rc);
	s->pp_asserted = rc == 0;
	if (rc)
		dprint(DL_ERR, "tpm12: physical presence not asserted: 0x%x\n",
		       rc);

	u32 v[4];
	rc = tpm12_get_timeouts(d, v);
	if (rc < 0)
		return tpm_set_failed(s, "TPM_GetCapability(TIS_TIMEOUT)", rc);
	if (rc == 0)
		tpm_drv_set_timeouts(d, v);
	rc = tpm12_get_durations(d, v);
	if (rc < 0)
		return tpm_set_failed(s, "TPM_GetCapability(DURATION)", rc);
	if (rc == 0)
		tpm_drv_set_durations(d, v);
	dprint(DL_INFO,
	       "tpm12: timeouts %u %u %u %u us, durations %u %u %u us\n",
	       d->timeout_a, d->timeout_b, d->timeout_c, d->timeout_d,
	       d->duration[0], d->duration[1], d->duration[2]);

	rc = tpm12_selftest_full(d);
	if (rc)
		return tpm_set_failed(s, "TPM_SelfTestFull", rc);

	// The establishment bit may only be reset from locality 3 (or 4).
	rc = tpm_drv_request_locality(d, 3);
	if (rc == 0) {
		rc = tpm12_reset_establishment(d);
		if (rc == TPM_BAD_LOCALITY)
			dprint(DL_INFO, "tpm12: establishment bit: bad "
					"locality\n");
		else if (rc)
			return tpm_set_failed(s, "TSC_ResetEstablishmentBit",
					      rc);
	} else {
		dprint(DL_INFO, "tpm12: no locality 3, establishment bit "
				"kept\n");
	}
	rc = tpm_drv_request_locality(d, 0);
	if (rc)
		return tpm_set_failed(s, "locality 0", rc);

	struct tpm12_stclear_flags vf;
	rc = tpm12_get_permanent_flags(d, &s->pflags);
	if (rc == 0)
		rc = tpm12_get_stclear_flags(d, &vf);
	if (rc)
		return tpm_set_failed(s, "TPM_GetCapability(FLAG)", rc);
	if (s->pflags.disable)
		return not_usable(s, "TPM 1.2 is disabled", TPM_DISABLED);
	if (s->pflags.deactivated || vf.deactivated)
		return not_usable(s, "TPM 1.2 is deactivated", TPM_DEACTIVATED);
	return started(s);
}

static void reset_state(struct tpm_state *s)
{
	u32 transfers = s->dev.transfers;
	memset(s, 0, sizeof(*s));
	s->dev.transfers = transfers;
}

static int probe(struct tpm_state *s, u32 base)
{
	u32 transfers = s->dev.transfers;
	int rc = tpm_drv_probe(&s->dev, base);
	s->dev.transfers = transfers;
	if (rc == TPM_E_NODEV) {
		dprint(DL_INFO, "tpm: no TPM found\n");
		return rc;
	}
	s->present = true;
	s->version = s->dev.version;
	if (rc)
		return tpm_set_failed(s, "probe", rc);
	return 0;
}

int tpm_setup_begin(struct tpm_state *s, u32 base)
{
	reset_state(s);
	s->begun = true;
	s->probe_rc = probe(s, base);
	if (s->probe_rc == 0) {
		// A failure to send is the start-up's answer, given later.
		tpm_startup_begin(&s->dev, s->version == TPM_VER_20
					       ? TPM2_SU_CLEAR
					       : TPM_ST_CLEAR);
		s->startup_sent = true;
	}
	return s->probe_rc;
}

int tpm_setup(struct tpm_state *s, u32 base)
{
	int rc;
	if (s->begun) {
		s->begun = false;
		rc = s->probe_rc;
	} else {
		reset_state(s);
		rc = probe(s, base);
	}
	if (rc)
		return rc;
	rc = s->version == TPM_VER_20 ? setup20(s) : setup12(s);
	if (rc == 0)
		dprint(DL_INFO, "tpm: TPM %s ready after %u round-trips\n",
		       s->version == TPM_VER_20 ? "2.0" : "1.2",
		       s->dev.transfers);
	return rc;
}

// TPM 2.0 hand-off. A random platformAuth (HierarchyChangeAuth) rather
// than HierarchyControl(phEnable = NO): the auth value is part of the state
// that Shutdown(STATE)/Startup(STATE) preserves, while phEnable is SET again
// by every TPM2_Startup (Library Part 1, hierarchy control), so an S3 resume
// stays locked without firmware action. HierarchyControl is the fallback.
static int lock20(struct tpm_state *s)
{
	struct tpm_dev *d = &s->dev;
	u8 auth[32];
	int rc = tpm2_get_random(d, auth, sizeof(auth));
	if (rc == 0)
		rc = tpm2_hierarchy_change_auth(d, TPM2_RH_PLATFORM, NULL, 0,
						auth, sizeof(auth));
	// The value must never be recoverable: nobody needs it again.
	for (volatile u8 *p = auth; p < auth + sizeof(auth); p++)
		*p = 0;
	if (rc == 0)
		return 0;
	// The platform hierarchy refuses the empty auth (TPM_RC_BAD_AUTH for
	// session 1) or is disabled (TPM_RC_HIERARCHY for handle 1): an
	// earlier boot of this TPM's life locked it, as an S3 resume or an
	// already started TPM finds it. Locked is what the OS must get.
	if (rc == (TPM2_RC_BAD_AUTH | TPM2_RC_S | TPM2_RC_1) ||
	    rc == (TPM2_RC_HIERARCHY | TPM2_RC_H | TPM2_RC_1)) {
		dprint(DL_INFO,
		       "tpm2: platform hierarchy already locked "
		       "(0x%x)\n",
		       rc);
		return 0;
	}
	dprint(DL_ERR, "tpm2: platform auth not set (%d), disabling phEnable\n",
	       rc);
	rc = tpm2_hierarchy_control(d, TPM2_RH_PLATFORM, NULL, 0,
				    TPM2_RH_PLATFORM, false);
	if (rc)
		return tpm_set_failed(s, "locking the platform hierarchy", rc);
	return 0;
}

static int lock12(struct tpm_state *s)
{
	// The lock is a software PP command: it needs
	// physicalPresenceCMDEnable, which start-up sets only once it got that
	// far.
	if (!s->pp_asserted)
		tpm12_physical_presence(&s->dev, TPM_PP_CMD_ENABLE);
	int rc =
	    tpm12_physical_presence(&s->dev, TPM_PP_NOTPRESENT | TPM_PP_LOCK);
	if (rc > 0) {
		// Already locked (e.g. by an earlier boot stage) is fine.
		struct tpm12_stclear_flags vf;
		if (tpm12_get_stclear_flags(&s->dev, &vf) == 0 &&
		    vf.physical_presence_lock && !vf.physical_presence)
			rc = 0;
	}
	if (rc)
		return tpm_set_failed(s, "locking physical presence", rc);
	s->pp_asserted = false;
	return 0;
}

// TPM 2.0 whose PCRs 0-7 are not capped: with the platform auth still
// empty, turn the owner and endorsement hierarchies off (Library Part 3,
// TPM2_HierarchyControl), so the OS can neither unseal nor attest with keys
// that a verifier trusts. Every TPM reset turns them on again.
static int close_hierarchies20(struct tpm_state *s)
{
	int rc = tpm2_hierarchy_control(&s->dev, TPM2_RH_PLATFORM, NULL, 0,
					TPM2_RH_OWNER, false);
	if (rc == 0)
		rc = tpm2_hierarchy_control(&s->dev, TPM2_RH_PLATFORM, NULL, 0,
					    TPM2_RH_ENDORSEMENT, false);
	return rc;
}

bool tpm12_assert_pp(struct tpm_state *s)
{
	if (!s->pp_asserted) {
		// CMD_ENABLE fails once the lifetime lock is set; PRESENT
		// decides.
		tpm12_physical_presence(&s->dev, TPM_PP_CMD_ENABLE);
		s->pp_asserted =
		    tpm12_physical_presence(&s->dev, TPM_PP_PRESENT) == 0;
	}
	return s->pp_asserted;
}

// TPM 1.2 whose PCRs 0-7 are not capped: deactivate it until the next
// TPM_Init (Main Part 3, TPM_SetTempDeactivated), under physical presence.
static int deactivate12(struct tpm_state *s)
{
	tpm12_assert_pp(s);
	return tpm12_set_temp_deactivated(&s->dev);
}

// The console line for a failed TPM: what the OS gets.
static void report_handoff(const struct tpm_state *s, bool open_pcrs,
			   int close_rc)
{
	bool v20 = s->version == TPM_VER_20;
	const char *lock =
	    v20 ? "its platform hierarchy locked" : "physical presence locked";
	if (!s->locked) {
		printf_console("TPM: could not close the TPM (%s failed); "
			       "its PCRs prove nothing about this boot\n",
			       v20 ? "the platform hierarchy lock"
				   : "the physical presence lock");
	} else if (!open_pcrs) {
		printf_console("TPM: the OS gets the TPM with PCRs 0-7 capped "
			       "and %s\n",
			       lock);
	} else if (close_rc == 0) {
		printf_console("TPM: PCRs 0-7 not capped; %s, %s: the OS "
			       "cannot use the TPM until the next reset\n",
			       v20 ? "owner and endorsement hierarchies "
				     "disabled"
				   : "TPM deactivated",
			       lock);
	} else {
		printf_console("TPM: PCRs 0-7 not capped and the TPM not "
			       "%s (error 0x%x); %s, but do not trust its "
			       "PCRs in this boot\n",
			       v20 ? "closed" : "deactivated", close_rc, lock);
	}
}

int tpm_prepare_boot(struct tpm_state *s)
{
	if (!s->present)
		return TPM_E_NODEV;
	if (s->dead) {
		if (!s->locked)
			printf_console("TPM: the TPM does not answer; if the "
				       "OS finds it, its PCRs prove nothing "
				       "about this boot\n");
		s->locked = true; // said once
		return TPM_E_DISABLED;
	}
	if (s->locked)
		return 0;
	bool failed = s->failed;
	bool open_pcrs = failed && !s->capped;
	int close_rc = 0;
	if (open_pcrs)
		close_rc = s->version == TPM_VER_20 ? close_hierarchies20(s)
						    : deactivate12(s);
	int rc = s->version == TPM_VER_20 ? lock20(s) : lock12(s);
	if (rc == 0)
		s->locked = true;
	if (failed || rc)
		report_handoff(s, open_pcrs, close_rc);
	if (rc)
		return rc;
	tpm_drv_release_locality(&s->dev);
	dprint(DL_INFO,
	       "tpm: locked for the OS after %u round-trips, %u us waiting\n",
	       s->dev.transfers, s->dev.waited_us);
	return 0;
}

// S3 resume (PFP, "S3 resume"): the OS saved the TPM's state with
// Shutdown(STATE) / TPM_SaveState, and Startup(STATE) brings back its PCRs
// and, on TPM 2.0, the platform auth the boot set. Nothing is measured or
// logged: the OS's log of the boot stays valid exactly when the PCRs came
// back. The shadow RAM was re-copied from ROM at reset, so nothing of the
// boot's TPM state is kept; the TPM is probed afresh.
int tpm_resume(struct tpm_state *s, u32 base)
{
	reset_state(s);
	int rc = probe(s, base);
	if (rc)
		return rc;
	struct tpm_dev *d = &s->dev;
	bool v20 = s->version == TPM_VER_20;
	rc = v20 ? tpm2_startup(d, TPM2_SU_STATE)
		 : tpm12_startup(d, TPM_ST_STATE);
	// Already started: nothing reset the TPM over the suspend
	// (passthrough); its PCRs are as the OS left them.
	if (rc == (v20 ? TPM2_RC_INITIALIZE : TPM_INVALID_POSTINIT))
		rc = 0;
	// Tests of what the restored state uses that have not run since the
	// TPM was reset (Library Part 3, TPM2_SelfTest with fullTest NO).
	else if (rc == 0 && v20)
		rc = tpm2_selftest(d, false);
	if (rc == 0) {
		dprint(DL_INFO, "tpm: resumed with its saved state\n");
		// Lock as at boot: the saved platform auth / PP lock normally
		// came back, which the lock reads as already done.
		return tpm_prepare_boot(s);
	}
	if (rc < 0) {
		tpm_set_failed(s, "resume (Startup(STATE))", rc);
		tpm_prepare_boot(s); // says what the OS gets
		return rc;
	}
	// The saved state is gone or unusable: start the TPM clean and cap
	// PCRs 0-7, so the OS's log of the boot matches no honest PCR values.
	// Then lock as at boot: after Startup(CLEAR) the platform hierarchy
	// is open with an empty auth and PP is unlocked again.
	tpm_set_failed(s, "resume (Startup(STATE))", rc);
	int src = v20 ? tpm2_startup(d, TPM2_SU_CLEAR)
		      : tpm12_startup(d, TPM_ST_CLEAR);
	dprint(DL_ERR, "tpm: Startup(CLEAR) after the lost state: 0x%x\n", src);
	tpm_cap_pcrs(s);
	printf_console("TPM: the TPM lost its state over the suspend; %s\n",
		       s->capped ? "PCRs 0-7 restarted and capped: the OS's "
				   "event log no longer matches them"
				 : "its PCRs could not be capped");
	int lrc = tpm_prepare_boot(s);
	if (!s->capped)
		return src ? src : TPM_E_DISABLED;
	return lrc ? lrc : TPM_RESUME_RESTARTED;
}
