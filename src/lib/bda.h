// Access to the BIOS data area fields that std/bda.h names.
#ifndef MBIOS_LIB_BDA_H
#define MBIOS_LIB_BDA_H

#include "lib/phys.h"
#include "std/bda.h"

#define bda_u8(off) (*(volatile u8 *)phys_ptr(BDA_BASE + (off)))
#define bda_u16(off) (*(volatile u16 *)phys_ptr(BDA_BASE + (off)))
#define bda_u32(off) (*(volatile u32 *)phys_ptr(BDA_BASE + (off)))

#endif
