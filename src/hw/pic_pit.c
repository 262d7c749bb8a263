#include "hw/pic_pit.h"
#include "hw/io.h"
#include "hw/lapic.h"

// Intel MP spec 1.4, 3.6.2.2 "Virtual Wire Mode": the local APIC passes
// 8259 interrupts through (LINT0 = ExtINT) and NMIs (LINT1). After reset
// its LVT entries are masked, so without this no PIC IRQ reaches the CPU.
static void lapic_virtual_wire(void)
{
	mmio_write32(LAPIC_BASE + LAPIC_SVR,
		     mmio_read32(LAPIC_BASE + LAPIC_SVR) | 0x1FF);
	mmio_write32(LAPIC_BASE + LAPIC_LVT_LINT0, 0x700);
	mmio_write32(LAPIC_BASE + LAPIC_LVT_LINT1, 0x400);
}

void pic_init(u16 unmasked)
{
	lapic_virtual_wire();
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
	outb((u8) ~(unmasked >> 8), 0xA1);
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
