// libFuzzer target: the TIS and CRB drivers (hw/tpm_drivers.c) against the
// register fake of the unit tests (test/unit/fake_tpm.c), lying in two
// ways at once: every register read may come back changed (status bits,
// burst counts, buffer addresses and sizes), and the engine behind the
// registers answers each command with bytes from the input.
//
// Input: a configuration byte (interface, TPM family, injected fault), the
// burst count, a length L and 2*L bytes of register noise, then a series of
// driver calls with their arguments and the engine's responses.
#include <stdlib.h>
#include <string.h>

#include "fake_tpm.h"
#include "fuzz_input.h"
#include "hw/tpm_drivers.h"
#include "std/byteorder.h"
#include "std/tpm.h"

// Big enough that every timeout expires within a few thousand polls.
#define CLOCK_STEP_US 5000
#define CMD_MAX 4096

static struct fuzz_in in, noise;

void fake_engine_start(int version)
{
	(void)version;
}

void fake_engine_stop(bool forget_nv)
{
	(void)forget_nv;
}

u32 fake_tpm_engine(const u8 *cmd, u32 len, u8 *rsp, u32 max, int locality)
{
	(void)cmd, (void)len, (void)locality;
	u32 n = fi_tpm_response(&in, rsp, max);
	if (n < TPM_HEADER_SIZE)
		memset(rsp + n, 0, TPM_HEADER_SIZE - n);
	return n < TPM_HEADER_SIZE ? TPM_HEADER_SIZE : MIN(n, max);
}

// One noise byte per register read: most reads pass unchanged, some get a
// bit flipped, a few are replaced by a value from the noise or read zero.
static u32 lie(u32 addr, u32 value, int width)
{
	(void)addr, (void)width;
	u8 b = fi_u8(&noise);
	if (b < 0xC0)
		return value;
	if (b < 0xFE)
		return value ^ 1u << (b & 31);
	return b == 0xFE ? fi_u32(&noise) : 0;
}

static void transmit(struct tpm_dev *dev)
{
	u32 cmd_len = TPM_HEADER_SIZE + fi_u16(&in) % (CMD_MAX - 9);
	u32 resp_max = TPM_HEADER_SIZE + fi_u16(&in) % CMD_MAX;
	bool alias = fi_u8(&in) & 1;
	u32 buf_len = alias ? MAX(cmd_len, resp_max) : cmd_len;
	u8 *cmd = malloc(buf_len);
	memset(cmd, 0, buf_len);
	put_be16(cmd, dev->version == TPM_VER_12 ? TPM_TAG_RQU_COMMAND
						 : TPM2_ST_NO_SESSIONS);
	put_be32(cmd + 2, cmd_len);
	put_be32(cmd + 6, fi_u32(&in));
	u8 *resp = alias ? cmd : malloc(resp_max);
	u32 resp_len = 0;
	int rc = tpm_drv_transmit(dev, cmd, cmd_len, resp, resp_max, &resp_len,
				  fi_u8(&in) % 3);
	if (rc == TPM_OK &&
	    (resp_len < TPM_HEADER_SIZE || resp_len > resp_max ||
	     get_be32(resp + 2) != resp_len))
		abort(); // the driver's promise to the command layer
	if (rc > 0)
		abort(); // drivers return TPM_OK or a TPM_E_* code
	if (!alias)
		free(resp);
	free(cmd);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	in = (struct fuzz_in){data, size};
	u8 config = fi_u8(&in);
	u8 burst = fi_u8(&in);
	size_t noise_len;
	const u8 *noise_bytes =
	    fi_bytes(&in, 2 * (size_t)fi_u8(&in), &noise_len);
	noise = (struct fuzz_in){noise_bytes, noise_len};

	bool crb = config & 1;
	int version = crb || (config & 2) ? 20 : 12;
	fake_tpm_set_clock_step(CLOCK_STEP_US);
	fake_tpm_init(crb ? FAKE_CRB : FAKE_TIS, version);
	fake_tpm_set_fault((enum fake_fault)((config >> 2) % 15));
	fake_tpm_set_burst(burst);
	fake_tpm_set_crb_localities(config & 0x80);
	fake_tpm_set_read_filter(lie);

	struct tpm_dev dev;
	if (tpm_drv_probe(&dev, TPM_MMIO_BASE) != TPM_OK && !dev.ops)
		goto out;
	for (int calls = 0; calls < 8 && in.left; calls++) {
		u32 t[4];
		switch (fi_u8(&in) % 8) {
		case 0:
		case 1:
		case 2:
			transmit(&dev);
			break;
		case 3:
			tpm_drv_request_locality(&dev, fi_u8(&in) % 6);
			break;
		case 4:
			tpm_drv_release_locality(&dev);
			break;
		case 5:
			tpm_drv_cancel(&dev);
			break;
		case 6:
			for (int i = 0; i < 4; i++)
				t[i] = fi_u32(&in);
			tpm_drv_set_timeouts(&dev, t);
			break;
		default:
			for (int i = 0; i < 3; i++)
				t[i] = fi_u32(&in);
			tpm_drv_set_durations(&dev, t);
			break;
		}
		if (dev.locality > 4)
			abort();
	}
out:
	fake_tpm_set_read_filter(NULL);
	fake_tpm_fini();
	return 0;
}
