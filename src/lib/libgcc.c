// 64-bit division helpers gcc calls on i386; the firmware links no libgcc.
#include "std/types.h"

u64 __udivmoddi4(u64 num, u64 den, u64 *rem);
u64 __udivdi3(u64 num, u64 den);
u64 __umoddi3(u64 num, u64 den);

u64 __udivmoddi4(u64 num, u64 den, u64 *rem)
{
	u64 quot = 0, bit = 1;
	if (!den)
		den = 1; // no trap in firmware; callers never divide by zero
	while (den < num && !(den >> 63)) {
		den <<= 1;
		bit <<= 1;
	}
	while (bit) {
		if (num >= den) {
			num -= den;
			quot |= bit;
		}
		den >>= 1;
		bit >>= 1;
	}
	if (rem)
		*rem = num;
	return quot;
}

u64 __udivdi3(u64 num, u64 den)
{
	return __udivmoddi4(num, den, NULL);
}

u64 __umoddi3(u64 num, u64 den)
{
	u64 rem;
	__udivmoddi4(num, den, &rem);
	return rem;
}
