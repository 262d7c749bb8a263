// Messages: the debug port 0x402 always, the console (serial/VGA) for
// anything a user must see. Levels: 1 errors, 2 user messages, 3 info,
// 4+ detail. The host build prints to stderr.
#ifndef MBIOS_OUTPUT_H
#define MBIOS_OUTPUT_H

#include "std/types.h"
#include <stdarg.h>

#define DL_ERR 1
#define DL_MSG 2
#define DL_INFO 3
#define DL_DETAIL 4

void dprint(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
// A timestamped "phase: name" line that starts a step of POST: the
// timeline `make bench` prints (scripts/bench.py) is cut at these lines.
#define boot_phase(name) dprint(DL_INFO, "phase: %s\n", name)
// Shown on the console and the debug port.
void printf_console(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
