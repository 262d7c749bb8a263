// NVMe disks (PCI class 01h/08h/02h): one admin queue for set-up, one I/O
// queue pair, polled, one command at a time. INT 13h sees 512-byte sectors;
// namespaces with 4 KiB blocks are translated here, partial blocks through
// a bounce page. Device facts: NVM Express Base Specification 1.4.
#include "autoconf.h"
#include "hw/block.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "hw/nvme_ctrl.h"
#include "hw/nvme_identify.h"
#include "hw/pci.h"
#include "lib/format.h"
#include "lib/memalloc.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "output.h"
#include "std/nvme.h"

#define PCI_CLASS_STORAGE_NVM 0x0108
#define NVME_PROG_IF 0x02
#define QSIZE 4 // entries per queue: one command in flight
#define CMD_TIMEOUT_US 5000000
#define MAX_XFER (64 * 1024) // per command, PRP list of at most 16 entries
#define MAX_NS 4

struct nvme_queue {
	struct nvme_sqe *sq;
	volatile struct nvme_cqe *cq;
	u32 sq_db, cq_db; // doorbell addresses
	u16 tail, head;
	u16 phase;
};

struct nvme_ctrl {
	u32 base;
	struct nvme_queue admin, io;
	u8 *page; // PRP list or bounce buffer, never both at once
	u32 max_bytes;
	u16 cid;
	bool broken; // a command timed out: queue state unknown
};

struct nvme_ns {
	struct drive d;
	struct nvme_ctrl *c;
	u32 nsid;
	u32 spb; // 512-byte sectors per block: 1 or 8
};

static void queue_init(struct nvme_ctrl *c, struct nvme_queue *q, u16 qid,
		       void *sq, void *cq)
{
	u32 stride = 4u << ((nvme_read_cap(c->base) >> 32) & 0xF);
	q->sq = sq;
	q->cq = cq;
	q->sq_db = c->base + NVME_REG_DBS + 2 * qid * stride;
	q->cq_db = q->sq_db + stride;
	q->tail = q->head = 0;
	q->phase = 1;
}

// Submit one command and wait for its completion (4.6: the phase tag
// flips on each pass through the completion queue). Returns the status
// field (SCT/SC, 0 = success) or -1 on timeout.
static int submit(struct nvme_ctrl *c, struct nvme_queue *q,
		  struct nvme_sqe *cmd)
{
	if (c->broken)
		return -1;
	cmd->cid = ++c->cid;
	q->sq[q->tail] = *cmd;
	q->tail = (q->tail + 1) % QSIZE;
	barrier();
	mmio_write32(q->sq_db, q->tail);
	volatile struct nvme_cqe *e = &q->cq[q->head];
	u64 end = clock_deadline(CMD_TIMEOUT_US);
	while ((e->status & 1) != q->phase) {
		if (clock_expired(end)) {
			c->broken = true;
			return -1;
		}
	}
	barrier();
	int status = (e->status >> 1) & 0x7FF;
	if (++q->head == QSIZE) {
		q->head = 0;
		q->phase ^= 1;
	}
	mmio_write32(q->cq_db, q->head);
	return status;
}

static int admin(struct nvme_ctrl *c, u8 opcode, u32 nsid, void *buf, u32 cdw10,
		 u32 cdw11)
{
	struct nvme_sqe cmd = {.opcode = opcode,
			       .nsid = nsid,
			       .prp1 = phys_addr(buf),
			       .cdw10 = cdw10,
			       .cdw11 = cdw11};
	return submit(c, &c->admin, &cmd);
}

// One READ/WRITE of `blocks` at `lba` to physical address `addr` (dword
// aligned), PRP entries per 4.3: PRP1 the first page, PRP2 the second
// page or a list of the rest.
static int io_cmd(struct nvme_ns *ns, bool write, u64 lba, u32 blocks, u32 addr)
{
	struct nvme_ctrl *c = ns->c;
	u32 bytes = blocks * ns->spb * 512;
	u32 first = NVME_PAGE - (addr & (NVME_PAGE - 1));
	struct nvme_sqe cmd = {.opcode = write ? NVME_CMD_WRITE : NVME_CMD_READ,
			       .nsid = ns->nsid,
			       .prp1 = addr,
			       .cdw10 = (u32)lba,
			       .cdw11 = (u32)(lba >> 32),
			       .cdw12 = blocks - 1};
	if (bytes > first) {
		u32 next = addr + first;
		if (bytes - first <= NVME_PAGE) {
			cmd.prp2 = next;
		} else {
			u64 *list = (u64 *)c->page;
			for (u32 i = 0; next < addr + bytes; next += NVME_PAGE)
				list[i++] = next;
			cmd.prp2 = phys_addr(list);
		}
	}
	int st = submit(c, &c->io, &cmd);
	if (st < 0) {
		dprint(DL_ERR, "%s: command timed out\n", ns->d.model);
		return DISK_ERR_TIMEOUT;
	}
	if (st) {
		dprint(DL_ERR, "%s: %s lba %u failed: status %x\n", ns->d.model,
		       write ? "write" : "read", (u32)lba, st);
		return DISK_ERR_IO;
	}
	return DISK_OK;
}

static int nvme_rw(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	struct nvme_ns *ns = container_of(d, struct nvme_ns, d);
	u32 spb = ns->spb;
	u32 max = ns->c->max_bytes / (spb * 512);
	while (count) {
		u32 n, off = lba % spb;
		int rc;
		if (!off && count >= spb && !(phys_addr(buf) & 3)) {
			// Whole blocks straight into the caller's buffer.
			u32 blocks = MIN(count / spb, max);
			n = blocks * spb;
			rc = io_cmd(ns, write, lba / spb, blocks,
				    phys_addr(buf));
		} else {
			// A partial block or a buffer NVMe cannot address
			// (PRPs are dword aligned): one block via the bounce
			// page, read-modify-write for writes.
			u8 *page = ns->c->page;
			n = MIN(spb - off, count);
			rc = DISK_OK;
			if (!write || n < spb)
				rc = io_cmd(ns, false, lba / spb, 1,
					    phys_addr(page));
			if (!rc && write) {
				memcpy(page + off * 512, buf, n * 512);
				rc = io_cmd(ns, true, lba / spb, 1,
					    phys_addr(page));
			} else if (!rc) {
				memcpy(buf, page + off * 512, n * 512);
			}
		}
		if (rc)
			return rc;
		lba += n;
		count -= n;
		buf += n * 512;
	}
	return DISK_OK;
}

static void add_namespace(struct nvme_ctrl *c, u16 bdf, u32 nsid, u8 *id,
			  const char *model, const char *where)
{
	u64 blocks;
	u32 bs;
	if (admin(c, NVME_ADMIN_IDENTIFY, nsid, id, NVME_CNS_NAMESPACE, 0)) {
		printf_console("NVMe %s: IDENTIFY of namespace %u failed\n",
			       where, nsid);
		return;
	}
	const char *why = nvme_identify_ns(id, &blocks, &bs);
	if (why) {
		printf_console("NVMe %s namespace %u: %s, skipped\n", where,
			       nsid, why);
		return;
	}
	struct nvme_ns *ns = malloc_high(sizeof(*ns), 8);
	if (!ns)
		return;
	ns->c = c;
	ns->nsid = nsid;
	ns->spb = bs / 512;
	struct drive *d = &ns->d;
	d->type = DRIVE_NVME;
	d->transfer = nvme_rw;
	d->sector_size = 512;
	d->sectors = blocks * ns->spb;
	d->bdf = bdf;
	d->unit = (u8)nsid;
	d->priv = ns;
	if (nsid == 1)
		snprintf(d->model, sizeof(d->model), "NVMe: %s", model);
	else
		snprintf(d->model, sizeof(d->model), "NVMe ns%u: %s", nsid,
			 model);
	printf_console("%s, %u MiB, %u-byte blocks\n", d->model,
		       (u32)(d->sectors >> 11), bs);
	drive_register(d);
}

static void setup_ctrl(u16 bdf)
{
	char where[12];
	snprintf(where, sizeof(where), "%02x:%02x.%x", PCI_BUS(bdf),
		 PCI_DEV(bdf), PCI_FN(bdf));
	u32 bar = pci_read32(bdf, PCI_BAR0);
	if ((bar & 1) || ((bar & 6) == 4 && pci_read32(bdf, PCI_BAR0 + 4)) ||
	    !(bar & ~0xFu)) {
		printf_console("NVMe %s: BAR0 not reachable, skipped\n", where);
		return;
	}
	pci_write16(bdf, PCI_COMMAND,
		    pci_read16(bdf, PCI_COMMAND) | PCI_CMD_MEMORY |
			PCI_CMD_MASTER);
	// Admin queues and IDENTIFY data are POST-only; the I/O queues and
	// the bounce page stay in use by INT 13h after boot. Queues start at
	// page boundaries (CC.MPS = 0, 4 KiB).
	u8 *tmp = malloc_tmp(3 * NVME_PAGE, NVME_PAGE);
	u8 *high = malloc_high(3 * NVME_PAGE, NVME_PAGE); // zeroed
	struct nvme_ctrl *c = malloc_high(sizeof(*c), 8);
	if (!tmp || !high || !c)
		return;
	memset(tmp, 0, 2 * NVME_PAGE);
	u8 *asq = tmp, *acq = tmp + NVME_PAGE, *id = tmp + 2 * NVME_PAGE;
	u8 *iosq = high, *iocq = high + NVME_PAGE;
	c->page = high + 2 * NVME_PAGE;
	c->base = bar & ~0xFu;
	u64 cap = nvme_read_cap(c->base);
	if ((cap & 0xFFFF) < QSIZE - 1) {
		printf_console("NVMe %s: queues too small, skipped\n", where);
		return;
	}
	enum nvme_ctrl_result r =
	    nvme_ctrl_enable(c->base, phys_addr(asq), phys_addr(acq), QSIZE);
	if (r) {
		static const char *const why[] = {
		    [NVME_CTRL_TIMEOUT] = "never became ready",
		    [NVME_CTRL_FATAL] = "reports a fatal status (CSTS.CFS)",
		    [NVME_CTRL_UNSUPPORTED] = "needs pages other than 4 KiB",
		};
		printf_console(r == NVME_CTRL_TIMEOUT
				   ? "NVMe %s: controller %s after %u ms, "
				     "skipped\n"
				   : "NVMe %s: controller %s, skipped\n",
			       where, why[r], nvme_ready_timeout_ms(cap));
		return;
	}
	queue_init(c, &c->admin, 0, asq, acq);
	queue_init(c, &c->io, 1, iosq, iocq);
	char model[41];
	if (admin(c, NVME_ADMIN_IDENTIFY, 0, id, NVME_CNS_CONTROLLER, 0) ||
	    (nvme_identify_ctrl(id, model, &c->max_bytes), false) ||
	    admin(c, NVME_ADMIN_CREATE_CQ, 0, iocq, (QSIZE - 1) << 16 | 1, 1) ||
	    admin(c, NVME_ADMIN_CREATE_SQ, 0, iosq, (QSIZE - 1) << 16 | 1,
		  1 << 16 | 1) ||
	    admin(c, NVME_ADMIN_IDENTIFY, 0, id, NVME_CNS_ACTIVE_NS, 0)) {
		printf_console("NVMe %s: admin command failed%s, skipped\n",
			       where, c->broken ? " (timeout)" : "");
		// Stopped, so it cannot use the POST-only admin queues later.
		mmio_write32(c->base + NVME_REG_CC, 0);
		return;
	}
	if (!c->max_bytes || c->max_bytes > MAX_XFER)
		c->max_bytes = MAX_XFER;
	// 5.15.2.3: active namespace IDs, ascending, zero-terminated. The
	// list is copied: the same page receives each namespace's data.
	u32 nsids[MAX_NS];
	memcpy(nsids, id, sizeof(nsids));
	int before = drive_count();
	for (int i = 0; i < MAX_NS && nsids[i]; i++)
		add_namespace(c, bdf, nsids[i], id, model, where);
	if (drive_count() == before)
		printf_console("NVMe %s: no usable namespace\n", where);
}

void nvme_setup(void)
{
	for_each_pci_device(p)
	{
		if (p->class == PCI_CLASS_STORAGE_NVM &&
		    p->prog_if == NVME_PROG_IF)
			setup_ctrl(p->bdf);
	}
}
