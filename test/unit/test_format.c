// The firmware's vsnprintf against the host libc's, for the numbers POST
// prints: 32-bit values, values past 32 bits (the 64-bit division path),
// hex of both, signs, widths and padding.
#include <stdio.h> // libc's snprintf first: the reference
#define vsnprintf fw_vsnprintf
#define snprintf fw_snprintf
#include "../../src/lib/vsnprintf.c"
#undef vsnprintf
#undef snprintf

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#define SAME(fmt, ...)                                                         \
	do {                                                                   \
		char want[64], got[64];                                        \
		int nw = snprintf(want, sizeof(want), fmt, __VA_ARGS__);       \
		int ng = fw_snprintf(got, sizeof(got), fmt, __VA_ARGS__);      \
		assert_string_equal(got, want);                                \
		assert_int_equal(ng, nw);                                      \
	} while (0)

static void test_32bit_values(void **state)
{
	(void)state;
	SAME("%u %u %u", 0u, 9u, 10u);
	SAME("%u", 4294967295u);
	SAME("%d %d", -1, -2147483647 - 1);
	SAME("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	SAME("[%4u.%03u]", 12u, 7u);
	SAME("%08x|%-6u|%5d", 0x1fu, 42u, -3);
}

static void test_64bit_values(void **state)
{
	(void)state;
	SAME("%llu", 4294967296ull);
	SAME("%llu", 18446744073709551615ull);
	SAME("%llu", 12345678901234ull);
	SAME("%llx", 0x123456789abcdefull);
	SAME("%llX", 0xfedcba9876543210ull);
	SAME("%lld", -4294967296ll);
	SAME("%lld", -9223372036854775807ll - 1);
	SAME("%016llx", 0x100000000ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_32bit_values),
	    cmocka_unit_test(test_64bit_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
