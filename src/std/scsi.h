// SCSI commands the firmware sends to disks and CD-ROMs, and the data they
// return. SPC-4 (INQUIRY, TEST UNIT READY, sense data) and SBC-3 (READ
// CAPACITY, READ/WRITE); CDB fields are big-endian.
#ifndef MBIOS_STD_SCSI_H
#define MBIOS_STD_SCSI_H

#include "std/types.h"

// Operation codes (SPC-4 annex D, SBC-3 5).
#define SCSI_TEST_UNIT_READY 0x00
#define SCSI_REQUEST_SENSE 0x03
#define SCSI_INQUIRY 0x12
#define SCSI_READ_CAPACITY10 0x25
#define SCSI_READ10 0x28
#define SCSI_WRITE10 0x2A
#define SCSI_READ16 0x88
#define SCSI_WRITE16 0x8A
#define SCSI_SERVICE_ACTION_IN16 0x9E
#define SCSI_SA_READ_CAPACITY16 0x10

// Status byte (SAM-5 5.3).
#define SCSI_STATUS_GOOD 0x00
#define SCSI_STATUS_CHECK_CONDITION 0x02

// Fixed-format sense data (SPC-4 4.5.3): sense key in byte 2 bits 3:0,
// additional sense code in byte 12.
#define SCSI_SENSE_NOT_READY 0x2
#define SCSI_SENSE_UNIT_ATTENTION 0x6

// INQUIRY standard data (SPC-4 6.4.2): peripheral qualifier in byte 0
// bits 7:5 (0 = a device is connected to this LUN), type in bits 4:0;
// vendor 8-15, product 16-31, both blank padded.
#define SCSI_INQUIRY_LEN 36
#define SCSI_TYPE_DISK 0x00
#define SCSI_TYPE_CDROM 0x05

// READ CAPACITY data: (10) be32 last LBA, be32 block length (SBC-3 5.16.2);
// (16) be64 last LBA, be32 block length (5.17.2). A last LBA of FFFFFFFFh
// from (10) means "ask (16)".
#define SCSI_CAPACITY10_LEN 8
#define SCSI_CAPACITY16_LEN 32

#define SCSI_CDB_MAX 16

#endif
