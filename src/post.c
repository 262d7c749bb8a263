// Power-on self test: the boot flow from the reset vector to INT 19h.
#include "autoconf.h"
#include "hw/block.h"
#include "boot.h"
#include "bregs.h"
#include "console.h"
#include "fw/acpi.h"
#include "fw/e820.h"
#include "fw/fw_cfg.h"
#include "fw/mtrr.h"
#include "fw/platform.h"
#include "hash_bench.h"
#include "hw/cpu_idle.h"
#include "hw/pic_pit.h"
#include "hw/ps2kbd.h"
#include "hw/rtc.h"
#include "hw/serial.h"
#include "layout.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "optionroms.h"
#include "output.h"
#include "pciinit.h"
#include "resume.h"
#include "lib/bda.h"
#include "tcg_boot.h"
#include "version.h"

void post_main(void) NORETURN;
void keyboard_buffer_init(void);

extern char entry_iret[], entry_08[], entry_irq_master[], entry_irq_slave[];
extern char entry_10[], entry_11[], entry_12[], entry_13[], entry_15[];
extern char entry_16[], entry_18[], entry_19[], entry_1a[];

static void set_vector(int vec, const void *handler)
{
	u16 *ivt = phys_ptr(0);
	ivt[vec * 2] = (u16)((uintptr_t)handler - BIOS_BASE);
	ivt[vec * 2 + 1] = BIOS_SEG;
}

static void ivt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_vector(v, entry_iret);
	for (int v = 0x08; v < 0x10; v++)
		set_vector(v, entry_irq_master);
	for (int v = 0x70; v < 0x78; v++)
		set_vector(v, entry_irq_slave);
	set_vector(0x08, entry_08);
	set_vector(0x10, entry_10);
	set_vector(0x11, entry_11);
	set_vector(0x12, entry_12);
	set_vector(0x13, entry_13);
	set_vector(0x15, entry_15);
	set_vector(0x16, entry_16);
	set_vector(0x18, entry_18);
	set_vector(0x19, entry_19);
	set_vector(0x1A, entry_1a);
}

static void bda_init(void)
{
	memset(phys_ptr(BDA_BASE), 0, 0x100);
	memset(phys_ptr(EBDA_BASE), 0, EBDA_SIZE_KB * 1024 - 0x1000);
	bda_u16(BDA_EBDA_SEG) = EBDA_BASE >> 4;
	bda_u16(BDA_MEM_KB) = EBDA_BASE / 1024;
	*(u8 *)phys_ptr(EBDA_BASE) = EBDA_SIZE_KB;
	// Equipment: 80x25 colour, math coprocessor; serial port count.
	u16 equipment = 0x0022;
	if (serial_present()) {
		bda_u16(BDA_COM_PORTS) = COM1_BASE;
		equipment |= 1 << 9;
	}
	bda_u16(BDA_EQUIPMENT) = equipment;
	bda_u8(BDA_VIDEO_MODE) = 3;
	bda_u16(BDA_VIDEO_COLS) = 80;
	bda_u8(BDA_VIDEO_ROWS) = 24;
	bda_u16(BDA_CRTC_BASE) = 0x3D4;
	keyboard_buffer_init();
}

// RAM sizes from QEMU's etc/e820 (CMOS as a fallback), then the map the OS
// gets: conventional memory up to the EBDA, the ROM area and our reserved
// high zone carved out.
static void memory_init(void)
{
	struct e820_map *m = &bios_e820;
	m->count = 0;
	struct e820_entry qe[32];
	int size = fw_cfg_read_file("etc/e820", qe, sizeof(qe));
	if (size > 0) {
		e820_add_qemu(m, qe, MIN((u32)size, (u32)sizeof(qe)));
	} else {
		u32 above16m = (cmos_read(0x34) | cmos_read(0x35) << 8) << 16;
		u64 above4g = (u64)(cmos_read(0x5B) | cmos_read(0x5C) << 8 |
				    cmos_read(0x5D) << 16)
			      << 16;
		e820_add(m, 0, 0x1000000 + above16m, E820_RAM);
		if (above4g)
			e820_add(m, 0x100000000ull, above4g, E820_RAM);
	}
	u32 top = (u32)e820_ram_top_below(m, 0x100000000ull);
	platform.ram_below_4g = top;
	memalloc_init(top);
	e820_add(m, EBDA_BASE, 0xA0000 - EBDA_BASE, E820_RESERVED);
	e820_remove(m, 0xA0000, 0x50000);
	e820_add(m, 0xF0000, 0x10000, E820_RESERVED);
	e820_add(m, high_zone_start(), top - high_zone_start(), E820_RESERVED);
	if (platform.chipset == CHIPSET_Q35)
		e820_add(m, Q35_MMCONFIG_BASE, Q35_MMCONFIG_SIZE,
			 E820_RESERVED);
	for (int i = 0; i < m->count; i++)
		if (m->e[i].start >= 0x100000000ull && m->e[i].type == E820_RAM)
			platform.ram_above_4g += m->e[i].size;
	dprint(DL_INFO, "RAM: %u MiB below 4 GiB, %u MiB above\n", top >> 20,
	       (u32)(platform.ram_above_4g >> 20));
}

void post_main(void)
{
	serial_init();
	platform_init();
	if (s3_resume_requested())
		s3_resume(); // returns only if the OS left no waking vector
	printf_console("mbios %s on %s\n", MBIOS_VERSION, platform_name());
	if (!fw_cfg_init())
		printf_console("warning: no QEMU fw_cfg; defaults used\n");
	debug_timeline = fw_cfg_find("opt/org.mbios/timeline") != NULL;
	boot_phase("memory");
	memory_init();
	hash_bench();
	boot_phase("legacy devices");
	ivt_init();
	bda_init();
	rtc_init();
	pic_init(1 << 0);
	pit_init();
	cpu_idle_start();
	if (CONFIG_TCGBIOS)
		tcg_start_tpm();
	boot_phase("keyboard");
	ps2kbd_init();

	boot_phase("pci");
	pci_setup();
	mtrr_setup();
	boot_phase("acpi");
	acpi_setup();
	boot_phase("smbios");
	smbios_setup();
	if (CONFIG_TCGBIOS) {
		boot_phase("tpm");
		tcg_setup();
	}
	boot_phase("vga");
	vga_setup();
	boot_phase("drives");
	drives_setup();
	boot_phase("option roms");
	optionroms_setup();

	boot_phase("boot");
	boot_start();
}
