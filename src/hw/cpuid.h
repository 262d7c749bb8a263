// The CPUID instruction (Intel SDM vol. 2A, CPUID), sub-leaf 0.
#ifndef MBIOS_HW_CPUID_H
#define MBIOS_HW_CPUID_H

#include "std/types.h"

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(0));
}

#endif
