// INT 11h/12h (equipment, base memory) and INT 15h system services: the
// memory map (E820, E801, 88h), configuration table, wait, A20, block move,
// and a clean "unsupported" (CF=1, AH=86h) for everything else.
#include "bregs.h"
#include "fw/e820.h"
#include "hw/clock.h"
#include "hw/io.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"
#include "lib/bda.h"

void handle_11(struct bregs *r);
void handle_12(struct bregs *r);
void handle_15(struct bregs *r);

#define E820_SMAP 0x534D4150 // "SMAP"
#define RET_UNSUPPORTED 0x86

void handle_11(struct bregs *r)
{
	r->ax = bda_u16(BDA_EQUIPMENT);
}
void handle_12(struct bregs *r)
{
	r->ax = bda_u16(BDA_MEM_KB);
}

// System configuration parameters (INT 15h C0h), in the F segment.
static const u8 config_table[] = {
    8,	  0,	      // bytes that follow
    0xFC, 0x00, 0x01, // model AT, submodel, BIOS revision
    0x70,	      // feature 1: RTC, INT 15h 4Fh, EBDA present, 2nd PIC
    0x40,	      // feature 2: INT 16h 09h
    0x00, 0x00, 0x00,
};

static void e820(struct bregs *r)
{
	if (r->edx != E820_SMAP || r->ecx < 20) {
		set_fail(r, RET_UNSUPPORTED);
		return;
	}
	u32 i = r->ebx;
	if (i >= (u32)bios_e820.count) {
		set_fail(r, RET_UNSUPPORTED);
		return;
	}
	memcpy(far_ptr(r->es, r->di), &bios_e820.e[i], 20);
	r->ebx = i + 1 < (u32)bios_e820.count ? i + 1 : 0;
	r->eax = E820_SMAP;
	r->ecx = 20;
	set_cf(r, 0);
}

// Memory the OS loader may use above 1 MiB ends where our reserved high
// zone starts (linuxboot places the initrd below this).
static u32 usable_top(void)
{
	return high_zone_start();
}

static void e801(struct bregs *r)
{
	u32 top = usable_top();
	u32 kb_1m_16m = (MIN(top, 0x1000000u) - 0x100000) / 1024;
	u32 blocks_above_16m = top > 0x1000000 ? (top - 0x1000000) >> 16 : 0;
	r->ax = r->cx = (u16)kb_1m_16m;
	r->bx = r->dx = (u16)MIN(blocks_above_16m, 0xFFFFu);
	set_cf(r, 0);
}

// INT 15h 87h: copy CX words between the descriptors at ES:SI+10h/18h.
static void block_move(struct bregs *r)
{
	const u8 *gdt = far_ptr(r->es, r->si);
	u32 src =
	    gdt[0x12] | gdt[0x13] << 8 | gdt[0x14] << 16 | (u32)gdt[0x17] << 24;
	u32 dst =
	    gdt[0x1A] | gdt[0x1B] << 8 | gdt[0x1C] << 16 | (u32)gdt[0x1F] << 24;
	memmove(phys_ptr(dst), phys_ptr(src), (u32)r->cx * 2);
	set_ok(r);
}

void handle_15(struct bregs *r)
{
	switch (r->ah) {
	case 0x24:
		switch (r->al) {
		case 0x00:
			outb(inb(0x92) & ~0x02, 0x92);
			set_ok(r);
			return;
		case 0x01:
			outb(inb(0x92) | 0x02, 0x92);
			set_ok(r);
			return;
		case 0x02:
			r->al = (inb(0x92) >> 1) & 1;
			set_ok(r);
			return;
		case 0x03:
			r->bx = 0x0002; // fast A20 (port 92h)
			set_ok(r);
			return;
		}
		break;
	case 0x86: { // wait CX:DX microseconds (capped at 10 s)
		u32 us = (u32)r->cx << 16 | r->dx;
		udelay(MIN(us, 10000000u));
		set_ok(r);
		return;
	}
	case 0x87:
		block_move(r);
		return;
	case 0x88: {
		u32 kb = (usable_top() - 0x100000) / 1024;
		r->ax = (u16)MIN(kb, 0xFC00u);
		set_cf(r, 0);
		return;
	}
	case 0x90: // device busy / interrupt complete: nothing to wait for
	case 0x91:
		set_ok(r);
		return;
	case 0xC0:
		r->es = 0xF000;
		r->bx = (u16)((uintptr_t)config_table - 0xF0000);
		if ((uintptr_t)config_table < 0xF0000) {
			// Table linked into the E segment: hand out E000:xxxx.
			r->es = 0xE000;
			r->bx = (u16)((uintptr_t)config_table - 0xE0000);
		}
		set_ok(r);
		return;
	case 0xE8:
		if (r->al == 0x20) {
			e820(r);
			return;
		}
		if (r->al == 0x01) {
			e801(r);
			return;
		}
		break;
	}
	dprint(DL_DETAIL, "int15: unsupported AX=%04x\n", r->ax);
	set_fail(r, RET_UNSUPPORTED);
}
