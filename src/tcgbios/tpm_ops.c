// TPM configuration operations (see tpm_ops.h). TPM 1.2 steps follow Main
// Part 3 (TPM_PhysicalEnable, TPM_PhysicalDisable,
// TPM_PhysicalSetDeactivated, TPM_SetOwnerInstall, TPM_ForceClear, all
// under physical presence); TPM 2.0 steps follow Library Part 3
// (TPM2_ClearControl + TPM2_Clear, TPM2_PCR_Allocate, under the platform
// hierarchy's empty auth before the hand-off lock).
#include "tcgbios/tpm_ops.h"
#include "output.h"
#include "std/tpm.h"
#include "tcgbios/tpm_cmd.h"

enum step {
	END,
	ENABLE,
	DISABLE,
	ACTIVATE,
	DEACTIVATE,
	OWNER_INSTALL_ON,
	OWNER_INSTALL_OFF,
	FORCE_CLEAR,
	CLEAR20,
	BANKS20,
	CHANGE_EPS20,
	NOTHING, // an operation that changes nothing (a stricter setting)
};

#define F12 1
#define F20 2

// confirm: destructive, or hands the TPM to a new owner; a person must say
// yes in the menu as well as for a PPI request.
struct op_desc {
	u8 op, family, func;
	bool confirm;
	const char *name;
	u8 steps[6];
};

// The "PP not required" flags: no persistent store outside the OS's reach
// exists on this platform (the PPI page is OS-writable RAM), so a request
// to drop the confirmation is blocked and one to keep it succeeds.
static const struct op_desc ops[] = {
    {PPI_OP_NONE, F12 | F20, PPI_FUNC_PP_NOT_REQUIRED, false, NULL, {END}},
    {PPI_OP_ENABLE, F12, PPI_FUNC_PP_REQUIRED, false, "Enable", {ENABLE}},
    {PPI_OP_DISABLE, F12, PPI_FUNC_PP_REQUIRED, true, "Disable", {DISABLE}},
    {PPI_OP_ACTIVATE, F12, PPI_FUNC_PP_REQUIRED, false, "Activate", {ACTIVATE}},
    {PPI_OP_DEACTIVATE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Deactivate",
     {DEACTIVATE}},
    {PPI_OP_CLEAR, F12, PPI_FUNC_PP_REQUIRED, true, "Clear", {FORCE_CLEAR}},
    {PPI_OP_ENABLE_ACTIVATE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     false,
     "Enable + Activate",
     {ENABLE, ACTIVATE}},
    {PPI_OP_DEACTIVATE_DISABLE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Deactivate + Disable",
     {DEACTIVATE, DISABLE}},
    {PPI_OP_OWNER_INSTALL_TRUE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Allow owner install",
     {OWNER_INSTALL_ON}},
    {PPI_OP_OWNER_INSTALL_FALSE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     false,
     "Prevent owner install",
     {OWNER_INSTALL_OFF}},
    {PPI_OP_ENABLE_ACTIVATE_OWNER_INSTALL_TRUE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Enable + Activate + Allow owner install",
     {ENABLE, ACTIVATE, OWNER_INSTALL_ON}},
    {PPI_OP_OWNER_INSTALL_FALSE_DEACTIVATE_DISABLE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Prevent owner install + Deactivate + Disable",
     {OWNER_INSTALL_OFF, DEACTIVATE, DISABLE}},
    {PPI_OP_ENABLE_ACTIVATE_CLEAR,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Enable + Activate + Clear",
     {ENABLE, ACTIVATE, FORCE_CLEAR}},
    {PPI_OP_NO_PPI_PROVISION_FALSE,
     F12,
     PPI_FUNC_PP_NOT_REQUIRED,
     false,
     "Require confirmation for provisioning",
     {NOTHING}},
    {PPI_OP_NO_PPI_PROVISION_TRUE, F12, PPI_FUNC_BLOCKED, false, NULL, {END}},
    {PPI_OP_17,
     F12,
     PPI_FUNC_PP_NOT_REQUIRED,
     false,
     "Require confirmation for clear",
     {NOTHING}},
    {PPI_OP_18, F12, PPI_FUNC_BLOCKED, false, NULL, {END}},
    {PPI_OP_NO_PPI_MAINTENANCE_FALSE,
     F12,
     PPI_FUNC_PP_NOT_REQUIRED,
     false,
     "Require confirmation for maintenance",
     {NOTHING}},
    {PPI_OP_NO_PPI_MAINTENANCE_TRUE, F12, PPI_FUNC_BLOCKED, false, NULL, {END}},
    {PPI_OP_CLEAR_ENABLE_ACTIVATE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Clear + Enable + Activate",
     {FORCE_CLEAR, ENABLE, ACTIVATE}},
    {PPI_OP_ENABLE_ACTIVATE_CLEAR_ENABLE_ACTIVATE,
     F12,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Enable + Activate + Clear + Enable + Activate",
     {ENABLE, ACTIVATE, FORCE_CLEAR, ENABLE, ACTIVATE}},
    // TPM 2.0: every "Enable + Clear" form is a clear (the platform never
    // disables the storage or endorsement hierarchy of a good TPM).
    {PPI_OP_CLEAR, F20, PPI_FUNC_PP_REQUIRED, true, "Clear", {CLEAR20}},
    {PPI_OP_ENABLE_ACTIVATE_CLEAR,
     F20,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Enable + Clear",
     {CLEAR20}},
    {PPI_OP_17, F20, PPI_FUNC_BLOCKED, false, NULL, {END}},
    {PPI_OP_18,
     F20,
     PPI_FUNC_PP_NOT_REQUIRED,
     false,
     "Require confirmation for clear",
     {NOTHING}},
    {PPI_OP_CLEAR_ENABLE_ACTIVATE,
     F20,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Enable + Clear",
     {CLEAR20}},
    {PPI_OP_ENABLE_ACTIVATE_CLEAR_ENABLE_ACTIVATE,
     F20,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Enable + Clear",
     {CLEAR20}},
    {PPI_OP_SET_PCR_BANKS,
     F20,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Set PCR banks",
     {BANKS20}},
    {PPI_OP_CHANGE_EPS,
     F20,
     PPI_FUNC_PP_REQUIRED,
     true,
     "Change the endorsement primary seed",
     {CHANGE_EPS20}},
    {PPI_OP_PP_REQUIRED_FOR_CHANGE_EPS_FALSE,
     F20,
     PPI_FUNC_BLOCKED,
     false,
     NULL,
     {END}},
    {PPI_OP_PP_REQUIRED_FOR_CHANGE_EPS_TRUE,
     F20,
     PPI_FUNC_PP_NOT_REQUIRED,
     false,
     "Require confirmation for endorsement seed changes",
     {NOTHING}},
    // The log always carries a digest for every active bank.
    {PPI_OP_LOG_ALL_DIGESTS,
     F20,
     PPI_FUNC_PP_NOT_REQUIRED,
     false,
     "Log all digests",
     {NOTHING}},
    {PPI_OP_PP_REQUIRED_FOR_CHANGE_PCRS_FALSE,
     F20,
     PPI_FUNC_BLOCKED,
     false,
     NULL,
     {END}},
    {PPI_OP_PP_REQUIRED_FOR_CHANGE_PCRS_TRUE,
     F20,
     PPI_FUNC_PP_NOT_REQUIRED,
     false,
     "Require confirmation for PCR bank changes",
     {NOTHING}},
};

static const struct op_desc *find(const struct tpm_state *s, u32 op)
{
	u8 fam = s->version == TPM_VER_12 ? F12 : F20;
	for (u32 i = 0; i < ARRAY_SIZE(ops); i++)
		if (ops[i].op == op && (ops[i].family & fam))
			return &ops[i];
	return NULL;
}

// Whether the operation sends the TPM anything.
static bool changes_tpm(const struct op_desc *d)
{
	return d->steps[0] != END && d->steps[0] != NOTHING;
}

u8 tpm_op_ppi_func(const struct tpm_state *s, u32 op)
{
	const struct op_desc *d = find(s, op);
	if (!d)
		return PPI_FUNC_NOT_IMPLEMENTED;
	// A TPM started before this boot (passthrough) has its platform auth
	// or physical presence in someone else's hands: nothing that changes
	// it can be promised to the OS.
	if (s->already_started && changes_tpm(d))
		return PPI_FUNC_BLOCKED;
	return d->func;
}

bool tpm_op_needs_confirm(const struct tpm_state *s, u32 op)
{
	const struct op_desc *d = find(s, op);
	return !d || d->confirm;
}

bool tpm_op_resets(const struct tpm_state *s, u32 op)
{
	const struct op_desc *d = find(s, op);
	for (u32 i = 0; d && i < ARRAY_SIZE(d->steps); i++)
		if (d->steps[i] == ACTIVATE || d->steps[i] == DEACTIVATE ||
		    d->steps[i] == BANKS20)
			return true;
	return false;
}

const char *tpm_op_name(const struct tpm_state *s, u32 op)
{
	const struct op_desc *d = find(s, op);
	return d ? d->name : NULL;
}

static const u16 bank_algs[8] = {
    TPM2_ALG_SHA1,    TPM2_ALG_SHA256,	 TPM2_ALG_SHA384,   TPM2_ALG_SHA512,
    TPM2_ALG_SM3_256, TPM2_ALG_SHA3_256, TPM2_ALG_SHA3_384, TPM2_ALG_SHA3_512,
};

u16 tpm_op_bank_alg(u32 bit)
{
	return bit < 8 ? bank_algs[bit] : 0;
}

static u32 bits_of(const struct tpm2_banks *b, bool only_active)
{
	u32 bits = 0;
	for (u32 i = 0; i < b->count; i++)
		for (u32 k = 0; k < 8; k++)
			if (b->b[i].alg == bank_algs[k] &&
			    (!only_active || b->b[i].active))
				bits |= 1u << k;
	return bits;
}

u32 tpm_op_active_bank_bits(const struct tpm_state *s)
{
	return bits_of(&s->all_banks, true);
}

u32 tpm_op_supported_bank_bits(const struct tpm_state *s)
{
	return bits_of(&s->all_banks, false);
}

// PCR_Allocate: every PCR of the chosen banks, none of the others.
static int set_banks(struct tpm_state *s, u32 arg, bool *reset)
{
	u32 supported = tpm_op_supported_bank_bits(s);
	if (!arg || (arg & ~supported)) {
		dprint(DL_ERR,
		       "tpm: bank selection 0x%x not within the TPM's 0x%x\n",
		       arg, supported);
		return -1;
	}
	struct tpm2_banks sel = s->all_banks;
	for (u32 i = 0; i < sel.count; i++) {
		bool on = false;
		for (u32 k = 0; k < 8; k++)
			if (sel.b[i].alg == bank_algs[k] && (arg & (1u << k)))
				on = true;
		sel.b[i].pcr_mask = on ? 0xFFFFFF : 0;
	}
	bool ok = false;
	int rc = tpm2_pcr_allocate(&s->dev, NULL, 0, &sel, &ok);
	if (rc)
		return rc;
	if (!ok)
		return -1;
	*reset = true; // Library Part 3, PCR_Allocate: at the next reset
	return 0;
}

static int clear20(struct tpm_state *s)
{
	int rc = tpm2_clear_control(&s->dev, TPM2_RH_PLATFORM, NULL, 0, false);
	if (rc == 0)
		rc = tpm2_clear(&s->dev, TPM2_RH_PLATFORM, NULL, 0);
	return rc;
}

static int step12(struct tpm_state *s, u8 step, bool *reset)
{
	struct tpm_dev *d = &s->dev;
	switch (step) {
	case ENABLE:
		return tpm12_physical_enable(d);
	case DISABLE:
		return tpm12_physical_disable(d);
	case ACTIVATE:
	case DEACTIVATE:
		// Main Part 3, TPM_PhysicalSetDeactivated: the volatile
		// state follows at the next TPM_Init.
		*reset = true;
		return tpm12_physical_set_deactivated(d, step == DEACTIVATE);
	case OWNER_INSTALL_ON:
	case OWNER_INSTALL_OFF:
		return tpm12_set_owner_install(d, step == OWNER_INSTALL_ON);
	case FORCE_CLEAR:
		return tpm12_force_clear(d);
	}
	return 0;
}

static u32 result(int rc)
{
	if (rc > 0 && rc <= 0xFFF)
		return (u32)rc;
	return rc ? PPI_RESULT_BIOS_FAILURE : PPI_RESULT_SUCCESS;
}

u32 tpm_op_run(struct tpm_state *s, u32 op, u32 arg, bool *reset)
{
	*reset = false;
	const struct op_desc *d = find(s, op);
	u8 func = tpm_op_ppi_func(s, op);
	if (func == PPI_FUNC_BLOCKED || func == PPI_FUNC_NOT_IMPLEMENTED) {
		dprint(DL_ERR, "tpm: operation %u not offered\n", op);
		return PPI_RESULT_BIOS_FAILURE;
	}
	if (!s->present || s->dead || s->locked) {
		dprint(DL_ERR, "tpm: operation %u: TPM %s\n", op,
		       s->locked ? "already locked" : "unavailable");
		return PPI_RESULT_BIOS_FAILURE;
	}
	if (s->version == TPM_VER_12 && changes_tpm(d) && !tpm12_assert_pp(s)) {
		dprint(DL_ERR, "tpm12: physical presence refused\n");
		return PPI_RESULT_BIOS_FAILURE;
	}
	int rc = 0;
	for (u32 i = 0; i < ARRAY_SIZE(d->steps) && d->steps[i] != END && !rc;
	     i++) {
		u8 st = d->steps[i];
		if (st == CLEAR20)
			rc = clear20(s);
		else if (st == BANKS20)
			rc = set_banks(s, arg, reset);
		else if (st == CHANGE_EPS20)
			rc = tpm2_change_eps(&s->dev, NULL, 0);
		else if (st != NOTHING)
			rc = step12(s, st, reset);
	}
	if (rc)
		dprint(DL_ERR, "tpm: operation %u failed: %d\n", op, rc);
	// Keep what the menu and the PPI show in step with the TPM.
	if (s->version == TPM_VER_12)
		tpm12_get_permanent_flags(&s->dev, &s->pflags);
	else
		tpm2_get_pcr_banks(&s->dev, &s->all_banks);
	return result(rc);
}
