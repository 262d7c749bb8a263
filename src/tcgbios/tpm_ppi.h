// The Physical Presence Interface page that QEMU's ACPI _DSM shares with
// the OS (std/tpm_ppi.h): what the firmware offers, the pending request,
// and the response. The page is OS-writable RAM: everything read from it
// is checked, nothing in it is trusted.
#ifndef MBIOS_TCGBIOS_TPM_PPI_H
#define MBIOS_TCGBIOS_TPM_PPI_H

#include "tcgbios/tpm_startup.h"

// func[op] for every operation, from tpm_op_ppi_func().
void tpm_ppi_publish(const struct tpm_state *s, u8 *page);

enum ppi_request {
	PPI_REQ_NONE,	 // nothing pending
	PPI_REQ_VALID,	 // *op (and *arg) to run, maybe after confirmation
	PPI_REQ_REFUSED, // not offered, or a malformed argument
};
// Read the pending request; a refused one is already answered (failure).
enum ppi_request tpm_ppi_request(const struct tpm_state *s, u8 *page, u32 *op,
				 u32 *arg);
// Record the response (last operation and its result) and clear the
// request.
void tpm_ppi_respond(u8 *page, u32 op, u32 result);

#endif
