// Boot: order the entries (bootorder file, then defaults), offer the menu,
// try each entry, and fall through to the next on failure (INT 18h).
#include "boot.h"
#include "autoconf.h"
#include "hw/block.h"
#include "hw/cpu_idle.h"
#include "bregs.h"
#include "cdrom.h"
#include "console.h"
#include "fw/bootorder.h"
#include "fw/e820.h"
#include "fw/fw_cfg.h"
#include "hw/pci.h"
#include "hw/clock.h"
#include "hw/rtc.h"
#include "lib/format.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"
#include "tcg_boot.h"
#include "tcg_menu.h"

void handle_18(struct bregs *r);
void handle_19(struct bregs *r);
int keyboard_wait(u32 timeout_ms);

enum boot_kind { BOOT_BEV, BOOT_DRIVE, BOOT_CDROM };

struct boot_entry {
	enum boot_kind kind;
	u16 seg, off;
	struct drive *drive;
	struct boot_location loc;
	int prio;
	char desc[48];
};

#define MAX_BOOT_ENTRIES 16
#define NO_PRIORITY 1000
#define MBR_ADDR 0x7C00

static struct boot_entry entries[MAX_BOOT_ENTRIES];
static int entry_count;
static int next_entry; // the entry INT 18h moves on to
static char rom_names[4][FW_CFG_NAME_LEN];

static struct boot_entry *new_entry(void)
{
	if (entry_count >= MAX_BOOT_ENTRIES) {
		dprint(DL_ERR, "boot: too many boot entries\n");
		return NULL;
	}
	struct boot_entry *e = &entries[entry_count++];
	memset(e, 0, sizeof(*e));
	e->loc = (struct boot_location){NULL, -1, -1, -1, -1, -1};
	e->prio = NO_PRIORITY + entry_count;
	return e;
}

void boot_add_bev(u16 seg, u16 off, const char *desc, const char *fw_path,
		  u16 bdf)
{
	struct boot_entry *e = new_entry();
	if (!e)
		return;
	e->kind = BOOT_BEV;
	e->seg = seg;
	e->off = off;
	snprintf(e->desc, sizeof(e->desc), "%s", desc);
	if (fw_path) {
		int slot = entry_count % ARRAY_SIZE(rom_names);
		snprintf(rom_names[slot], sizeof(rom_names[slot]), "%s",
			 fw_path);
		e->loc.rom_name = rom_names[slot];
	} else {
		e->loc.pci_slot = PCI_DEV(bdf);
		e->loc.pci_fn = bdf & 7;
	}
}

void boot_add_drive(struct drive *d)
{
	struct boot_entry *e = new_entry();
	if (!e)
		return;
	e->kind = BOOT_DRIVE;
	e->drive = d;
	e->loc.pci_slot = PCI_DEV(d->bdf);
	e->loc.pci_fn = d->bdf & 7;
	// bootorder paths: ".../scsi@S/channel@0/disk@TARGET,LUN" and
	// ".../pci1b36,0010@S/namespace@NSID,0" (QEMU 7.2).
	if (d->type == DRIVE_VIRTIO_SCSI) {
		e->loc.unit = d->channel;
		e->loc.lun = d->unit;
	} else if (d->type == DRIVE_NVME) {
		e->loc.lun = d->unit;
	} else if (d->type != DRIVE_VIRTIO_BLK) {
		e->loc.channel = d->channel;
		e->loc.unit = d->unit;
	}
	snprintf(e->desc, sizeof(e->desc), "%s", d->model);
}

void boot_add_cdrom(struct drive *d)
{
	boot_add_drive(d);
	if (entry_count && entries[entry_count - 1].drive == d)
		entries[entry_count - 1].kind = BOOT_CDROM;
}

// QEMU's -boot order=/once= in CMOS (pc and q35 alike): 3Dh bits 0-3 the
// first device, 4-7 the second, 38h bits 4-7 the third; 1 diskette, 2 hard
// disk, 3 CD-ROM, 4 network (the BEVs). The rank of each kind in that
// list, 3 when it is not listed; without a valid list QEMU's default
// "cad" (disks, then CD-ROMs, then the rest).
static void cmos_boot_order(int rank[5])
{
	u32 order = cmos_read(0x3D) | (cmos_read(0x38) & 0xF0u) << 4;
	bool any = false;
	for (int k = 0; k < 5; k++)
		rank[k] = 3;
	for (int i = 0; i < 3; i++, order >>= 4) {
		u32 k = order & 0xF;
		if (k >= 1 && k <= 4 && rank[k] == 3) {
			rank[k] = i;
			any = true;
		}
	}
	if (!any) {
		rank[2] = 0;
		rank[3] = 1;
	}
}

static void sort_entries(void)
{
	const struct fw_cfg_file *f = fw_cfg_find("bootorder");
	char *text = NULL;
	u32 len = 0;
	if (f && f->size) {
		len = MIN(f->size, 4096u);
		text = malloc_tmp(len + 1, 1);
		if (text) {
			fw_cfg_read(f->select, 0, text, len);
			text[len] = 0;
			dprint(DL_INFO, "boot: bootorder:\n%s\n", text);
		}
	}
	// Without a bootindex: the CMOS order of disks, CD-ROMs and BEVs
	// (QEMU lists a -kernel ROM in bootorder, always).
	int rank[5];
	cmos_boot_order(rank);
	static const u8 kind_code[] = {
	    [BOOT_BEV] = 4, [BOOT_DRIVE] = 2, [BOOT_CDROM] = 3};
	for (int i = 0; i < entry_count; i++) {
		int p = text ? bootorder_find(text, len, &entries[i].loc) : -1;
		if (p < 0)
			p = NO_PRIORITY / 2 +
			    rank[kind_code[entries[i].kind]] *
				MAX_BOOT_ENTRIES +
			    i;
		entries[i].prio = p;
	}
	for (int i = 1; i < entry_count; i++) {
		struct boot_entry e = entries[i];
		int j = i;
		while (j > 0 && entries[j - 1].prio > e.prio) {
			entries[j] = entries[j - 1];
			j--;
		}
		entries[j] = e;
	}
}

static void boot_menu(void)
{
	if (!fw_cfg_read64(FW_CFG_BOOT_MENU) &&
	    !fw_cfg_find("etc/show-boot-menu"))
		return;
	if (fw_cfg_find("etc/show-boot-menu") &&
	    !fw_cfg_file_u64("etc/show-boot-menu", 1))
		return;
	u32 wait =
	    (u32)fw_cfg_file_u64("etc/boot-menu-wait", CONFIG_BOOTMENU_WAIT_MS);
	printf_console("Press ESC for the boot menu.\n");
	int key = keyboard_wait(wait ? wait : 1);
	if (key < 0 || (key & 0xFF) != 0x1B)
		return;
	for (;;) {
		printf_console("\nSelect boot device:\n");
		for (int i = 0; i < entry_count && i < 9; i++)
			printf_console("%d. %s\n", i + 1, entries[i].desc);
		tcg_menu_entries();
		for (;;) {
			key = keyboard_wait(0) & 0xFF;
			if (key == 0x1B)
				return;
			if (tcg_menu_key((char)key))
				break; // back from the TPM menu: list again
			int choice = key - '1';
			if (choice >= 0 && choice < entry_count && choice < 9) {
				struct boot_entry e = entries[choice];
				memmove(&entries[1], &entries[0],
					choice * sizeof(entries[0]));
				entries[0] = e;
				return;
			}
		}
	}
}

void boot_handoff(void)
{
	tcg_handoff();
	cpu_idle_stop();
}

static void boot_bev(struct boot_entry *e)
{
	printf_console("Booting from %s...\n", e->desc);
	tcg_measure_boot_bev(e->desc, e->loc.rom_name);
	struct bregs r = {0};
	r.cs = e->seg;
	r.ip = e->off;
	boot_handoff();
	call16_far(&r);
	printf_console("Boot failed: %s returned\n", e->desc);
}

static void boot_drive(struct boot_entry *e)
{
	struct drive *d = e->drive;
	u8 *mbr = phys_ptr(MBR_ADDR);
	printf_console("Booting from Hard Disk (%s)...\n", e->desc);
	drive_make_first(d);
	tcg_measure_boot_bcv(d->number);
	int rc = drive_read(d, 0, 1, mbr);
	if (rc) {
		printf_console("Boot failed: could not read the boot sector "
			       "of %s (error %d)\n",
			       e->desc, rc);
		return;
	}
	enum boot_sector_verdict verdict = boot_sector_check(mbr);
	if (verdict == BOOT_SECTOR_EMPTY) {
		printf_console("Boot failed: %s is empty (all-zero boot "
			       "sector), not bootable\n",
			       e->desc);
		return;
	}
	if (verdict == BOOT_SECTOR_NO_SIGNATURE) {
		printf_console("Boot failed: %s is not bootable (no 0x55AA "
			       "boot signature)\n",
			       e->desc);
		return;
	}
	tcg_measure_mbr(mbr);
	struct bregs r = {0};
	r.cs = 0;
	r.ip = MBR_ADDR;
	r.dl = d->number;
	boot_handoff();
	call16_far(&r);
	printf_console("Boot failed: the boot sector of %s returned\n",
		       e->desc);
}

// Try entries from next_entry on; also the INT 18h continuation.
static void NORETURN boot_continue(void)
{
	for (;;) {
		while (next_entry < entry_count) {
			struct boot_entry *e = &entries[next_entry++];
			if (e->kind == BOOT_BEV)
				boot_bev(e);
			else if (HAVE_CDROM && e->kind == BOOT_CDROM)
				cdrom_boot(e->drive, e->desc);
			else
				boot_drive(e);
			tcg_measure_boot_failed();
		}
		printf_console("No bootable device. Retrying in 5 "
			       "seconds...\n");
		mdelay(5000);
		next_entry = 0;
	}
}

// PCR 1 gets the order actually used, after bootorder and the menu.
static void measure_boot_order(void)
{
	char *text = malloc_tmp(MAX_BOOT_ENTRIES * 56, 1);
	if (!text)
		return;
	u32 len = 0;
	for (int i = 0; i < entry_count; i++)
		len += snprintf(text + len, MAX_BOOT_ENTRIES * 56 - len,
				"%d: %s\n", i + 1, entries[i].desc);
	tcg_measure_boot_order(text, len);
}

void boot_start(void)
{
	for (int i = 0; i < drive_count(); i++)
		boot_add_drive(drive_at(i));
	for (int i = 0; HAVE_CDROM && i < cdrom_count(); i++)
		boot_add_cdrom(cdrom_at(i));
	if (HAVE_CDROM && cdrom_count())
		cdrom_setup();
	sort_entries();
	for (int i = 0; i < entry_count; i++)
		dprint(DL_INFO, "boot: %d. %s (priority %d)\n", i + 1,
		       entries[i].desc, entries[i].prio);
	boot_menu();
	// The OS gets the unused part of the high zone (docs/memory-map.md).
	u32 reserved_from = high_zone_start(), used_from = high_zone_seal();
	if (used_from > reserved_from)
		e820_add(&bios_e820, reserved_from, used_from - reserved_from,
			 E820_RAM);
	free_tmp_all();
	tcg_boot_measurements_begin();
	measure_boot_order();
	tcg_prepare_boot();
	next_entry = 0;
	boot_continue();
}

// INT 18h: the boot sector gave up; go on with the next device.
void handle_18(struct bregs *r)
{
	(void)r;
	printf_console("Boot device returned via INT 18h\n");
	tcg_measure_int18();
	boot_continue();
}

// INT 19h: boot again from the first device.
void handle_19(struct bregs *r)
{
	(void)r;
	next_entry = 0;
	boot_continue();
}
