// COM1 at 115200 8N1. Bounded waits: a missing or stuck UART drops output
// rather than stalling the boot.
#include "hw/serial.h"
#include "hw/io.h"

#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_SCR 7
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static bool com1_present;

bool serial_init(void)
{
	// The scratch register reads back only when a UART is there.
	outb(0x5A, COM1_BASE + REG_SCR);
	if (inb(COM1_BASE + REG_SCR) != 0x5A)
		return com1_present = false;
	outb(0x00, COM1_BASE + REG_IER);
	outb(0x80, COM1_BASE + REG_LCR);  // divisor latch
	outb(0x01, COM1_BASE + REG_DATA); // 115200 baud
	outb(0x00, COM1_BASE + REG_IER);
	outb(0x03, COM1_BASE + REG_LCR); // 8N1
	outb(0x07, COM1_BASE + REG_FCR);
	outb(0x03, COM1_BASE + REG_MCR);
	return com1_present = true;
}

bool serial_present(void)
{
	return com1_present;
}

void serial_putc(char c)
{
	if (!com1_present)
		return;
	for (int i = 0; i < 100000; i++)
		if (inb(COM1_BASE + REG_LSR) & LSR_THR_EMPTY)
			break;
	outb((u8)c, COM1_BASE + REG_DATA);
}

int serial_getc(void)
{
	if (!com1_present || !(inb(COM1_BASE + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1_BASE + REG_DATA);
}
