// VGA modes 01h, 03h, 07h, 12h and 13h: register tables and the mode set
// sequence of the IBM VGA technical reference ("Programming
// Considerations": sequencer reset, misc output, sequencer, CRTC, graphics
// controller, attribute controller, DAC), and the BDA video fields.
#include "std/bda.h"
#include "vga.h"
#include "vgaio.h"

// Register values per mode: misc output, sequencer 1-4, CRTC 0-0x18,
// graphics controller 0-8, attribute controller 0-0x13.
struct vga_regs {
	u8 misc;
	u8 seq[4];
	u8 crtc[25];
	u8 gc[9];
	u8 ac[20];
};

enum { R_TEXT80, R_TEXT40, R_MONO, R_12H, R_13H };

ROMVAR static const struct vga_regs regs_table[] = {
    [R_TEXT80] = {0x67,
		  {0x00, 0x03, 0x00, 0x02},
		  {0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00,
		   0x4F, 0x0D, 0x0E, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x8E,
		   0x8F, 0x28, 0x1F, 0x96, 0xB9, 0xA3, 0xFF},
		  {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF},
		  {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39,
		   0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08}},
    [R_TEXT40] = {0x67,
		  {0x08, 0x03, 0x00, 0x02},
		  {0x2D, 0x27, 0x28, 0x90, 0x2B, 0xA0, 0xBF, 0x1F, 0x00,
		   0x4F, 0x0D, 0x0E, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x8E,
		   0x8F, 0x14, 0x1F, 0x96, 0xB9, 0xA3, 0xFF},
		  {0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0E, 0x00, 0xFF},
		  {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39,
		   0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x0C, 0x00, 0x0F, 0x08}},
    [R_MONO] = {0x66,
		{0x00, 0x03, 0x00, 0x02},
		{0x5F, 0x4F, 0x50, 0x82, 0x55, 0x81, 0xBF, 0x1F, 0x00,
		 0x4F, 0x0D, 0x0E, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x8E,
		 0x8F, 0x28, 0x0F, 0x96, 0xB9, 0xA3, 0xFF},
		{0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0A, 0x00, 0xFF},
		{0x00, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x10, 0x18,
		 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x0E, 0x00, 0x0F, 0x08}},
    [R_12H] = {0xE3,
	       {0x01, 0x0F, 0x00, 0x06},
	       {0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0x0B, 0x3E, 0x00,
		0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xEA, 0x8C,
		0xDF, 0x28, 0x00, 0xE7, 0x04, 0xE3, 0xFF},
	       {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0F, 0xFF},
	       {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39,
		0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x01, 0x00, 0x0F, 0x00}},
    [R_13H] = {0x63,
	       {0x01, 0x0F, 0x00, 0x0E},
	       {0x5F, 0x4F, 0x50, 0x82, 0x54, 0x80, 0xBF, 0x1F, 0x00,
		0x41, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x9C, 0x8E,
		0x8F, 0x28, 0x40, 0x96, 0xB9, 0xA3, 0xFF},
	       {0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0F, 0xFF},
	       {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
		0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x41, 0x00, 0x0F, 0x00}},
};

// Modes 00h/02h are 01h/03h without colour burst on a CGA; on a VGA
// they are the same modes.
ROMVAR static const struct vga_mode mode_table[] = {
    {0x00, VK_TEXT, 16, R_TEXT40, 40, 25, 0xB800, 0x0800},
    {0x01, VK_TEXT, 16, R_TEXT40, 40, 25, 0xB800, 0x0800},
    {0x02, VK_TEXT, 16, R_TEXT80, 80, 25, 0xB800, 0x1000},
    {0x03, VK_TEXT, 16, R_TEXT80, 80, 25, 0xB800, 0x1000},
    {0x07, VK_TEXT, 16, R_MONO, 80, 25, 0xB000, 0x1000},
    {0x12, VK_PLANAR, 16, R_12H, 640, 480, 0xA000, 0xA000},
    {0x13, VK_LINEAR8, 8, R_13H, 320, 200, 0xA000, 0xFA00},
};

const struct vga_mode *vga_find_mode(u8 mode)
{
	for (u16 i = 0; i < ARRAY_SIZE(mode_table); i++)
		if (rom8(&mode_table[i].mode) == mode)
			return &mode_table[i];
	return NULL;
}

// NULL in a VBE mode or without VGA hardware (bochs-display): the text
// functions then draw nothing rather than writing mode 13h pixels into
// the framebuffer's first bank.
const struct vga_mode *vga_cur_mode(void)
{
	if (bda16(BDA_VBE_MODE) || !vga_hw_present())
		return NULL;
	return vga_find_mode(bda8(BDA_VIDEO_MODE) & 0x7F);
}

u16 crtc_port(void)
{
	return bda16(BDA_CRTC_BASE);
}
u8 crtc_read(u8 idx)
{
	outb(idx, crtc_port());
	return inb(crtc_port() + 1);
}
void crtc_write(u8 idx, u8 v)
{
	outb(idx, crtc_port());
	outb(v, crtc_port() + 1);
}

// The attribute controller's index/data flip-flop resets on a read of
// input status 1 (0x3DA, or 0x3BA in mono modes); bit 5 of the index
// (palette address source) must be set again for the screen to show.
static void ac_reset(void)
{
	inb(crtc_port() + 6);
}
void ac_write(u8 idx, u8 v)
{
	ac_reset();
	outb(idx, VGA_AC);
	outb(v, VGA_AC);
	outb(0x20, VGA_AC);
}
u8 ac_read(u8 idx)
{
	ac_reset();
	outb(idx, VGA_AC);
	u8 v = inb(VGA_AC_READ);
	ac_reset();
	outb(0x20, VGA_AC);
	return v;
}

static void seq_write(u8 idx, u8 v)
{
	outb(idx, VGA_SEQ);
	outb(v, VGA_SEQ + 1);
}
static void gc_write(u8 idx, u8 v)
{
	outb(idx, VGA_GC);
	outb(v, VGA_GC + 1);
}

// Default DAC contents. 16-colour and text modes: the 64 EGA colours
// (bits 0-2 primary blue/green/red at 2/3 intensity, bits 3-5 secondary at
// 1/3), mono: grey levels from bits 3-4; mode 13h: the 16 EGA colours, 16
// greys, then a 6x6x6 colour cube.
static void dac_rgb(u8 r, u8 g, u8 b)
{
	outb(r, VGA_DAC_DATA);
	outb(g, VGA_DAC_DATA);
	outb(b, VGA_DAC_DATA);
}
static u8 ega_level(u16 c, u8 bit)
{
	return (c & (1 << bit) ? 0x2A : 0) + (c & (8 << bit) ? 0x15 : 0);
}
void vga_load_palette(u8 regs)
{
	outb(0xFF, VGA_PEL_MASK);
	outb(0, VGA_DAC_WR);
	for (u16 i = 0; i < 256; i++) {
		if (regs == R_MONO) {
			u8 v = (i & 8 ? 0x2A : 0) + (i & 0x10 ? 0x15 : 0);
			dac_rgb(v, v, v);
		} else if (regs != R_13H) {
			if (i < 64)
				dac_rgb(ega_level(i, 2), ega_level(i, 1),
					ega_level(i, 0));
			else
				dac_rgb(0, 0, 0);
		} else if (i < 16) {
			// The EGA colour each attribute index shows by default.
			u8 c = i == 6 ? 0x14 : i < 8 ? i : i + 0x30;
			dac_rgb(ega_level(c, 2), ega_level(c, 1),
				ega_level(c, 0));
		} else if (i < 32) {
			u8 v = (u8)((i - 16) * 63 / 15);
			dac_rgb(v, v, v);
		} else if (i < 248) {
			u16 c = i - 32;
			dac_rgb((u8)(c / 36 * 63 / 5), (u8)(c / 6 % 6 * 63 / 5),
				(u8)(c % 6 * 63 / 5));
		} else {
			dac_rgb(0, 0, 0);
		}
	}
}

// Glyphs into plane 2, 32 bytes per character slot; block selects one of
// the eight 8 KiB character maps (IBM VGA technical reference, "Character
// Map Select").
void vga_load_font(u16 seg, u16 off, u8 cheight, u16 first, u16 count, u8 block)
{
	seq_write(2, 0x04);
	seq_write(4, 0x07);
	gc_write(4, 0x02);
	gc_write(5, 0x00);
	gc_write(6, 0x04);
	u16 base = (u16)((block & 3) * 0x4000 + (block >> 2) * 0x2000);
	for (u16 c = 0; c < count; c++)
		for (u16 y = 0; y < 32; y++)
			far_set8(0xA000, base + (first + c) * 32 + y,
				 y < cheight ? far8(seg, off + c * cheight + y)
					     : 0);
	seq_write(2, 0x03);
	seq_write(4, 0x02);
	gc_write(4, 0x00);
	gc_write(5, 0x10);
	gc_write(6, bda16(BDA_CRTC_BASE) == 0x3B4 ? 0x0A : 0x0E);
}

static void program_regs(u8 ri)
{
	const struct vga_regs *t = &regs_table[ri];
	seq_write(0, 0x01); // synchronous reset while the clocks change
	outb(rom8(&t->misc), VGA_MISC_W);
	for (u8 i = 0; i < 4; i++)
		seq_write(i + 1, rom8(&t->seq[i]));
	seq_write(0, 0x03);
	u16 port = rom8(&t->misc) & 1 ? 0x3D4 : 0x3B4;
	bda_set16(BDA_CRTC_BASE, port);
	crtc_write(0x11, crtc_read(0x11) & 0x7F); // unlock CRTC 0-7
	for (u8 i = 0; i < 25; i++)
		crtc_write(i, rom8(&t->crtc[i]));
	for (u8 i = 0; i < 9; i++)
		gc_write(i, rom8(&t->gc[i]));
	ac_reset();
	for (u8 i = 0; i < 20; i++) {
		outb(i, VGA_AC);
		outb(rom8(&t->ac[i]), VGA_AC);
	}
	outb(0x14, VGA_AC); // colour select
	outb(0x00, VGA_AC);
	outb(0x20, VGA_AC);
}

bool vga_set_mode(u8 mode, bool noclear)
{
	const struct vga_mode *m = vga_find_mode(mode);
	if (!m || !vga_hw_present())
		return false; // bochs-display: VBE modes only
	u8 ri = rom8(&m->regs), kind = rom8(&m->kind);
	u8 ch = rom8(&m->cheight);
	u16 w = rom16(&m->width), h = rom16(&m->height);
	u16 seg = rom16(&m->seg);
	vbe_disable();
	program_regs(ri);
	vga_load_palette(ri);
	if (kind == VK_TEXT) {
		if (!noclear)
			far_fill16(seg, 0, 0x0720, 0x4000);
		vga_load_font(rom_seg(), ROM_OFF(font8x16), 16, 0, 256, 0);
	} else if (!noclear) {
		far_fill16(0xA000, 0, 0, 0x8000);
	}

	// BDA video fields (IBM PC technical reference, BIOS data area).
	u16 cols = kind == VK_TEXT ? w : w / 8;
	u16 rows = kind == VK_TEXT ? h : h / ch;
	bda_set8(BDA_VIDEO_MODE, mode);
	bda_set16(BDA_VIDEO_COLS, cols);
	bda_set16(BDA_PAGE_SIZE, rom16(&m->pagesize));
	bda_set16(BDA_PAGE_START, 0);
	for (u8 p = 0; p < 8; p++)
		bda_set16(BDA_CURSOR_POS + 2 * p, 0);
	bda_set16(BDA_CURSOR_TYPE, 0x0607);
	bda_set8(BDA_VIDEO_PAGE, 0);
	bda_set8(BDA_MODE_CTRL,
		 kind == VK_TEXT ? (cols == 80 ? 0x29 : 0x28) : 0x09);
	bda_set8(BDA_CGA_PALETTE, 0x30);
	bda_set8(BDA_VIDEO_ROWS, (u8)(rows - 1));
	bda_set16(BDA_CHAR_HEIGHT, ch);
	bda_set8(BDA_VIDEO_CTL, 0x60 | (noclear ? 0x80 : 0));
	bda_set8(BDA_VIDEO_SWITCHES, 0xF9);
	bda_set8(BDA_VGA_FLAGS, 0x51);
	bda_set8(BDA_DCC_INDEX, 0x08);
	bda_set8(BDA_VBE_MODE, 0);
	bda_set8(BDA_VBE_MODE + 1, 0);
	// Equipment word bits 4-5: initial video mode (80x25 colour or mono).
	u16 eq = bda16(BDA_EQUIPMENT) & ~0x30;
	bda_set16(BDA_EQUIPMENT, eq | (mode == 7 ? 0x30 : 0x20));
	// INT 43h: the font graphics modes draw with; INT 1Fh: the upper
	// half of the 8x8 font (CGA convention).
	const u8 *gfont = ch == 8 ? font8x8 : font8x16;
	far_set16(0, 0x43 * 4, ROM_OFF(gfont));
	far_set16(0, 0x43 * 4 + 2, rom_seg());
	far_set16(0, 0x1F * 4, ROM_OFF(font8x8) + 128 * 8);
	far_set16(0, 0x1F * 4 + 2, rom_seg());
	return true;
}
