// virtio-scsi PCI host adapters (1AF4:1004 transitional, 1AF4:1048
// modern) through the modern virtio 1.x interface: the targets and LUNs
// on the bus become disks (drive_register) and CD-ROMs (cdrom_register).
// One request at a time on the first request queue, polled. Device facts:
// virtio 1.1 5.6 "SCSI Host Device"; commands SPC-4/SBC-3 (std/scsi.h).
#include "autoconf.h"
#include "hw/atapi.h"
#include "hw/block.h"
#include "hw/pci.h"
#include "hw/scsi_parse.h"
#include "hw/virtio.h"
#include "lib/format.h"
#include "lib/memalloc.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "output.h"
#include "std/byteorder.h"
#include "std/scsi.h"

#define VIRTIO_VENDOR 0x1AF4
#define VIRTIO_DEV_SCSI_TRANSITIONAL 0x1004
#define VIRTIO_DEV_SCSI_MODERN 0x1048

// 5.6.2 queues: 0 control, 1 event, 2.. requests.
#define REQUEST_QUEUE 2
// 5.6.4 configuration layout.
#define CFG_MAX_CHANNEL 28 // le16, then max_target le16
#define CFG_MAX_LUN 32	   // le32
// 5.6.6.1 response codes.
#define VIRTIO_SCSI_S_OK 0
#define VIRTIO_SCSI_S_BAD_TARGET 3

#define MAX_TARGET 255 // single-level LUN addressing: target in one byte
#define MAX_LUN 15     // LUNs probed per target
#define REQUEST_TIMEOUT_US 10000000
#define MAX_XFER (64 * 1024) // bytes per READ/WRITE

// 5.6.6 request and response with the default cdb_size (32) and
// sense_size (96).
struct vscsi_req {
	u8 lun[8];
	u64 id;
	u8 task_attr, prio, crn;
	u8 cdb[32];
} __attribute__((packed));

struct vscsi_resp {
	u32 sense_len;
	u32 residual;
	u16 status_qualifier;
	u8 status;
	u8 response;
	u8 sense[96];
};

struct vscsi_ctrl {
	struct virtio_pci v;
	struct virtq q;
	struct vscsi_req *req; // device-visible, in the reserved high zone
	struct vscsi_resp *resp;
	bool broken; // a request timed out: the queue state is unknown
};

struct vscsi_lun {
	struct drive d;
	struct vscsi_ctrl *c;
};

// Result of one command: DISK_OK, or DISK_* with `resp` telling why.
static int vscsi_cmd(struct vscsi_ctrl *c, u8 target, u16 lun, const u8 *cdb,
		     u32 cdb_len, bool write, void *buf, u32 len)
{
	if (c->broken)
		return DISK_ERR_TIMEOUT;
	struct vscsi_req *req = c->req;
	memset(req, 0, sizeof(*req));
	// 5.6.6.1: byte 0 = 1, byte 1 = target, bytes 2-3 = LUN in flat
	// space addressing (SAM-5 4.7.7).
	req->lun[0] = 1;
	req->lun[1] = target;
	req->lun[2] = 0x40 | (lun >> 8);
	req->lun[3] = (u8)lun;
	memcpy(req->cdb, cdb, cdb_len);
	c->resp->response = 0xFF;
	// Device-readable parts first, then device-writable (2.7.4.2).
	struct virtq_desc *desc = c->q.desc;
	u16 i = 0;
	desc[i] = (struct virtq_desc){phys_addr(req), sizeof(*req),
				      VIRTQ_DESC_F_NEXT, i + 1};
	i++;
	if (len && write) {
		desc[i] = (struct virtq_desc){phys_addr(buf), len,
					      VIRTQ_DESC_F_NEXT, i + 1};
		i++;
	}
	desc[i] = (struct virtq_desc){phys_addr(c->resp), sizeof(*c->resp),
				      VIRTQ_DESC_F_WRITE, 0};
	if (len && !write) {
		desc[i].flags |= VIRTQ_DESC_F_NEXT;
		desc[i].next = i + 1;
		i++;
		desc[i] = (struct virtq_desc){phys_addr(buf), len,
					      VIRTQ_DESC_F_WRITE, 0};
	}
	if (!virtq_run(&c->v, &c->q, REQUEST_TIMEOUT_US)) {
		dprint(DL_ERR, "virtio-scsi: request timed out\n");
		c->broken = true;
		return DISK_ERR_TIMEOUT;
	}
	volatile struct vscsi_resp *r = c->resp;
	if (r->response != VIRTIO_SCSI_S_OK || r->status != SCSI_STATUS_GOOD)
		return DISK_ERR_IO;
	return DISK_OK;
}

static int sense_key(struct vscsi_ctrl *c)
{
	return c->resp->response ? -1
				 : scsi_sense_key(c->resp->sense,
						  MIN(c->resp->sense_len, 96u));
}

static int vscsi_rw(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	struct vscsi_lun *l = container_of(d, struct vscsi_lun, d);
	u32 bs = d->sector_size;
	while (count) {
		u32 n = MIN(count, MAX_XFER / bs);
		u8 cdb[SCSI_CDB_MAX];
		u32 cdb_len = scsi_cdb_rw(cdb, write, lba, n);
		int rc = vscsi_cmd(l->c, d->channel, d->unit, cdb, cdb_len,
				   write, buf, n * bs);
		if (rc) {
			dprint(DL_ERR, "%s: %s lba %u failed (sense key %d)\n",
			       d->model, write ? "write" : "read", (u32)lba,
			       sense_key(l->c));
			return rc;
		}
		lba += n;
		count -= n;
		buf += n * bs;
	}
	return DISK_OK;
}

// The MMC commands of a CD boot (hw/atapi.c) over virtio-scsi. REQUEST
// SENSE is answered from the sense data the device returned with the
// previous command (5.6.6.1: autosense), which is where it is kept.
static int vscsi_packet(struct drive *d, const u8 *cdb, void *buf, u32 len)
{
	struct vscsi_lun *l = container_of(d, struct vscsi_lun, d);
	if (cdb[0] == SCSI_REQUEST_SENSE) {
		memset(buf, 0, len);
		memcpy(buf, l->c->resp->sense, MIN(len, 96u));
		return DISK_OK;
	}
	return vscsi_cmd(l->c, d->channel, d->unit, cdb, 12, false, buf, len);
}

// A CD's medium is looked at when it is booted, as for ATAPI drives: it
// may be inserted after POST.
static int vscsi_cd_prepare(struct drive *d)
{
	return atapi_prepare(d, vscsi_packet);
}

// READ CAPACITY (10), then (16) when the disk is too large for (10).
static int read_capacity(struct vscsi_ctrl *c, u8 target, u16 lun, u8 *buf,
			 u64 *blocks, u32 *bs)
{
	u8 cdb[SCSI_CDB_MAX] = {SCSI_READ_CAPACITY10};
	u32 len = SCSI_CAPACITY10_LEN;
	for (;;) {
		int rc = vscsi_cmd(c, target, lun, cdb, len == 8 ? 10 : 16,
				   false, buf, len);
		if (rc)
			return rc;
		if (!scsi_capacity_parse(buf, len, blocks, bs))
			return DISK_ERR_IO;
		if (*blocks || len == SCSI_CAPACITY16_LEN)
			return DISK_OK;
		cdb[0] = SCSI_SERVICE_ACTION_IN16;
		cdb[1] = SCSI_SA_READ_CAPACITY16;
		cdb[13] = len = SCSI_CAPACITY16_LEN;
	}
}

// INQUIRY, then TEST UNIT READY until a power-on UNIT ATTENTION has been
// reported (SAM-5 5.14), then READ CAPACITY (10), (16) for large disks.
// Returns false when the target answers that there is nothing to probe
// on it at all.
static bool probe_lun(struct vscsi_ctrl *c, u16 bdf, u8 target, u16 lun,
		      u8 *buf)
{
	u8 cdb[SCSI_CDB_MAX] = {SCSI_INQUIRY, 0, 0, 0, SCSI_INQUIRY_LEN};
	int rc =
	    vscsi_cmd(c, target, lun, cdb, 6, false, buf, SCSI_INQUIRY_LEN);
	if (rc)
		return c->resp->response != VIRTIO_SCSI_S_BAD_TARGET &&
		       !c->broken;
	struct scsi_inquiry inq;
	if (scsi_inquiry_parse(buf, SCSI_INQUIRY_LEN, &inq))
		return true;
	char model[sizeof(((struct drive *)0)->model)];
	snprintf(model, sizeof(model), "virtio-scsi %u:%u: %s %s", target, lun,
		 inq.vendor, inq.product);
	// CD-ROMs: the medium is checked at boot (vscsi_cd_prepare).
	bool cd = inq.type == SCSI_TYPE_CDROM;
	u64 blocks = 0;
	u32 bs = 2048;
	const char *why = NULL;
	if (!cd) {
		memset(cdb, 0, sizeof(cdb));
		for (int i = 0; i < 3; i++) {
			rc = vscsi_cmd(c, target, lun, cdb, 6, false, NULL, 0);
			if (sense_key(c) != SCSI_SENSE_UNIT_ATTENTION)
				break;
		}
		why = rc ? "is not ready"
		      : read_capacity(c, target, lun, buf, &blocks, &bs)
			  ? "does not answer READ CAPACITY"
		      : !blocks	  ? "is empty"
		      : bs != 512 ? "has an unsupported block size"
				  : NULL;
	}
	if (why) {
		int key = sense_key(c);
		printf_console(key >= 0 ? "%s %s (sense key %d), skipped\n"
					: "%s %s, skipped\n",
			       model, why, key);
		return !c->broken;
	}
	struct vscsi_lun *l = malloc_high(sizeof(*l), 8);
	if (!l)
		return false;
	struct drive *d = &l->d;
	memcpy(d->model, model, sizeof(model));
	l->c = c;
	d->type = DRIVE_VIRTIO_SCSI;
	d->transfer = vscsi_rw;
	d->sector_size = bs;
	d->sectors = blocks;
	d->read_only = cd;
	d->prepare = cd ? vscsi_cd_prepare : NULL;
	d->bdf = bdf;
	d->channel = target;
	d->unit = (u8)lun;
	d->priv = l;
	if (cd) {
		printf_console("%s, CD-ROM\n", d->model);
		cdrom_register(d);
	} else {
		printf_console("%s, %u MiB\n", d->model, (u32)(blocks >> 11));
		drive_register(d);
	}
	return true;
}

static void setup_device(u16 bdf)
{
	struct vscsi_ctrl *c = malloc_high(sizeof(*c), 8);
	if (!c)
		return;
	struct virtio_pci *v = &c->v;
	u64 offered;
	if (!virtio_pci_start(v, bdf, "virtio-scsi", &offered))
		return;
	c->req = malloc_high(sizeof(*c->req), 16);
	c->resp = malloc_high(sizeof(*c->resp), 16);
	u8 *buf = malloc_tmp(64, 16);
	if (!c->req || !c->resp || !buf ||
	    !virtio_pci_queue(v, REQUEST_QUEUE, &c->q)) {
		printf_console("virtio-scsi %02x:%02x.%x: queue set-up "
			       "failed\n",
			       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf));
		virtio_pci_fail(v);
		return;
	}
	virtio_pci_driver_ok(v);
	u32 max_target =
	    MIN(virtio_cfg_read32(v, CFG_MAX_CHANNEL) >> 16, (u32)MAX_TARGET);
	u32 max_lun = MIN(virtio_cfg_read32(v, CFG_MAX_LUN), (u32)MAX_LUN);
	for (u32 t = 0; t <= max_target && !c->broken; t++)
		for (u32 lun = 0; lun <= max_lun; lun++)
			if (!probe_lun(c, bdf, (u8)t, (u16)lun, buf))
				break;
}

void virtio_scsi_setup(void)
{
	for_each_pci_device(p)
	{
		if (p->vendor == VIRTIO_VENDOR &&
		    (p->device == VIRTIO_DEV_SCSI_TRANSITIONAL ||
		     p->device == VIRTIO_DEV_SCSI_MODERN))
			setup_device(p->bdf);
	}
}
