// The caller's registers as romentry.S saves them on the caller's stack:
// ES, DS, then PUSHAD's block, then the INT frame (IP, CS, FLAGS).
#ifndef MBIOS_VGA_VREGS_H
#define MBIOS_VGA_VREGS_H

#include "std/types.h"

#define VREG(e, x, l, h)                                                       \
	union {                                                                \
		u32 e;                                                         \
		u16 x;                                                         \
		struct {                                                       \
			u8 l, h;                                               \
		};                                                             \
	}

struct vregs {
	u16 es, ds;
	union {
		u32 edi;
		u16 di;
	};
	union {
		u32 esi;
		u16 si;
	};
	union {
		u32 ebp;
		u16 bp;
	};
	u32 esp;
	VREG(ebx, bx, bl, bh);
	VREG(edx, dx, dl, dh);
	VREG(ecx, cx, cl, ch);
	VREG(eax, ax, al, ah);
	u16 ip, cs, flags;
} PACKED;

#define VF_CF 0x0001

#endif
