/* vga: checks a VGA BIOS's INT 10h and VBE services (for vgasrc/, our
 * own ROM): mode set and the BDA video fields, cursor, characters,
 * teletype, write string, scrolling, palette and DAC, fonts, 1Ah, 1Bh,
 * pixels in modes 12h and 13h, and VBE 4F00h-4F0Ah on QEMU's standard VGA
 * (Bochs dispi registers at 0x1CE/0x1CF).
 */
#include "bs.h"

static u8 buf[512];
static u8 state[2048];

static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline u16 inw(u16 port) { u16 v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static u8 far8(u16 seg, u16 off)
{
	u8 v;
	__asm__ volatile("movw %1, %%fs\n\tmovb %%fs:(%2), %0" : "=q"(v) : "r"(seg), "r"((u32)off));
	return v;
}
static u16 far16(u16 seg, u16 off) { return far8(seg, off) | far8(seg, off + 1) << 8; }
static u8 bda8(u16 off) { return *(volatile u8 *)(0x400 + off); }
static u16 bda16(u16 off) { return *(volatile u16 *)(0x400 + off); }
static u16 rd16(const u8 *p) { return p[0] | p[1] << 8; }
static u32 rd32(const u8 *p) { return rd16(p) | (u32)rd16(p + 2) << 16; }

static u8 crtc(u8 idx)
{
	outb(0x3d4, idx);
	return inb(0x3d5);
}
static u16 dispi(u8 idx)
{
	outw(0x1ce, idx);
	return inw(0x1cf);
}

static struct bregs r;
static void int10(u32 ax, u32 bx, u32 cx, u32 dx)
{
	bs_clear(&r);
	r.eax = ax;
	r.ebx = bx;
	r.ecx = cx;
	r.edx = dx;
	bs_intcall(0x10, &r);
}
/* A call with a buffer: ES = 0, DI (or BX for 4F04h and 1Ch) = its address. */
static void int10_buf(u32 ax, u32 bx, u32 cx, u32 dx, void *p)
{
	bs_clear(&r);
	r.eax = ax;
	r.ebx = (ax == 0x4f04 || (ax >> 8) == 0x1c) ? (u32)p : bx;
	r.ecx = cx;
	r.edx = dx;
	r.edi = (u32)p;
	bs_intcall(0x10, &r);
}
static u16 ax(void) { return (u16)r.eax; }
static u16 bx(void) { return (u16)r.ebx; }
static u16 cx(void) { return (u16)r.ecx; }
static u16 dx(void) { return (u16)r.edx; }

static void check_hex(const char *name, u32 got, u32 want)
{
	check_begin(name, got == want);
	puts_("got=");
	puthex(got, 4);
	puts_(" want=");
	puthex(want, 4);
	line_end();
}

static u16 cell(u8 row, u8 col) { return far16(0xb800, (row * 80 + col) * 2); }

static void text_mode(void)
{
	int10(0x0003, 0, 0, 0);
	int10(0x0f00, 0, 0, 0);
	check_hex("int10_0f_mode3", ax(), 0x5003);
	check("bda_mode_fields", bda8(0x49) == 3 && bda16(0x4a) == 80 && bda8(0x84) == 24 &&
	      bda16(0x85) == 16 && bda16(0x63) == 0x3d4 && bda16(0x4c) == 0x1000 &&
	      bda8(0x62) == 0, "BDA 449h/44Ah/44Ch/462h/463h/484h/485h");
	check("mode3_cleared", cell(0, 0) == 0x0720 && cell(24, 79) == 0x0720, "blank 07h cells");

	int10(0x0200, 0, 0, 0x050a);
	int10(0x0300, 0, 0, 0);
	check_hex("int10_03_cursor", dx(), 0x050a);
	check_hex("crtc_cursor_addr", crtc(0x0e) << 8 | crtc(0x0f), 5 * 80 + 10);
	check_hex("bda_cursor", bda16(0x50), 0x050a);

	int10(0x0100, 0, 0x0607, 0);
	int10(0x0300, 0, 0, 0);
	check_hex("int10_01_shape", cx(), 0x0607);

	int10(0x0941, 0x001e, 3, 0);
	check("int10_09_write", cell(5, 10) == 0x1e41 && cell(5, 12) == 0x1e41 &&
	      cell(5, 13) == 0x0720, "3 x 'A' attr 1Eh");
	int10(0x0300, 0, 0, 0);
	check_hex("int10_09_cursor_stays", dx(), 0x050a);
	int10(0x0800, 0, 0, 0);
	check_hex("int10_08_read", ax(), 0x1e41);
	int10(0x0a42, 0x0000, 1, 0);
	check_hex("int10_0a_keeps_attr", cell(5, 10), 0x1e42);

	int10(0x0e48, 0, 0, 0);
	int10(0x0e69, 0, 0, 0);
	int10(0x0300, 0, 0, 0);
	check("int10_0e_teletype", cell(5, 10) == 0x1e48 && cell(5, 11) == 0x1e69 &&
	      dx() == 0x050c, "'Hi' at 5,10, cursor at 5,12");
	int10(0x0e0d, 0, 0, 0);
	int10(0x0e0a, 0, 0, 0);
	int10(0x0300, 0, 0, 0);
	check_hex("int10_0e_crlf", dx(), 0x0600);
	int10(0x0218, 0, 0, 0x1800);
	int10(0x0e0a, 0, 0, 0);
	check("int10_0e_scrolls", cell(4, 10) == 0x1e48 && cell(24, 0) == 0x0720,
	      "LF on the last row scrolled the page up");

	static const char s[] = {'O', 0x2f, 'K', 0x4e};
	bs_clear(&r);
	r.eax = 0x1303;
	r.ebx = 0;
	r.ecx = 2;
	r.edx = 0x0a00;
	r.ebp = (u32)s;
	r.es = 0;
	bs_intcall(0x10, &r);
	int10(0x0300, 0, 0, 0);
	check("int10_13_string", cell(10, 0) == 0x2f4f && cell(10, 1) == 0x4e4b && dx() == 0x0a02,
	      "char/attr pairs, cursor moved");

	/* Scroll lines 10-11 up by one, then down by one. */
	int10(0x0601, 0x7000, 0x0a00, 0x0b4f);
	check("int10_06_scroll_up", cell(10, 0) == 0x0720 && cell(11, 0) == 0x7020,
	      "line 11 moved to 10, new line attr 70h");
	int10(0x0e58, 0, 0, 0); /* dummy output; cursor somewhere */
	int10(0x0200, 0, 0, 0x0900);
	int10(0x0921, 0x0007, 1, 0);
	int10(0x0701, 0x1f00, 0x0900, 0x0b4f);
	check("int10_07_scroll_down", cell(10, 0) == 0x0721 && cell(9, 0) == 0x1f20,
	      "line 9 moved to 10, new line attr 1Fh");

	int10(0x1a00, 0, 0, 0);
	check("int10_1a_dcc", (ax() & 0xff) == 0x1a && (bx() & 0xff) == 0x08,
	      "AL=1Ah, BL=08h (VGA colour)");
	int10(0x1200, 0x0010, 0, 0);
	check("int10_12_ega_info", bx() == 0x0003, "BH=0 colour, BL=3 256 KiB");

	int10_buf(0x1b00, 0, 0, 0, buf);
	check("int10_1b_state", (ax() & 0xff) == 0x1b && buf[4] == 3 && rd16(buf + 5) == 80 &&
	      buf[0x22] == 25 && far8(rd16(buf + 2), rd16(buf)) & 0x08, "mode 3, 80x25, table");

	int10(0x1130, 0x0600, 0, 0);
	u16 fseg = (u16)r.es, foff = (u16)r.ebp;
	int n = 0;
	for (int i = 0; i < 16; i++)
		n += far8(fseg, foff + 'A' * 16 + i) != 0;
	check("int10_1130_font16", cx() == 16 && (dx() & 0xff) == 24 && fseg >= 0xc000 && n >= 6,
	      "8x16 font in the ROM, 'A' drawn");
	/* The loaded glyph in plane 2 is the ROM's. */
	outw(0x3c4, 0x0402);
	outw(0x3c4, 0x0704);
	outw(0x3ce, 0x0204);
	outw(0x3ce, 0x0005);
	outw(0x3ce, 0x0406);
	int same = 1;
	for (int i = 0; i < 16; i++)
		same &= far8(0xa000, 'A' * 32 + i) == far8(fseg, foff + 'A' * 16 + i);
	outw(0x3c4, 0x0302);
	outw(0x3c4, 0x0204);
	outw(0x3ce, 0x0004);
	outw(0x3ce, 0x1005);
	outw(0x3ce, 0x0e06);
	check("font_in_plane2", same, "'A' in character map 0");

	int10(0x1130, 0x0300, 0, 0);
	check("int10_1130_font8", cx() == 16 && r.es == fseg && (u16)r.ebp != foff,
	      "8x8 font pointer, same segment");
	/* 8x8 glyphs with the 1xh variant: 50 rows; 8x16 again: 25. */
	int10(0x1112, 0x0000, 0, 0);
	u8 rows50 = bda8(0x84), ch8 = bda8(0x85), crtc9 = crtc(0x09) & 0x1f;
	int10(0x1114, 0x0000, 0, 0);
	check("int10_11_fonts", rows50 == 49 && ch8 == 8 && crtc9 == 7 && bda8(0x84) == 24 &&
	      bda8(0x85) == 16 && (crtc(0x09) & 0x1f) == 15, "1112h 80x50, 1114h 80x25");

	int10(0x1010, 0x0005, 0x0203, 0x0100);
	int10(0x1015, 0x0005, 0, 0);
	check("int10_10_dac", (dx() >> 8) == 1 && cx() == 0x0203, "DAC 5 = 1,2,3");
	int10(0x1000, 0x2103, 0, 0);
	int10(0x1007, 0x0003, 0, 0);
	check_hex("int10_10_palette_reg", bx() >> 8, 0x21);
}

/* Screendumps: when the harness answers "BS INFO shots?" with a key press
 * (QMP sendkey; the firmware polls the keyboard, so the make code waits
 * in the controller), each "BS INFO shot <mode>" waits for the next one,
 * sent once the harness has the screendump; without it nothing waits
 * (after 1 s). The serial port stays output only. */
static int shots;
static int wait_byte(u32 ticks)
{
	volatile u32 *tick = (volatile u32 *)0x46c;
	u32 start = *tick;
	for (u32 n = 0; n < 200000000u && *tick - start < ticks; n++)
		if ((inb(0x64) & 0x21) == 0x01 && inb(0x60) < 0x80)
			return 1; /* a make code; break codes are skipped */
	return 0;
}
static void shot(u8 mode)
{
	if (!shots)
		return;
	info_begin("shot");
	puthex(mode, 2);
	line_end();
	wait_byte(18 * 30);
}

/* 1Ch: save in mode 3, switch to 13h, restore: registers, BDA, DAC back. */
static void video_state(void)
{
	int10(0x0003, 0, 0, 0);
	int10(0x0200, 0, 0, 0x0c22);
	int10(0x1010, 0x0009, 0x1122, 0x3300);
	int10(0x1c00, 0, 0x0007, 0);
	u16 blocks = bx();
	int ok_size = (ax() & 0xff) == 0x1c && blocks && blocks * 64 <= sizeof(state);
	int10_buf(0x1c01, 0, 7, 0, state);
	int saved = (ax() & 0xff) == 0x1c;
	int10(0x0013, 0, 0, 0);
	int10_buf(0x1c02, 0, 7, 0, state);
	int restored = (ax() & 0xff) == 0x1c;
	int10(0x1015, 0x0009, 0, 0);
	check("int10_1c_state", ok_size && saved && restored && bda8(0x49) == 3 &&
	      bda16(0x50) == 0x0c22 && crtc(0x09) == 0x4f && (crtc(0x0e) << 8 | crtc(0x0f)) == 12 * 80 + 0x22 &&
	      (dx() >> 8) == 0x33 && cx() == 0x1122, "mode 3 registers, BDA and DAC back after 13h");
	int10(0x0003, 0, 0, 0);
}

static void other_modes(void)
{
	int10(0x0013, 0, 0, 0);
	int10(0x0f00, 0, 0, 0);
	check("mode13_set", ax() == 0x2813 && bda16(0x4a) == 40, "mode 13h, 40 columns");
	int10(0x0c2a, 0, 100, 50);
	int10(0x0d00, 0, 100, 50);
	check("mode13_pixel", (ax() & 0xff) == 0x2a && far8(0xa000, 50 * 320 + 100) == 0x2a,
	      "INT 10h 0Ch/0Dh and A000h agree");
	int10(0x0e41, 0x000f, 0, 0);
	int lit = 0;
	for (int y = 0; y < 8; y++)
		for (int x = 0; x < 8; x++)
			lit += far8(0xa000, y * 320 + x) == 0x0f;
	check("mode13_teletype", lit >= 10, "'A' drawn in colour 0Fh");

	int10(0x0012, 0, 0, 0);
	int10(0x0f00, 0, 0, 0);
	check("mode12_set", (ax() & 0xff) == 0x12 && bda8(0x84) == 29, "mode 12h, 30 rows");
	int10(0x0c05, 0, 300, 200);
	int10(0x0d00, 0, 300, 200);
	check_hex("mode12_pixel", ax() & 0xff, 5);
	int10(0x0d00, 0, 301, 200);
	check_hex("mode12_pixel_neighbour", ax() & 0xff, 0);

	shot(0x12);
	/* EGA modes: geometry in the BDA, a pixel, a glyph drawn. */
	static const u8 ega[4][4] = {{0x0d, 40, 25, 8}, {0x0e, 80, 25, 8},
				     {0x10, 80, 25, 14}, {0x11, 80, 30, 16}};
	for (int i = 0; i < 4; i++) {
		const u8 *e = ega[i];
		int10(e[0], 0, 0, 0);
		int10(0x0f00, 0, 0, 0);
		int set = (ax() & 0xff) == e[0] && (ax() >> 8) == e[1] && bda8(0x84) == e[2] - 1 &&
			  bda8(0x85) == e[3];
		int10(0x0c01, 0, 17, 9);
		int10(0x0d00, 0, 17, 9);
		int pix = (ax() & 0xff) == 1;
		int10(0x0e41, 0x000f, 0, 0);
		int lit = 0;
		for (u16 y = 0; y < e[3]; y++)
			for (u16 x = 0; x < 8; x++) {
				int10(0x0d00, 0, x, y);
				lit += (ax() & 0xff) != 0;
			}
		static char name[] = "mode_xx";
		name[5] = "0123456789abcdef"[e[0] >> 4];
		name[6] = "0123456789abcdef"[e[0] & 15];
		check(name, set && pix && lit >= 10, "BDA geometry, pixel, glyph");
		shot(e[0]);
	}
	int10(0x0013, 0, 0, 0);
	shot(0x13);

	int10(0x0001, 0, 0, 0);
	int10(0x0f00, 0, 0, 0);
	check("mode01_set", ax() == 0x2801 && bda16(0x4c) == 0x800, "40x25 text");
	shot(0x01);
	int10(0x0007, 0, 0, 0);
	int10(0x0f00, 0, 0, 0);
	check("mode07_set", (ax() & 0xff) == 7 && bda16(0x63) == 0x3b4 &&
	      far16(0xb000, 0) == 0x0720 && (bda16(0x10) & 0x30) == 0x30, "mono, CRTC 3B4h");
	shot(0x07);
}

static void vbe(void)
{
	memset_(buf, 0, sizeof(buf));
	buf[0] = 'V', buf[1] = 'B', buf[2] = 'E', buf[3] = '2';
	int10_buf(0x4f00, 0, 0, 0, buf);
	u16 vram = rd16(buf + 0x12);
	check("vbe_4f00", ax() == 0x004f && memeq(buf, "VESA", 4) && rd16(buf + 4) == 0x0300 &&
	      vram == dispi(10), "VESA 3.0, memory = dispi VRAM");
	u16 lseg = rd16(buf + 0x10), loff = rd16(buf + 0x0e);
	int has117 = 0, has141 = 0, count = 0, fit = 1;
	info_begin("vbe_modes");
	for (int i = 0; i < 64; i++) {
		u16 m = far16(lseg, loff + 2 * i);
		if (m == 0xffff)
			break;
		count++;
		puthex(m, 4);
		putc_(' ');
		has117 |= m == 0x117;
		has141 |= m == 0x141;
		u8 mi[256];
		int10_buf(0x4f01, 0, m, 0, mi);
		fit &= ax() == 0x004f &&
		       (u32)rd16(mi + 0x10) * rd16(mi + 0x14) <= (u32)vram << 16;
	}
	line_end();
	check("vbe_mode_list", count >= 10 && has117 && has141 && fit,
	      "0x117 and 0x141 listed, every mode fits the VRAM");
	info_begin("vbe_vram_64k");
	puthex(vram, 4);
	line_end();

	u8 *mi = buf;
	int10_buf(0x4f01, 0, 0x117, 0, mi);
	u32 lfb = rd32(mi + 0x28);
	check("vbe_4f01_117", ax() == 0x004f && rd16(mi + 0x12) == 1024 && rd16(mi + 0x14) == 768 &&
	      mi[0x19] == 16 && (rd16(mi) & 0x81) == 0x81 && rd16(mi + 0x10) == 2048 &&
	      mi[0x1f] == 5 && mi[0x20] == 11 && mi[0x21] == 6 && lfb >= 0x80000000u,
	      "1024x768x16 5:6:5, LFB");
	info_begin("vbe_lfb");
	puthex(lfb, 8);
	line_end();
	int10(0x4f01, 0, 0x1ff, 0);
	check_hex("vbe_4f01_bad_mode", ax(), 0x014f);

	int10(0x4f02, 0x4117, 0, 0);
	check("vbe_4f02_117", ax() == 0x004f && dispi(1) == 1024 && dispi(2) == 768 &&
	      dispi(3) == 16 && (dispi(4) & 0x41) == 0x41, "dispi 1024x768x16, LFB on");
	int10(0x4f03, 0, 0, 0);
	check_hex("vbe_4f03", bx(), 0x4117);
	/* The window function by far call (WinFuncPtr), then 4F05h itself. */
	u32 winfunc = rd32(mi + 0x0c);
	u16 wax = 0;
	if (winfunc)
		__asm__ volatile("lcallw *%1" : "=a"(wax) : "m"(winfunc), "b"(0), "d"(3) : "memory", "cc");
	u16 bank = dispi(5);
	int10(0x4f05, 0x0100, 0, 0);
	check("vbe_winfunc", winfunc && wax == 0x004f && bank == 3 && ax() == 0x004f && dx() == 3,
	      "far call sets bank 3, 4F05h BH=1 reads it");
	int10(0x4f05, 0x0000, 0, 0);
	int10(0x4f06, 0x0001, 0, 0);
	check("vbe_4f06", ax() == 0x004f && bx() == 2048 && cx() == 1024, "scan line 2048 bytes");

	int10(0x4f08, 0x0800, 0, 0);
	check("vbe_4f08_8bit", ax() == 0x004f && (bx() >> 8) == 8 && (dispi(4) & 0x20),
	      "DAC 8 bits wide");
	int10(0x4f08, 0x0001, 0, 0);
	check_hex("vbe_4f08_get", bx() >> 8, 8);
	static u8 pal[8] = {0x10, 0x20, 0x30, 0, 0x40, 0x50, 0x60, 0};
	static u8 back[8];
	int10_buf(0x4f09, 0, 2, 7, pal);
	u16 set = ax();
	int10_buf(0x4f09, 1, 2, 7, back);
	check("vbe_4f09_palette", set == 0x004f && ax() == 0x004f && memeq(pal, back, 8),
	      "two entries written and read back");

	int10(0x4f04, 0, 0x000f, 0x0000);
	u16 blocks = bx();
	int10_buf(0x4f04, 0, 0x000f, 0x0001, state);
	u16 saved = ax();
	int10(0x4f02, 0x4112, 0, 0); /* 640x480x24 */
	u16 other = dispi(1);
	int10_buf(0x4f04, 0, 0x000f, 0x0002, state);
	u16 restored = ax();
	int10(0x4f03, 0, 0, 0);
	check("vbe_4f04_state", blocks && blocks * 64 <= sizeof(state) && saved == 0x004f &&
	      restored == 0x004f && other == 640 && dispi(1) == 1024 && bx() == 0x4117,
	      "save in 1024x768, restore after 640x480");

	int10(0x4f0a, 0, 0, 0);
	check("vbe_4f0a_clean", ax() != 0x004f && (ax() & 0xff) == 0x4f, "not supported, AL=4Fh");
	int10(0x4f02, 0x01ff, 0, 0);
	check_hex("vbe_4f02_bad_mode", ax(), 0x014f);

	/* DDC: QEMU's EDID (base block: header, checksum, manufacturer). */
	int10(0x4f15, 0x0000, 0, 0);
	if (ax() != 0x004f) { /* the harness knows whether the device has one */
		info_begin("edid");
		puts_("none");
		line_end();
		goto no_edid;
	}
	check("vbe_4f15_caps", (bx() & 0x02), "DDC2 supported");
	memset_(buf, 0, 128);
	int10_buf(0x4f15, 1, 0, 0, buf);
	static const u8 hdr[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
	u8 sum = 0;
	for (int i = 0; i < 128; i++)
		sum += buf[i];
	check("vbe_4f15_edid", ax() == 0x004f && memeq(buf, hdr, 8) && sum == 0,
	      "EDID block 0: header and checksum");
	info_begin("edid_mfg");
	puthex(buf[8] << 8 | buf[9], 4);
	line_end();
	int10(0x4f15, 0x0001, 0, 5);
	check_hex("vbe_4f15_bad_block", ax(), 0x014f);
no_edid:

	int10(0x4f02, 0x0003, 0, 0);
	int10(0x0f00, 0, 0, 0);
	check("vbe_back_to_text", (ax() & 0xff) == 3 && !(dispi(4) & 1), "mode 3, dispi off");
	int10(0x4f03, 0, 0, 0);
	check_hex("vbe_4f03_vga_mode", bx(), 0x0003);
}

void bs_main(u32 drive)
{
	(void)drive;
	puts_("BS START vga\n");
	info_begin("shots?");
	line_end();
	shots = wait_byte(18);
	text_mode();
	video_state();
	other_modes();
	vbe();
	/* Leave a screen the harness reads back through the framebuffer. */
	int10(0x0003, 0, 0, 0);
	static const char msg[] = "mbios VGA test: INT 10h OK";
	for (const char *p = msg; *p; p++)
		int10(0x0e00 | (u8)*p, 0, 0, 0);
	shot(0x03);
	done();
}
