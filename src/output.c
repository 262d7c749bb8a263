// dprint goes to QEMU's debug console (isa-debugcon, port 0x402);
// printf_console goes there and to the user's console.
#include "output.h"
#include "autoconf.h"
#include "console.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "lib/format.h"
#include "lib/string.h"

#define DEBUG_PORT 0x402

bool debug_timeline;

static void debug_write(const char *s, size_t len)
{
	while (len--)
		outb((u8)*s++, DEBUG_PORT);
}

// Format after `prefix_len` bytes already in buf; returns the used length.
static size_t vformat(char *buf, size_t size, size_t prefix_len,
		      const char *fmt, va_list ap)
{
	int n = vsnprintf(buf + prefix_len, size - prefix_len, fmt, ap);
	return MIN(prefix_len + (size_t)n, size - 1);
}

void dprint(int level, const char *fmt, ...)
{
	if (level > CONFIG_DEBUG_LEVEL)
		return;
	char buf[192];
	// Milliseconds (to the microsecond) since the machine started: where
	// POST spends time (scripts/bench.py reads these).
	u32 us = (u32)clock_us();
	int n = snprintf(buf, sizeof(buf), "[%4u.%03u] ", us / 1000, us % 1000);
	va_list ap;
	va_start(ap, fmt);
	size_t len = vformat(buf, sizeof(buf), (size_t)n, fmt, ap);
	va_end(ap);
	debug_write(buf, len);
}

static void console_vprint(const char *prefix, const char *fmt, va_list ap)
{
	char buf[256];
	size_t n = strlen(prefix);
	memcpy(buf, prefix, n);
	size_t len = vformat(buf, sizeof(buf), n, fmt, ap);
	debug_write(buf, len);
	console_write(buf, len);
}

void printf_console(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vprint("", fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	console_vprint("PANIC: ", fmt, ap);
	va_end(ap);
	for (;;)
		asm volatile("cli; hlt");
}
