// S3 resume (ACPI 6.5 7.4 "Waking and Sleeping", 16.3 "Transitioning from
// the Working to the Sleeping State" and back). QEMU wakes the machine by
// resetting the CPU and the devices, keeping RAM, with CMOS shutdown status
// FEh. The reset path has re-copied the image from ROM (keeping only the
// F-segment pool); this restores what the OS does not restore itself and
// jumps to the OS's waking vector. All RAM the OS owns stays untouched: no
// IVT, BDA, e820 or scratch memory is written, and the real-mode jump frame
// lies in the EBDA. No POST measurement runs again.
#include "resume.h"
#include "autoconf.h"
#include "bregs.h"
#include "fw/acpi_wake.h"
#include "hw/io.h"
#include "hw/pic_pit.h"
#include "hw/ps2kbd.h"
#include "hw/rtc.h"
#include "layout.h"
#include "output.h"
#include "pciinit.h"
#include "tcg_boot.h"

void resume_jump32(u32 vector) NORETURN;

bool s3_resume_requested(void)
{
	if (cmos_read(CMOS_SHUTDOWN_STATUS) != CMOS_SHUTDOWN_S3_RESUME)
		return false;
	// Once: a reset during the resume must boot normally.
	cmos_write(CMOS_SHUTDOWN_STATUS, 0);
	return true;
}

void s3_resume(void)
{
	// ACPI 6.5 5.2.5.1: the RSDP is in the EBDA's first KiB or in
	// 0xE0000-0xFFFFF; ours is in the F-segment pool.
	const void *rsdp = acpi_scan_rsdp(EBDA_BASE, 1024);
	if (!rsdp)
		rsdp = acpi_scan_rsdp(IMAGE_LOW_BASE, IMAGE_LOW_SIZE);
	struct acpi_wake w = acpi_waking_vector(rsdp);
	if (w.mode == ACPI_WAKE_NONE) {
		printf_console("S3 resume: no waking vector (%s); booting "
			       "normally\n",
			       w.why);
		return;
	}
	dprint(DL_INFO, "resume: waking vector 0x%x (%s)\n", w.vector,
	       w.mode == ACPI_WAKE_REAL ? "real mode" : "32-bit");
	// The legacy devices as POST left them: PIC vectors 08h/70h with
	// every IRQ masked, the PIT at 18.2 Hz, the keyboard controller with
	// translation on. The OS's drivers take them from there.
	pic_init(0);
	pit_init();
	ps2kbd_init();
	pci_resume();
	if (CONFIG_TCGBIOS)
		tcg_resume();
	printf_console("S3 resume: waking the OS at 0x%x\n", w.vector);
	if (w.mode == ACPI_WAKE_PM32)
		resume_jump32(w.vector);
	// Real mode: CS = vector >> 4, IP = vector & 0xF (ACPI 6.5 5.2.10,
	// Firmware_Waking_Vector).
	struct bregs r = {0};
	r.cs = (u16)(w.vector >> 4);
	r.ip = (u16)(w.vector & 0xF);
	call16_noreturn(&r, RESUME_RM_STACK_SEG, RESUME_RM_STACK_OFF);
}
