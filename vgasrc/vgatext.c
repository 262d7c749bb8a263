// Characters on the screen in text and graphics modes: cursor, pages,
// write/read character, teletype, scrolling and pixels (INT 10h 01h-0Eh).
#include "std/bda.h"
#include "vga.h"
#include "vgaio.h"

static u16 cols(void)
{
	return bda16(BDA_VIDEO_COLS);
}
static u8 rows(void)
{
	return bda8(BDA_VIDEO_ROWS) + 1;
}

// CGA-style shapes (scan lines 0-7) are scaled to the glyph height, as
// VGA BIOSes do ("cursor emulation").
void vga_set_cursor_shape(u16 cx)
{
	bda_set16(BDA_CURSOR_TYPE, cx);
	u8 start = cx >> 8, end = cx & 0x1F;
	u16 ch = bda16(BDA_CHAR_HEIGHT);
	if (!(start & 0x20) && end < 8 && (start & 0x1F) < 8 && ch > 8) {
		start = (u8)((start & 0x1F) * ch / 8);
		end = (u8)((end + 1) * ch / 8 - 1);
		if (start > end)
			start = end;
	}
	crtc_write(0x0A, start);
	crtc_write(0x0B, end);
}

static u16 text_offset(u8 page, u8 row, u8 col)
{
	return (u16)(page * bda16(BDA_PAGE_SIZE) + (row * cols() + col) * 2);
}

void vga_set_cursor_pos(u8 page, u16 pos)
{
	if (page > 7)
		return;
	bda_set16(BDA_CURSOR_POS + 2 * page, pos);
	if (page != bda8(BDA_VIDEO_PAGE))
		return;
	u16 addr = text_offset(page, pos >> 8, pos & 0xFF) / 2;
	crtc_write(0x0E, addr >> 8);
	crtc_write(0x0F, addr & 0xFF);
}

void vga_set_page(u8 page)
{
	const struct vga_mode *m = vga_cur_mode();
	if (!m || page > 7)
		return;
	u16 start = (u16)(page * bda16(BDA_PAGE_SIZE));
	bda_set8(BDA_VIDEO_PAGE, page);
	bda_set16(BDA_PAGE_START, start);
	if (rom8(&m->kind) == VK_TEXT)
		start /= 2;
	crtc_write(0x0C, start >> 8);
	crtc_write(0x0D, start & 0xFF);
	vga_set_cursor_pos(page, bda16(BDA_CURSOR_POS + 2 * page));
}

// Bytes per scan line of a planar mode (one bit per pixel and plane).
static u16 planar_stride(const struct vga_mode *m)
{
	return rom16(&m->width) / 8;
}

// The glyphs of a mode's character height.
const u8 *vga_font(u8 cheight)
{
	return cheight == 8 ? font8x8 : cheight == 14 ? font8x14 : font8x16;
}

static void gc_write(u8 idx, u8 v)
{
	outb(idx, VGA_GC);
	outb(v, VGA_GC + 1);
}

// Mode 12h: one glyph row of bits in colour fg over bg, by set/reset and
// the bit mask (IBM VGA technical reference, graphics controller write
// mode 0); bit 7 of the attribute XORs instead.
static void planar_byte(u16 off, u8 bits, u8 attr)
{
	bool xor = attr & 0x80;
	gc_write(3, xor? 0x18 : 0x00);
	gc_write(1, 0x0F);
	gc_write(0, attr & 0x0F);
	gc_write(8, bits);
	far8(0xA000, off); // load the latches
	far_set8(0xA000, off, 0xFF);
	if (!xor) {
		gc_write(0, 0);
		gc_write(8, (u8)~bits);
		far8(0xA000, off);
		far_set8(0xA000, off, 0xFF);
	}
	gc_write(8, 0xFF);
	gc_write(1, 0);
	gc_write(3, 0);
}

static void gfx_char(const struct vga_mode *m, u8 row, u8 col, u8 ch, u8 attr)
{
	u8 h = rom8(&m->cheight);
	const u8 *glyph = vga_font(h) + ch * h;
	for (u8 y = 0; y < h; y++) {
		u8 bits = rom8(glyph + y);
		u16 line = (u16)(row * h + y);
		if (rom8(&m->kind) == VK_PLANAR) {
			planar_byte((u16)(line * planar_stride(m) + col), bits,
				    attr);
			continue;
		}
		u16 off = (u16)(line * 320 + col * 8);
		for (u8 x = 0; x < 8; x++)
			far_set8(0xA000, off + x,
				 bits & (0x80 >> x) ? attr : 0);
	}
}

void vga_write_char(u8 page, u8 ch, u8 attr, u16 count, bool use_attr)
{
	const struct vga_mode *m = vga_cur_mode();
	if (!m || page > 7)
		return;
	u16 pos = bda16(BDA_CURSOR_POS + 2 * page);
	u8 row = pos >> 8, col = pos & 0xFF;
	if (rom8(&m->kind) != VK_TEXT) {
		for (; count && col < cols(); count--, col++)
			gfx_char(m, row, col, ch, attr);
		return;
	}
	u16 seg = rom16(&m->seg);
	u16 off = text_offset(page, row, col);
	for (; count; count--, off += 2) {
		if (use_attr)
			far_set16(seg, off, (u16)(attr << 8 | ch));
		else
			far_set8(seg, off, ch);
	}
}

u16 vga_read_char(u8 page)
{
	const struct vga_mode *m = vga_cur_mode();
	if (!m || rom8(&m->kind) != VK_TEXT || page > 7)
		return 0;
	u16 pos = bda16(BDA_CURSOR_POS + 2 * page);
	return far16(rom16(&m->seg), text_offset(page, pos >> 8, pos & 0xFF));
}

// Teletype (INT 10h 0Eh): BEL, BS, LF and CR act, anything else is
// written; past the last row the page scrolls up by one, the new line
// taking the attribute of the character at the cursor (text modes).
void vga_teletype(u8 page, u8 ch, u8 attr, bool use_attr)
{
	if (page > 7)
		return;
	u16 pos = bda16(BDA_CURSOR_POS + 2 * page);
	u8 row = pos >> 8, col = pos & 0xFF;
	switch (ch) {
	case 7:
		return;
	case 8:
		if (col)
			col--;
		break;
	case '\n':
		row++;
		break;
	case '\r':
		col = 0;
		break;
	default:
		vga_write_char(page, ch, attr, 1, use_attr);
		if (++col >= cols()) {
			col = 0;
			row++;
		}
	}
	if (row >= rows()) {
		row = rows() - 1;
		u8 fill = 0;
		const struct vga_mode *m = vga_cur_mode();
		if (m && rom8(&m->kind) == VK_TEXT) {
			vga_set_cursor_pos(page, (u16)(row << 8 | col));
			fill = vga_read_char(page) >> 8;
		}
		if (page == bda8(BDA_VIDEO_PAGE))
			vga_scroll(1, fill, 0, 0, rows() - 1, (u8)(cols() - 1));
	}
	vga_set_cursor_pos(page, (u16)(row << 8 | col));
}

// One character cell line of a rectangle: copy from src_row to dst_row,
// or blank it with attr.
static void text_line(const struct vga_mode *m, u8 dst, int src, u8 attr,
		      u8 left, u8 right)
{
	u16 seg = rom16(&m->seg);
	u8 page = bda8(BDA_VIDEO_PAGE);
	u16 d = text_offset(page, dst, left), n = (right - left + 1) * 2;
	if (src < 0)
		far_fill16(seg, d, (u16)(attr << 8 | ' '), n / 2);
	else
		far_copy(seg, d, seg, text_offset(page, (u8)src, left), n,
			 false);
}

static void gfx_line(const struct vga_mode *m, u8 dst, int src, u8 attr,
		     u8 left, u8 right)
{
	u8 h = rom8(&m->cheight);
	bool planar = rom8(&m->kind) == VK_PLANAR;
	u16 stride = planar ? planar_stride(m) : 320, bpc = planar ? 1 : 8;
	u16 n = (right - left + 1) * bpc;
	for (u8 y = 0; y < h; y++) {
		u16 d = (u16)((dst * h + y) * stride + left * bpc);
		if (src < 0 && planar) {
			for (u16 i = 0; i < n; i++)
				planar_byte(d + i, 0xFF, attr & 0x0F);
		} else if (src < 0) {
			for (u16 i = 0; i < n; i++)
				far_set8(0xA000, d + i, attr);
		} else {
			u16 s = (u16)((src * h + y) * stride + left * bpc);
			if (planar)
				gc_write(5, 0x01); // write mode 1: copy latches
			for (u16 i = 0; i < n; i++)
				far_set8(0xA000, d + i, far8(0xA000, s + i));
			if (planar)
				gc_write(5, 0x00);
		}
	}
}

// INT 10h 06h/07h: lines > 0 scroll up, < 0 down, 0 blanks the window.
void vga_scroll(int lines, u8 attr, u8 top, u8 left, u8 bottom, u8 right)
{
	const struct vga_mode *m = vga_cur_mode();
	if (!m)
		return;
	if (bottom >= rows())
		bottom = rows() - 1;
	if (right >= cols())
		right = (u8)(cols() - 1);
	if (top > bottom || left > right)
		return;
	int height = bottom - top + 1;
	if (lines == 0 || lines >= height || -lines >= height)
		lines = height;
	void (*line)(const struct vga_mode *, u8, int, u8, u8, u8) =
	    rom8(&m->kind) == VK_TEXT ? text_line : gfx_line;
	if (lines > 0) {
		for (int r = top; r <= bottom; r++) {
			int src = r + lines;
			line(m, (u8)r, src <= bottom ? src : -1, attr, left,
			     right);
		}
	} else {
		for (int r = bottom; r >= top; r--) {
			int src = r + lines;
			line(m, (u8)r, src >= top ? src : -1, attr, left,
			     right);
		}
	}
}

void vga_put_pixel(u16 x, u16 y, u8 color)
{
	const struct vga_mode *m = vga_cur_mode();
	if (!m || x >= rom16(&m->width) || y >= rom16(&m->height))
		return;
	if (rom8(&m->kind) == VK_LINEAR8) {
		far_set8(0xA000, (u16)(y * 320 + x), color);
	} else if (rom8(&m->kind) == VK_PLANAR) {
		gc_write(3, color & 0x80 ? 0x18 : 0x00);
		gc_write(1, 0x0F);
		gc_write(0, color & 0x0F);
		gc_write(8, 0x80 >> (x & 7));
		u16 off = (u16)(y * planar_stride(m) + x / 8);
		far8(0xA000, off);
		far_set8(0xA000, off, 0xFF);
		gc_write(8, 0xFF);
		gc_write(1, 0);
		gc_write(3, 0);
	}
}

u8 vga_get_pixel(u16 x, u16 y)
{
	const struct vga_mode *m = vga_cur_mode();
	if (!m || x >= rom16(&m->width) || y >= rom16(&m->height))
		return 0;
	if (rom8(&m->kind) == VK_LINEAR8)
		return far8(0xA000, (u16)(y * 320 + x));
	if (rom8(&m->kind) != VK_PLANAR)
		return 0;
	u8 v = 0;
	for (u8 plane = 0; plane < 4; plane++) {
		gc_write(4, plane);
		if (far8(0xA000, (u16)(y * planar_stride(m) + x / 8)) &
		    (0x80 >> (x & 7)))
			v |= 1 << plane;
	}
	gc_write(4, 0);
	return v;
}
