// libFuzzer target: ACPI from a hostile QEMU, end to end: the fw_cfg files
// (etc/table-loader, etc/acpi/rsdp, etc/acpi/tables, etc/tpm/log, ...)
// come from the input, the table-loader places them (fw/acpi.c), table
// discovery walks RSDP, RSDT/XSDT and the FADT (fw/acpi_tables.c), and the
// TPM2/TCPA check and repair runs (fw/acpi_tpm.c), DSDT/SSDT scan
// included. Input: a configuration byte (TPM family, CRB, smallest log
// area), then the files (fuzz_platform.h).
#include <stdlib.h>
#include <string.h>

#include "fuzz_platform.h"
#include "fw/acpi.h"
#include "fw/acpi_tpm.h"
#include "fw/fw_cfg.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = {data, size};
	u8 config = fi_u8(&in);
	fuzz_platform_reset();
	fuzz_fw_cfg_load(&in);
	if (!fw_cfg_init())
		abort();
	memset(&acpi_loaded, 0, sizeof(acpi_loaded));
	acpi_setup();

	static const char sigs[][4] = {"FACP", "DSDT", "FACS", "APIC",
				       "TPM2", "TCPA", "SSDT", "HPET"};
	for (u32 i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct acpi_header *t = acpi_find_table(sigs[i]);
		if (t && (memcmp(t->signature, sigs[i], 4) ||
			  acpi_room_at((uintptr_t)t) < t->length))
			abort();
	}

	int family = config & 1 ? 2 : 1;
	bool crb = family == 2 && (config & 2);
	u32 min_log = (config >> 2) * 0x1000u;
	struct acpi_tpm_log log;
	if (acpi_tpm_setup(family, crb, min_log, &log)) {
		if (log.size < min_log || acpi_room_at(log.addr) < log.size ||
		    (uintptr_t)log.area != log.addr)
			abort();
		static const u8 zeros[4096];
		for (u32 i = 0; i < log.size; i += sizeof(zeros))
			if (memcmp(log.area + i, zeros,
				   MIN(sizeof(zeros), log.size - i)))
				abort(); // handed over zeroed
	}
	return 0;
}
