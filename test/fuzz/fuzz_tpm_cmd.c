// libFuzzer target: the TPM command layer (tcgbios/tpm_cmd.c) on replies
// from a lying TPM. The driver below hands every command the next
// response from the input; each input is a series of calls, one byte
// choosing the TPM 1.2 or 2.0 function (bit 7: the device is of the other
// family), then its arguments and the replies. Outputs go to buffers of
// exactly the promised size, so ASan sees any write past them; commands
// must stay well-formed whatever came back before.
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "std/byteorder.h"
#include "std/tpm.h"
#include "tcgbios/tpm_cmd.h"

static struct fuzz_in in;

const char *tpm_strerror(int err)
{
	(void)err;
	return "driver error";
}

// Retries of TPM warnings wait; here no time passes (the budget in
// struct tpm_dev still bounds them).
void udelay(u32 us)
{
	(void)us;
}
u64 clock_us(void)
{
	return 0; // the command layer times round-trips for the debug port
}

// The driver's two halves: the command is checked when sent, the response
// (or a driver error, now and then) comes from the input.
static bool started;
int tpm_drv_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len,
		  enum tpm_duration dur)
{
	(void)dev;
	if (started || cmd_len < TPM_HEADER_SIZE ||
	    get_be32(cmd + 2) != cmd_len || (u32)dur > TPM_DUR_LONG)
		abort(); // the command layer built a malformed command
	u8 fail = fi_u8(&in);
	if (fail >= 0xF8)
		return -(int)(fail & 0x07) - 1;
	started = true;
	return TPM_OK;
}

int tpm_drv_finish(struct tpm_dev *dev, u8 *resp, u32 resp_max, u32 *resp_len)
{
	(void)dev;
	if (!started || resp_max < TPM_HEADER_SIZE)
		abort(); // nothing sent, or no room for a header
	started = false;
	*resp_len = 0;
	u8 fail = fi_u8(&in);
	if (fail >= 0xF0)
		return -(int)(fail & 0x0F) - 1;
	u32 len = fi_tpm_response(&in, resp, resp_max);
	if (len > resp_max)
		return TPM_E_RESP_TOO_BIG;
	*resp_len = len;
	return TPM_OK;
}

// A heap copy of n bytes from the input (zeros past its end): an exact
// allocation for ASan.
static u8 *input_copy(u32 n)
{
	u8 *p = malloc(n ? n : 1);
	size_t got;
	const u8 *src = fi_bytes(&in, n, &got);
	memset(p, 0, n);
	memcpy(p, src, got);
	return p;
}

static void check_banks(const struct tpm2_banks *b)
{
	if (b->count > TPM2_MAX_BANKS)
		abort();
	for (u32 i = 0; i < b->count; i++)
		if (b->b[i].digest_size != tpm2_digest_size(b->b[i].alg))
			abort();
}

static void call_tpm2(struct tpm_dev *dev, u8 fn)
{
	// One past the longest password, for the refusal paths.
	u8 pw[TPM2_MAX_DIGEST_SIZE + 1] = {0};
	u16 pw_len = fi_u8(&in) % (sizeof(pw) + 1);
	u32 pcr = fi_u8(&in) % 32;
	struct tpm2_banks banks;
	switch (fn) {
	case 0:
		tpm2_startup(dev, fi_u16(&in));
		break;
	case 1:
		tpm2_shutdown(dev, fi_u16(&in));
		break;
	case 2:
		tpm2_selftest(dev, fi_u8(&in) & 1);
		break;
	case 3:
		if (tpm2_get_pcr_banks(dev, &banks) == 0) {
			check_banks(&banks);
			struct tpm2_banks act;
			tpm2_active_banks(&banks, &act);
			check_banks(&act);
		}
		break;
	case 4: {
		u32 v;
		tpm2_get_property(dev, fi_u32(&in), &v);
		break;
	}
	case 5: {
		// Banks as a GetCapability reply left them, digests packed.
		memset(&banks, 0, sizeof(banks));
		banks.count = 1 + fi_u8(&in) % TPM2_MAX_BANKS;
		static const u16 algs[] = {TPM2_ALG_SHA1, TPM2_ALG_SHA256,
					   TPM2_ALG_SHA384, TPM2_ALG_SHA512,
					   TPM2_ALG_SM3_256};
		u32 total = 0;
		for (u32 i = 0; i < banks.count; i++) {
			banks.b[i].alg = algs[fi_u8(&in) % 5];
			banks.b[i].digest_size =
			    tpm2_digest_size(banks.b[i].alg);
			total += banks.b[i].digest_size;
		}
		u8 *digests = input_copy(total);
		tpm2_pcr_extend(dev, pcr, &banks, digests);
		free(digests);
		break;
	}
	case 6: {
		u16 len = fi_u16(&in) % 1100;
		u8 *data = input_copy(len);
		tpm2_pcr_event(dev, pcr, data, len);
		free(data);
		break;
	}
	case 7: {
		u32 max = fi_u8(&in) % 80, len = 0;
		u8 *digest = malloc(max ? max : 1);
		if (tpm2_pcr_read(dev, pcr, fi_u16(&in), digest, max, &len) ==
			0 &&
		    len > max)
			abort();
		free(digest);
		break;
	}
	case 8: {
		u32 len = fi_u8(&in) * 2u;
		u8 *buf = malloc(len ? len : 1);
		tpm2_get_random(dev, buf, len);
		free(buf);
		break;
	}
	case 9:
		tpm2_hierarchy_change_auth(dev, fi_u32(&in), pw, pw_len, pw,
					   fi_u8(&in) % 70);
		break;
	case 10:
		tpm2_hierarchy_control(dev, fi_u32(&in), pw, pw_len,
				       fi_u32(&in), fi_u8(&in) & 1);
		break;
	case 11: {
		bool ok;
		memset(&banks, 0, sizeof(banks));
		banks.count = fi_u8(&in) % (TPM2_MAX_BANKS + 2);
		for (u32 i = 0; i < banks.count && i < TPM2_MAX_BANKS; i++) {
			banks.b[i].alg = fi_u16(&in);
			banks.b[i].pcr_mask = fi_u32(&in);
		}
		tpm2_pcr_allocate(dev, pw, pw_len, &banks, &ok);
		break;
	}
	case 12:
		tpm2_clear(dev, fi_u32(&in), pw, pw_len);
		break;
	default:
		tpm2_clear_control(dev, fi_u32(&in), pw, pw_len,
				   fi_u8(&in) & 1);
		break;
	}
}

static void call_tpm12(struct tpm_dev *dev, u8 fn)
{
	u32 pcr = fi_u8(&in) % 32;
	u8 digest[TPM12_SHA1_SIZE] = {0}, out[TPM12_SHA1_SIZE];
	u32 t[4];
	struct tpm12_permanent_flags pf;
	struct tpm12_stclear_flags sf;
	bool owned;
	switch (fn) {
	case 0:
		tpm12_startup(dev, fi_u16(&in));
		break;
	case 1:
		tpm12_physical_presence(dev, fi_u16(&in));
		break;
	case 2:
		tpm12_get_timeouts(dev, t);
		break;
	case 3:
		tpm12_get_durations(dev, t);
		break;
	case 4:
		tpm12_get_permanent_flags(dev, &pf);
		break;
	case 5:
		tpm12_get_stclear_flags(dev, &sf);
		break;
	case 6:
		tpm12_get_owner(dev, &owned);
		break;
	case 7:
		tpm12_selftest_full(dev);
		break;
	case 8:
		tpm12_continue_selftest(dev);
		break;
	case 9:
		tpm12_extend(dev, pcr, digest, fi_u8(&in) & 1 ? out : NULL);
		break;
	case 10:
		tpm12_pcr_read(dev, pcr, out);
		break;
	case 11:
		tpm12_reset_establishment(dev);
		break;
	case 12:
		tpm12_physical_enable(dev);
		break;
	case 13:
		tpm12_physical_disable(dev);
		break;
	case 14:
		tpm12_physical_set_deactivated(dev, fi_u8(&in) & 1);
		break;
	case 15:
		tpm12_set_owner_install(dev, fi_u8(&in) & 1);
		break;
	default:
		tpm12_force_clear(dev);
		break;
	}
}

// A raw command, as INT 1Ah pass-through sends them, with the command
// buffer doubling as the response buffer.
static void call_transmit(struct tpm_dev *dev)
{
	u32 max = TPM_HEADER_SIZE + fi_u8(&in);
	u8 *buf = malloc(max);
	memset(buf, 0, max);
	put_be16(buf, fi_u16(&in));
	put_be32(buf + 2, TPM_HEADER_SIZE);
	put_be32(buf + 6, fi_u32(&in));
	u32 len;
	int rc =
	    tpm_transmit(dev, buf, TPM_HEADER_SIZE, buf, max, &len,
			 tpm_cmd_duration(get_be16(buf), get_be32(buf + 6)));
	if (rc >= 0 && (len < TPM_HEADER_SIZE || len > max))
		abort();
	free(buf);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	in = (struct fuzz_in){data, size};
	for (int calls = 0; calls < 16 && in.left; calls++) {
		u8 op = fi_u8(&in);
		bool other_family = op & 0x80;
		u8 fn = op & 0x7F;
		struct tpm_dev dev = {.locality = 0,
				      .retry_budget_us = TPM_RETRY_BUDGET_US};
		bool v20 = fn < 14 || fn == 0x7F;
		dev.version = v20 != other_family ? TPM_VER_20 : TPM_VER_12;
		if (fn == 0x7F)
			call_transmit(&dev);
		else if (fn < 14)
			call_tpm2(&dev, fn);
		else
			call_tpm12(&dev, (u8)((fn - 14) % 17));
	}
	return 0;
}
