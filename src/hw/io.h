// Port and MMIO access. The firmware uses inline instructions; the host test
// build (HOST_TEST) links these names against register-level fakes instead,
// so drivers run unchanged in unit tests. MMIO takes a physical address, not a
// pointer, so a 64-bit host never dereferences device addresses.
#ifndef MBIOS_HW_IO_H
#define MBIOS_HW_IO_H

#include "std/types.h"

#ifdef HOST_TEST
u8 inb(u16 port);
u16 inw(u16 port);
u32 inl(u16 port);
void outb(u8 v, u16 port);
void outw(u16 v, u16 port);
void outl(u32 v, u16 port);
u8 mmio_read8(u32 addr);
u16 mmio_read16(u32 addr);
u32 mmio_read32(u32 addr);
void mmio_write8(u32 addr, u8 v);
void mmio_write16(u32 addr, u16 v);
void mmio_write32(u32 addr, u32 v);
#else
static inline u8 inb(u16 port)
{
	u8 v;
	asm volatile("inb %w1, %b0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline u16 inw(u16 port)
{
	u16 v;
	asm volatile("inw %w1, %w0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline u32 inl(u16 port)
{
	u32 v;
	asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline void outb(u8 v, u16 port)
{
	asm volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
}
static inline void outw(u16 v, u16 port)
{
	asm volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
}
static inline void outl(u32 v, u16 port)
{
	asm volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}
static inline u8 mmio_read8(u32 addr)
{
	return *(volatile u8 *)(uintptr_t)addr;
}
static inline u16 mmio_read16(u32 addr)
{
	return *(volatile u16 *)(uintptr_t)addr;
}
static inline u32 mmio_read32(u32 addr)
{
	return *(volatile u32 *)(uintptr_t)addr;
}
static inline void mmio_write8(u32 addr, u8 v)
{
	*(volatile u8 *)(uintptr_t)addr = v;
}
static inline void mmio_write16(u32 addr, u16 v)
{
	*(volatile u16 *)(uintptr_t)addr = v;
}
static inline void mmio_write32(u32 addr, u32 v)
{
	*(volatile u32 *)(uintptr_t)addr = v;
}
#endif

static inline void io_delay(void)
{
	outb(0, 0x80);
}

// Compiler barrier for memory shared with DMA-capable devices.
#define barrier() asm volatile("" : : : "memory")

#endif
