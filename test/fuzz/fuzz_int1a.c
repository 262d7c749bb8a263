// libFuzzer target: INT 1Ah TCG BIOS calls (tcgbios/tcg_int1a.c) on
// hostile registers and memory. The input is a register header and the
// caller's RAM; the TPM is a stub that accepts every extend and answers
// every command. After any call: memory outside the caller's RAM (the log
// area, a canary) is intact except for records the log writer added, the
// log still walks, a failed call changed no byte of RAM, no register but
// EAX and no log state, and every record is matched by exactly one extend
// (none for HashLogEvent).
#include <stdlib.h>
#include <string.h>

#include "crypto/hash.h"
#include "lib/phys.h"
#include "std/byteorder.h"
#include "std/tcg_bios.h"
#include "std/tpm.h"
#include "tcgbios/tcg_int1a.h"

#define RAM_SIZE 0x10000
#define LOG_AT RAM_SIZE
#define LOG_SIZE 0x4000
#define CANARY_AT (LOG_AT + LOG_SIZE)
#define CANARY_SIZE 0x1000
static u8 mem[CANARY_AT + CANARY_SIZE];
static u8 ram_before[RAM_SIZE];
static u32 extends;

// ---- the TPM stub
// ------------------------------------------------------------
int tpm12_extend_begin(struct tpm_dev *dev, u32 pcr, const u8 digest[20])
{
	(void)dev, (void)pcr, (void)digest;
	extends++;
	return 0;
}
int tpm2_pcr_extend_begin(struct tpm_dev *dev, u32 pcr,
			  const struct tpm2_banks *banks, const u8 *digests)
{
	(void)dev, (void)pcr, (void)banks, (void)digests;
	extends++;
	return 0;
}
int tpm_async_end(struct tpm_dev *dev)
{
	(void)dev;
	return 0;
}
int tpm2_pcr_event(struct tpm_dev *dev, u32 pcr, const u8 *data, u16 len)
{
	(void)dev, (void)pcr, (void)data, (void)len;
	abort(); // only for capping without a log: never from INT 1Ah
}
const u8 tpm_error_separator[4] = {1, 0, 0, 0};
int tpm_cap_pcr(struct tpm_state *s, u32 pcr)
{
	(void)s, (void)pcr;
	extends++;
	return 0;
}
u32 tpm_cap_pcrs(struct tpm_state *s)
{
	(void)s;
	abort(); // only for capping without a log: never from INT 1Ah
}
int tpm_set_failed(struct tpm_state *s, const char *what, int err)
{
	(void)what;
	s->failed = true;
	return err;
}
enum tpm_duration tpm_cmd_duration(u16 tag, u32 code)
{
	(void)tag, (void)code;
	return TPM_DUR_SHORT;
}
void tpm_drv_release_locality(struct tpm_dev *dev)
{
	(void)dev;
}
// A 30-byte answer (a TPM 1.2 PCRRead's size), or "too big".
int tpm_transmit(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len, u8 *resp,
		 u32 resp_max, u32 *resp_len, enum tpm_duration dur)
{
	(void)dev, (void)dur;
	if (cmd_len < TPM_HEADER_SIZE || cmd + cmd_len > mem + RAM_SIZE)
		abort(); // the parser let an unchecked command through
	if (resp < mem || resp + resp_max > mem + RAM_SIZE)
		abort();
	if (resp_max < 30)
		return TPM_E_RESP_TOO_BIG;
	memset(resp, 0, 30);
	put_be16(resp, 0xC4);
	put_be32(resp + 2, 30);
	*resp_len = 30;
	return 0;
}

static bool ram_only(u32 addr, u32 len)
{
	return addr < RAM_SIZE && len <= RAM_SIZE - addr;
}

// Header: AL, flags (bit 0: TPM 1.2, bit 1: SHA-256-only TPM 2.0, bit 2:
// shut down first), then EBX-selector, ECX, EDX, ESI, DI, SI.
#define HDR 20

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size < HDR)
		return 0;
	host_phys_base = (uintptr_t)mem;
	memset(mem, 0, RAM_SIZE);
	memset(mem + CANARY_AT, 0xA5, CANARY_SIZE);
	memcpy(mem, data + HDR, MIN(size - HDR, (size_t)RAM_SIZE));

	static struct tpm_state tpm;
	static struct tcg_ctx ctx;
	memset(&tpm, 0, sizeof(tpm));
	tpm.present = tpm.usable = true;
	u8 flags = data[1];
	tpm.version = flags & 1 ? TPM_VER_12 : TPM_VER_20;
	tpm.dev.version = tpm.version;
	u16 algs[2] = {TPM_ALG_SHA1, TPM_ALG_SHA256};
	if (tpm.version == TPM_VER_12) {
		if (tcg_log_start(&ctx, &tpm, mem + LOG_AT, LOG_SIZE))
			abort();
	} else {
		u32 n = flags & 2 ? 1 : 2;
		tpm.banks.count = n;
		for (u32 i = 0; i < n; i++) {
			tpm.banks.b[i].alg = algs[flags & 2 ? 1 : i];
			tpm.banks.b[i].digest_size =
			    (u16)hash_alg_size(tpm.banks.b[i].alg);
			tpm.banks.b[i].active = true;
		}
		if (tcg_log_start(&ctx, &tpm, mem + LOG_AT, LOG_SIZE))
			abort();
	}
	tcg_bios_reset();
	struct tcg_bios_regs r = {0};
	if (flags & 4) {
		r.eax = 0xBB03;
		r.ebx = TCG_BIOS_MAGIC;
		tcg_bios_call(&ctx, &tpm, &r, ram_only);
	}
	r.eax = 0xBB00 | data[0];
	r.ebx = data[2] & 1 ? get_le32(data + 2) : TCG_BIOS_MAGIC;
	r.ecx = get_le32(data + 6);
	r.edx = get_le32(data + 10);
	r.esi = get_le32(data + 14);
	r.es_di = get_le16(data + 18) & 0xFFFF;
	r.ds_si = get_le16(data + 16);
	r.edi = r.es_di;
	struct tcg_bios_regs in = r;
	struct tcglog log_before = ctx.log;
	memcpy(ram_before, mem, RAM_SIZE);
	extends = 0;

	tcg_bios_call(&ctx, &tpm, &r, ram_only);

	for (u32 i = 0; i < CANARY_SIZE; i++)
		if (mem[CANARY_AT + i] != 0xA5)
			abort();
	struct tcglog_parsed p;
	if (tcglog_parse(mem + LOG_AT, LOG_SIZE, &p, NULL, NULL) ||
	    p.entries != ctx.log.entries || p.end != ctx.log.next)
		abort(); // the log no longer walks, or disagrees with its state
	u32 added = ctx.log.entries - log_before.entries;
	if (r.eax != TCG_PC_OK) {
		if (added || extends || memcmp(ram_before, mem, RAM_SIZE) ||
		    r.ebx != in.ebx || r.ecx != in.ecx || r.edx != in.edx ||
		    r.esi != in.esi || r.edi != in.edi)
			abort(); // a failed call changed something
		return 0;
	}
	u8 fn = data[0];
	bool extending = fn == TCG_BIOS_HASH_LOG_EXTEND_EVENT ||
			 fn == TCG_BIOS_COMPACT_HASH_LOG_EXTEND_EVENT;
	if (extending ? added != 1 || extends != 1
		      : extends || added != (fn == TCG_BIOS_HASH_LOG_EVENT))
		abort(); // log and PCRs out of step
	return 0;
}
