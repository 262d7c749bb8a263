// Register-level TPM fake for the host tests: TIS/FIFO and CRB state
// machines after the PTP, executing commands on the engine of
// fake_tpm_libtpms.c (or, in the fuzz targets, one that replays input).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_tpm.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "output.h"
#include "std/byteorder.h"
#include "std/tpm.h"

#define DID_VID 0x00011014 // DID 1, VID IBM (what QEMU reports)
#define LATENCY_US 50	   // virtual time a command takes
#define CMD_MAX 4096
#define RSP_MAX 8192
#define CRB_BUF_ADDR (TPM_MMIO_BASE + CRB_REG_DATA_BUFFER)
#define CRB_BUF_SIZE (TPM_LOCALITY_STRIDE - CRB_REG_DATA_BUFFER)

enum tis_state { ST_IDLE, ST_READY, ST_RECEPTION, ST_EXECUTION, ST_COMPLETION };

static struct {
	enum fake_iface iface;
	int version;
	enum fake_fault fault;
	u16 burst;
	bool crb_all_loc;
	int tis_ifver;
	bool intf_id_set;
	u32 intf_id;
	int active;
	bool pending[TPM_NUM_LOCALITIES];
	// TIS
	enum tis_state state;
	u8 cmd[CMD_MAX];
	u32 cmd_len;
	u8 rsp[RSP_MAX];
	u32 rsp_len, rsp_avail, rsp_pos;
	u64 done_at;
	u32 chunk, max_chunk;
	// CRB
	bool crb_idle, crb_start, crb_cmd_ready_pending, crb_error;
	u32 crb_cancel;
	u8 crb_buf[CRB_BUF_SIZE];
	// per-command faults (fake_tpm_fail_command, fake_tpm_garble_command)
	u32 fail_code, fail_rc, fail_times;
	u32 garble_code, garble_times;
	// stats
	u32 commands, cancels;
	int last_loc;
} f;

static u64 now;
static u32 clock_step = 3;
static fake_read_filter read_filter;

// ---- Register state
// ------------------------------------------------------------

static void regs_reset(void)
{
	f.active = -1;
	memset(f.pending, 0, sizeof(f.pending));
	f.state = ST_IDLE;
	f.cmd_len = f.rsp_len = f.rsp_avail = f.rsp_pos = 0;
	f.crb_idle = true;
	f.crb_start = false;
	f.crb_cmd_ready_pending = false;
	f.crb_error = false;
	f.crb_cancel = 0;
	f.chunk = f.max_chunk = 0;
}

void fake_tpm_init(enum fake_iface iface, int version)
{
	fake_engine_stop(true);
	memset(&f, 0, sizeof(f));
	f.iface = iface;
	f.version = version;
	f.burst = 64;
	f.tis_ifver = version == 12 ? TIS_CAP_IFVER_TIS13 : TIS_CAP_IFVER_PTP20;
	f.last_loc = -1;
	regs_reset();
	if (iface != FAKE_NONE)
		fake_engine_start(version);
}

void fake_tpm_reset(void)
{
	fake_engine_stop(false);
	regs_reset();
	if (f.iface != FAKE_NONE)
		fake_engine_start(f.version);
}

void fake_tpm_fini(void)
{
	fake_engine_stop(true);
}

void fake_tpm_set_fault(enum fake_fault flt)
{
	f.fault = flt;
}
void fake_tpm_fail_command(u32 code, u32 rc, u32 times)
{
	f.fail_code = code;
	f.fail_rc = rc;
	f.fail_times = times;
}

void fake_tpm_garble_command(u32 code, u32 times)
{
	f.garble_code = code;
	f.garble_times = times;
}

void fake_tpm_set_burst(u16 burst)
{
	f.burst = burst;
}
void fake_tpm_set_crb_localities(bool all)
{
	f.crb_all_loc = all;
}
void fake_tpm_set_tis_ifver(int ifver)
{
	f.tis_ifver = ifver;
}
void fake_tpm_set_intf_id(u32 v)
{
	f.intf_id_set = true;
	f.intf_id = v;
}
u32 fake_tpm_commands(void)
{
	return f.commands;
}
u32 fake_tpm_cancels(void)
{
	return f.cancels;
}
int fake_tpm_last_locality(void)
{
	return f.last_loc;
}
int fake_tpm_active_locality(void)
{
	return f.active;
}
u32 fake_tpm_max_chunk(void)
{
	return f.max_chunk;
}
void fake_tpm_set_clock_step(u32 us)
{
	clock_step = us;
}
void fake_tpm_set_read_filter(fake_read_filter fn)
{
	read_filter = fn;
}
u64 fake_clock_now(void)
{
	return now;
}

static bool hanging(void)
{
	return f.fault == FAULT_HANG || f.fault == FAULT_HANG_HARD;
}

// Run the received command and shape the response by the injected fault.
static void execute(const u8 *cmd, u32 len)
{
	f.commands++;
	f.last_loc = f.active;
	u32 code = len >= 10 ? get_be32(cmd + 6) : 0;
	if (f.fail_times && code == f.fail_code) {
		f.fail_times--;
		bool v20 = len >= 2 && get_be16(cmd) >= 0x8000;
		put_be16(f.rsp, v20 ? 0x8001 : 0x00C4);
		put_be32(f.rsp + 2, 10);
		put_be32(f.rsp + 6, f.fail_rc);
		f.rsp_len = 10;
	} else {
		f.rsp_len = fake_tpm_engine(cmd, len, f.rsp, RSP_MAX, f.active);
	}
	if (f.garble_times && code == f.garble_code && f.rsp_len >= 10) {
		// A well-framed success whose body ends too early to parse.
		f.garble_times--;
		put_be32(f.rsp + 6, 0);
		memset(f.rsp + 10, 0xFF, 3);
		f.rsp_len = 13;
		put_be32(f.rsp + 2, f.rsp_len);
	}
	switch (f.fault) {
	case FAULT_GARBAGE:
		f.rsp_len = 32;
		for (u32 i = 0; i < f.rsp_len; i++)
			f.rsp[i] = (u8)(0x5A ^ (i * 37));
		put_be32(f.rsp + 2, f.rsp_len); // consistent size, bad tag
		break;
	case FAULT_RESP_SHORT:
		put_be32(f.rsp + 2, 6);
		break;
	case FAULT_TRUNCATED:
		if (f.iface == FAKE_CRB)
			put_be32(f.rsp + 2, 0x10000);
		break;
	case FAULT_OVERSIZED:
		if (f.rsp_len < 2000)
			memset(f.rsp + f.rsp_len, 0, 2000 - f.rsp_len);
		f.rsp_len = 2000;
		put_be32(f.rsp + 2, f.rsp_len);
		break;
	case FAULT_WRONG_SIZE:
		put_be32(f.rsp + 2, f.rsp_len - 4);
		break;
	default:
		break;
	}
	f.rsp_avail = f.rsp_len;
	if (f.fault == FAULT_TRUNCATED && f.iface == FAKE_TIS)
		f.rsp_avail = f.rsp_len / 2;
	f.rsp_pos = 0;
	f.done_at = now + LATENCY_US;
}

static void canceled_response(void)
{
	f.cancels++;
	u16 tag = f.version == 12 ? TPM_TAG_RSP_COMMAND : TPM2_ST_NO_SESSIONS;
	put_be16(f.rsp, tag);
	put_be32(f.rsp + 2, TPM_HEADER_SIZE);
	put_be32(f.rsp + 6, TPM2_RC_CANCELED);
	f.rsp_len = f.rsp_avail = TPM_HEADER_SIZE;
	f.rsp_pos = 0;
	f.done_at = now;
}

static bool done(void)
{
	return !hanging() && now >= f.done_at;
}

// ---- TIS
// -------------------------------------------------------------------------

static void tis_set_active(int loc)
{
	if (f.active != loc)
		f.state = ST_IDLE;
	f.active = loc;
}

static u32 tis_sts(void)
{
	if (f.state == ST_EXECUTION && done())
		f.state = ST_COMPLETION;
	u32 v = f.fault == FAULT_NO_STS_VALID ? 0 : TIS_STS_VALID;
	u32 burst = 0;
	switch (f.state) {
	case ST_IDLE:
	case ST_EXECUTION:
		break;
	case ST_READY:
	case ST_RECEPTION: {
		if (f.state == ST_READY)
			v |= TIS_STS_COMMAND_READY;
		bool need = f.cmd_len < 6 || f.cmd_len < get_be32(f.cmd + 2);
		if (f.state == ST_RECEPTION && need &&
		    f.fault != FAULT_EXPECT_EARLY)
			v |= TIS_STS_EXPECT;
		burst = MIN((u32)f.burst, CMD_MAX - f.cmd_len);
		break;
	}
	case ST_COMPLETION:
		if (f.rsp_pos < f.rsp_avail) {
			v |= TIS_STS_DATA_AVAIL;
			burst = MIN((u32)f.burst, f.rsp_avail - f.rsp_pos);
		}
		break;
	}
	if (f.fault == FAULT_BURST_ZERO)
		burst = 0;
	v |= burst << TIS_STS_BURST_SHIFT;
	if (f.version == 20)
		v |= TIS_STS_FAMILY_20 << TIS_STS_FAMILY_SHIFT;
	return v;
}

static void tis_sts_write(int byte, u8 val)
{
	if (byte == 0) {
		if ((val & TIS_STS_COMMAND_READY) &&
		    f.fault != FAULT_NEVER_READY) {
			if (f.state == ST_EXECUTION &&
			    f.fault == FAULT_HANG_HARD)
				return;
			if (f.state == ST_EXECUTION && hanging())
				f.cancels++; // abort of a running command
			// Completion -> Idle; otherwise -> Ready (PTP 5.5.2).
			f.state = f.state == ST_COMPLETION ? ST_IDLE : ST_READY;
			f.cmd_len = 0;
			f.rsp_pos = f.rsp_avail = 0;
		}
		if ((val & TIS_STS_GO) && f.state == ST_RECEPTION &&
		    f.cmd_len >= TPM_HEADER_SIZE &&
		    f.cmd_len == get_be32(f.cmd + 2)) {
			execute(f.cmd, f.cmd_len);
			f.state = ST_EXECUTION;
		}
		if ((val & TIS_STS_RESPONSE_RETRY) && f.state == ST_COMPLETION)
			f.rsp_pos = 0;
	} else if (byte == 3 && (val & (TIS_STS_COMMAND_CANCEL >> 24))) {
		if (f.version == 20 && f.state == ST_EXECUTION && !done() &&
		    f.fault != FAULT_HANG_HARD) {
			canceled_response();
			f.state = ST_COMPLETION;
		}
	}
}

static u8 tis_fifo_read(void)
{
	f.chunk++;
	if (f.chunk > f.max_chunk)
		f.max_chunk = f.chunk;
	if (f.state == ST_COMPLETION && f.rsp_pos < f.rsp_avail)
		return f.rsp[f.rsp_pos++];
	return 0xFF;
}

static void tis_fifo_write(u8 v)
{
	f.chunk++;
	if (f.chunk > f.max_chunk)
		f.max_chunk = f.chunk;
	if ((f.state == ST_READY || f.state == ST_RECEPTION) &&
	    f.cmd_len < CMD_MAX) {
		f.cmd[f.cmd_len++] = v;
		f.state = ST_RECEPTION;
	}
}

static u32 tis_read32(int loc, u32 reg)
{
	switch (reg) {
	case TIS_REG_ACCESS: {
		u32 v = TIS_ACCESS_REG_VALID;
		if (f.active == loc)
			v |= TIS_ACCESS_ACTIVE_LOCALITY;
		if (f.pending[loc])
			v |= TIS_ACCESS_REQUEST_USE;
		for (int i = 0; i < TPM_NUM_LOCALITIES; i++)
			if (i != loc && f.pending[i])
				v |= TIS_ACCESS_PENDING_REQUEST;
		return v;
	}
	case TIS_REG_INTF_CAPABILITY:
		return (u32)f.tis_ifver << TIS_CAP_IFVER_SHIFT |
		       3u << TIS_CAP_XFER_SHIFT;
	case TIS_REG_STS:
		f.chunk = 0;
		return f.active == loc ? tis_sts() : 0xFFFFFFFF;
	case TIS_REG_INTERFACE_ID:
		if (f.intf_id_set)
			return f.intf_id;
		// PTP FIFO for TPM 2.0; a TPM 1.2 TIS reads all ones.
		return f.version == 20
			   ? TPM_INTF_TYPE_FIFO | TPM_INTF_CAP_LOCALITY |
				 TPM_INTF_CAP_FIFO
			   : 0xFFFFFFFF;
	case TIS_REG_DID_VID:
		return DID_VID;
	case TIS_REG_RID:
		return 1;
	case TIS_REG_INT_ENABLE:
	case TIS_REG_INT_VECTOR:
	case TIS_REG_INT_STATUS:
		return 0;
	}
	return 0xFFFFFFFF;
}

static void tis_access_write(int loc, u8 v)
{
	if (v & TIS_ACCESS_REQUEST_USE) {
		if (f.fault == FAULT_NO_LOCALITY)
			f.pending[loc] = true;
		else if (f.active < 0)
			tis_set_active(loc);
		else if (f.active != loc)
			f.pending[loc] = true;
	}
	if (v & TIS_ACCESS_ACTIVE_LOCALITY) {
		f.pending[loc] = false; // withdraws a request
		if (f.active == loc) {
			tis_set_active(-1);
			for (int i = TPM_NUM_LOCALITIES - 1; i >= 0; i--)
				if (f.pending[i] &&
				    f.fault != FAULT_NO_LOCALITY) {
					f.pending[i] = false;
					tis_set_active(i);
					break;
				}
		}
	}
	if ((v & TIS_ACCESS_SEIZE) && loc > f.active &&
	    f.fault != FAULT_NO_LOCALITY)
		tis_set_active(loc);
}

static u8 tis_read8(int loc, u32 reg)
{
	if ((reg >= TIS_REG_DATA_FIFO && reg < TIS_REG_DATA_FIFO + 4) ||
	    (reg >= TIS_REG_XDATA_FIFO && reg < TIS_REG_XDATA_FIFO + 4))
		return f.active == loc ? tis_fifo_read() : 0xFF;
	return (u8)(tis_read32(loc, reg & ~3u) >> (8 * (reg & 3)));
}

static void tis_write8(int loc, u32 reg, u8 v)
{
	if (reg == TIS_REG_ACCESS) {
		tis_access_write(loc, v);
		return;
	}
	if (f.active != loc)
		return;
	if ((reg >= TIS_REG_DATA_FIFO && reg < TIS_REG_DATA_FIFO + 4) ||
	    (reg >= TIS_REG_XDATA_FIFO && reg < TIS_REG_XDATA_FIFO + 4))
		tis_fifo_write(v);
	else if (reg >= TIS_REG_STS && reg < TIS_REG_STS + 4)
		tis_sts_write((int)(reg - TIS_REG_STS), v);
}

// ---- CRB
// -------------------------------------------------------------------------

static void crb_advance(void)
{
	if (f.crb_cmd_ready_pending && f.fault != FAULT_NEVER_READY) {
		f.crb_cmd_ready_pending = false;
		f.crb_idle = false;
	}
	if (f.crb_start && done()) {
		f.crb_start = false;
		memcpy(f.crb_buf, f.rsp, MIN(f.rsp_len, (u32)CRB_BUF_SIZE));
		if (f.fault == FAULT_CRB_FATAL)
			f.crb_error = true;
	}
}

static u32 crb_read32(int loc, u32 reg)
{
	if (loc && !f.crb_all_loc)
		return 0xFFFFFFFF; // only locality 0 is decoded
	crb_advance();
	bool mine = f.active == loc;
	switch (reg) {
	case CRB_REG_LOC_STATE: {
		u32 v = CRB_LOC_STATE_REG_VALID;
		if (f.active >= 0)
			v |= CRB_LOC_STATE_ASSIGNED |
			     (u32)f.active << CRB_LOC_STATE_ACTIVE_SHIFT;
		return v;
	}
	case CRB_REG_LOC_STS:
		return mine ? CRB_LOC_STS_GRANTED : 0;
	case CRB_REG_INTF_ID:
		return TPM_INTF_TYPE_CRB |
		       TPM_INTF_VER_CRB << TPM_INTF_VER_SHIFT |
		       (f.crb_all_loc ? TPM_INTF_CAP_LOCALITY : 0) | 3u << 11 |
		       TPM_INTF_CAP_CRB |
		       TPM_INTF_SEL_CRB << TPM_INTF_SEL_SHIFT;
	case CRB_REG_INTF_ID_HI:
		return DID_VID;
	case CRB_REG_CTRL_REQ:
		return f.crb_cmd_ready_pending ? CRB_CTRL_REQ_CMD_READY : 0;
	case CRB_REG_CTRL_STS:
		return (f.crb_error ? CRB_CTRL_STS_ERROR : 0) |
		       (f.crb_idle ? CRB_CTRL_STS_IDLE : 0);
	case CRB_REG_CTRL_CANCEL:
		return f.crb_cancel;
	case CRB_REG_CTRL_START:
		return f.crb_start ? CRB_CTRL_START : 0;
	case CRB_REG_CMD_SIZE:
	case CRB_REG_RSP_SIZE:
		return CRB_BUF_SIZE;
	case CRB_REG_CMD_LADDR:
	case CRB_REG_RSP_ADDR:
		return CRB_BUF_ADDR;
	case CRB_REG_CMD_HADDR:
	case CRB_REG_RSP_ADDR + 4:
		return f.fault == FAULT_CRB_HIGH_BUFFER ? 1 : 0;
	}
	return 0;
}

static void crb_write32(int loc, u32 reg, u32 v)
{
	if (loc && !f.crb_all_loc)
		return;
	crb_advance();
	if (reg == CRB_REG_LOC_CTRL) {
		if ((v & CRB_LOC_CTRL_REQUEST) && f.active < 0 &&
		    f.fault != FAULT_NO_LOCALITY)
			f.active = loc;
		if ((v & CRB_LOC_CTRL_RELINQUISH) && f.active == loc)
			f.active = -1;
		return;
	}
	if (f.active != loc)
		return;
	switch (reg) {
	case CRB_REG_CTRL_REQ:
		if (v & CRB_CTRL_REQ_CMD_READY) {
			if (f.fault == FAULT_NEVER_READY)
				f.crb_cmd_ready_pending = true;
			else
				f.crb_idle = false;
		}
		if (v & CRB_CTRL_REQ_GO_IDLE)
			f.crb_idle = true;
		break;
	case CRB_REG_CTRL_CANCEL:
		f.crb_cancel = v;
		if ((v & CRB_CTRL_CANCEL) && f.crb_start &&
		    f.fault != FAULT_HANG_HARD) {
			canceled_response();
			f.crb_start = false;
			memcpy(f.crb_buf, f.rsp, f.rsp_len);
		}
		break;
	case CRB_REG_CTRL_START:
		if ((v & CRB_CTRL_START) && !f.crb_start && !f.crb_idle) {
			u32 len = get_be32(f.crb_buf + 2);
			if (len > CRB_BUF_SIZE)
				len = CRB_BUF_SIZE;
			memcpy(f.cmd, f.crb_buf, len);
			execute(f.cmd, len);
			f.crb_start = true;
		}
		break;
	}
}

// ---- io.h for the host
// ---------------------------------------------------------

static bool in_window(u32 addr)
{
	return addr >= TPM_MMIO_BASE && addr < TPM_MMIO_BASE + TPM_MMIO_SIZE;
}

static u8 bus_read8(u32 addr)
{
	now += 1;
	if (!in_window(addr) || f.iface == FAKE_NONE)
		return 0xFF;
	u32 off = addr - TPM_MMIO_BASE;
	int loc = (int)(off / TPM_LOCALITY_STRIDE);
	u32 reg = off % TPM_LOCALITY_STRIDE;
	if (f.iface == FAKE_TIS)
		return tis_read8(loc, reg);
	if (reg >= CRB_REG_DATA_BUFFER)
		return loc == 0 ? f.crb_buf[reg - CRB_REG_DATA_BUFFER] : 0xFF;
	return (u8)(crb_read32(loc, reg & ~3u) >> (8 * (reg & 3)));
}

static void bus_write8(u32 addr, u8 v)
{
	now += 1;
	if (!in_window(addr) || f.iface == FAKE_NONE)
		return;
	u32 off = addr - TPM_MMIO_BASE;
	int loc = (int)(off / TPM_LOCALITY_STRIDE);
	u32 reg = off % TPM_LOCALITY_STRIDE;
	if (f.iface == FAKE_TIS) {
		tis_write8(loc, reg, v);
		return;
	}
	if (reg >= CRB_REG_DATA_BUFFER) {
		if (loc == 0)
			f.crb_buf[reg - CRB_REG_DATA_BUFFER] = v;
		return;
	}
	// Byte writes to CRB control registers act on the whole dword.
	crb_write32(loc, reg & ~3u, (u32)v << (8 * (reg & 3)));
}

static u32 filtered(u32 addr, u32 v, int width)
{
	return read_filter ? read_filter(addr, v, width) : v;
}

static u32 read32(u32 addr);

u8 mmio_read8(u32 addr)
{
	return (u8)filtered(addr, bus_read8(addr), 1);
}

u16 mmio_read16(u32 addr)
{
	return (u16)filtered(addr, bus_read8(addr) | bus_read8(addr + 1) << 8,
			     2);
}

u32 mmio_read32(u32 addr)
{
	return filtered(addr, read32(addr), 4);
}

static u32 read32(u32 addr)
{
	if (f.iface == FAKE_CRB && in_window(addr) &&
	    (addr - TPM_MMIO_BASE) % TPM_LOCALITY_STRIDE <
		CRB_REG_DATA_BUFFER) {
		now += 1;
		u32 off = addr - TPM_MMIO_BASE;
		return crb_read32((int)(off / TPM_LOCALITY_STRIDE),
				  off % TPM_LOCALITY_STRIDE);
	}
	if (f.iface == FAKE_TIS && in_window(addr)) {
		u32 off = addr - TPM_MMIO_BASE;
		u32 reg = off % TPM_LOCALITY_STRIDE;
		if (reg != TIS_REG_DATA_FIFO && reg != TIS_REG_XDATA_FIFO) {
			now += 1;
			return tis_read32((int)(off / TPM_LOCALITY_STRIDE),
					  reg);
		}
	}
	return bus_read8(addr) | (u32)bus_read8(addr + 1) << 8 |
	       (u32)bus_read8(addr + 2) << 16 | (u32)bus_read8(addr + 3) << 24;
}

void mmio_write8(u32 addr, u8 v)
{
	bus_write8(addr, v);
}

void mmio_write16(u32 addr, u16 v)
{
	bus_write8(addr, (u8)v);
	bus_write8(addr + 1, (u8)(v >> 8));
}

void mmio_write32(u32 addr, u32 v)
{
	if (f.iface == FAKE_CRB && in_window(addr) &&
	    (addr - TPM_MMIO_BASE) % TPM_LOCALITY_STRIDE <
		CRB_REG_DATA_BUFFER) {
		now += 1;
		u32 off = addr - TPM_MMIO_BASE;
		crb_write32((int)(off / TPM_LOCALITY_STRIDE),
			    off % TPM_LOCALITY_STRIDE, v);
		return;
	}
	for (int i = 0; i < 4; i++)
		bus_write8(addr + i, (u8)(v >> (8 * i)));
}

// ---- clock.h and output.h for the host
// -----------------------------------------

u64 clock_us(void)
{
	return now += clock_step;
}
void udelay(u32 us)
{
	now += us;
}
void mdelay(u32 ms)
{
	now += (u64)ms * 1000;
}
void clock_init(u16 pm_base)
{
	(void)pm_base;
}
