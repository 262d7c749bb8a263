// Boot-flow side of the TCG BIOS. (Bring-up: TPM start-up and measurement
// are wired in by the following commits.)
#include "tcgbios/tcg_boot.h"

void tcg_setup(void) {}
void tcg_measure_rom_scan_start(void) {}
void tcg_measure_option_rom(u16 bdf, const void *rom, u32 len)
{
	(void)bdf;
	(void)rom;
	(void)len;
}
void tcg_measure_kernel_boot(void) {}
void tcg_prepare_boot(void) {}
void tcg_measure_boot_action(const char *what, const char *desc)
{
	(void)what;
	(void)desc;
}
void tcg_measure_mbr(const u8 *mbr) { (void)mbr; }
void tcg_measure_boot_failed(void) {}
void tcg_measure_int18(void) {}
void tcg_menu_entries(void) {}
bool tcg_menu_key(char key)
{
	(void)key;
	return false;
}
