// The few libc string functions the firmware needs (host tests use libc's).
#ifndef MBIOS_LIB_STRING_H
#define MBIOS_LIB_STRING_H

#ifdef HOST_TEST
#include <string.h>
#else
#include "std/types.h"
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif

#endif
