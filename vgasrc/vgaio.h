// Real-mode access for the VGA ROM (gcc -m16): DS = ES = SS = the caller's
// stack segment while C runs, so the ROM's own bytes are read through a CS
// override and the BDA, video memory and the caller's buffers through FS.
#ifndef MBIOS_VGA_VGAIO_H
#define MBIOS_VGA_VGAIO_H

#include "hw/io.h"
#include "std/types.h"

// Data that lives in the ROM image. Written only during init, while the
// system BIOS still has the shadow RAM writable.
#define ROMVAR __attribute__((section(".rom.data")))
#define ROMVAR_RW __attribute__((section(".rom.var")))

static inline u8 rom8(const void *p)
{
	u8 v;
	asm("movb %%cs:%1, %0" : "=q"(v) : "m"(*(const u8 *)p));
	return v;
}
static inline u16 rom16(const void *p)
{
	u16 v;
	asm("movw %%cs:%1, %0" : "=r"(v) : "m"(*(const u16 *)p));
	return v;
}
static inline u32 rom32(const void *p)
{
	u32 v;
	asm("movl %%cs:%1, %0" : "=r"(v) : "m"(*(const u32 *)p));
	return v;
}
static inline void rom_set16(void *p, u16 v)
{
	asm volatile("movw %1, %%cs:%0" : "=m"(*(u16 *)p) : "r"(v));
}
static inline void rom_set32(void *p, u32 v)
{
	asm volatile("movl %1, %%cs:%0" : "=m"(*(u32 *)p) : "r"(v));
}
// The offset of a ROM object inside the ROM's segment.
#define ROM_OFF(p) ((u16)(uintptr_t)(p))
static inline u16 rom_seg(void)
{
	u16 s;
	asm("movw %%cs, %0" : "=r"(s));
	return s;
}

static inline u8 far8(u16 seg, u16 off)
{
	u8 v;
	asm volatile("movw %w1, %%fs\n\tmovb %%fs:(%k2), %0"
		     : "=q"(v)
		     : "r"(seg), "r"((u32)off)
		     : "memory");
	return v;
}
static inline u16 far16(u16 seg, u16 off)
{
	u16 v;
	asm volatile("movw %w1, %%fs\n\tmovw %%fs:(%k2), %0"
		     : "=r"(v)
		     : "r"(seg), "r"((u32)off)
		     : "memory");
	return v;
}
static inline void far_set8(u16 seg, u16 off, u8 v)
{
	asm volatile("movw %w0, %%fs\n\tmovb %b2, %%fs:(%k1)"
		     :
		     : "r"(seg), "r"((u32)off), "q"(v)
		     : "memory");
}
static inline void far_set16(u16 seg, u16 off, u16 v)
{
	asm volatile("movw %w0, %%fs\n\tmovw %w2, %%fs:(%k1)"
		     :
		     : "r"(seg), "r"((u32)off), "r"(v)
		     : "memory");
}
static inline void far_set32(u16 seg, u16 off, u32 v)
{
	far_set16(seg, off, (u16)v);
	far_set16(seg, off + 2, (u16)(v >> 16));
}

// n 16-bit words of v at seg:off.
static inline void far_fill16(u16 seg, u16 off, u16 v, u16 n)
{
	u32 d = off, c = n;
	asm volatile("pushw %%es\n\tmovw %w3, %%es\n\trep stosw\n\tpopw %%es"
		     : "+D"(d), "+c"(c)
		     : "a"(v), "r"(seg)
		     : "memory");
}
// n bytes from sseg:soff to dseg:doff, forwards or backwards (overlap).
static inline void far_copy(u16 dseg, u16 doff, u16 sseg, u16 soff, u16 n,
			    bool backwards)
{
	u32 d = doff, s = soff, c = n;
	if (backwards) {
		d += n - 1;
		s += n - 1;
		asm volatile("std");
	}
	asm volatile("pushw %%ds\n\tpushw %%es\n\tmovw %w3, %%es\n\t"
		     "movw %w4, %%ds\n\trep movsb\n\tpopw %%es\n\tpopw %%ds\n\t"
		     "cld"
		     : "+D"(d), "+S"(s), "+c"(c)
		     : "r"(dseg), "r"(sseg)
		     : "memory");
}

// The BIOS data area (segment 0x40), std/bda.h offsets.
#define BDA_SEG 0x40
static inline u8 bda8(u16 off)
{
	return far8(BDA_SEG, off);
}
static inline u16 bda16(u16 off)
{
	return far16(BDA_SEG, off);
}
static inline void bda_set8(u16 off, u8 v)
{
	far_set8(BDA_SEG, off, v);
}
static inline void bda_set16(u16 off, u16 v)
{
	far_set16(BDA_SEG, off, v);
}

#endif
