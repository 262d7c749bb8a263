// Scan code set 1 (the controller translates) to BIOS key codes.
#include "hw/ps2kbd.h"
#include "hw/io.h"

#define KBC_DATA 0x60
#define KBC_STATUS 0x64
#define KBC_CMD 0x64
#define STATUS_OUT_FULL 0x01
#define STATUS_IN_FULL 0x02
#define STATUS_AUX 0x20

#define SHIFT_RIGHT 0x01
#define SHIFT_LEFT 0x02
#define SHIFT_CTRL 0x04
#define SHIFT_ALT 0x08

static u8 shift_flags;
static bool extended;

// Unshifted and shifted ASCII for set-1 make codes 0x00-0x39.
static const char plain[] = "\0\x1b"
			    "1234567890-=\b\tqwertyuiop[]\r\0"
			    "asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
static const char shifted[] = "\0\x1b"
			      "!@#$%^&*()_+\b\tQWERTYUIOP{}\r\0"
			      "ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";

static bool kbc_wait_write(void)
{
	for (int i = 0; i < 100000; i++)
		if (!(inb(KBC_STATUS) & STATUS_IN_FULL))
			return true;
	return false;
}

void ps2kbd_init(void)
{
	// Drain stale bytes; enable the keyboard port with translation on,
	// interrupts off (we poll).
	for (int i = 0; i < 16 && (inb(KBC_STATUS) & STATUS_OUT_FULL); i++)
		inb(KBC_DATA);
	if (kbc_wait_write())
		outb(0x60, KBC_CMD); // write command byte
	if (kbc_wait_write())
		outb(0x44, KBC_DATA); // translate, system flag, no IRQs
	if (kbc_wait_write())
		outb(0xAE, KBC_CMD); // enable keyboard port
	if (kbc_wait_write())
		outb(0xF4, KBC_DATA); // keyboard: enable scanning
	for (int i = 0; i < 1000 && !(inb(KBC_STATUS) & STATUS_OUT_FULL); i++)
		io_delay();
	if (inb(KBC_STATUS) & STATUS_OUT_FULL)
		inb(KBC_DATA); // ACK
}

u8 ps2kbd_shift_flags(void)
{
	return shift_flags;
}

static int decode(u8 code)
{
	bool release = code & 0x80;
	u8 make = code & 0x7F;
	bool ext = extended;
	extended = false;
	u8 bit = make == 0x2A	? SHIFT_LEFT
		 : make == 0x36 ? SHIFT_RIGHT
		 : make == 0x1D ? SHIFT_CTRL
		 : make == 0x38 ? SHIFT_ALT
				: 0;
	if (bit) {
		if (release)
			shift_flags &= ~bit;
		else
			shift_flags |= bit;
		return -1;
	}
	if (release)
		return -1;
	if (ext || make >= sizeof(plain) - 1) {
		// Arrows, Home/End, PgUp/PgDn, Insert/Delete, F1-F10: no ASCII.
		if ((make >= 0x3B && make <= 0x53) || make == 0x57 ||
		    make == 0x58)
			return make << 8;
		return -1;
	}
	char c = (shift_flags & (SHIFT_LEFT | SHIFT_RIGHT)) ? shifted[make]
							    : plain[make];
	if ((shift_flags & SHIFT_CTRL) && c >= 'a' && c <= 'z')
		c = c - 'a' + 1;
	return make << 8 | (u8)c;
}

int ps2kbd_poll(void)
{
	for (;;) {
		u8 st = inb(KBC_STATUS);
		if (!(st & STATUS_OUT_FULL))
			return -1;
		u8 code = inb(KBC_DATA);
		if (st & STATUS_AUX)
			continue;
		if (code == 0xE0) {
			extended = true;
			continue;
		}
		int key = decode(code);
		if (key >= 0)
			return key;
	}
}
