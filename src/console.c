// Console output and input across the serial port, VGA and the keyboard.
#include "console.h"
#include "bregs.h"
#include "hw/ps2kbd.h"
#include "hw/serial.h"

static bool vga_active;

void console_set_vga(bool present)
{
	vga_active = present;
}
bool console_has_vga(void)
{
	return vga_active;
}

static void vga_putc(char c)
{
	struct bregs r = {0};
	r.ah = 0x0E;
	r.al = (u8)c;
	r.bx = 0x0007;
	call16_int(0x10, &r);
}

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			serial_putc('\r');
			if (vga_active)
				vga_putc('\r');
		}
		serial_putc(s[i]);
		if (vga_active)
			vga_putc(s[i]);
	}
}

// Serial bytes to key codes; ESC [ A..D become the arrow keys.
static int serial_key(void)
{
	int c = serial_getc();
	if (c < 0)
		return -1;
	if (c == 0x1B) {
		int c2 = -1;
		for (int i = 0; i < 2000 && c2 < 0; i++)
			c2 = serial_getc();
		if (c2 == '[') {
			int c3 = -1;
			for (int i = 0; i < 2000 && c3 < 0; i++)
				c3 = serial_getc();
			switch (c3) {
			case 'A':
				return 0x4800;
			case 'B':
				return 0x5000;
			case 'C':
				return 0x4D00;
			case 'D':
				return 0x4B00;
			}
		}
		return 0x011B;
	}
	if (c == '\r' || c == '\n')
		return 0x1C0D;
	if (c == 0x7F || c == 0x08)
		return 0x0E08;
	return c;
}

int console_getkey(void)
{
	int key = ps2kbd_poll();
	if (key < 0)
		key = serial_key();
	return key;
}
