// The INT 1Ah TCG BIOS interface (AH=BBh): function numbers, return codes
// and parameter blocks. Source: TCG PC Client Specific Implementation
// Specification for Conventional BIOS 1.21, section 13 ("Interrupt 1Ah
// Interface"). All block fields are little-endian; pointers inside blocks
// are 32-bit linear addresses. The event structure a caller points at is
// the SHA-1 record of std/tcg.h (struct tcg_pcr_event).
#ifndef MBIOS_STD_TCG_BIOS_H
#define MBIOS_STD_TCG_BIOS_H

#include "std/types.h"

// EBX on entry to every function and on return from StatusCheck: 'TCPA'.
#define TCG_BIOS_MAGIC 0x41504354u
#define TCG_BIOS_VERSION_MAJOR 1 // CH from StatusCheck
#define TCG_BIOS_VERSION_MINOR 2 // CL from StatusCheck

// AL: the functions of section 13.
#define TCG_BIOS_STATUS_CHECK 0x00
#define TCG_BIOS_HASH_LOG_EXTEND_EVENT 0x01
#define TCG_BIOS_PASS_THROUGH_TO_TPM 0x02
#define TCG_BIOS_SHUTDOWN_PRE_BOOT_INTERFACE 0x03
#define TCG_BIOS_HASH_LOG_EVENT 0x04
#define TCG_BIOS_HASH_ALL 0x05
#define TCG_BIOS_TSS 0x06
#define TCG_BIOS_COMPACT_HASH_LOG_EXTEND_EVENT 0x07

// EAX on return. The TCG_PC_* codes, then the driver codes, which start at
// TPM_RET_BASE (01h).
#define TCG_PC_OK 0x00
#define TCG_PC_TPMERROR 0x01
#define TCG_PC_LOGOVERFLOW 0x02
#define TCG_PC_UNSUPPORTED 0x03
#define TCG_GENERAL_ERROR 0x01
#define TCG_INVALID_RESPONSE 0x04
#define TCG_OUTPUT_BUFFER_TOO_SHORT 0x17
#define TCG_FATAL_COM_ERROR 0x18
#define TCG_INVALID_INPUT_PARA 0x19
#define TCG_TCG_COMMAND_ERROR 0x1A
#define TCG_INTERFACE_SHUTDOWN 0x21
#define TCG_PC_TPM_NOT_PRESENT 0x23
#define TCG_PC_TPM_DEACTIVATED 0x24

// HashAll: the one algorithm the interface defines (TPM_ALG_SHA).
#define TCG_BIOS_ALG_SHA1 0x00000004

// 01h HashLogExtendEvent input, short form (IPBLength 18h).
struct tcg_hlee_in_short {
	u16 ipb_length;
	u16 reserved;
	u32 hash_data_ptr;
	u32 hash_data_len;
	u32 pcr_index;
	u32 log_data_ptr; // a struct tcg_pcr_event with its event data
	u32 log_data_len;
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_hlee_in_short) == 0x18, "short HLEE IPB");

// 01h HashLogExtendEvent input, long form (IPBLength 1Ch).
struct tcg_hlee_in_long {
	u16 ipb_length;
	u16 reserved;
	u32 hash_data_ptr;
	u32 hash_data_len;
	u32 pcr_index;
	u32 reserved2;
	u32 log_data_ptr;
	u32 log_data_len;
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_hlee_in_long) == 0x1C, "long HLEE IPB");

// 01h HashLogExtendEvent output.
struct tcg_hlee_out {
	u16 opb_length;
	u16 reserved;
	u32 event_number;
	u8 hash_value[20]; // SHA-1 of the hashed data
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_hlee_out) == 0x1C, "HLEE OPB");

// 02h PassThroughToTPM input: the TPM command follows the header.
struct tcg_pass_in {
	u16 ipb_length; // header + command
	u16 reserved;
	u16 opb_length; // size of the caller's output block
	u16 reserved2;
	u8 tpm_operand_in[];
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_pass_in) == 8, "pass-through IPB header");

// 02h PassThroughToTPM output: the TPM response follows the header.
struct tcg_pass_out {
	u16 opb_length; // header + response
	u16 reserved;
	u8 tpm_operand_out[];
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_pass_out) == 4, "pass-through OPB header");

// 04h HashLogEvent input.
struct tcg_hle_in {
	u16 ipb_length;
	u16 reserved;
	u32 hash_data_ptr;
	u32 hash_data_len;
	u32 pcr_index;
	u32 log_event_type;
	u32 log_data_ptr;
	u32 log_data_len;
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_hle_in) == 0x1C, "HLE IPB");

// 04h HashLogEvent output.
struct tcg_hle_out {
	u16 opb_length;
	u16 reserved;
	u32 event_number;
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_hle_out) == 8, "HLE OPB");

// 05h HashAll input; the digest (20 bytes for SHA-1) goes to DS:SI.
struct tcg_hash_all_in {
	u16 ipb_length;
	u16 reserved;
	u32 hash_data_ptr;
	u32 hash_data_len;
	u32 algorithm_id;
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_hash_all_in) == 0x10, "HashAll IPB");

#endif
