// virtio 1.x PCI transport (modern interface) and a polled split
// virtqueue. Section numbers refer to the virtio 1.1 specification.
#include "hw/virtio.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "hw/pci.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"

// 4.1.4 virtio_pci_cap: cfg_type at +3, bar at +4, offset at +8;
// notify_off_multiplier follows the notify capability at +16.
#define CAP_CFG_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_NOTIFY_MULT 16
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_ISR 3
#define CFG_DEVICE 4

// 4.1.4.3 common configuration layout.
#define COMMON_DFSELECT 0x00
#define COMMON_DF 0x04
#define COMMON_GFSELECT 0x08
#define COMMON_GF 0x0C
#define COMMON_STATUS 0x14
#define COMMON_CFGGEN 0x15
#define COMMON_Q_SELECT 0x16
#define COMMON_Q_SIZE 0x18
#define COMMON_Q_ENABLE 0x1C
#define COMMON_Q_NOFF 0x1E
#define COMMON_Q_DESCLO 0x20
#define COMMON_Q_DESCHI 0x24
#define COMMON_Q_AVAILLO 0x28
#define COMMON_Q_AVAILHI 0x2C
#define COMMON_Q_USEDLO 0x30
#define COMMON_Q_USEDHI 0x34

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define RESET_TIMEOUT_US 1000000

static u8 rd8(const struct virtio_region *r, u32 off)
{
	return r->io ? inb(r->addr + off) : mmio_read8(r->addr + off);
}
static u16 rd16(const struct virtio_region *r, u32 off)
{
	return r->io ? inw(r->addr + off) : mmio_read16(r->addr + off);
}
static u32 rd32(const struct virtio_region *r, u32 off)
{
	return r->io ? inl(r->addr + off) : mmio_read32(r->addr + off);
}
static void wr8(const struct virtio_region *r, u32 off, u8 v)
{
	if (r->io)
		outb(v, r->addr + off);
	else
		mmio_write8(r->addr + off, v);
}
static void wr16(const struct virtio_region *r, u32 off, u16 v)
{
	if (r->io)
		outw(v, r->addr + off);
	else
		mmio_write16(r->addr + off, v);
}
static void wr32(const struct virtio_region *r, u32 off, u32 v)
{
	if (r->io)
		outl(v, r->addr + off);
	else
		mmio_write32(r->addr + off, v);
}

// Where BAR `bar` + `off` is, if the BAR is assigned and below 4 GiB.
static bool bar_region(u16 bdf, u8 bar, u32 off, struct virtio_region *r)
{
	if (bar > 5)
		return false;
	u8 reg = PCI_BAR0 + bar * 4;
	u32 v = pci_read32(bdf, reg);
	u32 base;
	if (v & 1) {
		base = v & ~3u;
		r->io = true;
	} else {
		base = v & ~0xFu;
		r->io = false;
		// 64-bit BAR: the firmware cannot reach it above 4 GiB.
		if ((v & 6) == 4 && (bar == 5 || pci_read32(bdf, reg + 4)))
			return false;
	}
	if (!base)
		return false;
	r->addr = base + off;
	return true;
}

bool virtio_pci_probe(struct virtio_pci *v, u16 bdf)
{
	memset(v, 0, sizeof(*v));
	v->bdf = bdf;
	// 4.1.4: use the first capability of each type that is usable.
	for (u8 cap = pci_find_cap(bdf, PCI_CAP_ID_VNDR, 0); cap;
	     cap = pci_find_cap(bdf, PCI_CAP_ID_VNDR, cap)) {
		u8 type = pci_read8(bdf, cap + CAP_CFG_TYPE);
		struct virtio_region *r = type == CFG_COMMON   ? &v->common
					  : type == CFG_NOTIFY ? &v->notify
					  : type == CFG_ISR    ? &v->isr
					  : type == CFG_DEVICE ? &v->device
							       : NULL;
		if (!r || r->addr)
			continue;
		if (!bar_region(bdf, pci_read8(bdf, cap + CAP_BAR),
				pci_read32(bdf, cap + CAP_OFFSET), r))
			continue;
		if (type == CFG_NOTIFY)
			v->notify_mult = pci_read32(bdf, cap + CAP_NOTIFY_MULT);
	}
	if (!v->common.addr || !v->notify.addr || !v->device.addr)
		return false;
	u16 cmd = pci_read16(bdf, PCI_COMMAND) | PCI_CMD_MASTER |
		  PCI_CMD_MEMORY | PCI_CMD_IO;
	pci_write16(bdf, PCI_COMMAND, cmd);
	return true;
}

void virtio_pci_fail(struct virtio_pci *v)
{
	wr8(&v->common, COMMON_STATUS,
	    rd8(&v->common, COMMON_STATUS) | VIRTIO_STATUS_FAILED);
}

// 3.1.1 device initialization, steps 1-6.
bool virtio_pci_negotiate(struct virtio_pci *v, u64 wanted, u64 *offered)
{
	const struct virtio_region *c = &v->common;
	wr8(c, COMMON_STATUS, 0);
	// 4.1.4.3.2: after writing 0 the driver waits for status to read 0.
	u64 end = clock_deadline(RESET_TIMEOUT_US);
	while (rd8(c, COMMON_STATUS))
		if (clock_expired(end))
			return false;
	wr8(c, COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr8(c, COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	u64 dev = 0;
	for (u32 i = 0; i < 2; i++) {
		wr32(c, COMMON_DFSELECT, i);
		dev |= (u64)rd32(c, COMMON_DF) << (32 * i);
	}
	*offered = dev;
	u64 drv = dev & wanted;
	for (u32 i = 0; i < 2; i++) {
		wr32(c, COMMON_GFSELECT, i);
		wr32(c, COMMON_GF, (u32)(drv >> (32 * i)));
	}
	wr8(c, COMMON_STATUS,
	    VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		VIRTIO_STATUS_FEATURES_OK);
	if (!(drv & VIRTIO_F_VERSION_1) ||
	    !(rd8(c, COMMON_STATUS) & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_pci_fail(v);
		return false;
	}
	return true;
}

bool virtio_pci_start(struct virtio_pci *v, u16 bdf, const char *name,
		      u64 *offered)
{
	// No IOMMU is set up here, so DMA addresses are physical ones and
	// ACCESS_PLATFORM can be accepted if the device insists on it.
	const char *why =
	    !virtio_pci_probe(v, bdf) ? "no usable modern interface"
	    : !virtio_pci_negotiate(
		  v, VIRTIO_F_VERSION_1 | VIRTIO_F_ACCESS_PLATFORM, offered)
		? "feature negotiation failed"
		: NULL;
	if (why)
		printf_console("%s %02x:%02x.%x: %s, skipped\n", name,
			       PCI_BUS(bdf), PCI_DEV(bdf), PCI_FN(bdf), why);
	return !why;
}

bool virtio_pci_queue(struct virtio_pci *v, u16 index, struct virtq *q)
{
	const struct virtio_region *c = &v->common;
	wr16(c, COMMON_Q_SELECT, index);
	u16 max = rd16(c, COMMON_Q_SIZE);
	// A split ring's size is a power of two; a smaller one than the
	// device's maximum may be chosen (4.1.4.3).
	if (max < VIRTQ_SIZE)
		return false;
	// Alignment (2.7): descriptors 16, available ring 2, used ring 4.
	u8 *mem = malloc_high(256, 16);
	if (!mem)
		return false;
	q->desc = (struct virtq_desc *)mem;
	q->avail = (struct virtq_avail *)(mem + 64);
	q->used = (struct virtq_used *)(mem + 96);
	STATIC_ASSERT(sizeof(struct virtq_desc) * VIRTQ_SIZE <= 64, "desc");
	STATIC_ASSERT(sizeof(struct virtq_avail) <= 32, "avail");
	STATIC_ASSERT(sizeof(struct virtq_used) <= 160, "used");
	q->avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	q->index = index;
	q->last_used = 0;
	wr16(c, COMMON_Q_SIZE, VIRTQ_SIZE);
	wr32(c, COMMON_Q_DESCLO, phys_addr(q->desc));
	wr32(c, COMMON_Q_DESCHI, 0);
	wr32(c, COMMON_Q_AVAILLO, phys_addr(q->avail));
	wr32(c, COMMON_Q_AVAILHI, 0);
	wr32(c, COMMON_Q_USEDLO, phys_addr(q->used));
	wr32(c, COMMON_Q_USEDHI, 0);
	// 4.1.4.4: notify address = notify cap + queue_notify_off * mult.
	q->notify = v->notify;
	q->notify.addr += rd16(c, COMMON_Q_NOFF) * v->notify_mult;
	wr16(c, COMMON_Q_ENABLE, 1);
	return true;
}

void virtio_pci_driver_ok(struct virtio_pci *v)
{
	wr8(&v->common, COMMON_STATUS,
	    rd8(&v->common, COMMON_STATUS) | VIRTIO_STATUS_DRIVER_OK);
}

u32 virtio_cfg_read32(struct virtio_pci *v, u32 off)
{
	return rd32(&v->device, off);
}

u64 virtio_cfg_read64(struct virtio_pci *v, u32 off)
{
	// 4.1.4.3.1: re-read while config_generation changes.
	u8 gen;
	u64 val;
	do {
		gen = rd8(&v->common, COMMON_CFGGEN);
		val = rd32(&v->device, off) | (u64)rd32(&v->device, off + 4)
						  << 32;
	} while (gen != rd8(&v->common, COMMON_CFGGEN));
	return val;
}

bool virtq_run(struct virtio_pci *v, struct virtq *q, u32 timeout_us)
{
	volatile struct virtq_avail *avail = q->avail;
	volatile struct virtq_used *used = q->used;
	u16 idx = avail->idx;
	avail->ring[idx % VIRTQ_SIZE] = 0;
	barrier(); // ring entry before index (2.7.13)
	avail->idx = idx + 1;
	barrier();
	wr16(&q->notify, 0, q->index); // 4.1.5.2: the queue's index
	u64 end = clock_deadline(timeout_us);
	while (used->idx == q->last_used)
		if (clock_expired(end))
			return false;
	q->last_used++;
	barrier();
	// Reading the ISR deasserts a level interrupt if one was raised.
	if (v->isr.addr)
		rd8(&v->isr, 0);
	return true;
}
