// TCG event log definitions. All log fields are little-endian, unlike TPM
// commands. Sources: TCG PC Client Platform Firmware Profile (PFP) rev
// 1.05, "Event Logging" chapter; TCG PC Client Specific Implementation
// Specification for Conventional BIOS 1.21 (TPM 1.2 logs, INT 1Ah);
// TCG ACPI Specification 1.3 (TCPA and TPM2 tables); TPM 2.0 Library
// Part 2 (TPM_ALG_ID).
#ifndef MBIOS_STD_TCG_H
#define MBIOS_STD_TCG_H

#include "std/types.h"
#include "std/acpi.h"

// TPM 2.0 Library Part 2, "TPM_ALG_ID": hash algorithms usable as banks.
#define TPM_ALG_SHA1 0x0004
#define TPM_ALG_SHA256 0x000B
#define TPM_ALG_SHA384 0x000C
#define TPM_ALG_SHA512 0x000D
#define TPM_ALG_SM3_256 0x0012
#define TPM_ALG_SHA3_256 0x0027
#define TPM_ALG_SHA3_384 0x0028
#define TPM_ALG_SHA3_512 0x0029

#define TCG_MAX_DIGEST_SIZE 64 // SHA-512 / SHA3-512
#define TCG_SHA1_SIZE 20

// PFP "Event Types" table (BIOS events; the EFI ones are not used here).
#define EV_PREBOOT_CERT 0x00
#define EV_POST_CODE 0x01
#define EV_UNUSED 0x02
#define EV_NO_ACTION 0x03 // logged, never extended
#define EV_SEPARATOR 0x04
#define EV_ACTION 0x05
#define EV_EVENT_TAG 0x06
#define EV_S_CRTM_CONTENTS 0x07
#define EV_S_CRTM_VERSION 0x08
#define EV_CPU_MICROCODE 0x09
#define EV_PLATFORM_CONFIG_FLAGS 0x0A
#define EV_TABLE_OF_DEVICES 0x0B
#define EV_COMPACT_HASH 0x0C
#define EV_IPL 0x0D
#define EV_IPL_PARTITION_DATA 0x0E
#define EV_NONHOST_CODE 0x0F
#define EV_NONHOST_CONFIG 0x10
#define EV_NONHOST_INFO 0x11
#define EV_OMIT_BOOT_DEVICE_EVENTS 0x12

// Conventional BIOS spec, EV_EVENT_TAG event IDs (TCG_PCClientTaggedEvent).
#define TCG_TAG_SMBIOS 1
#define TCG_TAG_BIS_CERT 2
#define TCG_TAG_POST_BIOS_ROM 3
#define TCG_TAG_ESCD 4
#define TCG_TAG_CMOS 5
#define TCG_TAG_NVRAM 6
#define TCG_TAG_OPTION_ROM_EXEC 7
#define TCG_TAG_OPTION_ROM_CONFIG 8
#define TCG_TAG_OPTION_ROM_MICROCODE 10
#define TCG_TAG_S_CRTM_VERSION 11
#define TCG_TAG_S_CRTM_CONTENTS 12
#define TCG_TAG_POST_CONTENTS 13
#define TCG_TAG_HOST_TABLE_OF_DEVICES 14

// EV_SEPARATOR event data (PFP "EV_SEPARATOR"): the normal value, and the
// one that marks a pre-OS error such as a full log or a failed TPM.
#define TCG_SEPARATOR_NORMAL 0x00000000
#define TCG_SEPARATOR_ERROR 0x00000001

// PFP "TCG_PCClientPCREvent" (TCG_PCR_EVENT): the SHA-1 record format of
// TPM 1.2 logs, also used for the first record of a crypto-agile log.
struct tcg_pcr_event {
	u32 pcr_index;
	u32 event_type;
	u8 digest[TCG_SHA1_SIZE];
	u32 event_size;
	u8 event[];
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_pcr_event) == 32, "SHA-1 record header");

// PFP "TCG_PCR_EVENT2": the crypto-agile record is variable-length:
//   tcg_pcr_event2_head, digest_count x {u16 alg; u8 digest[size(alg)]},
//   u32 event_size, u8 event[event_size].
struct tcg_pcr_event2_head {
	u32 pcr_index;
	u32 event_type;
	u32 digest_count; // TPML_DIGEST_VALUES.count
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_pcr_event2_head) == 12, "EVENT2 header");

// TPMT_HA header; the digest follows, its length given by the algorithm.
struct tcg_digest_head {
	u16 alg;
} PACKED;

// PFP "TCG_EfiSpecIdEvent" (Specification ID Version Event): data of the
// first record (SHA-1 format, PCR 0, EV_NO_ACTION, zero digest) of a
// crypto-agile log. Followed by number_of_algorithms x tcg_spec_id_alg,
// then u8 vendor_info_size and the vendor info.
#define TCG_SPEC_ID_SIGNATURE "Spec ID Event03" // 16 bytes with the NUL
struct tcg_spec_id_head {
	u8 signature[16];
	u32 platform_class; // 0 client, 1 server (TCG ACPI spec)
	u8 spec_version_minor;
	u8 spec_version_major;
	u8 spec_errata;
	u8 uintn_size; // 1: UINTN is UINT32, 2: UINT64
	u32 number_of_algorithms;
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_spec_id_head) == 28, "Spec ID header");

struct tcg_spec_id_alg {
	u16 alg;
	u16 digest_size;
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_spec_id_alg) == 4, "Spec ID alg entry");

// Spec ID event data size with n banks and no vendor info: 28 + 4n + 1.
#define TCG_SPEC_ID_SIZE(n) (sizeof(struct tcg_spec_id_head) + 4 * (n) + 1)
STATIC_ASSERT(TCG_SPEC_ID_SIZE(1) == 33, "Spec ID size is 29 + 4n");

// Conventional BIOS spec, TCG_PCClientTaggedEvent: EV_EVENT_TAG data.
struct tcg_tagged_event {
	u32 event_id; // TCG_TAG_*
	u32 event_data_size;
	u8 event_data[];
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_tagged_event) == 8, "tagged event header");

// Conventional BIOS spec, option ROM execute tag (TCG_TAG_OPTION_ROM_EXEC).
struct tcg_option_rom_exec {
	u16 reserved;
	u16 pfa; // PCI bus << 8 | device << 3 | function
	u8 image_sha1[TCG_SHA1_SIZE];
} PACKED;
STATIC_ASSERT(sizeof(struct tcg_option_rom_exec) == 24, "option ROM tag");

// TCG ACPI Specification, "TCPA" table, client platform variant
// (platform_class 0). LAML/LASA give the TPM 1.2 event log area.
struct acpi_tcpa_client {
	struct acpi_header hdr; // signature "TCPA", revision 2
	u16 platform_class;
	u32 laml; // log area minimum length
	u64 lasa; // log area start address
} PACKED;
STATIC_ASSERT(offsetof(struct acpi_tcpa_client, laml) == 38, "TCPA LAML");
STATIC_ASSERT(offsetof(struct acpi_tcpa_client, lasa) == 42, "TCPA LASA");
STATIC_ASSERT(sizeof(struct acpi_tcpa_client) == 50, "TCPA client size");

// TCG ACPI Specification, "TPM2" table, revision 4: the log fields exist
// only from revision 4 (76 bytes); revision 3 stops at start_params (52).
struct acpi_tpm2 {
	struct acpi_header hdr; // signature "TPM2"
	u16 platform_class;
	u16 reserved;
	u64 control_area; // CRB control area, 0 for FIFO/TIS
	u32 start_method;
	u8 start_params[12];
	u32 laml;
	u64 lasa;
} PACKED;
STATIC_ASSERT(offsetof(struct acpi_tpm2, control_area) == 40, "TPM2 CA");
STATIC_ASSERT(offsetof(struct acpi_tpm2, start_method) == 48, "TPM2 SM");
STATIC_ASSERT(offsetof(struct acpi_tpm2, laml) == 64, "TPM2 LAML");
STATIC_ASSERT(offsetof(struct acpi_tpm2, lasa) == 68, "TPM2 LASA");
STATIC_ASSERT(sizeof(struct acpi_tpm2) == 76, "TPM2 rev 4 size");

#define TPM2_START_ACPI 2
#define TPM2_START_TIS 6 // FIFO interface, no start method
#define TPM2_START_CRB 7

#endif
