/* good: a boot program that only says it ran (for boot-order tests). */
#include "bs.h"

void bs_main(u32 drive) __attribute__((noreturn));
void bs_main(u32 drive)
{
	puts_("BS START good\n");
	info_begin("boot_drive");
	puthex(drive, 2);
	line_end();
	check("good_disk_booted", 1, "MBTEST-GOOD-DISK");
	done();
}
