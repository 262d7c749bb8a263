// Monotonic time for timeouts and delays (ACPI PM timer in the firmware, a
// virtual clock in host tests). No wait in mbios may be unbounded: every loop
// that polls a device compares clock_us() against a deadline.
#ifndef MBIOS_HW_CLOCK_H
#define MBIOS_HW_CLOCK_H

#include "std/types.h"

u64 clock_us(void);
void udelay(u32 us);
void mdelay(u32 ms);
// Firmware only: start counting from the PM timer at pm_base + 8.
void clock_init(u16 pm_base);

// A deadline `us` microseconds from now; clock_expired() tells when it passed.
static inline u64 clock_deadline(u32 us)
{
	return clock_us() + us;
}
static inline bool clock_expired(u64 deadline)
{
	return clock_us() >= deadline;
}

#endif
