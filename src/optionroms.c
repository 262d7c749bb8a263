// Option ROMs (PCI Firmware spec 3.0, 5; PnP BIOS spec 1.0A, appendix A):
// copy each ROM into 0xC0000-0xDFFFF, check it, measure it, run its
// initialisation entry in real mode, and collect its boot vectors.
#include "optionroms.h"
#include "autoconf.h"
#include "hw/block.h"
#include "boot.h"
#include "bregs.h"
#include "console.h"
#include "fw/fw_cfg.h"
#include "hw/pci.h"
#include "lib/format.h"
#include "lib/string.h"
#include "output.h"
#include "pciinit.h"
#include "std/optionrom.h"
#include "tcg_boot.h"

#define ROM_AREA_START 0xC0000
#define ROM_AREA_END 0xE0000 // the firmware image starts here
#define ROM_ALIGN 2048

extern char pnp_bios_entry[];

static u32 rom_next = ROM_AREA_START;
static struct pnp_install_check pnp_check ALIGNED(16);

static void pnp_check_init(void)
{
	struct pnp_install_check *p = &pnp_check;
	memset(p, 0, sizeof(*p));
	p->signature = PNP_SIGNATURE;
	p->version = 0x10;
	p->length = sizeof(*p);
	p->rm_entry_seg = 0xF000;
	p->rm_entry_offset = (u16)((uintptr_t)pnp_bios_entry - 0xF0000);
	u8 sum = 0;
	for (u32 i = 0; i < sizeof(*p); i++)
		sum += ((u8 *)p)[i];
	p->checksum = -sum;
}

// Checks a ROM image in place; returns its length or 0 with a message.
static u32 rom_check(const u8 *rom, u32 avail, const char *name)
{
	const struct option_rom_header *h = (const void *)rom;
	if (avail < 512 || h->signature != OPTIONROM_SIGNATURE) {
		printf_console("Option ROM %s: no 0xAA55 signature; skipped\n",
			       name);
		return 0;
	}
	u32 len = h->size_512 * 512;
	if (!len || len > avail) {
		printf_console("Option ROM %s: bad size %u; skipped\n", name,
			       len);
		return 0;
	}
	u8 sum = 0;
	for (u32 i = 0; i < len; i++)
		sum += rom[i];
	if (sum) {
		printf_console("Option ROM %s: bad checksum; skipped\n", name);
		return 0;
	}
	return len;
}

// Copy a ROM image to the next free slot; returns its address or NULL.
static u8 *rom_place(const void *src, u32 len, const char *name)
{
	u32 addr = ALIGN_UP(rom_next, ROM_ALIGN);
	if (addr + len > ROM_AREA_END) {
		printf_console("Option ROM %s: no room left (%u bytes); "
			       "skipped\n",
			       name, len);
		return NULL;
	}
	u8 *dst = phys_ptr(addr);
	memmove(dst, src, len);
	return dst;
}

static void rom_run(u8 *rom, u16 bdf, const char *name, const char *fw_path)
{
	const struct option_rom_header *h = (const void *)rom;
	u32 len = h->size_512 * 512;
	u16 seg = (u16)((uintptr_t)rom >> 4);
	tcg_measure_option_rom(bdf, rom, len);
	dprint(DL_INFO, "optionrom: running %s at %x (%u bytes)\n", name,
	       (u32)(uintptr_t)rom, len);
	struct bregs r = {0};
	r.cs = seg;
	r.ip = 3;
	r.ax = bdf;
	r.bx = 0xFFFF;
	r.dx = 0xFFFF;
	r.es = (u16)((uintptr_t)&pnp_check >> 4);
	r.di = (u16)((uintptr_t)&pnp_check & 0xF);
	call16_far(&r);
	// The ROM may have shrunk itself during init.
	u32 final_len = h->size_512 * 512;
	rom_next = (u32)(uintptr_t)rom + (final_len ? final_len : len);

	// Walk the PnP expansion headers for boot vectors.
	u16 off = h->pnp_offset;
	for (int n = 0; off && n < 8 && off + sizeof(struct pnp_header) <= len;
	     n++) {
		const struct pnp_header *p = (const void *)(rom + off);
		if (p->signature != PNP_SIGNATURE)
			break;
		char desc[48];
		const char *product = p->product && p->product < len
					  ? (const char *)rom + p->product
					  : name;
		snprintf(desc, sizeof(desc), "%s", product);
		if (p->bev)
			boot_add_bev(seg, p->bev, desc, fw_path, bdf);
		if (p->bcv) {
			struct bregs b = {0};
			b.cs = seg;
			b.ip = p->bcv;
			b.ax = bdf;
			call16_far(&b);
		}
		off = p->next;
	}
}

// The x86 image of a (possibly multi-image) PCI ROM, or NULL.
static const u8 *pci_rom_image(const u8 *rom, u32 size, u16 vendor, u16 device,
			       u32 *len)
{
	u32 pos = 0;
	for (int n = 0; n < 8 && pos + 512 <= size; n++) {
		const struct option_rom_header *h = (const void *)(rom + pos);
		if (h->signature != OPTIONROM_SIGNATURE ||
		    pos + h->pcir_offset + sizeof(struct pci_data) > size)
			return NULL;
		const struct pci_data *pd =
		    (const void *)(rom + pos + h->pcir_offset);
		if (pd->signature != PCIR_SIGNATURE)
			return NULL;
		if (pd->code_type == 0 && pd->vendor == vendor &&
		    pd->device == device) {
			*len = MIN((u32)pd->image_length * 512, size - pos);
			return rom + pos;
		}
		if (pd->indicator & 0x80 || !pd->image_length)
			return NULL;
		pos += pd->image_length * 512;
	}
	return NULL;
}

static bool run_pci_rom(const struct pci_device *d)
{
	u32 addr = pci_rom_address(d->bdf);
	if (!addr)
		return false;
	char name[16];
	snprintf(name, sizeof(name), "%02x:%02x.%x", PCI_BUS(d->bdf),
		 PCI_DEV(d->bdf), PCI_FN(d->bdf));
	u8 reg = d->header_type == 1 ? PCI_BRIDGE_ROM_ADDRESS : PCI_ROM_ADDRESS;
	pci_write32(d->bdf, reg, addr | 1);
	u32 len = 0;
	const u8 *img =
	    pci_rom_image(phys_ptr(addr), ROM_AREA_END - ROM_AREA_START,
			  d->vendor, d->device, &len);
	u8 *rom = NULL;
	if (!img)
		printf_console("Option ROM %s: no x86 image for %04x:%04x; "
			       "skipped\n",
			       name, d->vendor, d->device);
	else if ((len = rom_check(img, len, name)))
		rom = rom_place(img, len, name);
	pci_write32(d->bdf, reg, addr);
	if (!rom)
		return false;
	rom_run(rom, d->bdf, name, NULL);
	return true;
}

// fw_cfg "vgaroms/" and "genroms/" files.
static bool run_fw_cfg_roms(const char *prefix)
{
	bool any = false;
	size_t plen = strlen(prefix);
	for (int i = 0;; i++) {
		const struct fw_cfg_file *f = fw_cfg_file_at(i);
		if (!f)
			break;
		if (strncmp(f->name, prefix, plen))
			continue;
		u32 addr = ALIGN_UP(rom_next, ROM_ALIGN);
		if (addr + f->size > ROM_AREA_END) {
			printf_console("Option ROM %s: no room left; skipped\n",
				       f->name);
			continue;
		}
		u8 *rom = phys_ptr(addr);
		fw_cfg_read(f->select, 0, rom, f->size);
		if (!rom_check(rom, f->size, f->name))
			continue;
		rom_run(rom, 0, f->name, f->name);
		any = true;
	}
	return any;
}

// Display controllers of any kind (PCI class 03h): a VGA, or one with
// only a framebuffer (bochs-display) whose ROM offers VBE.
static bool is_display(const struct pci_device *d)
{
	return (d->class >> 8) == (PCI_CLASS_DISPLAY_VGA >> 8);
}

// The first display controller, VGA-compatible ones first, whose ROM runs.
static bool run_display_rom(bool vga)
{
	for_each_pci_device(d) if (is_display(d) &&
				   (d->class == PCI_CLASS_DISPLAY_VGA) == vga &&
				   run_pci_rom(d)) return true;
	return false;
}

void vga_setup(void)
{
	// The VGA ROM is the first option ROM: the scan starts here.
	tcg_measure_rom_scan_start();
	pnp_check_init();
	bool done = run_display_rom(true) || run_display_rom(false);
	if (!done)
		done = run_fw_cfg_roms("vgaroms/");
	console_set_vga(done);
	rom_next = ALIGN_UP(MAX(rom_next, 0xC8000u), ROM_ALIGN);
	if (done)
		printf_console("VGA BIOS installed\n");
}

void optionroms_setup(void)
{
	for_each_pci_device(d) if (!is_display(d)) run_pci_rom(d);
	run_fw_cfg_roms("genroms/");
}

void drives_setup(void)
{
	if (CONFIG_ATA)
		ata_setup();
	if (CONFIG_AHCI)
		ahci_setup();
	if (CONFIG_VIRTIO_BLK)
		virtio_blk_setup();
	if (CONFIG_VIRTIO_SCSI)
		virtio_scsi_setup();
	if (CONFIG_NVME)
		nvme_setup();
}
