// Local APIC registers (Intel SDM vol. 3A, 11.4.1 "The Local APIC Block
// Diagram", Table 11-1), at the default base. Plain #defines: entry.S
// includes this too.
#ifndef MBIOS_HW_LAPIC_H
#define MBIOS_HW_LAPIC_H

#define LAPIC_BASE 0xFEE00000
#define LAPIC_EOI 0xB0
#define LAPIC_SVR 0xF0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_DIVIDE 0x3E0
#define LAPIC_LVT_MASKED (1 << 16)

#endif
