#include "hw/pic_pit.h"
#include "hw/io.h"

void pic_init(u16 unmasked)
{
	outb(0x11, 0x20); // ICW1: edge, cascade, ICW4 follows
	outb(0x11, 0xA0);
	outb(0x08, 0x21); // ICW2: vector bases
	outb(0x70, 0xA1);
	outb(0x04, 0x21); // ICW3: slave on IRQ2
	outb(0x02, 0xA1);
	outb(0x01, 0x21); // ICW4: 8086 mode
	outb(0x01, 0xA1);
	unmasked |= 1 << 2; // cascade
	outb((u8)~unmasked, 0x21);
	outb((u8)~(unmasked >> 8), 0xA1);
}

void pic_unmask(int irq)
{
	u16 port = irq < 8 ? 0x21 : 0xA1;
	outb(inb(port) & ~(1 << (irq & 7)), port);
}

void pit_init(void)
{
	outb(0x34, 0x43); // channel 0, lo/hi, mode 2
	outb(0x00, 0x40); // divisor 65536: 18.2 Hz
	outb(0x00, 0x40);
}
