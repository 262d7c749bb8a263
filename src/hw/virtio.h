// virtio 1.x over PCI, modern interface only (virtio 1.x 4.1): capability
// discovery, status/feature handshake, and one polled split virtqueue.
#ifndef MBIOS_HW_VIRTIO_H
#define MBIOS_HW_VIRTIO_H

#include "std/types.h"

// Device status bits (2.1).
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED 128

#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTIO_F_ACCESS_PLATFORM (1ull << 33)

// A register block inside a BAR, in I/O or memory space.
struct virtio_region {
	u32 addr; // 0 = not found
	bool io;
};

struct virtio_pci {
	u16 bdf;
	struct virtio_region common, notify, isr, device;
	u32 notify_mult;
};

// Split virtqueue (2.7) with a fixed small size: the firmware keeps one
// request in flight.
#define VIRTQ_SIZE 4
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2 // device writes this buffer

struct virtq_desc {
	u64 addr;
	u32 len;
	u16 flags;
	u16 next;
};

struct virtq_avail {
	u16 flags;
	u16 idx;
	u16 ring[VIRTQ_SIZE];
	u16 used_event;
};

struct virtq_used_elem {
	u32 id;
	u32 len;
};

struct virtq_used {
	u16 flags;
	u16 idx;
	struct virtq_used_elem ring[VIRTQ_SIZE];
	u16 avail_event;
};

struct virtq {
	struct virtq_desc *desc;
	struct virtq_avail *avail;
	struct virtq_used *used;
	u16 index;
	u16 last_used;
	struct virtio_region notify; // this queue's notification address
};

// Find the capabilities of a modern virtio PCI function; false if the
// common, notify or device configuration is missing or out of reach.
bool virtio_pci_probe(struct virtio_pci *v, u16 bdf);
// Reset, ACKNOWLEDGE|DRIVER, then accept `wanted` & offered features and
// set FEATURES_OK. Returns false (device marked FAILED) if refused.
// `*offered` gets the device's full feature set.
bool virtio_pci_negotiate(struct virtio_pci *v, u64 wanted, u64 *offered);
// Probe and negotiate (VERSION_1, and ACCESS_PLATFORM if asked for); on
// failure say why on the console as "<name> BB:DD.F: ..., skipped".
bool virtio_pci_start(struct virtio_pci *v, u16 bdf, const char *name,
		      u64 *offered);
// Set up queue `index` in memory from malloc_high; false on failure.
bool virtio_pci_queue(struct virtio_pci *v, u16 index, struct virtq *q);
void virtio_pci_driver_ok(struct virtio_pci *v);
void virtio_pci_fail(struct virtio_pci *v);
// Device configuration space access (4.1.4.6), generation-checked for the
// 64-bit read.
u32 virtio_cfg_read32(struct virtio_pci *v, u32 off);
u64 virtio_cfg_read64(struct virtio_pci *v, u32 off);
// Make the chain starting at descriptor 0 available, notify, and poll for
// its completion for at most `timeout_us`. False on timeout.
bool virtq_run(struct virtio_pci *v, struct virtq *q, u32 timeout_us);

#endif
