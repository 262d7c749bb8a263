// The Physical Presence Interface page as the OS leaves it (any bytes):
// the request parser must answer or refuse without reading past the page,
// refuse everything the table does not offer, and leave a refused request
// cleared with a failure response. Valid requests then run against a TPM
// that answers every command with an error: the result must be one of the
// PPI response values. Input: family byte, SetPCRBanks-supported mask,
// then the page.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "std/byteorder.h"
#include "std/tpm.h"
#include "std/tpm_ppi.h"
#include "tcgbios/tpm_ops.h"
#include "tcgbios/tpm_ppi.h"

// The TPM behind the command layer: a 10-byte error answer to everything.
static bool v20_cmd;
int tpm_drv_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len,
		  enum tpm_duration dur)
{
	(void)dev, (void)cmd_len, (void)dur;
	v20_cmd = get_be16(cmd) >= 0x8000;
	return 0;
}
int tpm_drv_finish(struct tpm_dev *dev, u8 *resp, u32 resp_max, u32 *resp_len)
{
	(void)dev;
	if (resp_max < TPM_HEADER_SIZE)
		abort();
	put_be16(resp, v20_cmd ? TPM2_ST_NO_SESSIONS : TPM_TAG_RSP_COMMAND);
	put_be32(resp + 2, TPM_HEADER_SIZE);
	put_be32(resp + 6, v20_cmd ? TPM2_RC_FAILURE : TPM_FAIL);
	*resp_len = TPM_HEADER_SIZE;
	return 0;
}
const char *tpm_strerror(int err)
{
	(void)err;
	return "driver error";
}
void udelay(u32 us)
{
	(void)us;
}
u64 clock_us(void)
{
	return 0; // the command layer times round-trips for the debug port
}
bool tpm12_assert_pp(struct tpm_state *s)
{
	(void)s;
	return false; // this TPM refuses everything, physical presence too
}
int tpm_set_failed(struct tpm_state *s, const char *what, int err)
{
	(void)what;
	s->failed = true;
	return err;
}

static const u16 algs[8] = {
    TPM2_ALG_SHA1,    TPM2_ALG_SHA256,	 TPM2_ALG_SHA384,   TPM2_ALG_SHA512,
    TPM2_ALG_SM3_256, TPM2_ALG_SHA3_256, TPM2_ALG_SHA3_384, TPM2_ALG_SHA3_512,
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size < 2)
		return 0;
	static struct tpm_state s;
	memset(&s, 0, sizeof(s));
	s.present = true;
	s.version = data[0] & 1 ? TPM_VER_12 : TPM_VER_20;
	s.dev.version = s.version;
	s.dev.ops = (void *)1; // never called: tpm_drv_start/finish are ours
	for (u32 k = 0; k < 8; k++)
		if (data[1] & (1u << k)) {
			struct tpm2_bank *b =
			    &s.all_banks.b[s.all_banks.count++];
			b->alg = algs[k];
			b->active = true;
			b->pcr_mask = 0xFFFFFF;
		}
	// Exactly the page, so ASan sees any read past it.
	u8 *page = malloc(PPI_PAGE_SIZE);
	size_t n = size - 2 < PPI_PAGE_SIZE ? size - 2 : PPI_PAGE_SIZE;
	memset(page, 0, PPI_PAGE_SIZE);
	memcpy(page, data + 2, n);
	u32 op, arg;
	enum ppi_request r = tpm_ppi_request(&s, page, &op, &arg);
	u8 func = op < PPI_NUM_OPS ? tpm_op_ppi_func(&s, op) : 0;
	if (r == PPI_REQ_VALID) {
		if (func != PPI_FUNC_PP_REQUIRED &&
		    func != PPI_FUNC_PP_NOT_REQUIRED)
			abort(); // ran something not offered
		bool reset;
		u32 res = tpm_op_run(&s, op, arg, &reset);
		if (res != PPI_RESULT_SUCCESS &&
		    res != PPI_RESULT_BIOS_FAILURE && (res < 1 || res > 0xFFF))
			abort(); // not a PPI response value
		tpm_ppi_respond(page, op, res);
	}
	if (r == PPI_REQ_REFUSED &&
	    (get_le32(page + PPI_PPRQ) || get_le32(page + PPI_PPRM) ||
	     get_le32(page + PPI_LPPR) != op ||
	     get_le32(page + PPI_PPRP) != PPI_RESULT_BIOS_FAILURE))
		abort(); // a refused request must be answered and cleared
	tpm_ppi_publish(&s, page);
	free(page);
	return 0;
}
