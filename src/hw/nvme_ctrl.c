#include "hw/nvme_ctrl.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "std/nvme.h"

u64 nvme_read_cap(u32 base)
{
	return mmio_read32(base + NVME_REG_CAP) |
	       (u64)mmio_read32(base + NVME_REG_CAP + 4) << 32;
}

u32 nvme_ready_timeout_ms(u64 cap)
{
	// CAP.TO (bits 31:24): worst case in 500 ms units; 0 still gets one.
	u32 to = ((cap >> 24) & 0xFF) * 500;
	return to < 500			  ? 500
	       : to > NVME_READY_LIMIT_MS ? NVME_READY_LIMIT_MS
					  : to;
}

static enum nvme_ctrl_result wait_ready(u32 base, u32 want, u32 ms)
{
	u64 end = clock_deadline(ms * 1000);
	for (;;) {
		u32 csts = mmio_read32(base + NVME_REG_CSTS);
		// All ones: nothing answers at the BAR any more.
		if (csts == 0xFFFFFFFFu || (csts & NVME_CSTS_CFS))
			return NVME_CTRL_FATAL;
		if ((csts & NVME_CSTS_RDY) == want)
			return NVME_CTRL_OK;
		if (clock_expired(end))
			return NVME_CTRL_TIMEOUT;
		udelay(100);
	}
}

enum nvme_ctrl_result nvme_ctrl_enable(u32 base, u32 asq, u32 acq, u16 entries)
{
	u64 cap = nvme_read_cap(base);
	// CAP.CSS bit 37: NVM command set; CAP.MPSMIN (51:48) 0 = 4 KiB.
	if (!(cap & (1ull << 37)) || ((cap >> 48) & 0xF))
		return NVME_CTRL_UNSUPPORTED;
	u32 ms = nvme_ready_timeout_ms(cap);
	// 7.6.1: clear CC.EN and wait for CSTS.RDY to clear before
	// programming the admin queue.
	mmio_write32(base + NVME_REG_CC, 0);
	enum nvme_ctrl_result r = wait_ready(base, 0, ms);
	if (r)
		return r;
	mmio_write32(base + NVME_REG_AQA,
		     (u32)(entries - 1) << 16 | (u32)(entries - 1));
	mmio_write32(base + NVME_REG_ASQ, asq);
	mmio_write32(base + NVME_REG_ASQ + 4, 0);
	mmio_write32(base + NVME_REG_ACQ, acq);
	mmio_write32(base + NVME_REG_ACQ + 4, 0);
	mmio_write32(base + NVME_REG_CC,
		     NVME_CC_EN | NVME_CC_IOSQES | NVME_CC_IOCQES);
	return wait_ready(base, NVME_CSTS_RDY, ms);
}
