// virtio-blk PCI disks (1AF4:1001 transitional, 1AF4:1042 modern) through
// the modern virtio 1.x interface: one request at a time, polled. Device
// facts: virtio 1.1 5.2 "Block Device".
#include "autoconf.h"
#include "hw/block.h"
#include "hw/pci.h"
#include "hw/virtio.h"
#include "lib/format.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"

#define VIRTIO_VENDOR 0x1AF4
#define VIRTIO_DEV_BLK_TRANSITIONAL 0x1001
#define VIRTIO_DEV_BLK_MODERN 0x1042

// 5.2.3 feature bits.
#define VIRTIO_BLK_F_SIZE_MAX (1ull << 1)
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)

// 5.2.4 configuration layout.
#define CFG_CAPACITY 0 // le64, in 512-byte sectors
#define CFG_SIZE_MAX 8
#define CFG_BLK_SIZE 20

// 5.2.6 requests.
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_S_OK 0

#define REQUEST_TIMEOUT_US 10000000
#define MAX_SECTORS 8192 // per request when the device sets no size_max

struct blk_req {
	u32 type;
	u32 reserved;
	u64 sector;
	u8 status;
};

struct vblk {
	struct drive d;
	struct virtio_pci v;
	struct virtq q;
	struct blk_req *req; // device-visible, in the reserved high zone
	u32 max_sectors;
	bool broken; // a request timed out: the queue state is unknown
};

static int vblk_rw(struct drive *d, bool write, u64 lba, u32 count, u8 *buf)
{
	struct vblk *b = container_of(d, struct vblk, d);
	if (b->broken)
		return DISK_ERR_TIMEOUT;
	struct virtq_desc *desc = b->q.desc;
	while (count) {
		u32 n = MIN(count, b->max_sectors);
		b->req->type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
		b->req->reserved = 0;
		b->req->sector = lba;
		b->req->status = 0xFF;
		// Header, data, status: 2.7.5 descriptor chain, device-written
		// parts flagged WRITE.
		desc[0] = (struct virtq_desc){phys_addr(b->req), 16,
					      VIRTQ_DESC_F_NEXT, 1};
		desc[1] = (struct virtq_desc){
		    phys_addr(buf), n * 512,
		    VIRTQ_DESC_F_NEXT | (write ? 0 : VIRTQ_DESC_F_WRITE), 2};
		desc[2] = (struct virtq_desc){phys_addr(&b->req->status), 1,
					      VIRTQ_DESC_F_WRITE, 0};
		if (!virtq_run(&b->v, &b->q, REQUEST_TIMEOUT_US)) {
			dprint(DL_ERR, "virtio-blk: request timed out\n");
			b->broken = true;
			return DISK_ERR_TIMEOUT;
		}
		u8 st = *(volatile u8 *)&b->req->status;
		if (st != VIRTIO_BLK_S_OK) {
			dprint(DL_ERR, "virtio-blk: %s lba %u failed: %u\n",
			       write ? "write" : "read", (u32)lba, st);
			return DISK_ERR_IO;
		}
		lba += n;
		count -= n;
		buf += n * 512;
	}
	return DISK_OK;
}

static void setup_device(u16 bdf)
{
	struct vblk *b = malloc_high(sizeof(*b), 8);
	if (!b)
		return;
	struct virtio_pci *v = &b->v;
	int bus = PCI_BUS(bdf), dev = PCI_DEV(bdf), fn = PCI_FN(bdf);
	u64 offered;
	if (!virtio_pci_start(v, bdf, "virtio-blk", &offered))
		return;
	if (offered & VIRTIO_BLK_F_BLK_SIZE &&
	    virtio_cfg_read32(v, CFG_BLK_SIZE) != 512) {
		printf_console("virtio-blk %02x:%02x.%x: block size %u, "
			       "skipped\n",
			       bus, dev, fn,
			       virtio_cfg_read32(v, CFG_BLK_SIZE));
		virtio_pci_fail(v);
		return;
	}
	b->max_sectors = MAX_SECTORS;
	if (offered & VIRTIO_BLK_F_SIZE_MAX) {
		u32 m = virtio_cfg_read32(v, CFG_SIZE_MAX) / 512;
		if (m && m < MAX_SECTORS)
			b->max_sectors = m;
	}
	b->req = malloc_high(sizeof(*b->req), 16);
	if (!b->req || !virtio_pci_queue(v, 0, &b->q)) {
		printf_console("virtio-blk %02x:%02x.%x: queue set-up failed\n",
			       bus, dev, fn);
		virtio_pci_fail(v);
		return;
	}
	virtio_pci_driver_ok(v);
	struct drive *d = &b->d;
	d->type = DRIVE_VIRTIO_BLK;
	d->transfer = vblk_rw;
	d->sector_size = 512;
	d->sectors = virtio_cfg_read64(v, CFG_CAPACITY);
	d->bdf = bdf;
	d->read_only = offered & VIRTIO_BLK_F_RO;
	d->priv = b;
	snprintf(d->model, sizeof(d->model), "virtio-blk %02x:%02x.%x", bus,
		 dev, fn);
	printf_console("%s, %u MiB%s\n", d->model, (u32)(d->sectors >> 11),
		       d->read_only ? ", read-only" : "");
	drive_register(d);
}

void virtio_blk_setup(void)
{
#if !CONFIG_VIRTIO_BLK
	return;
#endif
	for_each_pci_device(p)
	{
		if (p->vendor == VIRTIO_VENDOR &&
		    (p->device == VIRTIO_DEV_BLK_TRANSITIONAL ||
		     p->device == VIRTIO_DEV_BLK_MODERN))
			setup_device(p->bdf);
	}
}
