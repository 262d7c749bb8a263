// INT 10h: the video services of the IBM PC/AT BIOS and the VGA
// extensions (IBM VGA technical reference, "BIOS"), plus VBE (AH = 4Fh).
#include "std/bda.h"
#include "vga.h"
#include "vgaio.h"

// INT 10h 1Bh's static functionality table: modes 00h-07h, 12h and 13h
// (bitmaps of modes 00h-07h, 08h-0Fh, 10h-17h), scan lines 200/350/400,
// 8 character blocks, 2 active, and the misc function bits.
ROMVAR static const u8 functionality[16] = {
    0x8F, 0x00, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x07,
    0x08, 0x02, 0x00, 0x00, 0xFF, 0x00, 0x00, 0x00,
};

// AH = 10h: palette registers (attribute controller) and the DAC.
void vga_palette(struct vregs *r)
{
	switch (r->al) {
	case 0x00:
		if (r->bl < 0x10)
			ac_write(r->bl, r->bh);
		break;
	case 0x01:
		ac_write(0x11, r->bh);
		break;
	case 0x02:
		for (u8 i = 0; i < 17; i++)
			ac_write(i < 16 ? i : 0x11, far8(r->es, r->dx + i));
		break;
	case 0x03: // bit 3 of the mode control: blink (1) or intensity
		ac_write(0x10, (u8)((ac_read(0x10) & ~0x08) |
				    (r->bl & 1 ? 0x08 : 0)));
		break;
	case 0x07:
		if (r->bl < 0x10)
			r->bh = ac_read(r->bl);
		break;
	case 0x08:
		r->bh = ac_read(0x11);
		break;
	case 0x09:
		for (u8 i = 0; i < 17; i++)
			far_set8(r->es, r->dx + i, ac_read(i < 16 ? i : 0x11));
		break;
	case 0x10:
		outb(r->bl, VGA_DAC_WR);
		outb(r->dh, VGA_DAC_DATA);
		outb(r->ch, VGA_DAC_DATA);
		outb(r->cl, VGA_DAC_DATA);
		break;
	case 0x12:
		outb(r->bl, VGA_DAC_WR);
		for (u16 i = 0; i < r->cx * 3; i++)
			outb(far8(r->es, r->dx + i), VGA_DAC_DATA);
		break;
	case 0x15:
		outb(r->bl, VGA_DAC_RD);
		r->dh = inb(VGA_DAC_DATA);
		r->ch = inb(VGA_DAC_DATA);
		r->cl = inb(VGA_DAC_DATA);
		break;
	case 0x17:
		outb(r->bl, VGA_DAC_RD);
		for (u16 i = 0; i < r->cx * 3; i++)
			far_set8(r->es, r->dx + i, inb(VGA_DAC_DATA));
		break;
	case 0x18:
		outb(r->bl, VGA_PEL_MASK);
		break;
	case 0x19:
		r->bl = inb(VGA_PEL_MASK);
		break;
	case 0x1A:
		r->bx = 0;
		break;
	}
}

// AH = 11h: character generator. Loads keep the mode's geometry except
// the 1xh variants, which also set the glyph height and the rows.
static void set_text_rows(u8 cheight)
{
	u16 lines = (u16)((crtc_read(0x12) | (crtc_read(0x07) & 0x02) << 7 |
			   (crtc_read(0x07) & 0x40) << 3) +
			  1);
	crtc_write(0x09, (u8)((crtc_read(0x09) & 0xE0) | (cheight - 1)));
	crtc_write(0x0A, cheight - 3);
	crtc_write(0x0B, cheight - 2);
	u8 rows = (u8)(lines / cheight);
	bda_set8(BDA_VIDEO_ROWS, rows - 1);
	bda_set16(BDA_CHAR_HEIGHT, cheight);
	bda_set16(BDA_PAGE_SIZE,
		  (u16)ALIGN_UP(rows * bda16(BDA_VIDEO_COLS) * 2, 256));
}

static void char_gen(struct vregs *r)
{
	const u8 *font = NULL;
	u8 h = 0;
	switch (r->al & 0x0F) {
	case 0x00: // user font: ES:BP, CX glyphs from DX, BH bytes each
		vga_load_font(r->es, r->bp, r->bh, r->dx, r->cx, r->bl);
		if (r->al & 0x10)
			set_text_rows(r->bh);
		return;
	case 0x01:
		font = font8x14, h = 14;
		break;
	case 0x02:
		font = font8x8, h = 8;
		break;
	case 0x04:
		font = font8x16, h = 16;
		break;
	case 0x03: // block specifier
		outb(3, VGA_SEQ);
		outb(r->bl, VGA_SEQ + 1);
		return;
	}
	if (font) {
		vga_load_font(rom_seg(), ROM_OFF(font), h, 0, 256, r->bl);
		if (r->al & 0x10)
			set_text_rows(h);
	}
}

static void font_info(struct vregs *r)
{
	const u8 *font;
	switch (r->bh) {
	case 0x00:
		r->es = far16(0, 0x1F * 4 + 2);
		r->bp = far16(0, 0x1F * 4);
		goto geometry;
	case 0x01:
		r->es = far16(0, 0x43 * 4 + 2);
		r->bp = far16(0, 0x43 * 4);
		goto geometry;
	case 0x02:
	case 0x05:
		font = font8x14;
		break;
	case 0x03:
		font = font8x8;
		break;
	case 0x04:
		font = font8x8 + 128 * 8;
		break;
	default:
		font = font8x16;
		break;
	}
	r->es = rom_seg();
	r->bp = ROM_OFF(font);
geometry:
	r->cx = bda16(BDA_CHAR_HEIGHT);
	r->dl = bda8(BDA_VIDEO_ROWS);
}

// AH = 12h: alternate select.
static void alt_select(struct vregs *r)
{
	switch (r->bl) {
	case 0x10:
		r->bh = bda16(BDA_CRTC_BASE) == 0x3B4;
		r->bl = 3; // 256 KiB
		r->ch = 0;
		r->cl = bda8(BDA_VIDEO_SWITCHES) & 0x0F;
		break;
	case 0x30:
	case 0x31:
	case 0x32:
	case 0x33:
	case 0x34:
		r->al = 0x12;
		break;
	case 0x36: // screen off (AL = 1) or on: sequencer clocking bit 5
		outb(1, VGA_SEQ);
		outb((u8)((inb(VGA_SEQ + 1) & ~0x20) | (r->al & 1 ? 0x20 : 0)),
		     VGA_SEQ + 1);
		r->al = 0x12;
		break;
	}
}

// AH = 13h: write string from ES:BP; AL bit 0 moves the cursor, bit 1
// means the string alternates characters and attributes.
static void write_string(struct vregs *r)
{
	u8 page = r->bh;
	u16 saved = bda16(BDA_CURSOR_POS + 2 * page);
	vga_set_cursor_pos(page, r->dx);
	u16 off = r->bp;
	for (u16 i = 0; i < r->cx; i++) {
		u8 ch = far8(r->es, off++);
		u8 attr = r->bl;
		if (r->al & 2)
			attr = far8(r->es, off++);
		vga_teletype(page, ch, attr, true);
	}
	if (!(r->al & 1))
		vga_set_cursor_pos(page, saved);
}

// AH = 1Bh: functionality/state information into ES:DI (64 bytes).
static void state_info(struct vregs *r)
{
	if (r->bx != 0)
		return;
	u16 s = r->es, d = r->di;
	for (u8 i = 0; i < 64; i++)
		far_set8(s, d + i, 0);
	far_set16(s, d, ROM_OFF(functionality));
	far_set16(s, d + 2, rom_seg());
	for (u8 i = 0; i < 30; i++) // BDA 0x449-0x466, in order
		far_set8(s, d + 4 + i, bda8(BDA_VIDEO_MODE + i));
	far_set8(s, d + 0x22, bda8(BDA_VIDEO_ROWS) + 1);
	far_set16(s, d + 0x23, bda16(BDA_CHAR_HEIGHT));
	far_set8(s, d + 0x25, bda8(BDA_DCC_INDEX));
	const struct vga_mode *m = vga_cur_mode();
	u8 kind = m ? rom8(&m->kind) : VK_TEXT;
	far_set16(s, d + 0x27, kind == VK_LINEAR8 ? 256 : 16);
	far_set8(s, d + 0x29, kind == VK_TEXT ? 8 : 1);
	far_set8(s, d + 0x2A, kind == VK_TEXT ? 2 : 3); // 400 or 480 lines
	far_set8(s, d + 0x2D, 0x21); // VGA, palette loading on
	far_set8(s, d + 0x31, 3);    // 256 KiB
	r->al = 0x1B;
}

// The caller's interrupt flag is left as it was: the system BIOS calls
// INT 10h during POST with interrupts off.
void int10_handler(struct vregs *r)
{
	switch (r->ah) {
	case 0x00:
		vga_set_mode(r->al & 0x7F, r->al & 0x80);
		// AL on return: mode 6 gives 3Fh, others 20h or 30h (PC BIOS).
		r->al = r->al == 6 ? 0x3F : (r->al & 0x7F) > 7 ? 0x20 : 0x30;
		break;
	case 0x01:
		vga_set_cursor_shape(r->cx);
		break;
	case 0x02:
		vga_set_cursor_pos(r->bh, r->dx);
		break;
	case 0x03:
		r->cx = bda16(BDA_CURSOR_TYPE);
		r->dx = r->bh < 8 ? bda16(BDA_CURSOR_POS + 2 * r->bh) : 0;
		break;
	case 0x04:
		r->ah = 0; // no light pen
		break;
	case 0x05:
		vga_set_page(r->al);
		break;
	case 0x06:
	case 0x07:
		vga_scroll(r->ah == 6 ? r->al : -r->al, r->bh, r->ch, r->cl,
			   r->dh, r->dl);
		break;
	case 0x08:
		r->ax = vga_read_char(r->bh);
		break;
	case 0x09:
	case 0x0A:
		vga_write_char(r->bh, r->al, r->bl, r->cx, r->ah == 9);
		break;
	case 0x0B: // CGA palette: border/background (BH = 0)
		if (r->bh == 0)
			ac_write(0x11, r->bl & 0x0F);
		break;
	case 0x0C:
		vga_put_pixel(r->cx, r->dx, r->al);
		break;
	case 0x0D:
		r->al = vga_get_pixel(r->cx, r->dx);
		break;
	case 0x0E:
		vga_teletype(bda8(BDA_VIDEO_PAGE), r->al, r->bl, false);
		break;
	case 0x0F:
		r->al = bda8(BDA_VIDEO_MODE) | (bda8(BDA_VIDEO_CTL) & 0x80);
		r->ah = (u8)bda16(BDA_VIDEO_COLS);
		r->bh = bda8(BDA_VIDEO_PAGE);
		break;
	case 0x10:
		vga_palette(r);
		break;
	case 0x11:
		if (r->al == 0x30)
			font_info(r);
		else
			char_gen(r);
		break;
	case 0x12:
		alt_select(r);
		break;
	case 0x13:
		write_string(r);
		break;
	case 0x1A: // display combination: VGA with analog colour display
		if (r->al == 0x00) {
			r->bl = bda8(BDA_DCC_INDEX);
			r->bh = 0;
			r->al = 0x1A;
		} else if (r->al == 0x01) {
			bda_set8(BDA_DCC_INDEX, r->bl);
			r->al = 0x1A;
		}
		break;
	case 0x1B:
		state_info(r);
		break;
	case 0x1C:
		vga_state(r);
		break;
	case 0x4F:
		vbe_handler(r);
		break;
	}
}
