// TPM command layer: bounds-checked big-endian marshalling, a checked
// round-trip (tpm_transmit), and the TPM 1.2 / TPM 2.0 commands the firmware
// sends. Functions return the TPM response code (>= 0, 0 = success) or a
// negative TPM_E_* code (transport, format or argument error).
// Not reentrant: the commands share one static buffer.
#ifndef MBIOS_TCGBIOS_TPM_CMD_H
#define MBIOS_TCGBIOS_TPM_CMD_H

#include "hw/tpm_drivers.h"
#include "std/types.h"

// Command-layer errors (the driver's are -1 .. -20).
enum {
	TPM_E_RESP_TAG = -40,	   // response tag does not fit the command
	TPM_E_RESP_LEN = -41,	   // header size field != bytes received
	TPM_E_RESP_PARSE = -42,	   // response body short or malformed
	TPM_E_CMD_OVERFLOW = -43,  // command does not fit the buffer
	TPM_E_RESP_RC = -44,	   // response code outside the defined range
	TPM_E_WRONG_VERSION = -45, // command for the other TPM family
	TPM_E_BANKS = -46,	   // PCR bank list unusable
	TPM_E_STARTED = -47,	   // started before this boot (passthrough)
};

const char *tpm_cmd_strerror(int err);

// ---- Marshalling -----------------------------------------------------------
// Writer and reader keep a sticky error flag: check once at the end.
struct tpm_writer {
	u8 *buf;
	u32 cap, len;
	bool err;
};
struct tpm_reader {
	const u8 *buf;
	u32 len, off;
	bool err;
};

void tw_init(struct tpm_writer *w, u8 *buf, u32 cap);
void tw_u8(struct tpm_writer *w, u8 v);
void tw_u16(struct tpm_writer *w, u16 v);
void tw_u32(struct tpm_writer *w, u32 v);
void tw_bytes(struct tpm_writer *w, const void *p, u32 n);
// Header with a placeholder size; tw_finish() fills it in.
void tw_header(struct tpm_writer *w, u16 tag, u32 code);
// Returns the command length, or TPM_E_CMD_OVERFLOW.
int tw_finish(struct tpm_writer *w);
// TPM 2.0 authorization area with one password session (TPM2_RS_PW).
void tw_pw_session(struct tpm_writer *w, const u8 *pw, u16 pw_len);

void tr_init(struct tpm_reader *r, const u8 *buf, u32 len);
u8 tr_u8(struct tpm_reader *r);
u16 tr_u16(struct tpm_reader *r);
u32 tr_u32(struct tpm_reader *r);
// Pointer to the next n bytes, or NULL (and the error flag) if short.
const u8 *tr_bytes(struct tpm_reader *r, u32 n);
static inline bool tr_ok(const struct tpm_reader *r)
{
	return !r->err;
}
static inline u32 tr_left(const struct tpm_reader *r)
{
	return r->err ? 0 : r->len - r->off;
}

// ---- Round-trip
// -------------------------------------------------------------- Sends cmd and
// checks the response header: length >= 10, size field == bytes received <=
// resp_max, tag valid for the command's tag. Returns the response code or a
// TPM_E_* code. resp may alias cmd.
int tpm_transmit(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len, u8 *resp,
		 u32 resp_max, u32 *resp_len, enum tpm_duration dur);
// tpm_transmit in two halves (tpm_drv_start/tpm_drv_finish): the command's
// tag and code are given again to check the response.
int tpm_transmit_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len,
		       enum tpm_duration dur);
int tpm_transmit_finish(struct tpm_dev *dev, u16 cmd_tag, u32 code, u8 *resp,
			u32 resp_max, u32 *resp_len);
// Duration class for a command (by its tag and ordinal), e.g. for
// pass-through commands from INT 1Ah.
enum tpm_duration tpm_cmd_duration(u16 tag, u32 code);

// ---- TPM 2.0
// -------------------------------------------------------------------
#define TPM2_MAX_BANKS 8
struct tpm2_bank {
	u16 alg;
	u16 digest_size; // 0: algorithm unknown to the firmware
	u32 pcr_mask;	 // PCRs 0-31 selected
	bool active;	 // any PCR selected (PCRs above 31 included)
};
struct tpm2_banks {
	u32 count;
	struct tpm2_bank b[TPM2_MAX_BANKS];
};

u16 tpm2_digest_size(u16 alg);
// Parse a TPML_PCR_SELECTION (Part 2, 10.9.7) into banks.
int tpm2_parse_pcr_selection(struct tpm_reader *r, struct tpm2_banks *out);
// Keep only the banks with at least one PCR selected.
void tpm2_active_banks(const struct tpm2_banks *all, struct tpm2_banks *act);

int tpm2_startup(struct tpm_dev *dev, u16 type);
// Commands sent ahead, so the firmware can work while the TPM executes:
// tpm_async_end collects the answer (the response code, with the same
// retries as any command). One at a time; until tpm_async_end the driver
// refuses other commands, or first collects this one through
// dev->complete_pending (tcgbios/tcg_measure.c).
// TPM2_Startup or TPM_Startup, by the device's version:
int tpm_startup_begin(struct tpm_dev *dev, u16 type);
// tpm2_pcr_extend and tpm12_extend (without the PCR value):
int tpm2_pcr_extend_begin(struct tpm_dev *dev, u32 pcr,
			  const struct tpm2_banks *banks, const u8 *digests);
int tpm12_extend_begin(struct tpm_dev *dev, u32 pcr, const u8 digest[20]);
int tpm_async_end(struct tpm_dev *dev);
int tpm2_shutdown(struct tpm_dev *dev, u16 type);
int tpm2_selftest(struct tpm_dev *dev, bool full);
// IncrementalSelfTest of the hash algorithms of `banks` (Library Part 3,
// 10.3): what measuring needs, tested before its first use; the TPM tests
// the rest when the OS first uses it.
int tpm2_incremental_selftest(struct tpm_dev *dev,
			      const struct tpm2_banks *banks);
// GetCapability(TPM_CAP_PCRS): every implemented bank and its selection.
int tpm2_get_pcr_banks(struct tpm_dev *dev, struct tpm2_banks *all);
// GetCapability(TPM_CAP_TPM_PROPERTIES) for one property.
int tpm2_get_property(struct tpm_dev *dev, u32 prop, u32 *value);
// PCR_Extend of one PCR in every bank of `banks`, with the digests packed
// back to back in bank order (digest_size bytes each). Empty password.
int tpm2_pcr_extend(struct tpm_dev *dev, u32 pcr,
		    const struct tpm2_banks *banks, const u8 *digests);
// PCR_Event: the TPM hashes `data` itself in every allocated bank, even
// ones the firmware cannot compute (used to cap such banks).
int tpm2_pcr_event(struct tpm_dev *dev, u32 pcr, const u8 *data, u16 len);
int tpm2_pcr_read(struct tpm_dev *dev, u32 pcr, u16 alg, u8 *digest, u32 max,
		  u32 *len);
// Fills all `len` bytes (GetRandom may return fewer per call).
int tpm2_get_random(struct tpm_dev *dev, u8 *buf, u32 len);
int tpm2_hierarchy_change_auth(struct tpm_dev *dev, u32 hierarchy,
			       const u8 *auth, u16 auth_len, const u8 *new_auth,
			       u16 new_len);
int tpm2_hierarchy_control(struct tpm_dev *dev, u32 auth_handle, const u8 *auth,
			   u16 auth_len, u32 enable, bool state);
// PCR_Allocate with the pcr_mask of each bank (takes effect at the next
// TPM reset); *success is the TPM's allocationSuccess.
int tpm2_pcr_allocate(struct tpm_dev *dev, const u8 *auth, u16 auth_len,
		      const struct tpm2_banks *sel, bool *success);
int tpm2_clear(struct tpm_dev *dev, u32 auth_handle, const u8 *auth,
	       u16 auth_len);
// TPM2_ChangeEPS under the platform auth: a new endorsement seed (every EK
// and its certificate become invalid).
int tpm2_change_eps(struct tpm_dev *dev, const u8 *auth, u16 auth_len);
int tpm2_clear_control(struct tpm_dev *dev, u32 auth_handle, const u8 *auth,
		       u16 auth_len, bool disable);

// ---- TPM 1.2
// -------------------------------------------------------------------
// TPM_PERMANENT_FLAGS and TPM_STCLEAR_FLAGS (Main Part 2, 7.1 and 7.2).
struct tpm12_permanent_flags {
	u8 disable, ownership, deactivated, read_pubek, disable_owner_clear,
	    allow_maintenance, pp_lifetime_lock, pp_hw_enable, pp_cmd_enable,
	    cekp_used, tpm_post, tpm_post_lock, fips, op, enable_revoke_ek,
	    nv_locked, read_srk_pub, tpm_established, maintenance_done,
	    disable_full_da_logic_info;
};
struct tpm12_stclear_flags {
	u8 deactivated, disable_force_clear, physical_presence,
	    physical_presence_lock, global_lock;
};

int tpm12_startup(struct tpm_dev *dev, u16 type);
int tpm12_physical_presence(struct tpm_dev *dev, u16 pp);
int tpm12_get_timeouts(struct tpm_dev *dev, u32 t[4]);
int tpm12_get_durations(struct tpm_dev *dev, u32 d[3]);
int tpm12_get_permanent_flags(struct tpm_dev *dev,
			      struct tpm12_permanent_flags *f);
int tpm12_get_stclear_flags(struct tpm_dev *dev, struct tpm12_stclear_flags *f);
int tpm12_get_owner(struct tpm_dev *dev, bool *owned);
int tpm12_selftest_full(struct tpm_dev *dev);
int tpm12_continue_selftest(struct tpm_dev *dev);
// out (the new PCR value) may be NULL.
int tpm12_extend(struct tpm_dev *dev, u32 pcr, const u8 digest[20], u8 out[20]);
int tpm12_pcr_read(struct tpm_dev *dev, u32 pcr, u8 out[20]);
// Only at locality 3 or 4; the caller switches locality.
int tpm12_reset_establishment(struct tpm_dev *dev);
int tpm12_physical_enable(struct tpm_dev *dev);
int tpm12_physical_disable(struct tpm_dev *dev);
int tpm12_physical_set_deactivated(struct tpm_dev *dev, bool state);
int tpm12_set_owner_install(struct tpm_dev *dev, bool state);
int tpm12_force_clear(struct tpm_dev *dev);
int tpm12_set_temp_deactivated(struct tpm_dev *dev);

#endif
