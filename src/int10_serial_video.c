// INT 10h when no VGA BIOS is present: a text console on the serial port,
// enough for boot loaders and Linux's setup code. With a VGA device the
// VGA option ROM owns INT 10h and this handler is never installed.
#include "bregs.h"
#include "console.h"
#include "output.h"
#include "lib/bda.h"

void handle_10(struct bregs *r);

#define TEXT_COLS 80
#define TEXT_ROWS 25

static void advance_cursor(char c)
{
	u16 pos = bda_u16(BDA_CURSOR_POS);
	u8 row = pos >> 8, col = (u8)pos;
	if (c == '\r')
		col = 0;
	else if (c == '\n')
		row++;
	else if (c == '\b')
		col = col ? col - 1 : 0;
	else if (++col >= TEXT_COLS) {
		col = 0;
		row++;
	}
	if (row >= TEXT_ROWS)
		row = TEXT_ROWS - 1;
	bda_u16(BDA_CURSOR_POS) = row << 8 | col;
}

static void teletype(char c)
{
	console_write(&c, 1);
	advance_cursor(c);
}

void handle_10(struct bregs *r)
{
	switch (r->ah) {
	case 0x00: // set mode: text 80x25 is all we have
		bda_u8(BDA_VIDEO_MODE) = 3;
		bda_u16(BDA_CURSOR_POS) = 0;
		r->al = 0x30;
		break;
	case 0x01: // cursor shape
	case 0x05: // active page
	case 0x06: // scroll up
	case 0x07: // scroll down
	case 0x0B: // palette
	case 0x10: // palette registers
		break;
	case 0x02:
		bda_u16(BDA_CURSOR_POS) = r->dx;
		break;
	case 0x03:
		r->dx = bda_u16(BDA_CURSOR_POS);
		r->cx = 0x0607;
		break;
	case 0x08: // character at cursor: a blank, white on black
		r->ax = 0x0720;
		break;
	case 0x09:
	case 0x0A:
		for (u16 i = 0; i < r->cx && i < TEXT_COLS * TEXT_ROWS; i++)
			console_write((const char *)&r->al, 1);
		break;
	case 0x0E:
		teletype((char)r->al);
		break;
	case 0x0F:
		r->al = bda_u8(BDA_VIDEO_MODE);
		r->ah = TEXT_COLS;
		r->bh = 0;
		break;
	case 0x12: // EGA info (BL=10h): leave BL unchanged = "no EGA"
		break;
	case 0x13: { // write string at ES:BP, CX characters
		const char *s = far_ptr(r->es, r->bp);
		bool attrs = r->al & 2;
		for (u16 i = 0; i < r->cx; i++)
			teletype(s[attrs ? i * 2 : i]);
		break;
	}
	case 0x1A: // display combination: not supported (AL != 1Ah)
		r->al = 0;
		break;
	case 0x4F: // VBE: AL=4Fh supported, AH=01h failed
		r->ax = 0x014F;
		break;
	default:
		dprint(DL_DETAIL, "int10: unsupported AH=%02x\n", r->ah);
	}
}
