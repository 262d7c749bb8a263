// What the boot flow asks of the TCG BIOS: start the TPM, and measure each
// thing at the point the PC Client spec names (docs/measurements.md).
// Every function is a no-op when no usable TPM was found.
#ifndef MBIOS_TCG_BOOT_H
#define MBIOS_TCG_BOOT_H

#include "std/types.h"

// After ACPI set-up (the log area comes from etc/tpm/log), before any
// option ROM runs: TPM start-up, log, PCR0/PCR1 measurements.
// Early in POST: find the TPM and send its start-up ahead (it then runs
// while POST goes on); tcg_setup collects the answer.
void tcg_start_tpm(void);
void tcg_setup(void);
// After the POST scratch zone is freed, before the boot-time
// measurements (boot order, separators, boot devices).
void tcg_boot_measurements_begin(void);
// Right before the boot code runs: every measurement complete from here
// on (see tcg_async).
void tcg_handoff(void);
// S3 resume: the TPM's saved state back (or PCRs capped), locked for the
// OS as at boot. Nothing is measured or logged.
void tcg_resume(void);
// PCR2: "Start Option ROM Scan", then each ROM before it runs.
void tcg_measure_rom_scan_start(void);
void tcg_measure_option_rom(u16 bdf, const void *rom, u32 len);
// PCR1: the boot order in use, as text (one "N: device" line each).
void tcg_measure_boot_order(const char *text, u32 len);
// Before the first boot attempt: "Calling INT 19h", separators on PCRs 0-7,
// platform hierarchy / physical presence locked.
void tcg_prepare_boot(void);
// PCR4: the action for the device about to boot. For a boot vector of a
// fw_cfg kernel loader ROM (rom_name "genroms/linuxboot*"), also the
// kernel, initrd and command line it is about to load.
void tcg_measure_boot_bcv(u8 drive);
void tcg_measure_boot_bev(const char *desc, const char *rom_name);
// PCR4 EV_IPL_CODE (bytes 0-439) and PCR5 partition table (440-511).
void tcg_measure_mbr(const u8 *mbr);
// El Torito: PCR4 the action for the CD drive about to boot; PCR5 the boot
// catalog sector (EV_IPL_PARTITION_DATA "BOOT CATALOG"); PCR4 the boot
// image as loaded, all of it (EV_IPL_CODE "EL TORITO IPL").
void tcg_measure_boot_cdrom(const char *desc);
void tcg_measure_cdrom_catalog(const u8 *catalog, u32 len);
void tcg_measure_cdrom_image(const u8 *image, u32 len);
// PCR4: "Returned INT 19h" / "Return via INT 18h".
void tcg_measure_boot_failed(void);
void tcg_measure_int18(void);

#endif
