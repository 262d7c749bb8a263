// 16550 UART on COM1: the console for -nographic and serial users.
#ifndef MBIOS_HW_SERIAL_H
#define MBIOS_HW_SERIAL_H

#include "std/types.h"

#define COM1_BASE 0x3F8

bool serial_init(void);
bool serial_present(void);
void serial_putc(char c);
int serial_getc(void); // -1 when no byte is waiting

#endif
