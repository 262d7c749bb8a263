// Sleeping instead of spinning while POST waits for a device (see
// cpu_idle.c for why it matters under QEMU).
#ifndef MBIOS_HW_CPU_IDLE_H
#define MBIOS_HW_CPU_IDLE_H

#include "std/types.h"

// POST only, after pic_init(): from here until cpu_idle_stop(), udelay()
// halts the CPU on the local APIC timer instead of spinning.
void cpu_idle_start(void);
// Before the boot sector (and so before the OS owns the APIC).
void cpu_idle_stop(void);
// Halt for about `us` microseconds; false (at once) when not started.
bool cpu_idle_us(u32 us);

#endif
