// TPM TIS/FIFO and CRB drivers (TCG PC Client Platform TPM Profile, PTP).
// Every wait polls a register against a deadline from the TIMEOUT_A..D
// values or a command duration, so a dead or misbehaving TPM costs bounded
// time and yields a distinct error code.
#include "hw/tpm_drivers.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "lib/string.h"
#include "output.h"
#include "std/byteorder.h"
#include "std/tpm.h"

#define MS 1000u
#define SEC 1000000u

// PTP 6.5.1.4 default timeouts (TPM 2.0); TIS 1.2 defaults for TPM 1.2.
static const u32 tpm20_timeouts[4] = {750 * MS, 2000 * MS, 200 * MS, 30 * MS};
static const u32 tpm12_timeouts[4] = {750 * MS, 2000 * MS, 750 * MS, 750 * MS};
// Command durations. TPM 2.0 has no reported values: the long class covers
// SelfTest(full), Clear and PCR_Allocate on slow parts. TPM 1.2 defaults
// apply until GetCapability(TPM_CAP_PROP_DURATION) says otherwise.
static const u32 tpm20_durations[3] = {750 * MS, 2000 * MS, 30 * SEC};
static const u32 tpm12_durations[3] = {2 * SEC, 20 * SEC, 60 * SEC};
// Bounds applied to values a TPM 1.2 reports. A reported duration never
// exceeds the default of its class: the classes are what the commands
// need, and a TPM reporting more (up to FFFFFFFFh) would only stretch the
// wait when it stops answering.
#define TIMEOUT_MIN (30 * MS)
#define TIMEOUT_MAX (10 * SEC)
#define DURATION_MIN (100 * MS)

// Indexed by -error.
static const char *const err_names[] = {
    "ok",
    "no TPM",
    "unknown interface",
    "locality not granted",
    "locality not available",
    "TPM not ready",
    "burstCount stuck at 0",
    "stsValid not set",
    "Expect bit wrong",
    "command timed out",
    "response shorter than a header",
    "response too big",
    "response truncated",
    "response longer than its size field",
    "bad command size",
    "CRB fatal error",
    "CRB buffer unusable",
    "cancel failed",
    "TPM disabled for this boot",
    "bad argument",
    "a command is still unanswered",
};
STATIC_ASSERT(ARRAY_SIZE(err_names) == 1 - TPM_E_BUSY, "one name per code");

const char *tpm_strerror(int err)
{
	if (err <= 0 && -err < (int)ARRAY_SIZE(err_names))
		return err_names[-err];
	return "error";
}

static u32 loc_base(const struct tpm_dev *dev, u8 loc)
{
	return dev->base + loc * TPM_LOCALITY_STRIDE;
}

// A wait of `us`, shortened to what is left of the boot's wait budget.
// Only waits that end without the condition are charged: a TPM that
// answers, however slowly, costs nothing, and one that stops answering
// costs at most TPM_WAIT_BUDGET_US over the whole boot, whatever the
// durations and timeouts it reported.
struct tpm_wait {
	u64 start, end;
	u64 mark; // up to here the wait is in dev->waited_us
};

static void wait_begin(const struct tpm_dev *dev, struct tpm_wait *w, u32 us)
{
	w->start = w->mark = clock_us();
	w->end = w->start + MIN(us, dev->wait_budget_us);
}

static bool wait_over(struct tpm_dev *dev, const struct tpm_wait *w)
{
	u64 now = clock_us();
	if (now < w->end)
		return false;
	u64 spent = now - w->start;
	dev->waited_us += (u32)(now - w->mark); // all of it was waiting
	dev->wait_budget_us -= (u32)MIN(spent, (u64)dev->wait_budget_us);
	if (!dev->wait_budget_us)
		dprint(DL_ERR, "tpm: wait budget used up\n");
	return true;
}

// Between two reads of a status register. Most commands answer within
// about 100 us, so a wait polls at once for its first TPM_SPIN_US; after
// that it sleeps TPM_POLL_US between reads: during POST udelay() halts the
// CPU (hw/cpu_idle.c), which lets the TPM emulator's host threads run
// where a spinning vCPU was seen to hold them off for 3-5 ms. A halt ends
// 50-80 us late under QEMU (host timer slack), hence not from the start.
#define TPM_SPIN_US 150
#define TPM_POLL_US 20

// Every read but a wait's first found the TPM not yet there: the time
// from the wait's start to each pause's end (and, for a wait that runs
// out, to its end) is time the firmware had nothing to do
// (dev->waited_us, for benchmarks).
static void poll_pause(struct tpm_dev *dev, struct tpm_wait *w)
{
	u64 now = clock_us();
	if (now - w->start >= TPM_SPIN_US) {
		udelay(TPM_POLL_US);
		now = clock_us();
	}
	dev->waited_us += (u32)(now - w->mark);
	w->mark = now;
}

// Poll until (reg & mask) == want; *val gets the last value read.
static bool wait32(struct tpm_dev *dev, u32 addr, u32 mask, u32 want, u32 us,
		   u32 *val)
{
	struct tpm_wait w;
	wait_begin(dev, &w, us);
	for (;;) {
		u32 v = mmio_read32(addr);
		if (val)
			*val = v;
		if ((v & mask) == want)
			return true;
		if (wait_over(dev, &w))
			return false;
		poll_pause(dev, &w);
	}
}

static bool wait8(struct tpm_dev *dev, u32 addr, u8 mask, u8 want, u32 us)
{
	struct tpm_wait w;
	wait_begin(dev, &w, us);
	for (;;) {
		if ((mmio_read8(addr) & mask) == want)
			return true;
		if (wait_over(dev, &w))
			return false;
		poll_pause(dev, &w);
	}
}

// ---- TIS / FIFO (PTP 5.5.2, TIS 1.2/1.3) -----------------------------------

static int tis_request_locality(struct tpm_dev *dev, u8 loc)
{
	const u8 ok = TIS_ACCESS_ACTIVE_LOCALITY | TIS_ACCESS_REG_VALID;
	u32 acc = loc_base(dev, loc) + TIS_REG_ACCESS;
	if ((mmio_read8(acc) & ok) == ok) {
		dev->locality = loc;
		return TPM_OK;
	}
	if (dev->locality >= 0)
		dev->ops->release_locality(dev);
	mmio_write8(acc, TIS_ACCESS_REQUEST_USE);
	if (!wait8(dev, acc, ok, ok, dev->timeout_a)) {
		// Withdraw the request so it is not granted behind our back.
		mmio_write8(acc, TIS_ACCESS_ACTIVE_LOCALITY);
		dprint(DL_ERR, "tpm tis: locality %u not granted in %u us\n",
		       loc, dev->timeout_a);
		return TPM_E_LOCALITY;
	}
	dev->locality = loc;
	return TPM_OK;
}

static void tis_release_locality(struct tpm_dev *dev)
{
	if (dev->locality < 0)
		return;
	mmio_write8(loc_base(dev, dev->locality) + TIS_REG_ACCESS,
		    TIS_ACCESS_ACTIVE_LOCALITY);
	dev->locality = -1;
}

// To Ready: discards a response or aborts a command. From Completion the
// first commandReady write only reaches Idle and a second one is needed
// (PTP FIFO state machine), so repeat the write about every millisecond.
static bool tis_ready(struct tpm_dev *dev, u32 sts)
{
	struct tpm_wait w;
	wait_begin(dev, &w, dev->timeout_b);
	u64 next = 0;
	for (;;) {
		u64 t = clock_us();
		if (t >= next) {
			mmio_write8(sts, TIS_STS_COMMAND_READY);
			next = t + 1000;
		}
		if (mmio_read32(sts) & TIS_STS_COMMAND_READY)
			return true;
		if (wait_over(dev, &w))
			return false;
		poll_pause(dev, &w);
	}
}

static int tis_cancel(struct tpm_dev *dev)
{
	if (dev->locality < 0) {
		dprint(DL_ERR, "tpm tis: cancel without a locality\n");
		return TPM_E_LOCALITY;
	}
	u32 sts = loc_base(dev, dev->locality) + TIS_REG_STS;
	if (dev->version == TPM_VER_20) {
		// commandCancel ends execution early; the TPM then completes.
		mmio_write8(sts + 3, TIS_STS_COMMAND_CANCEL >> 24);
		wait32(dev, sts, TIS_STS_VALID | TIS_STS_DATA_AVAIL,
		       TIS_STS_VALID | TIS_STS_DATA_AVAIL, dev->timeout_b,
		       NULL);
	}
	if (!tis_ready(dev, sts)) {
		dprint(DL_ERR, "tpm tis: cancel: commandReady not reached\n");
		return TPM_E_CANCEL;
	}
	return TPM_OK;
}

// burstCount, waiting up to TIMEOUT_D for it to become non-zero.
static u32 tis_burst(struct tpm_dev *dev, u32 sts)
{
	struct tpm_wait w;
	wait_begin(dev, &w, dev->timeout_d);
	for (;;) {
		u32 b = (mmio_read32(sts) & TIS_STS_BURST_MASK) >>
			TIS_STS_BURST_SHIFT;
		if (b)
			return b;
		if (wait_over(dev, &w))
			return 0;
		poll_pause(dev, &w);
	}
}

// TPM_INTF_CAPABILITY's Data Transfer Size Support above "legacy" allows
// FIFO accesses wider than a byte (PTP 1.3, 6.5.2.7, and TIS 1.3): four
// bytes per access cut the MMIO exits of a command to a quarter under
// QEMU. A TIS 1.2 TPM is only ever accessed a byte at a time.
static bool tis_wide_fifo(const struct tpm_dev *dev)
{
	u32 ifver = (dev->intf_cap & TIS_CAP_IFVER_MASK) >> TIS_CAP_IFVER_SHIFT;
	return (dev->intf_cap & TIS_CAP_XFER_MASK) &&
	       ifver != TIS_CAP_IFVER_TIS12;
}

static int tis_send(struct tpm_dev *dev, u32 sts, u32 fifo, const u8 *cmd,
		    u32 len)
{
	u32 sent = 0;
	// All but the last byte in bursts, Expect must stay set; the last byte
	// alone, after which Expect must clear (PTP, FIFO "Command Send" flow).
	while (sent < len) {
		u32 burst = tis_burst(dev, sts);
		if (!burst) {
			dprint(DL_ERR,
			       "tpm tis: burstCount 0 for %u us at byte %u\n",
			       dev->timeout_d, sent);
			return TPM_E_BURST;
		}
		u32 end =
		    sent + (sent < len - 1 ? MIN(burst, len - 1 - sent) : 1);
		while (tis_wide_fifo(dev) && end - sent >= 4) {
			mmio_write32(fifo, get_le32(cmd + sent));
			sent += 4;
		}
		while (sent < end)
			mmio_write8(fifo, cmd[sent++]);
		u32 v;
		if (!wait32(dev, sts, TIS_STS_VALID, TIS_STS_VALID,
			    dev->timeout_c, &v)) {
			dprint(DL_ERR,
			       "tpm tis: stsValid not set after write\n");
			return TPM_E_STS_VALID;
		}
		bool more = sent < len;
		if (!!(v & TIS_STS_EXPECT) != more) {
			dprint(DL_ERR,
			       "tpm tis: Expect=%u after %u of %u bytes\n",
			       !!(v & TIS_STS_EXPECT), sent, len);
			return TPM_E_EXPECT;
		}
	}
	return TPM_OK;
}

static int tis_recv(struct tpm_dev *dev, u32 sts, u32 fifo, u8 *buf, u32 len)
{
	const u32 avail = TIS_STS_VALID | TIS_STS_DATA_AVAIL;
	u32 got = 0;
	while (got < len) {
		if (!wait32(dev, sts, avail, avail, dev->timeout_c, NULL)) {
			dprint(DL_ERR,
			       "tpm tis: response ended at byte %u of %u\n",
			       got, len);
			return TPM_E_RESP_TRUNC;
		}
		u32 burst = tis_burst(dev, sts);
		if (!burst) {
			dprint(DL_ERR,
			       "tpm tis: burstCount 0 reading byte %u\n", got);
			return TPM_E_BURST;
		}
		u32 end = got + MIN(burst, len - got);
		while (tis_wide_fifo(dev) && end - got >= 4) {
			put_le32(buf + got, mmio_read32(fifo));
			got += 4;
		}
		while (got < end)
			buf[got++] = mmio_read8(fifo);
	}
	return TPM_OK;
}

// Ready, the command bytes, Go: the TPM then executes on its own.
static int tis_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len)
{
	u32 base = loc_base(dev, dev->locality);
	u32 sts = base + TIS_REG_STS, fifo = base + TIS_REG_DATA_FIFO;

	if (!(mmio_read32(sts) & TIS_STS_COMMAND_READY) &&
	    !tis_ready(dev, sts)) {
		dprint(DL_ERR, "tpm tis: commandReady not set in %u us\n",
		       dev->timeout_b);
		return TPM_E_NOT_READY;
	}
	int rc = tis_send(dev, sts, fifo, cmd, cmd_len);
	if (rc) {
		mmio_write8(sts, TIS_STS_COMMAND_READY);
		return rc;
	}
	mmio_write8(sts, TIS_STS_GO);
	return TPM_OK;
}

static int tis_finish(struct tpm_dev *dev, u8 *resp, u32 resp_max,
		      u32 *resp_len, u32 wait_us)
{
	u32 base = loc_base(dev, dev->locality);
	u32 sts = base + TIS_REG_STS, fifo = base + TIS_REG_DATA_FIFO;
	const u32 avail = TIS_STS_VALID | TIS_STS_DATA_AVAIL;
	int rc;

	if (!wait32(dev, sts, avail, avail, wait_us, NULL)) {
		dprint(DL_ERR, "tpm tis: no response to 0x%x in %u us\n",
		       dev->cmd_code, wait_us);
		tis_cancel(dev);
		return TPM_E_TIMEOUT;
	}
	rc = tis_recv(dev, sts, fifo, resp, TPM_HEADER_SIZE);
	if (rc)
		goto abort;
	u32 size = get_be32(resp + 2);
	if (size < TPM_HEADER_SIZE) {
		dprint(DL_ERR, "tpm tis: response size field %u\n", size);
		rc = TPM_E_RESP_SHORT;
		goto abort;
	}
	if (size > resp_max) {
		dprint(DL_ERR, "tpm tis: response of %u bytes > buffer %u\n",
		       size, resp_max);
		rc = TPM_E_RESP_TOO_BIG;
		goto abort;
	}
	rc = tis_recv(dev, sts, fifo, resp + TPM_HEADER_SIZE,
		      size - TPM_HEADER_SIZE);
	if (rc)
		goto abort;
	u32 v;
	if (!wait32(dev, sts, TIS_STS_VALID, TIS_STS_VALID, dev->timeout_c,
		    &v)) {
		dprint(DL_ERR, "tpm tis: stsValid not set after read\n");
		rc = TPM_E_STS_VALID;
		goto abort;
	}
	if (v & TIS_STS_DATA_AVAIL) {
		dprint(DL_ERR, "tpm tis: data beyond response size %u\n", size);
		rc = TPM_E_RESP_EXTRA;
		goto abort;
	}
	*resp_len = size;
	// Release the response buffer; the TPM goes idle/ready.
	mmio_write8(sts, TIS_STS_COMMAND_READY);
	return TPM_OK;
abort:
	mmio_write8(sts, TIS_STS_COMMAND_READY);
	return rc;
}

static int tis_probe(struct tpm_dev *dev)
{
	u32 id = mmio_read32(dev->base + TIS_REG_INTERFACE_ID);
	u32 cap = mmio_read32(dev->base + TIS_REG_INTF_CAPABILITY);
	dev->intf_id = id;
	dev->intf_cap = cap;
	dev->did_vid = mmio_read32(dev->base + TIS_REG_DID_VID);
	dev->all_localities = true; // TIS 1.2 and PTP FIFO: five localities
	u32 ifver = (cap & TIS_CAP_IFVER_MASK) >> TIS_CAP_IFVER_SHIFT;
	// TIS 1.2 has no family field (reserved bits) and only TPM 1.2;
	// TPM_INTERFACE_ID is reserved there too and may read 0 (= "FIFO").
	if (ifver == TIS_CAP_IFVER_TIS12) {
		dev->version = TPM_VER_12;
		return TPM_OK;
	}
	// TIS 1.3 and the PTP FIFO say the family in TPM_STS.tpmFamily, and
	// TIS 1.3 serves TPM 2.0 as well as 1.2: the family decides before
	// the interface version. Only the active locality reads TPM_STS.
	int rc = tis_request_locality(dev, 0);
	if (rc)
		return rc;
	u32 sts = mmio_read32(dev->base + TIS_REG_STS);
	u32 family = (sts & TIS_STS_FAMILY_MASK) >> TIS_STS_FAMILY_SHIFT;
	if (sts != 0xFFFFFFFFu && family == TIS_STS_FAMILY_20) {
		dev->version = TPM_VER_20;
		return TPM_OK;
	}
	if (sts != 0xFFFFFFFFu && family == TIS_STS_FAMILY_12) {
		dev->version = TPM_VER_12;
		return TPM_OK;
	}
	// A reserved family value: the interface says what it can.
	if (ifver == TIS_CAP_IFVER_TIS13) {
		dev->version = TPM_VER_12;
		return TPM_OK;
	}
	if (ifver == TIS_CAP_IFVER_PTP20 ||
	    (id & TPM_INTF_TYPE_MASK) == TPM_INTF_TYPE_FIFO) {
		dev->version = TPM_VER_20; // a later PTP FIFO revision
		return TPM_OK;
	}
	dprint(DL_ERR,
	       "tpm tis: unknown family, capability 0x%x, status 0x%x\n", cap,
	       sts);
	return TPM_E_IFACE;
}

static const struct tpm_driver_ops tis_ops = {
    .name = "TIS",
    .probe = tis_probe,
    .request_locality = tis_request_locality,
    .release_locality = tis_release_locality,
    .start = tis_start,
    .finish = tis_finish,
    .cancel = tis_cancel,
};

// ---- CRB (PTP, CRB interface and control area) ----------------------------

static void crb_write(u32 addr, const u8 *src, u32 len)
{
	u32 i = 0;
	for (; i < len && ((addr + i) & 3); i++)
		mmio_write8(addr + i, src[i]);
	for (; i + 4 <= len; i += 4)
		mmio_write32(addr + i, get_le32(src + i));
	for (; i < len; i++)
		mmio_write8(addr + i, src[i]);
}

static void crb_read(u32 addr, u8 *dst, u32 len)
{
	u32 i = 0;
	for (; i < len && ((addr + i) & 3); i++)
		dst[i] = mmio_read8(addr + i);
	for (; i + 4 <= len; i += 4)
		put_le32(dst + i, mmio_read32(addr + i));
	for (; i < len; i++)
		dst[i] = mmio_read8(addr + i);
}

// The buffers come from the control area of the locality in use. The
// firmware runs 32-bit without paging, so they must sit below 4 GiB.
static int crb_read_buffers(struct tpm_dev *dev, u8 loc)
{
	u32 b = loc_base(dev, loc);
	u32 cmd_lo = mmio_read32(b + CRB_REG_CMD_LADDR);
	u32 cmd_hi = mmio_read32(b + CRB_REG_CMD_HADDR);
	u32 cmd_size = mmio_read32(b + CRB_REG_CMD_SIZE);
	u32 rsp_lo = mmio_read32(b + CRB_REG_RSP_ADDR);
	u32 rsp_hi = mmio_read32(b + CRB_REG_RSP_ADDR + 4);
	u32 rsp_size = mmio_read32(b + CRB_REG_RSP_SIZE);
	if (cmd_hi || rsp_hi || !cmd_lo || !rsp_lo ||
	    cmd_size < TPM_HEADER_SIZE || rsp_size < TPM_HEADER_SIZE ||
	    cmd_lo + cmd_size - 1 < cmd_lo || rsp_lo + rsp_size - 1 < rsp_lo) {
		dprint(DL_ERR,
		       "tpm crb: unusable buffers cmd %x:%08x+%u rsp "
		       "%x:%08x+%u\n",
		       cmd_hi, cmd_lo, cmd_size, rsp_hi, rsp_lo, rsp_size);
		return TPM_E_CRB_BUFFER;
	}
	dev->crb_cmd_addr = cmd_lo;
	dev->crb_cmd_size = cmd_size;
	dev->crb_rsp_addr = rsp_lo;
	dev->crb_rsp_size = rsp_size;
	return TPM_OK;
}

static bool crb_holds(struct tpm_dev *dev, u8 loc)
{
	u32 want = CRB_LOC_STATE_REG_VALID | CRB_LOC_STATE_ASSIGNED |
		   (u32)loc << CRB_LOC_STATE_ACTIVE_SHIFT;
	u32 mask = CRB_LOC_STATE_REG_VALID | CRB_LOC_STATE_ASSIGNED |
		   CRB_LOC_STATE_ACTIVE_MASK;
	u32 b = loc_base(dev, loc);
	return (mmio_read32(b + CRB_REG_LOC_STATE) & mask) == want &&
	       (mmio_read32(b + CRB_REG_LOC_STS) & CRB_LOC_STS_GRANTED);
}

static int crb_request_locality(struct tpm_dev *dev, u8 loc)
{
	if (loc && !dev->all_localities) {
		dprint(DL_ERR, "tpm crb: locality %u not offered\n", loc);
		return TPM_E_LOCALITY_RANGE;
	}
	if (!crb_holds(dev, loc)) {
		if (dev->locality >= 0)
			dev->ops->release_locality(dev);
		u32 b = loc_base(dev, loc);
		mmio_write32(b + CRB_REG_LOC_CTRL, CRB_LOC_CTRL_REQUEST);
		struct tpm_wait w;
		wait_begin(dev, &w, dev->timeout_a);
		while (!crb_holds(dev, loc)) {
			if (wait_over(dev, &w)) {
				mmio_write32(b + CRB_REG_LOC_CTRL,
					     CRB_LOC_CTRL_RELINQUISH);
				dprint(DL_ERR,
				       "tpm crb: locality %u not granted in "
				       "%u us\n",
				       loc, dev->timeout_a);
				return TPM_E_LOCALITY;
			}
			poll_pause(dev, &w);
		}
	}
	int rc = crb_read_buffers(dev, loc);
	if (rc)
		return rc;
	dev->locality = loc;
	return TPM_OK;
}

static void crb_release_locality(struct tpm_dev *dev)
{
	if (dev->locality < 0)
		return;
	u32 b = loc_base(dev, dev->locality);
	// Idle saves power and is the state an OS driver expects to find.
	mmio_write32(b + CRB_REG_CTRL_REQ, CRB_CTRL_REQ_GO_IDLE);
	if (!wait32(dev, b + CRB_REG_CTRL_REQ, CRB_CTRL_REQ_GO_IDLE, 0,
		    dev->timeout_c, NULL))
		dprint(DL_ERR, "tpm crb: goIdle not acknowledged\n");
	mmio_write32(b + CRB_REG_LOC_CTRL, CRB_LOC_CTRL_RELINQUISH);
	dev->locality = -1;
}

static int crb_cancel(struct tpm_dev *dev)
{
	if (dev->locality < 0) {
		dprint(DL_ERR, "tpm crb: cancel without a locality\n");
		return TPM_E_LOCALITY;
	}
	u32 b = loc_base(dev, dev->locality);
	mmio_write32(b + CRB_REG_CTRL_CANCEL, CRB_CTRL_CANCEL);
	bool done = wait32(dev, b + CRB_REG_CTRL_START, CRB_CTRL_START, 0,
			   dev->timeout_b, NULL);
	mmio_write32(b + CRB_REG_CTRL_CANCEL, 0);
	if (!done) {
		dprint(DL_ERR, "tpm crb: cancel: start bit not cleared\n");
		return TPM_E_CANCEL;
	}
	return TPM_OK;
}

static int crb_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len)
{
	u32 b = loc_base(dev, dev->locality);

	if (cmd_len > dev->crb_cmd_size) {
		dprint(DL_ERR, "tpm crb: command of %u bytes > buffer %u\n",
		       cmd_len, dev->crb_cmd_size);
		return TPM_E_CMD_SIZE;
	}
	if (mmio_read32(b + CRB_REG_CTRL_STS) & CRB_CTRL_STS_ERROR) {
		dprint(DL_ERR, "tpm crb: TPM reports a fatal error\n");
		return TPM_E_CRB_ERROR;
	}
	// Idle -> Ready: the TPM clears cmdReady once it is ready (PTP, CRB
	// states).
	mmio_write32(b + CRB_REG_CTRL_REQ, CRB_CTRL_REQ_CMD_READY);
	if (!wait32(dev, b + CRB_REG_CTRL_REQ, CRB_CTRL_REQ_CMD_READY, 0,
		    dev->timeout_c, NULL) ||
	    !wait32(dev, b + CRB_REG_CTRL_STS,
		    CRB_CTRL_STS_IDLE | CRB_CTRL_STS_ERROR, 0, dev->timeout_c,
		    NULL)) {
		dprint(DL_ERR, "tpm crb: cmdReady not reached in %u us\n",
		       dev->timeout_c);
		return TPM_E_NOT_READY;
	}
	crb_write(dev->crb_cmd_addr, cmd, cmd_len);
	mmio_write32(b + CRB_REG_CTRL_START, CRB_CTRL_START);
	return TPM_OK;
}

static int crb_finish(struct tpm_dev *dev, u8 *resp, u32 resp_max,
		      u32 *resp_len, u32 wait_us)
{
	u32 b = loc_base(dev, dev->locality);
	if (!wait32(dev, b + CRB_REG_CTRL_START, CRB_CTRL_START, 0, wait_us,
		    NULL)) {
		dprint(DL_ERR, "tpm crb: no response to 0x%x in %u us\n",
		       dev->cmd_code, wait_us);
		crb_cancel(dev);
		return TPM_E_TIMEOUT;
	}
	u32 v = mmio_read32(b + CRB_REG_CTRL_STS);
	if (v & CRB_CTRL_STS_ERROR) {
		dprint(DL_ERR, "tpm crb: fatal error after command 0x%x\n",
		       dev->cmd_code);
		return TPM_E_CRB_ERROR;
	}
	crb_read(dev->crb_rsp_addr, resp, TPM_HEADER_SIZE);
	u32 size = get_be32(resp + 2);
	if (size < TPM_HEADER_SIZE) {
		dprint(DL_ERR, "tpm crb: response size field %u\n", size);
		return TPM_E_RESP_SHORT;
	}
	if (size > dev->crb_rsp_size) {
		dprint(DL_ERR, "tpm crb: response size %u > TPM buffer %u\n",
		       size, dev->crb_rsp_size);
		return TPM_E_RESP_TRUNC;
	}
	if (size > resp_max) {
		dprint(DL_ERR, "tpm crb: response of %u bytes > buffer %u\n",
		       size, resp_max);
		return TPM_E_RESP_TOO_BIG;
	}
	crb_read(dev->crb_rsp_addr + TPM_HEADER_SIZE, resp + TPM_HEADER_SIZE,
		 size - TPM_HEADER_SIZE);
	*resp_len = size;
	return TPM_OK;
}

static int crb_probe(struct tpm_dev *dev)
{
	u32 id = mmio_read32(dev->base + CRB_REG_INTF_ID);
	dev->intf_id = id;
	dev->intf_cap = 0;
	u32 hi = mmio_read32(dev->base + CRB_REG_INTF_ID_HI);
	dev->did_vid = hi; // VID in bits 15:0, DID in 31:16, as TIS DID_VID
	dev->all_localities = !!(id & TPM_INTF_CAP_LOCALITY);
	dev->version = TPM_VER_20; // CRB exists only for TPM 2.0
	return TPM_OK;
}

static const struct tpm_driver_ops crb_ops = {
    .name = "CRB",
    .probe = crb_probe,
    .request_locality = crb_request_locality,
    .release_locality = crb_release_locality,
    .start = crb_start,
    .finish = crb_finish,
    .cancel = crb_cancel,
};

// ---- Common
// ------------------------------------------------------------------

static void set_defaults(struct tpm_dev *dev)
{
	const u32 *t =
	    dev->version == TPM_VER_12 ? tpm12_timeouts : tpm20_timeouts;
	const u32 *d =
	    dev->version == TPM_VER_12 ? tpm12_durations : tpm20_durations;
	dev->timeout_a = t[0];
	dev->timeout_b = t[1];
	dev->timeout_c = t[2];
	dev->timeout_d = t[3];
	for (int i = 0; i < 3; i++)
		dev->duration[i] = d[i];
}

int tpm_drv_probe(struct tpm_dev *dev, u32 base)
{
	if (!dev)
		return TPM_E_ARG;
	memset(dev, 0, sizeof(*dev));
	dev->base = base;
	dev->locality = -1;
	dev->retry_budget_us = TPM_RETRY_BUDGET_US;
	dev->wait_budget_us = TPM_WAIT_BUDGET_US;
	dev->version = TPM_VER_20;
	set_defaults(dev); // TIMEOUT_A for the register-valid wait below

	// Floating bus reads all ones; tpmRegValidSts says the rest is valid
	// (PTP registers TPM_ACCESS_x / TPM_LOC_STATE_x: same bit).
	u8 acc = mmio_read8(base + TIS_REG_ACCESS);
	if (acc == 0xFF) {
		dprint(DL_INFO, "tpm: nothing at 0x%x\n", base);
		return TPM_E_NODEV;
	}
	// QEMU reads unassigned MMIO as zeros. A TPM has a vendor id in
	// TPM_DID_VID (TIS) or the interface id's high word (CRB) even
	// before tpmRegValidSts: all zeros means there is no device, and
	// waiting TIMEOUT_A for it would only slow every TPM-less boot.
	if (acc == 0 && !mmio_read32(base + TIS_REG_DID_VID) &&
	    !mmio_read32(base + CRB_REG_INTF_ID_HI)) {
		dprint(DL_INFO, "tpm: nothing at 0x%x (reads zero)\n", base);
		return TPM_E_NODEV;
	}
	if (!wait8(dev, base + TIS_REG_ACCESS, TIS_ACCESS_REG_VALID,
		   TIS_ACCESS_REG_VALID, dev->timeout_a)) {
		dprint(DL_ERR, "tpm: registers at 0x%x never valid (0x%x)\n",
		       base, acc);
		return TPM_E_NODEV;
	}
	u32 id = mmio_read32(base + TIS_REG_INTERFACE_ID);
	u32 type = id & TPM_INTF_TYPE_MASK;
	if (type == TPM_INTF_TYPE_CRB && (id & TPM_INTF_CAP_CRB)) {
		dev->ops = &crb_ops;
		dev->iface = TPM_IFACE_CRB;
	} else if (type == TPM_INTF_TYPE_FIFO || type == TPM_INTF_TYPE_TIS13) {
		dev->ops = &tis_ops;
		dev->iface = TPM_IFACE_TIS;
	} else {
		dprint(DL_ERR, "tpm: unknown interface id 0x%x\n", id);
		return TPM_E_IFACE;
	}
	int rc = dev->ops->probe(dev);
	if (rc) {
		dev->ops = NULL;
		dev->iface = TPM_IFACE_NONE;
		return rc;
	}
	set_defaults(dev);
	dprint(DL_INFO, "tpm: %s interface, TPM %s, did:vid %04x:%04x\n",
	       dev->ops->name, dev->version == TPM_VER_12 ? "1.2" : "2.0",
	       dev->did_vid >> 16, dev->did_vid & 0xFFFF);
	return tpm_drv_request_locality(dev, 0);
}

int tpm_drv_request_locality(struct tpm_dev *dev, u8 loc)
{
	if (!dev || !dev->ops)
		return TPM_E_NODEV;
	if (loc >= TPM_NUM_LOCALITIES) {
		dprint(DL_ERR, "tpm: no locality %u\n", loc);
		return TPM_E_LOCALITY_RANGE;
	}
	int rc = dev->ops->request_locality(dev, loc);
	if (rc == TPM_OK)
		dev->want_locality = loc;
	return rc;
}

void tpm_drv_release_locality(struct tpm_dev *dev)
{
	if (dev && dev->ops)
		dev->ops->release_locality(dev);
}

int tpm_drv_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len,
		  enum tpm_duration dur)
{
	if (!dev || !dev->ops)
		return TPM_E_NODEV;
	if (dev->in_flight && dev->complete_pending)
		dev->complete_pending(dev);
	dev->start_us = clock_us();
	dev->start_waited_us = dev->waited_us;
	if (dev->in_flight) {
		dprint(DL_ERR, "tpm: 0x%x sent while 0x%x is unanswered\n",
		       cmd && cmd_len >= TPM_HEADER_SIZE ? get_be32(cmd + 6)
							 : 0,
		       dev->cmd_code);
		return TPM_E_BUSY;
	}
	if (dev->failed) {
		dprint(DL_DETAIL, "tpm: disabled, command not sent\n");
		return TPM_E_DISABLED;
	}
	if (!cmd || (u32)dur > TPM_DUR_LONG) {
		dprint(DL_ERR, "tpm: transmit: bad arguments\n");
		return TPM_E_ARG;
	}
	if (cmd_len < TPM_HEADER_SIZE || get_be32(cmd + 2) != cmd_len) {
		dprint(DL_ERR, "tpm: malformed command of %u bytes\n", cmd_len);
		return TPM_E_CMD_SIZE;
	}
	if (dev->locality < 0) {
		int rc = tpm_drv_request_locality(dev, dev->want_locality);
		if (rc)
			return rc;
	}
	dev->transfers++;
	dev->cmd_code = get_be32(cmd + 6);
	dev->cmd_wait_us = dev->duration[dur];
	int rc = dev->ops->start(dev, cmd, cmd_len);
	dev->in_flight = rc == TPM_OK;
	return rc;
}

int tpm_drv_finish(struct tpm_dev *dev, u8 *resp, u32 resp_max, u32 *resp_len)
{
	if (!dev || !dev->ops)
		return TPM_E_NODEV;
	if (!dev->in_flight) {
		dprint(DL_ERR, "tpm: no command to finish\n");
		return TPM_E_ARG;
	}
	dev->in_flight = false;
	if (!resp || !resp_len || resp_max < TPM_HEADER_SIZE) {
		dprint(DL_ERR, "tpm: transmit: bad arguments\n");
		return TPM_E_ARG;
	}
	*resp_len = 0;
	return dev->ops->finish(dev, resp, resp_max, resp_len,
				dev->cmd_wait_us);
}

int tpm_drv_transmit(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len, u8 *resp,
		     u32 resp_max, u32 *resp_len, enum tpm_duration dur)
{
	if (!resp || !resp_len || resp_max < TPM_HEADER_SIZE) {
		dprint(DL_ERR, "tpm: transmit: bad arguments\n");
		return TPM_E_ARG;
	}
	*resp_len = 0;
	int rc = tpm_drv_start(dev, cmd, cmd_len, dur);
	return rc ? rc : tpm_drv_finish(dev, resp, resp_max, resp_len);
}

int tpm_drv_cancel(struct tpm_dev *dev)
{
	if (!dev || !dev->ops)
		return TPM_E_NODEV;
	return dev->ops->cancel(dev);
}

static u32 clamp_us(u32 v, u32 def, u32 lo, u32 hi)
{
	if (!v)
		return def;
	if (v < 1000)
		v *= 1000; // some TPM 1.2 parts report milliseconds
	return v < lo ? lo : v > hi ? hi : v;
}

void tpm_drv_set_timeouts(struct tpm_dev *dev, const u32 t[4])
{
	dev->timeout_a =
	    clamp_us(t[0], tpm12_timeouts[0], TIMEOUT_MIN, TIMEOUT_MAX);
	dev->timeout_b =
	    clamp_us(t[1], tpm12_timeouts[1], TIMEOUT_MIN, TIMEOUT_MAX);
	dev->timeout_c =
	    clamp_us(t[2], tpm12_timeouts[2], TIMEOUT_MIN, TIMEOUT_MAX);
	dev->timeout_d =
	    clamp_us(t[3], tpm12_timeouts[3], TIMEOUT_MIN, TIMEOUT_MAX);
}

void tpm_drv_set_durations(struct tpm_dev *dev, const u32 d[3])
{
	for (int i = 0; i < 3; i++)
		dev->duration[i] = clamp_us(d[i], tpm12_durations[i],
					    DURATION_MIN, tpm12_durations[i]);
}
