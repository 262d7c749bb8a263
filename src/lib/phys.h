// Physical (linear) addresses as pointers. The asm hides the constant from
// the optimizer, which would otherwise treat low addresses such as the IVT
// at 0 as null-pointer dereferences.
#ifndef MBIOS_LIB_PHYS_H
#define MBIOS_LIB_PHYS_H

#include "std/types.h"

#ifdef HOST_TEST
// Host tests: physical addresses are offsets into memory the test provides
// by setting host_phys_base (0 leaves addresses as host pointers).
__attribute__((weak)) uintptr_t host_phys_base;

static inline void *phys_ptr(uintptr_t addr)
{
	return (void *)(host_phys_base + addr);
}

static inline u32 phys_addr(const void *p)
{
	return (u32)((uintptr_t)p - host_phys_base);
}
#else
static inline void *phys_ptr(uintptr_t addr)
{
	void *p;
	asm("" : "=r"(p) : "0"(addr));
	return p;
}

static inline u32 phys_addr(const void *p)
{
	return (u32)(uintptr_t)p;
}
#endif

#endif
