// String formatting (the firmware's own; host tests use libc's).
#ifndef MBIOS_LIB_FORMAT_H
#define MBIOS_LIB_FORMAT_H

#include "std/types.h"
#include <stdarg.h>

#ifdef HOST_TEST
#include <stdio.h>
#else
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif

#endif
