// INT 10h 1Ch: save and restore the video state (IBM VGA technical
// reference, "Save/Restore Video State"). CX selects the parts: bit 0 the
// controller registers, bit 1 the BDA video fields, bit 2 the DAC. The
// buffer starts with the offsets of the parts saved, as in IBM's layout.
#include "std/bda.h"
#include "vga.h"
#include "vgaio.h"

#define HDR 0x20
#define HW_BYTES 64	    // misc, 5 sequencer, 25 CRTC, 9 GC, 21 AC, port
#define BDA_BYTES 48	    // 0x449-0x466, 0x484-0x48A, 0x4B9-0x4BB
#define DAC_BYTES (1 + 768) // PEL mask, 256 RGB triples

static u16 part_offset(u16 cx, u8 part)
{
	u16 off = HDR;
	if (part > 0 && (cx & 1))
		off += HW_BYTES;
	if (part > 1 && (cx & 2))
		off += BDA_BYTES;
	return off;
}

static void save_hw(u16 s, u16 d)
{
	u8 n = 0;
	far_set8(s, d + n++, inb(VGA_MISC_R));
	for (u8 i = 0; i < 5; i++) {
		outb(i, VGA_SEQ);
		far_set8(s, d + n++, inb(VGA_SEQ + 1));
	}
	for (u8 i = 0; i < 25; i++)
		far_set8(s, d + n++, crtc_read(i));
	for (u8 i = 0; i < 9; i++) {
		outb(i, VGA_GC);
		far_set8(s, d + n++, inb(VGA_GC + 1));
	}
	for (u8 i = 0; i < 21; i++)
		far_set8(s, d + n++, ac_read(i));
	far_set16(s, d + n, crtc_port());
}

static void restore_hw(u16 s, u16 d)
{
	u8 n = 0;
	bda_set16(BDA_CRTC_BASE, far16(s, d + 61));
	outb(0x01, VGA_SEQ); // synchronous reset
	outb(0x00, VGA_SEQ + 1);
	outb(far8(s, d + n++), VGA_MISC_W);
	for (u8 i = 0; i < 5; i++) {
		u8 v = far8(s, d + n++);
		if (i == 0)
			continue; // the reset register last
		outb(i, VGA_SEQ);
		outb(v, VGA_SEQ + 1);
	}
	outb(0x00, VGA_SEQ);
	outb(far8(s, d + 1), VGA_SEQ + 1);
	crtc_write(0x11, crtc_read(0x11) & 0x7F);
	for (u8 i = 0; i < 25; i++) {
		u8 v = far8(s, d + n++);
		crtc_write(i, i == 0x11 ? v & 0x7F : v);
	}
	crtc_write(0x11, far8(s, d + 6 + 0x11));
	for (u8 i = 0; i < 9; i++) {
		outb(i, VGA_GC);
		outb(far8(s, d + n++), VGA_GC + 1);
	}
	for (u8 i = 0; i < 21; i++)
		ac_write(i, far8(s, d + n++));
}

// The BDA's video fields as copied, in order.
static u16 bda_field(u8 i)
{
	return i < 30 ? 0x49 + i : i < 37 ? 0x84 + (i - 30) : 0xB9 + (i - 37);
}

// The 256 DAC entries (6-bit or 8-bit values as the DAC holds them).
void vga_dac_save(u16 s, u16 d)
{
	outb(0, VGA_DAC_RD);
	for (u16 i = 0; i < 768; i++)
		far_set8(s, d + i, inb(VGA_DAC_DATA));
}
void vga_dac_restore(u16 s, u16 d)
{
	outb(0, VGA_DAC_WR);
	for (u16 i = 0; i < 768; i++)
		outb(far8(s, d + i), VGA_DAC_DATA);
}

void vga_state(struct vregs *r)
{
	u16 cx = r->cx, s = r->es, d = r->bx;
	switch (r->al) {
	case 0x00:
		r->bx =
		    (u16)((part_offset(cx, 3) + (cx & 4 ? DAC_BYTES : 0) + 63) /
			  64);
		break;
	case 0x01:
		for (u8 i = 0; i < HDR; i++)
			far_set8(s, d + i, 0);
		if (cx & 1) {
			far_set16(s, d, part_offset(cx, 0));
			save_hw(s, d + part_offset(cx, 0));
		}
		if (cx & 2) {
			far_set16(s, d + 2, part_offset(cx, 1));
			for (u8 i = 0; i < 40; i++)
				far_set8(s, d + part_offset(cx, 1) + i,
					 bda8(bda_field(i)));
		}
		if (cx & 4) {
			u16 p = d + part_offset(cx, 2);
			far_set16(s, d + 4, part_offset(cx, 2));
			far_set8(s, p, inb(VGA_PEL_MASK));
			vga_dac_save(s, p + 1);
		}
		break;
	case 0x02:
		if (cx & 2)
			for (u8 i = 0; i < 40; i++)
				bda_set8(bda_field(i),
					 far8(s, d + far16(s, d + 2) + i));
		if (cx & 1)
			restore_hw(s, d + far16(s, d));
		if (cx & 4) {
			u16 p = d + far16(s, d + 4);
			outb(far8(s, p), VGA_PEL_MASK);
			vga_dac_restore(s, p + 1);
		}
		break;
	default:
		return;
	}
	r->al = 0x1C;
}
