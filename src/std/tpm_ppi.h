// The Physical Presence Interface: operation codes and responses of the TCG
// PC Client Platform Physical Presence Interface Specification 1.30
// ("Physical Presence Interface Operation Summary", for TPM 1.2 and TPM
// 2.0), and the shared page QEMU's ACPI _DSM reads and writes (QEMU
// docs/specs/tpm.rst, "ACPI PPI Interface"; address in etc/tpm/config).
#ifndef MBIOS_STD_TPM_PPI_H
#define MBIOS_STD_TPM_PPI_H

#include "std/types.h"

// etc/tpm/config (6 bytes, little-endian).
struct qemu_tpm_config {
	u32 ppi_address;
	u8 tpm_version; // 1: TPM 1.2, 2: TPM 2.0
	u8 ppi_version; // 0: no PPI, 1: PPI 1.30
} PACKED;
#define QEMU_TPM_PPI_VERSION_130 1

// The page (0x400 bytes; unaligned fields).
#define PPI_PAGE_SIZE 0x400
#define PPI_FUNC 0x000 // u8[256]: one PPI_FUNC_* value per operation
#define PPI_PPRP 0x105 // u32: result of the last operation (firmware)
#define PPI_PPRQ 0x109 // u32: the pending request (ACPI)
#define PPI_PPRM 0x10D // u32: its argument (ACPI)
#define PPI_LPPR 0x111 // u32: the last operation run (firmware)
#define PPI_NUM_OPS 256

// func[] values (as the _DSM "Get User Confirmation Status" returns them).
#define PPI_FUNC_NOT_IMPLEMENTED 0
#define PPI_FUNC_BIOS_ONLY 1
#define PPI_FUNC_BLOCKED 2
#define PPI_FUNC_PP_REQUIRED 3
#define PPI_FUNC_PP_NOT_REQUIRED 4
#define PPI_FUNC_MASK 7

// Responses (_DSM "Return TPM Operation Response to OS Environment"):
// 0, a TPM error code 1..FFFh, or these.
#define PPI_RESULT_SUCCESS 0x00000000u
#define PPI_RESULT_USER_ABORT 0xFFFFFFF0u // refused, or no answer in time
#define PPI_RESULT_BIOS_FAILURE 0xFFFFFFF1u

// Operations (the numbers are shared; which apply depends on the family).
#define PPI_OP_NONE 0
#define PPI_OP_ENABLE 1		 // 1.2
#define PPI_OP_DISABLE 2	 // 1.2
#define PPI_OP_ACTIVATE 3	 // 1.2
#define PPI_OP_DEACTIVATE 4	 // 1.2
#define PPI_OP_CLEAR 5		 // 1.2 and 2.0
#define PPI_OP_ENABLE_ACTIVATE 6 // 1.2
#define PPI_OP_DEACTIVATE_DISABLE 7
#define PPI_OP_OWNER_INSTALL_TRUE 8
#define PPI_OP_OWNER_INSTALL_FALSE 9
#define PPI_OP_ENABLE_ACTIVATE_OWNER_INSTALL_TRUE 10
#define PPI_OP_OWNER_INSTALL_FALSE_DEACTIVATE_DISABLE 11
#define PPI_OP_ENABLE_ACTIVATE_CLEAR 14 // 2.0: Enable + Clear
// 1.2: SetNoPPIProvision/Clear/Maintenance _False (15/17/19), _True
// (16/18/20). 2.0: SetPPRequiredForClear _False 17, _True 18.
#define PPI_OP_NO_PPI_PROVISION_FALSE 15
#define PPI_OP_NO_PPI_PROVISION_TRUE 16
#define PPI_OP_17 17
#define PPI_OP_18 18
#define PPI_OP_NO_PPI_MAINTENANCE_FALSE 19
#define PPI_OP_NO_PPI_MAINTENANCE_TRUE 20
#define PPI_OP_CLEAR_ENABLE_ACTIVATE 21
#define PPI_OP_ENABLE_ACTIVATE_CLEAR_ENABLE_ACTIVATE 22
#define PPI_OP_SET_PCR_BANKS 23 // 2.0; argument: bank bitmap below
#define PPI_OP_CHANGE_EPS 24	// 2.0
#define PPI_OP_PP_REQUIRED_FOR_CHANGE_PCRS_FALSE 25
#define PPI_OP_PP_REQUIRED_FOR_CHANGE_PCRS_TRUE 26
#define PPI_OP_PP_REQUIRED_FOR_CHANGE_EPS_FALSE 31
#define PPI_OP_PP_REQUIRED_FOR_CHANGE_EPS_TRUE 32
#define PPI_OP_LOG_ALL_DIGESTS 33 // 2.0

// SetPCRBanks argument bits.
#define PPI_BANK_SHA1 0x01
#define PPI_BANK_SHA256 0x02
#define PPI_BANK_SHA384 0x04
#define PPI_BANK_SHA512 0x08
#define PPI_BANK_SM3_256 0x10
#define PPI_BANK_SHA3_256 0x20
#define PPI_BANK_SHA3_384 0x40
#define PPI_BANK_SHA3_512 0x80

#endif
