// VESA BIOS Extensions 3.0 on the Bochs "dispi" interface of QEMU's
// standard VGA (index port 0x1CE, data 0x1CF): controller and mode
// information, mode set with a linear framebuffer, and the DAC, palette,
// window, scan line and display start functions.
#include "std/bda.h"
#include "vga.h"
#include "vgaio.h"

extern char vbe_window_entry[];

#define DISPI_INDEX 0x1CE
#define DISPI_DATA 0x1CF
enum {
	DISPI_ID,
	DISPI_XRES,
	DISPI_YRES,
	DISPI_BPP,
	DISPI_ENABLE,
	DISPI_BANK,
	DISPI_VIRT_WIDTH,
	DISPI_VIRT_HEIGHT,
	DISPI_X_OFFSET,
	DISPI_Y_OFFSET,
	DISPI_VIDEO_MEMORY_64K,
};
#define DISPI_ENABLED 0x01
#define DISPI_8BIT_DAC 0x20
#define DISPI_LFB 0x40
#define DISPI_NOCLEAR 0x80

#define VBE_OK 0x004F
#define VBE_FAILED 0x014F
#define VBE_INVALID 0x034F // not valid in the current video mode

#define FLAG_8BIT_DAC 0x01

struct vbe_mode {
	u16 mode, width, height;
	u8 bpp;
};

// The VESA-numbered modes (VBE 3.0, 4.4 table), then 32 bpp modes with
// numbers of our own.
ROMVAR static const struct vbe_mode vbe_modes[] = {
    {0x100, 640, 400, 8},    {0x101, 640, 480, 8},    {0x103, 800, 600, 8},
    {0x105, 1024, 768, 8},   {0x107, 1280, 1024, 8},  {0x10D, 320, 200, 15},
    {0x10E, 320, 200, 16},   {0x10F, 320, 200, 24},   {0x110, 640, 480, 15},
    {0x111, 640, 480, 16},   {0x112, 640, 480, 24},   {0x113, 800, 600, 15},
    {0x114, 800, 600, 16},   {0x115, 800, 600, 24},   {0x116, 1024, 768, 15},
    {0x117, 1024, 768, 16},  {0x118, 1024, 768, 24},  {0x119, 1280, 1024, 15},
    {0x11A, 1280, 1024, 16}, {0x11B, 1280, 1024, 24}, {0x140, 320, 200, 32},
    {0x141, 640, 480, 32},   {0x142, 800, 600, 32},   {0x143, 1024, 768, 32},
    {0x144, 1280, 1024, 32}, {0x145, 1280, 720, 32},  {0x146, 1920, 1080, 32},
    {0x147, 1600, 1200, 32}, {0x148, 1280, 800, 32},  {0x149, 1440, 900, 32},
};

// Filled in by vbe_init while the ROM is still writable.
ROMVAR_RW static u16 mode_list[ARRAY_SIZE(vbe_modes) + 1];
ROMVAR_RW static u32 lfb_base;
ROMVAR_RW static u16 vram_64k;
// QEMU's EDID (its "edid" property): the first 256 bytes of BAR 2, read
// once at init since real-mode code cannot reach the BAR afterwards.
ROMVAR_RW static u8 edid[256];
ROMVAR_RW static u16 edid_blocks;

ROMVAR static const char oem_string[] = "mbios VGA BIOS";
ROMVAR static const char oem_vendor[] = "mbios";
ROMVAR static const char oem_product[] = "QEMU standard VGA (Bochs VBE)";
ROMVAR static const char oem_rev[] = "1";

// bochs-display has no I/O ports: its dispi registers are 16-bit MMIO
// at BAR 2 + 0x500, index * 2 (set at init; 0 = use the ports).
ROMVAR_RW static u32 dispi_mmio;
#define DISPI_MMIO_OFFSET 0x500

static u16 dispi_read(u8 idx)
{
	u32 mmio = rom32(&dispi_mmio);
	if (mmio)
		return (u16)flat_read32(mmio + idx * 2u);
	outw(idx, DISPI_INDEX);
	return inw(DISPI_DATA);
}
static void dispi_write(u8 idx, u16 v)
{
	u32 mmio = rom32(&dispi_mmio);
	if (mmio) {
		flat_write16(mmio + idx * 2u, v);
		return;
	}
	outw(idx, DISPI_INDEX);
	outw(v, DISPI_DATA);
}

bool vga_hw_present(void)
{
	return rom32(&dispi_mmio) == 0;
}

bool vbe_present(void)
{
	return rom16(&vram_64k) != 0;
}

void vbe_disable(void)
{
	if (vbe_present())
		dispi_write(DISPI_ENABLE, 0);
}

static u16 bytes_per_line(const struct vbe_mode *m)
{
	return (u16)(rom16(&m->width) * ((rom8(&m->bpp) + 7) / 8));
}
static u32 mode_bytes(const struct vbe_mode *m)
{
	return (u32)bytes_per_line(m) * rom16(&m->height);
}

static u32 pci_read32(u16 bdf, u8 reg)
{
	outl(0x80000000u | (u32)bdf << 8 | reg, 0xCF8);
	return inl(0xCFC);
}

static void edid_init(u16 bdf)
{
	u32 bar = pci_read32(bdf, 0x18);
	if ((bar & 1) || (bar & ~0xFu) == 0 ||
	    (pci_read32(bdf, 0x04) & 0x02) == 0)
		return;
	bar &= ~0xFu;
	if (flat_read32(bar) != 0xFFFFFF00u ||
	    flat_read32(bar + 4) != 0x00FFFFFFu)
		return; // no EDID header (00 FF FF FF FF FF FF 00)
	for (u16 i = 0; i < 256; i += 4)
		rom_set32(&edid[i], flat_read32(bar + i));
	rom_set16(&edid_blocks, 1 + (rom8(&edid[126]) ? 1 : 0));
}

extern struct {
	u32 signature;
	u16 vendor, device;
} pcir;

// The device this ROM is for: the bus/device/function the system BIOS
// passed if it is ours, else the first match on bus 0 (a ROM loaded from
// fw_cfg "vgaroms/" gets no usable AX).
static u16 find_device(u16 bdf)
{
	u32 id = (u32)rom16(&pcir.device) << 16 | rom16(&pcir.vendor);
	if (pci_read32(bdf, 0) == id)
		return bdf;
	for (u16 dev = 0; dev < 32; dev++)
		if (pci_read32(dev << 3, 0) == id)
			return dev << 3;
	return bdf;
}

void vbe_init(u16 bdf)
{
	bdf = find_device(bdf);
	dispi_write(DISPI_ID, 0xB0C5);
	if ((dispi_read(DISPI_ID) & 0xFFF0) != 0xB0C0) {
		// No ports: bochs-display, whose registers are in BAR 2.
		u32 bar2 = pci_read32(bdf, 0x18);
		if (!(bar2 & 1) && (bar2 & ~0xFu) &&
		    (pci_read32(bdf, 0x04) & 0x02))
			rom_set32(&dispi_mmio,
				  (bar2 & ~0xFu) + DISPI_MMIO_OFFSET);
	}
	dispi_write(DISPI_ID, 0xB0C5);
	u16 id = dispi_read(DISPI_ID);
	if ((id & 0xFFF0) != 0xB0C0 || id < 0xB0C2) {
		rom_set32(&dispi_mmio, 0);
		return; // no VBE 2.0+ capable dispi interface
	}
	u16 vram = dispi_read(DISPI_VIDEO_MEMORY_64K);
	// BAR 0 of the standard VGA and bochs-display is the framebuffer.
	u32 bar = pci_read32(bdf, 0x10) & ~0xFu;
	rom_set32(&lfb_base, bar);
	u16 n = 0;
	// Without VGA hardware there is no DAC for the 8 bpp modes.
	for (u16 i = 0; i < ARRAY_SIZE(vbe_modes); i++)
		if (mode_bytes(&vbe_modes[i]) <= (u32)vram << 16 &&
		    (vga_hw_present() || rom8(&vbe_modes[i].bpp) > 8))
			rom_set16(&mode_list[n++], rom16(&vbe_modes[i].mode));
	rom_set16(&mode_list[n], 0xFFFF);
	rom_set16(&vram_64k, vram);
	edid_init(bdf);
}

static const struct vbe_mode *find_mode(u16 mode)
{
	mode &= 0x1FF;
	for (u16 i = 0; rom16(&mode_list[i]) != 0xFFFF; i++)
		if (rom16(&mode_list[i]) == mode)
			for (u16 j = 0; j < ARRAY_SIZE(vbe_modes); j++)
				if (rom16(&vbe_modes[j].mode) == mode)
					return &vbe_modes[j];
	return NULL;
}

static void far_zero(u16 seg, u16 off, u16 n)
{
	for (u16 i = 0; i < n; i++)
		far_set8(seg, off + i, 0);
}

// 4F00h (VBE 3.0, 4.4): the VbeInfoBlock at ES:DI; 512 bytes if the
// caller asked for VBE 2.0+ information with "VBE2", else 256.
static void controller_info(struct vregs *r)
{
	u16 s = r->es, d = r->di;
	bool vbe2 = far16(s, d) == ('V' | 'B' << 8) &&
		    far16(s, d + 2) == ('E' | '2' << 8);
	far_zero(s, d, vbe2 ? 512 : 256);
	far_set16(s, d, 'V' | 'E' << 8);
	far_set16(s, d + 2, 'S' | 'A' << 8);
	far_set16(s, d + 4, 0x0300);
	u32 cs = (u32)rom_seg() << 16;
	far_set32(s, d + 6, cs | ROM_OFF(oem_string));
	far_set32(s, d + 0x0A, 0x01); // DAC switchable to 8 bits
	far_set32(s, d + 0x0E, cs | ROM_OFF(mode_list));
	far_set16(s, d + 0x12, rom16(&vram_64k));
	far_set16(s, d + 0x14, 0x0100);
	far_set32(s, d + 0x16, cs | ROM_OFF(oem_vendor));
	far_set32(s, d + 0x1A, cs | ROM_OFF(oem_product));
	far_set32(s, d + 0x1E, cs | ROM_OFF(oem_rev));
	r->ax = VBE_OK;
}

// Colour field sizes and positions: red, green, blue, reserved.
static void color_fields(u8 bpp, u8 f[8])
{
	for (u8 i = 0; i < 8; i++)
		f[i] = 0;
	if (bpp == 15) {
		f[0] = 5, f[1] = 10, f[2] = 5, f[3] = 5, f[4] = 5, f[6] = 1;
		f[7] = 15;
	} else if (bpp == 16) {
		f[0] = 5, f[1] = 11, f[2] = 6, f[3] = 5, f[4] = 5;
	} else if (bpp >= 24) {
		f[0] = 8, f[1] = 16, f[2] = 8, f[3] = 8, f[4] = 8;
		if (bpp == 32)
			f[6] = 8, f[7] = 24;
	}
}

// 4F01h (VBE 3.0, 4.5): the ModeInfoBlock at ES:DI.
static void mode_info(struct vregs *r)
{
	const struct vbe_mode *m = find_mode(r->cx);
	if (!m) {
		r->ax = VBE_FAILED;
		return;
	}
	u16 s = r->es, d = r->di;
	u8 bpp = rom8(&m->bpp);
	u16 bpl = bytes_per_line(m), h = rom16(&m->height);
	u32 pages = ((u32)rom16(&vram_64k) << 16) / mode_bytes(m);
	if (pages > 256)
		pages = 256;
	far_zero(s, d, 256);
	// Supported, colour, graphics, linear framebuffer; no VGA windowing
	// quirks (bit 5 clear), and no BIOS text output.
	far_set16(s, d, 0x009B);
	far_set8(s, d + 2, 0x07); // window A: exists, readable, writable
	far_set16(s, d + 4, 64);
	far_set16(s, d + 6, 64);
	far_set16(s, d + 8, 0xA000);
	far_set16(s, d + 0x0C, ROM_OFF(vbe_window_entry));
	far_set16(s, d + 0x0E, rom_seg());
	far_set16(s, d + 0x10, bpl);
	far_set16(s, d + 0x12, rom16(&m->width));
	far_set16(s, d + 0x14, h);
	far_set8(s, d + 0x16, 8);
	far_set8(s, d + 0x17, 16);
	far_set8(s, d + 0x18, 1);
	far_set8(s, d + 0x19, bpp);
	far_set8(s, d + 0x1A, 1);
	far_set8(s, d + 0x1B, bpp == 8 ? 4 : 6); // packed pixel / direct
	far_set8(s, d + 0x1D, (u8)(pages - 1));
	far_set8(s, d + 0x1E, 1);
	u8 f[8];
	color_fields(bpp, f);
	for (u8 i = 0; i < 8; i++) {
		far_set8(s, d + 0x1F + i, f[i]);
		far_set8(s, d + 0x36 + i, f[i]);
	}
	far_set32(s, d + 0x28, rom32(&lfb_base));
	far_set16(s, d + 0x32, bpl);
	far_set8(s, d + 0x34, (u8)(pages - 1));
	far_set8(s, d + 0x35, (u8)(pages - 1));
	r->ax = VBE_OK;
}

static u16 enable_flags(void)
{
	return bda8(BDA_VBE_FLAGS) & FLAG_8BIT_DAC ? DISPI_8BIT_DAC : 0;
}

// 4F02h (VBE 3.0, 4.6): BX bit 14 asks for the linear framebuffer, bit
// 15 keeps the video memory.
static void set_mode(struct vregs *r)
{
	u16 bx = r->bx;
	if ((bx & 0x1FF) < 0x100) {
		r->ax =
		    vga_set_mode(bx & 0x7F, bx & 0x8000) ? VBE_OK : VBE_FAILED;
		return;
	}
	const struct vbe_mode *m = find_mode(bx);
	if (!m) {
		r->ax = VBE_FAILED;
		return;
	}
	// VGA registers as for mode 13h, so window A (banked access at
	// 0xA0000) reaches the framebuffer; then the dispi mode.
	if (vga_hw_present())
		vga_set_mode(0x13, true);
	dispi_write(DISPI_ENABLE, 0);
	dispi_write(DISPI_BPP, rom8(&m->bpp));
	dispi_write(DISPI_XRES, rom16(&m->width));
	dispi_write(DISPI_YRES, rom16(&m->height));
	dispi_write(DISPI_BANK, 0);
	dispi_write(DISPI_ENABLE, (u16)(DISPI_ENABLED | enable_flags() |
					(bx & 0x4000 ? DISPI_LFB : 0) |
					(bx & 0x8000 ? DISPI_NOCLEAR : 0)));
	bda_set16(BDA_VBE_MODE, bx & 0x41FF);
	r->ax = VBE_OK;
}

static bool in_vbe_mode(void)
{
	return bda16(BDA_VBE_MODE) != 0;
}

// 4F04h (VBE 3.0, 4.8): the dispi registers, the VBE mode and the DAC.
#define STATE_BYTES (2 * 10 + 2 + 768)
static void save_state(struct vregs *r)
{
	u16 s = r->es, d = r->bx;
	switch (r->dl) {
	case 0x00:
		r->bx = (STATE_BYTES + 63) / 64;
		break;
	case 0x01: // registers XRES..Y_OFFSET, the VBE mode, the DAC
		for (u8 i = DISPI_XRES; i <= DISPI_Y_OFFSET; i++)
			far_set16(s, d + 2 * i, dispi_read(i));
		far_set16(s, d, bda16(BDA_VBE_MODE));
		vga_dac_save(s, d + 22);
		break;
	case 0x02:
		dispi_write(DISPI_ENABLE, 0);
		for (u8 i = DISPI_XRES; i <= DISPI_Y_OFFSET; i++)
			if (i != DISPI_ENABLE)
				dispi_write(i, far16(s, d + 2 * i));
		dispi_write(DISPI_ENABLE,
			    far16(s, d + 2 * DISPI_ENABLE) | DISPI_NOCLEAR);
		bda_set16(BDA_VBE_MODE, far16(s, d));
		vga_dac_restore(s, d + 22);
		break;
	default:
		r->ax = VBE_FAILED;
		return;
	}
	r->ax = VBE_OK;
}

// 4F09h (VBE 3.0, 4.13): palette entries are blue, green, red, pad.
static void palette_data(struct vregs *r)
{
	u16 s = r->es, d = r->di;
	switch (r->bl) {
	case 0x00:
	case 0x80:
		outb((u8)r->dx, VGA_DAC_WR);
		for (u16 i = 0; i < r->cx; i++) {
			outb(far8(s, d + 4 * i + 2), VGA_DAC_DATA);
			outb(far8(s, d + 4 * i + 1), VGA_DAC_DATA);
			outb(far8(s, d + 4 * i), VGA_DAC_DATA);
		}
		break;
	case 0x01:
		outb((u8)r->dx, VGA_DAC_RD);
		for (u16 i = 0; i < r->cx; i++) {
			far_set8(s, d + 4 * i + 2, inb(VGA_DAC_DATA));
			far_set8(s, d + 4 * i + 1, inb(VGA_DAC_DATA));
			far_set8(s, d + 4 * i, inb(VGA_DAC_DATA));
			far_set8(s, d + 4 * i + 3, 0);
		}
		break;
	default:
		r->ax = VBE_FAILED;
		return;
	}
	r->ax = VBE_OK;
}

// 4F15h (VBE/DDC 1.1 standard): BL = 0 capabilities, BL = 1 read the
// 128-byte EDID block DX into ES:DI.
static void ddc(struct vregs *r)
{
	u16 blocks = rom16(&edid_blocks);
	if (!blocks || r->cx != 0) {
		r->ax = VBE_FAILED;
	} else if (r->bl == 0x00) {
		r->bx = 0x0002; // DDC2, no blanking while reading
		r->ax = VBE_OK;
	} else if (r->bl == 0x01 && r->dx < blocks) {
		for (u16 i = 0; i < 128; i++)
			far_set8(r->es, r->di + i,
				 rom8(&edid[r->dx * 128 + i]));
		r->ax = VBE_OK;
	} else {
		r->ax = VBE_FAILED;
	}
}

// 4F05h, also reached by far call through WinFuncPtr: window A only, in
// 64 KiB units.
void vbe_window_handler(struct vregs *r)
{
	if (r->bl != 0) {
		r->ax = VBE_FAILED;
		return;
	}
	if (r->bh == 0)
		dispi_write(DISPI_BANK, r->dx);
	else
		r->dx = dispi_read(DISPI_BANK);
	r->ax = VBE_OK;
}

void vbe_handler(struct vregs *r)
{
	if (!vbe_present()) {
		r->ax = VBE_FAILED;
		return;
	}
	switch (r->al) {
	case 0x00:
		controller_info(r);
		break;
	case 0x01:
		mode_info(r);
		break;
	case 0x02:
		set_mode(r);
		break;
	case 0x03:
		r->bx =
		    in_vbe_mode() ? bda16(BDA_VBE_MODE) : bda8(BDA_VIDEO_MODE);
		r->ax = VBE_OK;
		break;
	case 0x04:
		save_state(r);
		break;
	case 0x05:
		vbe_window_handler(r);
		break;
	case 0x06: { // scan line length in pixels (BL 0) or bytes (BL 2)
		if (!in_vbe_mode()) {
			r->ax = VBE_INVALID;
			break;
		}
		u16 bpp = dispi_read(DISPI_BPP), bypp = (bpp + 7) / 8;
		if (r->bl == 0)
			dispi_write(DISPI_VIRT_WIDTH, r->cx);
		else if (r->bl == 2)
			dispi_write(DISPI_VIRT_WIDTH, r->cx / bypp);
		u16 w = r->bl == 3 ? (u16)(0x8000 / bypp * 2)
				   : dispi_read(DISPI_VIRT_WIDTH);
		r->bx = (u16)(w * bypp);
		r->cx = w;
		r->dx = (u16)(((u32)rom16(&vram_64k) << 16) / r->bx);
		r->ax = VBE_OK;
		break;
	}
	case 0x07:
		if (r->bl == 0x00 || r->bl == 0x80) {
			dispi_write(DISPI_X_OFFSET, r->cx);
			dispi_write(DISPI_Y_OFFSET, r->dx);
		} else if (r->bl == 0x01) {
			r->bh = 0;
			r->cx = dispi_read(DISPI_X_OFFSET);
			r->dx = dispi_read(DISPI_Y_OFFSET);
		} else {
			r->ax = VBE_FAILED;
			break;
		}
		r->ax = VBE_OK;
		break;
	case 0x08: // DAC width: 6 or 8 bits per primary
		if (r->bl == 0x00) {
			bool eight = r->bh >= 8;
			bda_set8(BDA_VBE_FLAGS,
				 (u8)((bda8(BDA_VBE_FLAGS) & ~FLAG_8BIT_DAC) |
				      (eight ? FLAG_8BIT_DAC : 0)));
			u16 en = dispi_read(DISPI_ENABLE);
			if (en & DISPI_ENABLED)
				dispi_write(DISPI_ENABLE,
					    (u16)((en & ~DISPI_8BIT_DAC) |
						  (eight ? DISPI_8BIT_DAC : 0) |
						  DISPI_NOCLEAR));
		}
		r->bh = bda8(BDA_VBE_FLAGS) & FLAG_8BIT_DAC ? 8 : 6;
		r->ax = VBE_OK;
		break;
	case 0x09:
		palette_data(r);
		break;
	case 0x15:
		ddc(r);
		break;
	default: // 4F0Ah (protected-mode interface) and the rest
		r->ax = VBE_FAILED;
		break;
	}
}
