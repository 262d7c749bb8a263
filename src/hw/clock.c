// Time from the ACPI PM timer (3.579545 MHz, 24 bits), which both QEMU
// chipsets provide once the PM I/O base is set (platform_init). It counts
// under TCG as in real time, unlike a busy loop.
#include "hw/clock.h"
#include "hw/cpu_idle.h"
#include "hw/io.h"

#define PMTIMER_HZ 3579545
#define PMTIMER_MASK 0xFFFFFF

// Microseconds per tick in 32.32 fixed point: a multiply instead of a
// 64-bit division per reading (libgcc's, which QEMU's TCG would otherwise
// translate in every boot for the timestamps alone).
#define US_PER_TICK_FIX 1199864032u // round(2^32 * 1e6 / PMTIMER_HZ)

static u16 pmtimer_port;
static u32 last_count;
static u64 total_us;
static u32 frac_us; // below the microsecond, 2^-32 us

static void advance(u32 ticks)
{
	u64 x = (u64)ticks * US_PER_TICK_FIX + frac_us;
	total_us += x >> 32;
	frac_us = (u32)x;
}

// The count starts at the timer's own value: QEMU's PM timer runs from the
// machine's start, so on a first boot the debug timestamps include the time
// before the firmware got here (what a boot-time benchmark wants to see).
void clock_init(u16 pm_base)
{
	pmtimer_port = pm_base + 0x08;
	last_count = inl(pmtimer_port) & PMTIMER_MASK;
	advance(last_count);
}

u64 clock_us(void)
{
	if (!pmtimer_port) {
		advance(36); // ~10 us per call before set-up
		return total_us;
	}
	u32 now = inl(pmtimer_port) & PMTIMER_MASK;
	advance((now - last_count) & PMTIMER_MASK);
	last_count = now;
	return total_us;
}

void udelay(u32 us)
{
	u64 end = clock_us() + us;
	for (u64 now = clock_us(); now < end; now = clock_us())
		if (!cpu_idle_us((u32)(end - now)))
			asm volatile("pause");
}

void mdelay(u32 ms)
{
	while (ms--)
		udelay(1000);
}
