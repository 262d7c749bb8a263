// The ACPI hand-off of the TPM event log: the TPM2 (TPM 2.0) or TCPA
// (TPM 1.2) table whose LAML/LASA tell the OS where the log is, and the TPM
// device in the namespace (TCG ACPI Specification 1.3).
//
// QEMU normally supplies both, and the table-loader has placed the log area
// ("etc/tpm/log"); then this only checks and zeroes that area. When QEMU's
// table lacks the log fields (TPM2 revision 3) or they are unusable, the
// table is fixed or replaced by a revision 4 one pointing at an area of our
// own. When there is no TPM table at all, a TPM2/TCPA table and an SSDT
// declaring the device (src/fw/tpm-ssdt.dsl) are built and linked into a
// new RSDT/XSDT.
#ifndef MBIOS_FW_ACPI_TPM_H
#define MBIOS_FW_ACPI_TPM_H

#include "std/types.h"

// Size of the log area we allocate when QEMU gives none we can use; also
// what QEMU allocates for "etc/tpm/log".
#define ACPI_TPM_LOG_SIZE 0x10000

enum acpi_tpm_source {
	ACPI_TPM_SRC_QEMU = 1, // QEMU's table and log area, used as given
	ACPI_TPM_SRC_FIXED,    // QEMU's table, log fields set (or table
			       // replaced by a revision 4 copy) by us
	ACPI_TPM_SRC_BUILT,    // no TPM table: ours (+ SSDT) added
	ACPI_TPM_SRC_NO_ACPI,  // no usable RSDT/XSDT: the OS cannot find it
};

struct acpi_tpm_log {
	u8 *area;  // the log area, zeroed, `size` bytes
	u32 size;  // = the table's LAML (Linux reads the whole area)
	u32 addr;  // physical address = the table's LASA (INT 1Ah reports it)
	u8 source; // enum acpi_tpm_source
	bool ssdt; // we added an SSDT declaring the TPM device
};

// Call once, after acpi_setup() and before anything measures or copies the
// ACPI tables, while the F segment (RSDP) is still writable, and only when
// a working TPM was found.
//   tpm_family:   1 = TPM 1.2 (TCPA table), 2 = TPM 2.0 (TPM2 table)
//   crb:          the TPM uses the CRB interface (TPM 2.0 only); else TIS
//   min_log_size: smallest log area the caller accepts; a smaller area from
//                 QEMU is replaced. Areas we allocate are
//                 MAX(min_log_size, ACPI_TPM_LOG_SIZE) bytes.
// Returns true with *out filled when a log area is ready (check
// out->source: ACPI_TPM_SRC_NO_ACPI means the OS will not see the log);
// false on bad arguments or when no memory is left. Everything found,
// fixed or built is reported on the debug port, problems on the console.
//
// There is no call to report the log's end: LAML is the area size, and
// Linux copies the whole area and walks it up to the first empty record.
bool acpi_tpm_setup(int tpm_family, bool crb, u32 min_log_size,
		    struct acpi_tpm_log *out);

#endif
