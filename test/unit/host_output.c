// output.h for host tests. Messages are kept for assertions (the last
// debug line, a count of console lines); debug lines print to stderr at
// error level, or all of them with MBIOS_TEST_VERBOSE set; console lines
// always print unless a test sets host_output_quiet.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "host_output.h"
#include "output.h"

bool host_output_quiet;
bool debug_timeline;
static char last_dprint[512];
static u32 console_lines;
static char last_console[512];

const char *host_last_console(void)
{
	return last_console;
}

const char *host_last_dprint(void)
{
	return last_dprint;
}
u32 host_console_lines(void)
{
	return console_lines;
}

static bool verbose(void)
{
	return getenv("MBIOS_TEST_VERBOSE") != NULL;
}

void dprint(int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_dprint, sizeof(last_dprint), fmt, ap);
	va_end(ap);
#ifndef HOST_QUIET // fuzz targets: rejected input is their normal case
	if (verbose() || (level <= DL_ERR && !host_output_quiet))
		fprintf(stderr, "  [dprint %d] %s", level, last_dprint);
#endif
}

void printf_console(const char *fmt, ...)
{
	console_lines++;
	va_list keep;
	va_start(keep, fmt);
	vsnprintf(last_console, sizeof(last_console), fmt, keep);
	va_end(keep);
#ifndef HOST_QUIET
	if (host_output_quiet && !verbose())
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("  [console] ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
#else
	(void)fmt;
#endif
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}
