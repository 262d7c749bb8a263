#include "hw/rtc.h"
#include "hw/clock.h"
#include "hw/io.h"

// Bit 7 of the index port masks NMI; keep it masked while in firmware.
u8 cmos_read(u8 reg)
{
	outb(reg | 0x80, 0x70);
	return inb(0x71);
}

void cmos_write(u8 reg, u8 v)
{
	outb(reg | 0x80, 0x70);
	outb(v, 0x71);
}

bool rtc_wait_stable(void)
{
	u64 deadline = clock_deadline(5000);
	while (cmos_read(CMOS_STATUS_A) & 0x80)
		if (clock_expired(deadline))
			return false;
	return true;
}

void rtc_init(void)
{
	// 32.768 kHz base, 1024 Hz rate; 24-hour BCD, no RTC interrupts.
	cmos_write(CMOS_STATUS_A, 0x26);
	cmos_write(CMOS_STATUS_B, 0x02);
	cmos_read(0x0C);
	cmos_read(0x0D);
}
