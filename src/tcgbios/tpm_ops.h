// TPM configuration operations, shared by the boot menu's TPM entry and the
// Physical Presence Interface: one table of what exists for each family,
// and one function that runs an operation. Numbers are the PPI's
// (std/tpm_ppi.h). They must run before the hand-off lock
// (tpm_prepare_boot): TPM 2.0 operations use the still empty platform auth,
// TPM 1.2 ones the physical presence asserted at start-up.
#ifndef MBIOS_TCGBIOS_TPM_OPS_H
#define MBIOS_TCGBIOS_TPM_OPS_H

#include "std/tpm_ppi.h"
#include "tcgbios/tpm_startup.h"

// What the PPI page offers the OS for `op` (a PPI_FUNC_* value).
u8 tpm_op_ppi_func(const struct tpm_state *s, u32 op);
// Whether a person must confirm `op` (destructive or state-changing).
bool tpm_op_needs_confirm(const struct tpm_state *s, u32 op);
// Whether `op` takes effect only after a platform reset.
bool tpm_op_resets(const struct tpm_state *s, u32 op);
// A name for messages, e.g. "Clear (TPM2_Clear)"; NULL for no operation.
const char *tpm_op_name(const struct tpm_state *s, u32 op);
// The SetPCRBanks argument that selects exactly the banks the TPM has
// active now.
u32 tpm_op_active_bank_bits(const struct tpm_state *s);
// The bits of every bank the TPM implements.
u32 tpm_op_supported_bank_bits(const struct tpm_state *s);
// PPI bank bit <-> algorithm.
u16 tpm_op_bank_alg(u32 bit);

// Run `op` (argument `arg` for SetPCRBanks). Returns a PPI response: 0, a
// TPM error code, or PPI_RESULT_BIOS_FAILURE (not possible, bad argument,
// transport error). *reset is set when the change takes effect only after
// a platform reset, which the caller must then do.
u32 tpm_op_run(struct tpm_state *s, u32 op, u32 arg, bool *reset);

#endif
