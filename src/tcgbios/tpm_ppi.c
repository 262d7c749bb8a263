// The PPI page (tpm_ppi.h). Layout: QEMU docs/specs/tpm.rst, "ACPI PPI
// Interface"; operations and responses: PPI specification 1.30.
#include "tcgbios/tpm_ppi.h"
#include "output.h"
#include "std/byteorder.h"
#include "std/tpm_ppi.h"
#include "tcgbios/tpm_ops.h"

void tpm_ppi_publish(const struct tpm_state *s, u8 *page)
{
	// Four entries per store: QEMU's PPI page is MMIO, where each store
	// is an exit to the device model.
	for (u32 op = 0; op < PPI_NUM_OPS; op += 4) {
		u32 funcs = 0;
		for (u32 i = 0; i < 4; i++)
			funcs |= (u32)tpm_op_ppi_func(s, op + i) << (8 * i);
		*(volatile u32 *)(page + PPI_FUNC + op) = funcs;
	}
}

enum ppi_request tpm_ppi_request(const struct tpm_state *s, u8 *page, u32 *op,
				 u32 *arg)
{
	*op = get_le32(page + PPI_PPRQ);
	*arg = get_le32(page + PPI_PPRM);
	if (*op == PPI_OP_NONE)
		return PPI_REQ_NONE;
	u8 func = *op < PPI_NUM_OPS ? tpm_op_ppi_func(s, *op) : 0;
	// Only SetPCRBanks takes an argument (checked against the TPM when
	// it runs); anything else in PPRM is not a request we know.
	bool arg_ok = *op == PPI_OP_SET_PCR_BANKS ? *arg <= 0xFF : *arg == 0;
	if ((func != PPI_FUNC_PP_REQUIRED &&
	     func != PPI_FUNC_PP_NOT_REQUIRED) ||
	    !arg_ok) {
		dprint(DL_ERR, "ppi: request %u (argument 0x%x) refused\n", *op,
		       *arg);
		tpm_ppi_respond(page, *op, PPI_RESULT_BIOS_FAILURE);
		return PPI_REQ_REFUSED;
	}
	return PPI_REQ_VALID;
}

void tpm_ppi_respond(u8 *page, u32 op, u32 result)
{
	put_le32(page + PPI_LPPR, op);
	put_le32(page + PPI_PPRP, result);
	put_le32(page + PPI_PPRQ, 0);
	put_le32(page + PPI_PPRM, 0);
}
