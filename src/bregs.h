// Register image of a real-mode caller, as entry.S saves it (struct bregs),
// and the helpers C code uses to read and set 8/16/32-bit registers.
#ifndef MBIOS_BREGS_H
#define MBIOS_BREGS_H

#include "std/types.h"
#include "lib/phys.h"

#define F_CF (1 << 0)
#define F_ZF (1 << 6)
#define F_IF (1 << 9)

#define GPR(n)                                                                 \
	union {                                                                \
		u32 e##n;                                                      \
		u16 n;                                                         \
		struct {                                                       \
			u8 n##_lo, n##_hi;                                     \
		};                                                             \
	}

// Order matches entry.S: pushw ss/gs/fs/es/ds after pushal, below the
// handler pointer and the interrupt's ip/cs/flags.
struct bregs {
	u16 ss, gs, fs, es, ds;
	GPR(di);
	GPR(si);
	GPR(bp);
	u32 esp_unused;
	union {
		u32 ebx;
		u16 bx;
		struct {
			u8 bl, bh;
		};
	};
	union {
		u32 edx;
		u16 dx;
		struct {
			u8 dl, dh;
		};
	};
	union {
		u32 ecx;
		u16 cx;
		struct {
			u8 cl, ch;
		};
	};
	union {
		u32 eax;
		u16 ax;
		struct {
			u8 al, ah;
		};
	};
	u32 handler;
	u16 ip, cs, flags;
} PACKED;
STATIC_ASSERT(sizeof(struct bregs) == 52, "bregs layout must match entry.S");
STATIC_ASSERT(offsetof(struct bregs, handler) == 42, "entry.S handler slot");

static inline void set_cf(struct bregs *r, int cf)
{
	if (cf)
		r->flags |= F_CF;
	else
		r->flags &= ~F_CF;
}

// Success: AH = 0, CF clear. Failure: AH = code, CF set.
static inline void set_ok(struct bregs *r)
{
	r->ah = 0;
	set_cf(r, 0);
}
static inline void set_fail(struct bregs *r, u8 code)
{
	r->ah = code;
	set_cf(r, 1);
}

// Real-mode segment:offset to linear address.
static inline void *far_ptr(u16 seg, u16 off)
{
	return phys_ptr((u32)seg * 16 + off);
}

// Calls into 16-bit code (call16.c). The target is r->cs:r->ip; the result
// registers and flags are written back into r.
void call16_far(struct bregs *r);
void call16_int(u8 vector, struct bregs *r);
// Enter 16-bit code that never returns (the S3 waking vector) with
// interrupts off, its stack frame at ss:sp.
void call16_noreturn(struct bregs *r, u16 ss, u16 sp) NORETURN;

#endif
