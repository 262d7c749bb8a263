// Hash throughput under the machine the firmware runs on, for `make bench`
// (scripts/bench.py): with fw_cfg opt/org.mbios/hash-bench (a number of
// KiB, default 1024) POST hashes that much RAM with every algorithm and
// prints the time on the debug port. Nothing else uses it.
#include "hash_bench.h"
#include "crypto/hash.h"
#include "fw/fw_cfg.h"
#include "hw/clock.h"
#include "hw/longmode.h"
#include "lib/phys.h"
#include "output.h"

#define BENCH_BASE 0x100000u // 1 MiB up: RAM the firmware does not use yet

void hash_bench(void)
{
	if (!fw_cfg_find("opt/org.mbios/hash-bench"))
		return;
	u32 kib = (u32)fw_cfg_file_u64("opt/org.mbios/hash-bench", 1024);
	if (!kib || kib > 64 * 1024)
		kib = 1024;
	static const u16 algs[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
				   TPM_ALG_SHA512, TPM_ALG_SM3_256};
	const void *data = phys_ptr(BENCH_BASE);
	u8 out[HASH_MAX_SIZE];
	// The i386 code first, then the 64-bit code as measurements use it.
	for (u32 mode = 0; mode < 2; mode++) {
		if (mode && !longmode_hash_begin())
			break;
		for (u32 i = 0; i < ARRAY_SIZE(algs); i++) {
			u64 t0 = clock_us();
			hash_buffer(algs[i], data, kib * 1024, out);
			u32 us = (u32)(clock_us() - t0);
			dprint(DL_ERR, "hash-bench: %s %s %u KiB in %u us\n",
			       mode ? "64-bit" : "32-bit",
			       hash_alg_name(algs[i]), kib, us);
		}
	}
	longmode_hash_end();
}
