// Hashing in 64-bit long mode (src/crypto/lm64): while a session is open,
// every whole block of SHA-1/256/384/512 goes to the 64-bit code.
// Only the firmware's own measurements open one (POST, the direct-boot
// kernel), never INT 1Ah: the page tables live in POST scratch memory.
#ifndef MBIOS_HW_LONGMODE_H
#define MBIOS_HW_LONGMODE_H

#include "std/types.h"

// False (and the i386 code does all) when the CPU has no long mode, the
// build leaves it out, or there is no scratch memory. Sessions nest: each
// true begin takes one end, and the innermost shares the outer's tables.
// The page tables must stay intact until the end: no code but the
// firmware's may run in between.
bool longmode_hash_begin(void);
void longmode_hash_end(void);

#endif
