// Long mode for bulk hashing (hw/longmode.h): an identity map of the low
// 4 GiB with 2 MiB pages (Intel SDM vol. 3, 4.5 "4-Level Paging"), built
// in POST scratch memory for each session, and the runner that crypto's
// md_update calls.
#include "hw/longmode.h"
#include "autoconf.h"
#include "crypto/hash64.h"
#include "hw/cpuid.h"
#include "lib/memalloc.h"
#include "lib/string.h"

#ifndef CONFIG_HASH64 // Kconfig leaves a bool that is off undefined
#define CONFIG_HASH64 0
#endif

u32 longmode_call(u32 pml4, const struct hash64_job *jobs, u32 njobs);

#define PTE_PRESENT 0x1
#define PTE_WRITE 0x2
#define PTE_LARGE 0x80 // a 2 MiB page in a page directory
#define CPUID_EXT_LM (1u << 29)

static u32 pml4_addr;
static u32 depth; // sessions open: nested ones share the outer one's map

static bool cpu_has_long_mode(void)
{
	u32 a, b, c, d;
	cpuid(0x80000000, &a, &b, &c, &d);
	if (a < 0x80000001)
		return false;
	cpuid(0x80000001, &a, &b, &c, &d);
	return d & CPUID_EXT_LM;
}

static bool run(const struct hash64_job *jobs, u32 njobs)
{
	return pml4_addr && longmode_call(pml4_addr, jobs, njobs) == njobs;
}

bool longmode_hash_begin(void)
{
	if (depth) {
		depth++;
		return true;
	}
	if (!CONFIG_HASH64 || !cpu_has_long_mode())
		return false;
	// PML4, one PDPT, four page directories.
	u64 *t = malloc_tmp(6 * 4096, 4096);
	if (!t)
		return false;
	u64 *pml4 = t, *pdpt = t + 512, *pd = t + 1024;
	memset(t, 0, 2 * 4096);
	pml4[0] = (u32)pdpt | PTE_PRESENT | PTE_WRITE;
	for (u32 i = 0; i < 4; i++)
		pdpt[i] = (u32)(pd + 512 * i) | PTE_PRESENT | PTE_WRITE;
	for (u32 i = 0; i < 4 * 512; i++)
		pd[i] = (u64)i << 21 | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
	pml4_addr = (u32)pml4;
	hash64_set_runner(run);
	depth = 1;
	return true;
}

void longmode_hash_end(void)
{
	if (!depth || --depth)
		return;
	hash64_set_runner(NULL);
	pml4_addr = 0;
}
