// CMOS/RTC (ports 0x70/0x71).
#ifndef MBIOS_HW_RTC_H
#define MBIOS_HW_RTC_H

#include "std/types.h"

#define CMOS_SECONDS 0x00
#define CMOS_MINUTES 0x02
#define CMOS_HOURS 0x04
#define CMOS_DAY 0x07
#define CMOS_MONTH 0x08
#define CMOS_YEAR 0x09
#define CMOS_STATUS_A 0x0A
#define CMOS_STATUS_B 0x0B
#define CMOS_SHUTDOWN 0x0F
#define CMOS_CENTURY 0x32

u8 cmos_read(u8 reg);
void cmos_write(u8 reg, u8 v);
// Wait (bounded) until the RTC is not updating; false if it never settles.
bool rtc_wait_stable(void);
void rtc_init(void);

#endif
