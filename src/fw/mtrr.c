// Memory types (Intel SDM vol. 3A, 11.11): RAM write-back, the legacy VGA
// window and the 32-bit PCI hole uncached. QEMU starts with MTRRs off; an
// OS copies the boot CPU's settings to the others.
#include "fw/mtrr.h"
#include "fw/platform.h"
#include "hw/cpuid.h"
#include "output.h"

#define MSR_MTRRCAP 0xFE
#define MSR_MTRR_PHYSBASE0 0x200
#define MSR_MTRR_FIX64K_00000 0x250
#define MSR_MTRR_FIX16K_80000 0x258
#define MSR_MTRR_FIX16K_A0000 0x259
#define MSR_MTRR_FIX4K_C0000 0x268
#define MSR_MTRR_DEF_TYPE 0x2FF

#define MTRR_UC 0x00
#define MTRR_WP 0x05
#define MTRR_WB 0x06
#define EIGHT(t) (0x0101010101010101ull * (t))

static void wrmsr(u32 msr, u64 v)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

void mtrr_setup(void)
{
	u32 a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	if (!(d & (1 << 12)))
		return; // no MTRRs
	cpuid(0x80000000, &a, &b, &c, &d);
	u32 phys_bits = 36;
	if (a >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &c, &d);
		phys_bits = a & 0xFF;
	}
	u64 phys_mask = (1ull << phys_bits) - 1;

	wrmsr(MSR_MTRR_FIX64K_00000, EIGHT(MTRR_WB));
	wrmsr(MSR_MTRR_FIX16K_80000, EIGHT(MTRR_WB));
	wrmsr(MSR_MTRR_FIX16K_A0000, EIGHT(MTRR_UC));
	for (int i = 0; i < 8; i++)
		wrmsr(MSR_MTRR_FIX4K_C0000 + i, EIGHT(MTRR_WP));

	// The largest aligned power-of-two block that ends at 4 GiB and
	// holds no RAM covers the PCI hole.
	u64 size = 0x80000000ull;
	while (size > 0x10000000ull &&
	       0x100000000ull - size < platform.ram_below_4g)
		size >>= 1;
	u32 vcnt = rdmsr(MSR_MTRRCAP) & 0xFF;
	if (vcnt) {
		wrmsr(MSR_MTRR_PHYSBASE0, (0x100000000ull - size) | MTRR_UC);
		wrmsr(MSR_MTRR_PHYSBASE0 + 1,
		      (~(size - 1) & phys_mask) | 0x800);
	}
	// Enable variable + fixed ranges, default write-back.
	wrmsr(MSR_MTRR_DEF_TYPE, 0xC00 | MTRR_WB);
	dprint(DL_INFO, "mtrr: WB default, UC %x-ffffffff\n",
	       (u32)(0x100000000ull - size));
}
