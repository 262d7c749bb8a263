// PS/2 keyboard behind the i8042 controller, polled (IRQ1 stays masked).
#ifndef MBIOS_HW_PS2KBD_H
#define MBIOS_HW_PS2KBD_H

#include "std/types.h"

void ps2kbd_init(void);
// Next key press as INT 16h reports it (scan << 8 | ascii), -1 if none.
int ps2kbd_poll(void);
u8 ps2kbd_shift_flags(void);

#endif
