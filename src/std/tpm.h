// TPM spec constants: TPM 1.2 and TPM 2.0 command wire values, and the TIS
// (FIFO) and CRB register maps of the PC Client Platform TPM Profile (PTP).
// Everything on the wire is big-endian.
#ifndef MBIOS_STD_TPM_H
#define MBIOS_STD_TPM_H

#include "std/types.h"

// ---- Register window (PTP: 5 localities, 4 KiB each) ------------------
#define TPM_MMIO_BASE 0xFED40000u
#define TPM_LOCALITY_STRIDE 0x1000u
#define TPM_NUM_LOCALITIES 5
#define TPM_MMIO_SIZE (TPM_NUM_LOCALITIES * TPM_LOCALITY_STRIDE)

// ---- TIS / FIFO interface (PTP FIFO register space, per locality) --------
#define TIS_REG_ACCESS 0x000 // 8 bit
#define TIS_REG_INT_ENABLE 0x008
#define TIS_REG_INT_VECTOR 0x00C
#define TIS_REG_INT_STATUS 0x010
#define TIS_REG_INTF_CAPABILITY 0x014
#define TIS_REG_STS 0x018 // 32 bit; burstCount is bytes 1-2
#define TIS_REG_DATA_FIFO 0x024
#define TIS_REG_INTERFACE_ID 0x030
#define TIS_REG_XDATA_FIFO 0x080
#define TIS_REG_DID_VID 0xF00
#define TIS_REG_RID 0xF04

// TPM_ACCESS_x bits
#define TIS_ACCESS_ESTABLISHMENT 0x01
#define TIS_ACCESS_REQUEST_USE 0x02
#define TIS_ACCESS_PENDING_REQUEST 0x04
#define TIS_ACCESS_SEIZE 0x08
#define TIS_ACCESS_BEEN_SEIZED 0x10
#define TIS_ACCESS_ACTIVE_LOCALITY 0x20
#define TIS_ACCESS_REG_VALID 0x80

// TPM_STS_x bits
#define TIS_STS_RESPONSE_RETRY 0x00000002u
#define TIS_STS_SELFTEST_DONE 0x00000004u // TPM 2.0 only
#define TIS_STS_EXPECT 0x00000008u
#define TIS_STS_DATA_AVAIL 0x00000010u
#define TIS_STS_GO 0x00000020u
#define TIS_STS_COMMAND_READY 0x00000040u
#define TIS_STS_VALID 0x00000080u
#define TIS_STS_BURST_SHIFT 8
#define TIS_STS_BURST_MASK 0x00FFFF00u
#define TIS_STS_COMMAND_CANCEL 0x01000000u	// TPM 2.0 only
#define TIS_STS_RESET_ESTABLISHMENT 0x02000000u // TPM 2.0 only
#define TIS_STS_FAMILY_SHIFT 26
#define TIS_STS_FAMILY_MASK 0x0C000000u
#define TIS_STS_FAMILY_12 0
#define TIS_STS_FAMILY_20 1

// TPM_INTF_CAPABILITY_x
#define TIS_CAP_BURST_STATIC 0x00000100u
#define TIS_CAP_XFER_SHIFT 9 // 0: legacy 1 byte, 1: 8, 2: 32, 3: 64 bytes
#define TIS_CAP_XFER_MASK 0x00000600u
#define TIS_CAP_IFVER_SHIFT 28
#define TIS_CAP_IFVER_MASK 0x70000000u
#define TIS_CAP_IFVER_TIS12 0 // TIS 1.2, TPM 1.2
#define TIS_CAP_IFVER_TIS13 2 // TIS 1.3, TPM 1.2
#define TIS_CAP_IFVER_PTP20 3 // PTP FIFO, TPM 2.0

// TPM_INTERFACE_ID_x (PTP; TPM 1.2 TIS parts read all ones or type 0xF)
#define TPM_INTF_TYPE_MASK 0x0000000Fu
#define TPM_INTF_TYPE_FIFO 0x0 // FIFO interface, TPM 2.0
#define TPM_INTF_TYPE_CRB 0x1
#define TPM_INTF_TYPE_TIS13 0xF // legacy: look at TPM_INTF_CAPABILITY
#define TPM_INTF_VER_SHIFT 4
#define TPM_INTF_VER_MASK 0x000000F0u
#define TPM_INTF_VER_FIFO 0x0
#define TPM_INTF_VER_CRB 0x1
#define TPM_INTF_CAP_LOCALITY 0x00000100u // all 5 localities
#define TPM_INTF_CAP_IDLE_BYPASS 0x00000200u
#define TPM_INTF_CAP_FIFO 0x00002000u
#define TPM_INTF_CAP_CRB 0x00004000u
#define TPM_INTF_SEL_SHIFT 17
#define TPM_INTF_SEL_MASK 0x00060000u
#define TPM_INTF_SEL_FIFO 0
#define TPM_INTF_SEL_CRB 1
#define TPM_INTF_SEL_LOCK 0x00080000u

// ---- CRB interface (PTP CRB registers, per locality) -----------------
#define CRB_REG_LOC_STATE 0x00
#define CRB_REG_LOC_CTRL 0x08
#define CRB_REG_LOC_STS 0x0C
#define CRB_REG_INTF_ID 0x30	// same layout as TPM_INTERFACE_ID
#define CRB_REG_INTF_ID_HI 0x34 // VID [15:0], DID [31:16]
#define CRB_REG_CTRL_EXT 0x38
#define CRB_REG_CTRL_REQ 0x40
#define CRB_REG_CTRL_STS 0x44
#define CRB_REG_CTRL_CANCEL 0x48
#define CRB_REG_CTRL_START 0x4C
#define CRB_REG_INT_ENABLE 0x50
#define CRB_REG_INT_STS 0x54
#define CRB_REG_CMD_SIZE 0x58
#define CRB_REG_CMD_LADDR 0x5C
#define CRB_REG_CMD_HADDR 0x60
#define CRB_REG_RSP_SIZE 0x64
#define CRB_REG_RSP_ADDR 0x68 // 64 bit: low dword then high dword
#define CRB_REG_DATA_BUFFER 0x80

// TPM_LOC_STATE_x
#define CRB_LOC_STATE_ESTABLISHED 0x01
#define CRB_LOC_STATE_ASSIGNED 0x02
#define CRB_LOC_STATE_ACTIVE_SHIFT 2
#define CRB_LOC_STATE_ACTIVE_MASK 0x1C
#define CRB_LOC_STATE_REG_VALID 0x80
// TPM_LOC_CTRL_x
#define CRB_LOC_CTRL_REQUEST 0x01
#define CRB_LOC_CTRL_RELINQUISH 0x02
#define CRB_LOC_CTRL_SEIZE 0x04
#define CRB_LOC_CTRL_RESET_ESTABLISHMENT 0x08
// TPM_LOC_STS_x
#define CRB_LOC_STS_GRANTED 0x01
#define CRB_LOC_STS_BEEN_SEIZED 0x02
// TPM_CRB_CTRL_REQ_x: the TPM clears a bit when the transition is done
#define CRB_CTRL_REQ_CMD_READY 0x01
#define CRB_CTRL_REQ_GO_IDLE 0x02
// TPM_CRB_CTRL_STS_x
#define CRB_CTRL_STS_ERROR 0x01 // tpmSts: fatal error, needs a reset
#define CRB_CTRL_STS_IDLE 0x02
// TPM_CRB_CTRL_CANCEL_x / TPM_CRB_CTRL_START_x
#define CRB_CTRL_CANCEL 0x01
#define CRB_CTRL_START 0x01

// ---- Common command/response header ----------------------------------------
#define TPM_HEADER_SIZE 10 // tag u16, size u32, ordinal/code u32

// ---- TPM 1.2 (Main Part 2 and Part 3) --------------------------------------
#define TPM_TAG_RQU_COMMAND 0x00C1
#define TPM_TAG_RQU_AUTH1_COMMAND 0x00C2
#define TPM_TAG_RQU_AUTH2_COMMAND 0x00C3
#define TPM_TAG_RSP_COMMAND 0x00C4
#define TPM_TAG_RSP_AUTH1_COMMAND 0x00C5
#define TPM_TAG_RSP_AUTH2_COMMAND 0x00C6

#define TPM_ORD_Extend 0x00000014
#define TPM_ORD_PcrRead 0x00000015
#define TPM_ORD_GetRandom 0x00000046
#define TPM_ORD_SelfTestFull 0x00000050
#define TPM_ORD_ContinueSelfTest 0x00000053
#define TPM_ORD_GetTestResult 0x00000054
#define TPM_ORD_OwnerClear 0x0000005B
#define TPM_ORD_ForceClear 0x0000005D
#define TPM_ORD_GetCapability 0x00000065
#define TPM_ORD_PhysicalEnable 0x0000006F
#define TPM_ORD_PhysicalDisable 0x00000070
#define TPM_ORD_SetOwnerInstall 0x00000071
#define TPM_ORD_PhysicalSetDeactivated 0x00000072
#define TPM_ORD_SetTempDeactivated 0x00000073
#define TPM_ORD_TakeOwnership 0x0000000D
#define TPM_ORD_CreateEndorsementKeyPair 0x00000078
#define TPM_ORD_SaveState 0x00000098
#define TPM_ORD_Startup 0x00000099
#define TSC_ORD_PhysicalPresence 0x4000000A
#define TSC_ORD_ResetEstablishmentBit 0x4000000B

#define TPM_ST_CLEAR 0x0001
#define TPM_ST_STATE 0x0002
#define TPM_ST_DEACTIVATED 0x0003

// TSC_PhysicalPresence bits (Main Part 2, TPM_PHYSICAL_PRESENCE)
#define TPM_PP_HW_DISABLE 0x0200
#define TPM_PP_CMD_DISABLE 0x0100
#define TPM_PP_LIFETIME_LOCK 0x0080
#define TPM_PP_HW_ENABLE 0x0040
#define TPM_PP_CMD_ENABLE 0x0020
#define TPM_PP_NOTPRESENT 0x0010
#define TPM_PP_PRESENT 0x0008
#define TPM_PP_LOCK 0x0004

// GetCapability areas and sub-capabilities
#define TPM_CAP_FLAG 0x00000004
#define TPM_CAP_PROPERTY 0x00000005
#define TPM_CAP_VERSION_VAL 0x0000001A
#define TPM_CAP_FLAG_PERMANENT 0x00000108
#define TPM_CAP_FLAG_VOLATILE 0x00000109
#define TPM_CAP_PROP_OWNER 0x00000111
#define TPM_CAP_PROP_TIS_TIMEOUT 0x00000115
#define TPM_CAP_PROP_DURATION 0x00000120

// Structure tags of the flag sets returned by GetCapability(TPM_CAP_FLAG)
#define TPM_TAG_PERMANENT_FLAGS 0x001F
#define TPM_TAG_STCLEAR_FLAGS 0x0020

// Return codes (Main Part 2, 16)
#define TPM_SUCCESS 0x000
#define TPM_AUTHFAIL 0x001
#define TPM_BAD_PARAMETER 0x003
#define TPM_DEACTIVATED 0x006
#define TPM_DISABLED 0x007
#define TPM_FAIL 0x009
#define TPM_BAD_ORDINAL 0x00A
#define TPM_INVALID_POSTINIT 0x026
#define TPM_BAD_PRESENCE 0x02D
#define TPM_BAD_LOCALITY 0x03D
#define TPM_NON_FATAL 0x800
// Non-fatal warnings (Main Part 2, 16): try again, after ContinueSelfTest
// for NEEDS_SELFTEST.
#define TPM_RETRY 0x800
#define TPM_NEEDS_SELFTEST 0x801
#define TPM_DOING_SELFTEST 0x802

#define TPM12_SHA1_SIZE 20
#define TPM12_NUM_PCRS 24

// ---- TPM 2.0 (Library Part 2 and Part 3) -----------------------------------
#define TPM2_ST_NO_SESSIONS 0x8001
#define TPM2_ST_SESSIONS 0x8002

#define TPM2_CC_HierarchyControl 0x00000121
#define TPM2_CC_ChangeEPS 0x00000124
#define TPM2_CC_Clear 0x00000126
#define TPM2_CC_ClearControl 0x00000127
#define TPM2_CC_HierarchyChangeAuth 0x00000129
#define TPM2_CC_PCR_Allocate 0x0000012B
#define TPM2_CC_CreatePrimary 0x00000131
#define TPM2_CC_PCR_Event 0x0000013C
#define TPM2_CC_IncrementalSelfTest 0x00000142
#define TPM2_CC_SelfTest 0x00000143
#define TPM2_CC_Startup 0x00000144
#define TPM2_CC_Shutdown 0x00000145
#define TPM2_CC_StirRandom 0x00000146
#define TPM2_CC_GetCapability 0x0000017A
#define TPM2_CC_GetRandom 0x0000017B
#define TPM2_CC_PCR_Read 0x0000017E
#define TPM2_CC_PCR_Extend 0x00000182

#define TPM2_SU_CLEAR 0x0000
#define TPM2_SU_STATE 0x0001

#define TPM2_YES 1
#define TPM2_NO 0

// Handles (Part 2, 7.4)
#define TPM2_RH_OWNER 0x40000001
#define TPM2_RS_PW 0x40000009
#define TPM2_RH_LOCKOUT 0x4000000A
#define TPM2_RH_ENDORSEMENT 0x4000000B
#define TPM2_RH_PLATFORM 0x4000000C
#define TPM2_RH_PLATFORM_NV 0x4000000D

// Capabilities and properties (Part 2, 6.12 and 6.13)
#define TPM2_CAP_ALGS 0x00000000
#define TPM2_CAP_COMMANDS 0x00000002
#define TPM2_CAP_PCRS 0x00000005
#define TPM2_CAP_TPM_PROPERTIES 0x00000006
#define TPM2_PT_FIXED 0x00000100
#define TPM2_PT_MANUFACTURER (TPM2_PT_FIXED + 5)
#define TPM2_PT_PCR_COUNT (TPM2_PT_FIXED + 18)
#define TPM2_PT_VAR 0x00000200
#define TPM2_PT_PERMANENT (TPM2_PT_VAR + 0)
#define TPM2_PT_STARTUP_CLEAR (TPM2_PT_VAR + 1)
#define TPM2_PT_LOCKOUT_COUNTER (TPM2_PT_VAR + 14)

// TPMA_STARTUP_CLEAR bits
#define TPM2_STARTUP_PH_ENABLE 0x00000001
#define TPM2_STARTUP_SH_ENABLE 0x00000002
#define TPM2_STARTUP_EH_ENABLE 0x00000004
#define TPM2_STARTUP_PH_ENABLE_NV 0x00000008

// Response codes (Part 2, 6.6). Format-one codes carry the handle/parameter
// number in bits 8-11; TPM2_RC_FMT1_MASK strips it.
#define TPM2_RC_SUCCESS 0x000
#define TPM2_RC_BAD_TAG 0x01E
#define TPM2_RC_INITIALIZE 0x100
#define TPM2_RC_FAILURE 0x101
#define TPM2_RC_DISABLED 0x120
#define TPM2_RC_AUTH_MISSING 0x125
#define TPM2_RC_COMMAND_CODE 0x143
#define TPM2_RC_TESTING 0x90A
#define TPM2_RC_YIELDED 0x908
#define TPM2_RC_CANCELED 0x909
#define TPM2_RC_RETRY 0x922
#define TPM2_RC_FMT1 0x080
#define TPM2_RC_FMT1_MASK 0x0BF
#define TPM2_RC_HIERARCHY 0x085 // format one
#define TPM2_RC_SIZE 0x095	// format one
#define TPM2_RC_BAD_AUTH 0x0A2	// format one
// Format-one response codes name what they refer to (Library Part 2,
// TPM_RC): a handle (H) or a session (S), and its number.
#define TPM2_RC_H 0x000
#define TPM2_RC_S 0x800
#define TPM2_RC_1 0x100
#define TPM2_RC_PCR 0x127
#define TPM2_RC_LOCALITY 0x907

// Algorithm ids (TCG Algorithm Registry) and digest sizes
#define TPM2_ALG_SHA1 0x0004
#define TPM2_ALG_SHA256 0x000B
#define TPM2_ALG_SHA384 0x000C
#define TPM2_ALG_SHA512 0x000D
#define TPM2_ALG_SM3_256 0x0012
#define TPM2_ALG_SHA3_256 0x0027
#define TPM2_ALG_SHA3_384 0x0028
#define TPM2_ALG_SHA3_512 0x0029
#define TPM2_MAX_DIGEST_SIZE 64

#define TPM2_PCR_SELECT_MAX 4 // bytes: PCRs 0-31
#define TPM2_PCR_SELECT_MIN 3 // PC Client: 24 PCRs

#endif
