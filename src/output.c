// dprint goes to QEMU's debug console (isa-debugcon, port 0x402);
// printf_console goes there and to the user's console.
#include "output.h"
#include "autoconf.h"
#include "console.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "lib/format.h"

#define DEBUG_PORT 0x402

static void debug_write(const char *s, size_t len)
{
	while (len--)
		outb((u8)*s++, DEBUG_PORT);
}

void dprint(int level, const char *fmt, ...)
{
	if (level > CONFIG_DEBUG_LEVEL)
		return;
	char buf[192];
	// Milliseconds since the PM timer started: where POST spends time.
	int n = snprintf(buf, sizeof(buf), "[%6u] ", (u32)(clock_us() / 1000));
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	debug_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void printf_console(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	size_t len = MIN((size_t)n, sizeof(buf) - 1);
	debug_write(buf, len);
	console_write(buf, len);
}

void panic(const char *fmt, ...)
{
	char buf[192];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	size_t len = MIN((size_t)n, sizeof(buf) - 1);
	debug_write("PANIC: ", 7);
	debug_write(buf, len);
	console_write("PANIC: ", 7);
	console_write(buf, len);
	for (;;)
		asm volatile("cli; hlt");
}
