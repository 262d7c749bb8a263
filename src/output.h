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
// The timeline `make bench` prints (scripts/bench.py): a "phase: name"
// line where each step of POST starts, one per measurement and one per TPM
// round-trip. Off unless QEMU gives fw_cfg opt/org.mbios/timeline: under
// TCG a debug line costs tens of microseconds (formatting, the timestamp,
// 0.2 us a byte at the port), and a measured boot would print fifty more.
extern bool debug_timeline;
#define dprint_timeline(...)                                                   \
	do {                                                                   \
		if (debug_timeline)                                            \
			dprint(DL_INFO, __VA_ARGS__);                          \
	} while (0)
#define boot_phase(name) dprint_timeline("phase: %s\n", name)
// Shown on the console and the debug port.
void printf_console(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
