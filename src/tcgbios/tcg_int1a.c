// The INT 1Ah TCG BIOS interface (see tcg_int1a.h). Section and table
// names are those of the Conventional BIOS spec 1.21, section 13.
#include "tcgbios/tcg_int1a.h"
#include "crypto/hash.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "output.h"
#include "std/byteorder.h"
#include "std/tcg.h"
#include "std/tpm.h"

#define EVENT_HEADER sizeof(struct tcg_pcr_event) // 32

// 13.x TCG_ShutdownPreBootInterface: set until the next boot.
static bool interface_shut;

void tcg_bios_reset(void)
{
	interface_shut = false;
}

bool tcg_bios_pcr_ok(u32 pcr)
{
	return pcr <= 16 || pcr == 23;
}

// A caller's range: nothing is touched for len 0; otherwise it must not
// wrap past 4 GiB and the range function must accept it.
static bool range(tcg_bios_range_fn ok, u32 addr, u32 len)
{
	if (!len)
		return true;
	if ((u64)addr + len > 0x100000000ull)
		return false;
	return ok(addr, len);
}

static const u8 *at(u32 addr)
{
	return phys_ptr(addr);
}

// The TCG_PCClientPCREventStruc a caller points at (LogDataPtr/Len): it
// must lie in memory, name the call's PCR and be exactly header + data.
static u32 parse_event_struct(u32 ptr, u32 len, u32 pcr, tcg_bios_range_fn ok,
			      struct tcg_bios_event *ev)
{
	if (len < EVENT_HEADER || !range(ok, ptr, len))
		return TCG_INVALID_INPUT_PARA;
	const u8 *p = at(ptr);
	u32 epcr = get_le32(p + offsetof(struct tcg_pcr_event, pcr_index));
	u32 type = get_le32(p + offsetof(struct tcg_pcr_event, event_type));
	u32 size = get_le32(p + offsetof(struct tcg_pcr_event, event_size));
	if (epcr != pcr || size != len - EVENT_HEADER)
		return TCG_INVALID_INPUT_PARA;
	// Type 0 without data reads as the end of the log to every walker.
	if (type == EV_PREBOOT_CERT && !size)
		return TCG_INVALID_INPUT_PARA;
	ev->pcr = pcr;
	ev->type = type;
	memcpy(ev->sha1, p + offsetof(struct tcg_pcr_event, digest),
	       TCG_SHA1_SIZE);
	ev->data_addr = ptr + EVENT_HEADER;
	ev->data_len = size;
	return TCG_PC_OK;
}

static u32 parse_hash_data(u32 ptr, u32 len, tcg_bios_range_fn ok,
			   struct tcg_bios_event *ev)
{
	if (!range(ok, ptr, len))
		return TCG_INVALID_INPUT_PARA;
	ev->hash_addr = ptr;
	ev->hash_len = len;
	return TCG_PC_OK;
}

// The IPBLength field, once the first bytes of the block are readable.
static u32 ipb_length(u32 ipb, tcg_bios_range_fn ok)
{
	return range(ok, ipb, 4) ? get_le16(at(ipb)) : 0;
}

u32 tcg_bios_parse_hlee(u32 ipb, tcg_bios_range_fn ok,
			struct tcg_bios_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	u32 len = ipb_length(ipb, ok);
	u32 pcr, log_ptr, log_len;
	const u8 *p = at(ipb);
	if (len == sizeof(struct tcg_hlee_in_short) && range(ok, ipb, len)) {
		pcr =
		    get_le32(p + offsetof(struct tcg_hlee_in_short, pcr_index));
		log_ptr = get_le32(
		    p + offsetof(struct tcg_hlee_in_short, log_data_ptr));
		log_len = get_le32(
		    p + offsetof(struct tcg_hlee_in_short, log_data_len));
	} else if (len == sizeof(struct tcg_hlee_in_long) &&
		   range(ok, ipb, len)) {
		pcr =
		    get_le32(p + offsetof(struct tcg_hlee_in_long, pcr_index));
		log_ptr = get_le32(
		    p + offsetof(struct tcg_hlee_in_long, log_data_ptr));
		log_len = get_le32(
		    p + offsetof(struct tcg_hlee_in_long, log_data_len));
	} else {
		return TCG_INVALID_INPUT_PARA;
	}
	// Hash pointer and length sit at the same offsets in both forms.
	u32 hash_ptr =
	    get_le32(p + offsetof(struct tcg_hlee_in_short, hash_data_ptr));
	u32 hash_len =
	    get_le32(p + offsetof(struct tcg_hlee_in_short, hash_data_len));
	u32 rc;
	if (!tcg_bios_pcr_ok(pcr))
		return TCG_INVALID_INPUT_PARA;
	if ((rc = parse_hash_data(hash_ptr, hash_len, ok, ev)) ||
	    (rc = parse_event_struct(log_ptr, log_len, pcr, ok, ev)))
		return rc;
	// An extended EV_NO_ACTION would be skipped by every replay.
	if (ev->type == EV_NO_ACTION)
		return TCG_INVALID_INPUT_PARA;
	return TCG_PC_OK;
}

u32 tcg_bios_parse_hle(u32 ipb, tcg_bios_range_fn ok, struct tcg_bios_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (ipb_length(ipb, ok) != sizeof(struct tcg_hle_in) ||
	    !range(ok, ipb, sizeof(struct tcg_hle_in)))
		return TCG_INVALID_INPUT_PARA;
	const u8 *p = at(ipb);
	u32 pcr = get_le32(p + offsetof(struct tcg_hle_in, pcr_index));
	u32 type = get_le32(p + offsetof(struct tcg_hle_in, log_event_type));
	u32 rc;
	if (!tcg_bios_pcr_ok(pcr))
		return TCG_INVALID_INPUT_PARA;
	if ((rc = parse_hash_data(
		 get_le32(p + offsetof(struct tcg_hle_in, hash_data_ptr)),
		 get_le32(p + offsetof(struct tcg_hle_in, hash_data_len)), ok,
		 ev)) ||
	    (rc = parse_event_struct(
		 get_le32(p + offsetof(struct tcg_hle_in, log_data_ptr)),
		 get_le32(p + offsetof(struct tcg_hle_in, log_data_len)), pcr,
		 ok, ev)))
		return rc;
	return ev->type == type ? TCG_PC_OK : TCG_INVALID_INPUT_PARA;
}

u32 tcg_bios_parse_hash_all(u32 ipb, tcg_bios_range_fn ok, u32 *addr, u32 *len)
{
	if (ipb_length(ipb, ok) != sizeof(struct tcg_hash_all_in) ||
	    !range(ok, ipb, sizeof(struct tcg_hash_all_in)))
		return TCG_INVALID_INPUT_PARA;
	const u8 *p = at(ipb);
	*addr = get_le32(p + offsetof(struct tcg_hash_all_in, hash_data_ptr));
	*len = get_le32(p + offsetof(struct tcg_hash_all_in, hash_data_len));
	if (get_le32(p + offsetof(struct tcg_hash_all_in, algorithm_id)) !=
		TCG_BIOS_ALG_SHA1 ||
	    !range(ok, *addr, *len))
		return TCG_INVALID_INPUT_PARA;
	return TCG_PC_OK;
}

u32 tcg_bios_parse_pass(u32 ipb, tcg_bios_range_fn ok, u32 *cmd, u32 *cmd_len,
			u32 *opb_max)
{
	const u32 hdr = sizeof(struct tcg_pass_in);
	u32 len = ipb_length(ipb, ok);
	if (len < hdr + TPM_HEADER_SIZE || !range(ok, ipb, len))
		return TCG_INVALID_INPUT_PARA;
	const u8 *p = at(ipb);
	*cmd = ipb + hdr;
	// The command's own size field decides what is sent; it must not
	// claim more than the block holds.
	*cmd_len = get_be32(p + hdr + 2);
	*opb_max = get_le16(p + offsetof(struct tcg_pass_in, opb_length));
	if (*cmd_len < TPM_HEADER_SIZE || *cmd_len > len - hdr ||
	    *opb_max < sizeof(struct tcg_pass_out) + TPM_HEADER_SIZE)
		return TCG_INVALID_INPUT_PARA;
	return TCG_PC_OK;
}

u32 tcg_bios_event_digests(const struct tcglog *log,
			   const struct tcg_bios_event *ev,
			   struct tcglog_digest d[TCGLOG_MAX_BANKS], u32 *n,
			   u8 sha1_out[TCG_SHA1_SIZE])
{
	if (!ev->hash_len) {
		// Only the SHA-1 of the data is known.
		if (log->nbanks != 1 || log->banks[0].alg != TPM_ALG_SHA1)
			return TCG_INVALID_INPUT_PARA;
		d[0].alg = TPM_ALG_SHA1;
		memcpy(d[0].digest, ev->sha1, TCG_SHA1_SIZE);
		memcpy(sha1_out, ev->sha1, TCG_SHA1_SIZE);
		*n = 1;
		return TCG_PC_OK;
	}
	const void *data = at(ev->hash_addr);
	int k = tcglog_hash_event(log, data, ev->hash_len, d);
	if (k < 0)
		return TCG_GENERAL_ERROR;
	*n = (u32)k;
	for (u32 i = 0; i < *n; i++)
		if (d[i].alg == TPM_ALG_SHA1) {
			memcpy(sha1_out, d[i].digest, TCG_SHA1_SIZE);
			return TCG_PC_OK;
		}
	// No SHA-1 bank: the 1.2 output block still wants the SHA-1.
	sha1(data, ev->hash_len, sha1_out);
	return TCG_PC_OK;
}

// Whether the interface can serve a call at all.
static u32 availability(const struct tcg_ctx *c, const struct tpm_state *t)
{
	if (!t->present)
		return TCG_PC_TPM_NOT_PRESENT;
	if (t->version == TPM_VER_12 &&
	    (t->error == TPM_DISABLED || t->error == TPM_DEACTIVATED))
		return TCG_PC_TPM_DEACTIVATED;
	if (!tpm_usable(t) || !c->active || c->tpm != t)
		return TCG_GENERAL_ERROR;
	return TCG_PC_OK;
}

// Before a record of data_len bytes: room in the log (never the reserve
// of the error separators), and measuring not stopped earlier in the boot.
static u32 can_log(const struct tcg_ctx *c, u32 data_len)
{
	if (!tcglog_room(&c->log, data_len))
		return TCG_PC_LOGOVERFLOW;
	if (!tcg_measuring(c))
		return TCG_PC_TPMERROR;
	return TCG_PC_OK;
}

// Extend and log through the measurement primitive, which writes the
// record only after the TPM took the extend.
static u32 extend_and_log(struct tcg_ctx *c, const struct tcg_bios_event *ev,
			  const void *data, u32 *number,
			  u8 sha1_out[TCG_SHA1_SIZE])
{
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n, rc = can_log(c, ev->data_len);
	if (rc || (rc = tcg_bios_event_digests(&c->log, ev, d, &n, sha1_out)))
		return rc;
	int m =
	    tcg_measure_digests(c, ev->pcr, ev->type, d, n, data, ev->data_len);
	if (m == TCG_E_LOG_FULL)
		return TCG_PC_LOGOVERFLOW;
	if (m)
		return TCG_PC_TPMERROR;
	*number = c->log.entries;
	return TCG_PC_OK;
}

static u32 status_check(const struct tcg_ctx *c, struct tcg_bios_regs *r)
{
	r->ebx = TCG_BIOS_MAGIC;
	r->ecx = (r->ecx & 0xFFFF0000u) | TCG_BIOS_VERSION_MAJOR << 8 |
		 TCG_BIOS_VERSION_MINOR;
	r->edx = 0; // no BIOS TCG feature flags defined
	r->esi = phys_addr(c->log.base);
	r->edi = c->log.entries ? phys_addr(c->log.base + c->log.last) : 0;
	return TCG_PC_OK;
}

static u32 hash_log_extend_event(struct tcg_ctx *c, struct tcg_bios_regs *r,
				 tcg_bios_range_fn ok)
{
	struct tcg_bios_event ev;
	u32 rc = tcg_bios_parse_hlee(r->es_di, ok, &ev);
	if (rc)
		return rc;
	if (!range(ok, r->ds_si, sizeof(struct tcg_hlee_out)))
		return TCG_INVALID_INPUT_PARA;
	u32 number;
	u8 sha[TCG_SHA1_SIZE];
	rc = extend_and_log(c, &ev, at(ev.data_addr), &number, sha);
	if (rc)
		return rc;
	u8 *o = phys_ptr(r->ds_si);
	put_le16(o + offsetof(struct tcg_hlee_out, opb_length),
		 sizeof(struct tcg_hlee_out));
	put_le16(o + offsetof(struct tcg_hlee_out, reserved), 0);
	put_le32(o + offsetof(struct tcg_hlee_out, event_number), number);
	memcpy(o + offsetof(struct tcg_hlee_out, hash_value), sha,
	       TCG_SHA1_SIZE);
	return TCG_PC_OK;
}

static u32 tpm_error_code(int rc)
{
	switch (rc) {
	case TPM_E_RESP_TOO_BIG:
		return TCG_OUTPUT_BUFFER_TOO_SHORT;
	case TPM_E_CMD_SIZE:
		return TCG_INVALID_INPUT_PARA;
	case TPM_E_RESP_TAG:
	case TPM_E_RESP_LEN:
	case TPM_E_RESP_RC:
		return TCG_INVALID_RESPONSE;
	}
	return TCG_FATAL_COM_ERROR;
}

// The TPM's answer, error responses included, goes to the caller; only a
// transport or format failure is an error of the call. The command is
// sent from, and the response received into, the caller's blocks (both
// checked): the driver sends the whole command before it receives.
static u32 pass_through(struct tpm_state *t, struct tcg_bios_regs *r,
			tcg_bios_range_fn ok)
{
	u32 cmd, cmd_len, opb_max;
	u32 rc = tcg_bios_parse_pass(r->es_di, ok, &cmd, &cmd_len, &opb_max);
	if (rc)
		return rc;
	if (!range(ok, r->ds_si, opb_max))
		return TCG_INVALID_INPUT_PARA;
	const u8 *c = at(cmd);
	u8 *o = phys_ptr(r->ds_si);
	u32 hdr = sizeof(struct tcg_pass_out);
	u32 rlen = 0;
	int trc =
	    tpm_transmit(&t->dev, c, cmd_len, o + hdr, opb_max - hdr, &rlen,
			 tpm_cmd_duration(get_be16(c), get_be32(c + 6)));
	if (trc < 0) {
		dprint(DL_ERR, "int1a: pass-through failed (%d)\n", trc);
		return tpm_error_code(trc);
	}
	put_le16(o + offsetof(struct tcg_pass_out, opb_length),
		 (u16)(hdr + rlen));
	put_le16(o + offsetof(struct tcg_pass_out, reserved), 0);
	return TCG_PC_OK;
}

// Log only: for events the caller extends itself (PassThroughToTPM) or
// EV_NO_ACTION, whose digests are zero (PFP "EV_NO_ACTION").
static u32 hash_log_event(struct tcg_ctx *c, struct tcg_bios_regs *r,
			  tcg_bios_range_fn ok)
{
	struct tcg_bios_event ev;
	u32 rc = tcg_bios_parse_hle(r->es_di, ok, &ev);
	if (rc)
		return rc;
	if (!range(ok, r->ds_si, sizeof(struct tcg_hle_out)))
		return TCG_INVALID_INPUT_PARA;
	if ((rc = can_log(c, ev.data_len)))
		return rc;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n = 0;
	u8 sha[TCG_SHA1_SIZE];
	if (ev.type != EV_NO_ACTION &&
	    (rc = tcg_bios_event_digests(&c->log, &ev, d, &n, sha)))
		return rc;
	if (tcglog_append(&c->log, ev.pcr, ev.type, n ? d : NULL, n,
			  at(ev.data_addr), ev.data_len))
		return TCG_PC_LOGOVERFLOW;
	u8 *o = phys_ptr(r->ds_si);
	put_le16(o + offsetof(struct tcg_hle_out, opb_length),
		 sizeof(struct tcg_hle_out));
	put_le16(o + offsetof(struct tcg_hle_out, reserved), 0);
	put_le32(o + offsetof(struct tcg_hle_out, event_number),
		 c->log.entries);
	return TCG_PC_OK;
}

static u32 hash_all(struct tcg_bios_regs *r, tcg_bios_range_fn ok)
{
	u32 addr, len;
	u32 rc = tcg_bios_parse_hash_all(r->es_di, ok, &addr, &len);
	if (rc)
		return rc;
	if (!range(ok, r->ds_si, TCG_SHA1_SIZE))
		return TCG_INVALID_INPUT_PARA;
	u8 sha[TCG_SHA1_SIZE]; // the output may overlap the data
	sha1(at(addr), len, sha);
	memcpy(phys_ptr(r->ds_si), sha, TCG_SHA1_SIZE);
	return TCG_PC_OK;
}

// ES:DI the data, ECX its length, ESI the informative value logged as the
// event data (4 bytes, little-endian), EDX the PCR in and the event number
// out. The data is always hashed here, even when ECX is 0.
static u32 compact_hash_log_extend_event(struct tcg_ctx *c,
					 struct tcg_bios_regs *r,
					 tcg_bios_range_fn ok)
{
	struct tcg_bios_event ev;
	memset(&ev, 0, sizeof(ev));
	if (!tcg_bios_pcr_ok(r->edx) || !range(ok, r->es_di, r->ecx))
		return TCG_INVALID_INPUT_PARA;
	ev.pcr = r->edx;
	ev.type = EV_COMPACT_HASH;
	ev.hash_addr = r->es_di;
	ev.hash_len = r->ecx;
	u8 info[4];
	put_le32(info, r->esi);
	ev.data_len = sizeof(info);
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n, rc = can_log(c, ev.data_len);
	if (rc)
		return rc;
	if (!ev.hash_len) {
		n = (u32)tcglog_hash_event(&c->log, "", 0, d);
	} else {
		u8 sha[TCG_SHA1_SIZE];
		if ((rc = tcg_bios_event_digests(&c->log, &ev, d, &n, sha)))
			return rc;
	}
	int m =
	    tcg_measure_digests(c, ev.pcr, ev.type, d, n, info, sizeof(info));
	if (m)
		return m == TCG_E_LOG_FULL ? TCG_PC_LOGOVERFLOW
					   : TCG_PC_TPMERROR;
	r->edx = c->log.entries;
	return TCG_PC_OK;
}

static u32 dispatch(struct tcg_ctx *c, struct tpm_state *t,
		    struct tcg_bios_regs *r, tcg_bios_range_fn ok)
{
	u8 fn = (u8)r->eax;
	if (interface_shut && fn != TCG_BIOS_STATUS_CHECK)
		return TCG_INTERFACE_SHUTDOWN;
	u32 rc = availability(c, t);
	if (rc)
		return rc;
	if (r->ebx != TCG_BIOS_MAGIC)
		return TCG_INVALID_INPUT_PARA;
	switch (fn) {
	case TCG_BIOS_STATUS_CHECK:
		return status_check(c, r);
	case TCG_BIOS_HASH_LOG_EXTEND_EVENT:
		return hash_log_extend_event(c, r, ok);
	case TCG_BIOS_PASS_THROUGH_TO_TPM:
		return pass_through(t, r, ok);
	case TCG_BIOS_SHUTDOWN_PRE_BOOT_INTERFACE:
		interface_shut = true;
		return TCG_PC_OK;
	case TCG_BIOS_HASH_LOG_EVENT:
		return hash_log_event(c, r, ok);
	case TCG_BIOS_HASH_ALL:
		return hash_all(r, ok);
	case TCG_BIOS_COMPACT_HASH_LOG_EXTEND_EVENT:
		return compact_hash_log_extend_event(c, r, ok);
	}
	return TCG_PC_UNSUPPORTED; // TCG_TSS: no TSS in this firmware
}

void tcg_bios_call(struct tcg_ctx *c, struct tpm_state *t,
		   struct tcg_bios_regs *r, tcg_bios_range_fn range_ok)
{
	u8 fn = (u8)r->eax;
	r->cf = false;
	if (fn > TCG_BIOS_COMPACT_HASH_LOG_EXTEND_EVENT) {
		// A function this spec revision does not define.
		r->eax = TCG_PC_UNSUPPORTED;
		r->cf = true;
		return;
	}
	r->eax = dispatch(c, t, r, range_ok);
	if (r->eax)
		dprint(DL_DETAIL, "int1a: TCG function %u returned 0x%x\n", fn,
		       r->eax);
	// After the hand-off the OS finds no locality held.
	if (t->locked)
		tpm_drv_release_locality(&t->dev);
}
