// What host tests can ask of the captured firmware messages.
#ifndef MBIOS_TEST_HOST_OUTPUT_H
#define MBIOS_TEST_HOST_OUTPUT_H

#include "std/types.h"

extern bool host_output_quiet; // no console lines on stderr
const char *host_last_dprint(void);
u32 host_console_lines(void);
const char *host_last_console(void); // the last console line

#endif
