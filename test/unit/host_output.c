// output.h for host tests: everything goes to stderr.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "output.h"

// Fuzz targets build with HOST_QUIET: a rejected input is their normal
// case, and printing each one would only fill the disk.
#ifdef HOST_QUIET
#define QUIET_RETURN() return
#else
#define QUIET_RETURN() (void)0
#endif

void dprint(int level, const char *fmt, ...)
{
	QUIET_RETURN();
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "[dbg%d] ", level);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void printf_console(const char *fmt, ...)
{
	QUIET_RETURN();
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "[console] ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}
