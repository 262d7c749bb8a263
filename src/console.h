// The user-visible console: the serial port, and the VGA BIOS (INT 10h)
// once a VGA option ROM has installed itself.
#ifndef MBIOS_CONSOLE_H
#define MBIOS_CONSOLE_H

#include "std/types.h"

void console_write(const char *s, size_t len);
void console_set_vga(bool present);
bool console_has_vga(void);
// Returns a key as INT 16h would (scan << 8 | ascii), or -1 if none waits.
int console_getkey(void);

#endif
