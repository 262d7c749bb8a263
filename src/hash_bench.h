#ifndef MBIOS_HASH_BENCH_H
#define MBIOS_HASH_BENCH_H

// Hash throughput report for scripts/bench.py (opt/org.mbios/hash-bench).
void hash_bench(void);

#endif
