// libFuzzer target: SMBIOS entry handling (fw/smbios.c) on QEMU's
// etc/smbios/smbios-anchor and smbios-tables from the input (the files of
// fuzz_platform.h). An entry point the firmware installs must point at the
// table it installed and carry checksums that add up (SMBIOS 3.6, 5.2.1
// and 5.2.2). The copy measured into PCR 1 differs from the table only by
// blanked bytes.
#include <stdlib.h>
#include <string.h>

#include "fuzz_platform.h"
#include "fw/acpi.h"
#include "fw/fw_cfg.h"
#include "std/byteorder.h"

static u8 sum(const u8 *p, u32 n)
{
	u8 s = 0;
	while (n--)
		s += *p++;
	return s;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_in in = {data, size};
	fuzz_platform_reset();
	fuzz_fw_cfg_load(&in);
	if (!fw_cfg_init())
		abort();
	smbios_setup();
	u32 elen, tlen;
	const u8 *ep = smbios_entry(&elen);
	const u8 *tab = smbios_table(&tlen);
	if (!ep)
		return 0;
	if (!tab || elen < 24 || elen > 32)
		abort();
	u32 addr = (u32)(uintptr_t)tab;
	if (!memcmp(ep, "_SM3_", 5)) {
		if (get_le64(ep + 0x10) != addr ||
		    get_le32(ep + 0x0C) != tlen || sum(ep, MIN(ep[6], elen)))
			abort();
	} else if (!memcmp(ep, "_SM_", 4)) {
		if (get_le32(ep + 0x18) != addr ||
		    get_le16(ep + 0x16) != tlen || sum(ep + 0x10, 15) ||
		    sum(ep, MIN(ep[5], elen)))
			abort();
	} else {
		abort();
	}
	// PCR 1's copy (smbios_mask_platform_unique): an exact-size heap copy
	// so ASan sees any step past the table; only blanks may change.
	u8 *copy = malloc(tlen ? tlen : 1);
	memcpy(copy, tab, tlen);
	smbios_mask_platform_unique(copy, tlen);
	for (u32 i = 0; i < tlen; i++)
		if (copy[i] != tab[i] && copy[i] != ' ' && copy[i] != 0)
			abort();
	free(copy);
	return 0;
}
