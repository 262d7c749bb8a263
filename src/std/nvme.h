// NVM Express structures the firmware uses (NVM Express Base Specification
// 1.4): controller registers (3.1), queue entries (4.2, 4.6), admin and NVM
// commands (5, 6) and the IDENTIFY data (5.15).
#ifndef MBIOS_STD_NVME_H
#define MBIOS_STD_NVME_H

#include "std/types.h"

// Controller registers in BAR0 (3.1).
#define NVME_REG_CAP 0x00  // u64: MQES 15:0, TO 31:24, DSTRD 35:32
#define NVME_REG_CC 0x14   // EN bit 0, IOSQES 19:16, IOCQES 23:20
#define NVME_REG_CSTS 0x1C // RDY bit 0, CFS bit 1
#define NVME_REG_AQA 0x24  // admin queue sizes, 0-based
#define NVME_REG_ASQ 0x28
#define NVME_REG_ACQ 0x30
#define NVME_REG_DBS 0x1000 // doorbells, stride 4 << CAP.DSTRD

#define NVME_CC_EN 1u
#define NVME_CC_IOSQES (6u << 16) // 64-byte submission entries
#define NVME_CC_IOCQES (4u << 20) // 16-byte completion entries
#define NVME_CSTS_RDY 1u
#define NVME_CSTS_CFS 2u

// 4.2 submission queue entry (64 bytes).
struct nvme_sqe {
	u8 opcode;
	u8 flags;
	u16 cid;
	u32 nsid;
	u64 reserved;
	u64 mptr;
	u64 prp1, prp2;
	u32 cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};

// 4.6 completion queue entry (16 bytes): status bit 0 is the phase tag.
struct nvme_cqe {
	u32 result;
	u32 reserved;
	u16 sq_head, sq_id;
	u16 cid;
	u16 status;
};

STATIC_ASSERT(sizeof(struct nvme_sqe) == 64, "nvme_sqe");
STATIC_ASSERT(sizeof(struct nvme_cqe) == 16, "nvme_cqe");

// Admin commands (5) and NVM commands (6).
#define NVME_ADMIN_CREATE_SQ 0x01
#define NVME_ADMIN_CREATE_CQ 0x05
#define NVME_ADMIN_IDENTIFY 0x06
#define NVME_CMD_WRITE 0x01
#define NVME_CMD_READ 0x02

// IDENTIFY CNS values (5.15.1).
#define NVME_CNS_NAMESPACE 0x00
#define NVME_CNS_CONTROLLER 0x01
#define NVME_CNS_ACTIVE_NS 0x02

// IDENTIFY controller data (5.15.2.1): offsets.
#define NVME_ID_CTRL_MN 24   // model number, 40 ASCII bytes, blank padded
#define NVME_ID_CTRL_MDTS 77 // max transfer 2^n min pages, 0 = no limit
// IDENTIFY namespace data (5.15.2.2, NVM command set 1.0 4.1.5.1).
#define NVME_ID_NS_NSZE 0   // u64 size in logical blocks
#define NVME_ID_NS_NLBAF 25 // number of LBA formats, 0-based
#define NVME_ID_NS_FLBAS 26 // bits 3:0 format in use
#define NVME_ID_NS_LBAF 128 // 4-byte formats: MS 15:0, LBADS 23:16

#define NVME_PAGE 4096 // CC.MPS = 0

#endif
