// NVMe controller reset and enable (NVM Express Base 1.4 7.6.1), with
// every wait bounded by CAP.TO: a controller that never becomes ready is
// given up on, not waited for.
#ifndef MBIOS_HW_NVME_CTRL_H
#define MBIOS_HW_NVME_CTRL_H

#include "std/types.h"

enum nvme_ctrl_result {
	NVME_CTRL_OK = 0,
	NVME_CTRL_TIMEOUT,     // CSTS.RDY did not follow CC.EN in time
	NVME_CTRL_FATAL,       // CSTS.CFS: controller fatal status
	NVME_CTRL_UNSUPPORTED, // no NVM command set or 4 KiB pages
};

// Longest wait for CSTS.RDY, whatever CAP.TO says.
#define NVME_READY_LIMIT_MS 10000

// Disable the controller at MMIO `base`, program the admin queues (entry
// counts asq/acq, physical addresses), enable it and wait for ready.
enum nvme_ctrl_result nvme_ctrl_enable(u32 base, u32 asq, u32 acq, u16 entries);
// How long nvme_ctrl_enable waits in each phase, from CAP.TO (ms).
u32 nvme_ready_timeout_ms(u64 cap);
u64 nvme_read_cap(u32 base);

#endif
