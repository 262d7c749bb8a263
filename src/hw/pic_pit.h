// 8259 interrupt controllers and the 8254 timer.
#ifndef MBIOS_HW_PIC_PIT_H
#define MBIOS_HW_PIC_PIT_H

#include "std/types.h"

// Remap to the BIOS vectors (IRQ0-7 -> 08h, IRQ8-15 -> 70h); everything
// masked except `mask` cleared bits.
void pic_init(u16 unmasked_irqs);
void pic_unmask(int irq);
// Channel 0 at 18.2 Hz (the BDA tick).
void pit_init(void);

#endif
