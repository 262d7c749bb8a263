// Running 16-bit code from 32-bit C: builds the real-mode stack frame that
// entry.S's call16_enter pops, and copies the registers back afterwards.
#include "bregs.h"
#include "layout.h"
#include "lib/string.h"
#include "output.h"

extern u32 rm_stack; // ss << 16 | sp, maintained by entry.S
extern char call16_return[];
u32 call16_enter(u32 ss_sp);

// Frame as popped by call16_enter (low to high address).
struct call16_frame {
	u16 gs, fs, es, ds;
	u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
	u16 target_ip, target_cs, target_flags; // entered with iret
	u16 ret_ip, ret_cs;
	u16 ret_flags; // popped by an interrupt handler's iret; a far
		       // call's lret leaves it on the stack
} PACKED;

// Saved by call16_return (low to high address).
struct call16_result {
	u16 gs, fs, es, ds;
	u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
	u16 flags;
} PACKED;

static void call16(struct bregs *r, bool as_interrupt)
{
	u16 ss = rm_stack >> 16;
	u16 sp = (u16)rm_stack - sizeof(struct call16_frame);
	struct call16_frame *f = far_ptr(ss, sp);

	f->gs = r->gs;
	f->fs = r->fs;
	f->es = r->es;
	f->ds = r->ds;
	f->edi = r->edi;
	f->esi = r->esi;
	f->ebp = r->ebp;
	f->esp = 0;
	f->ebx = r->ebx;
	f->edx = r->edx;
	f->ecx = r->ecx;
	f->eax = r->eax;
	f->target_ip = r->ip;
	f->target_cs = r->cs;
	f->ret_ip = (u16)((uintptr_t)call16_return - BIOS_BASE);
	f->ret_cs = BIOS_SEG;
	// Interrupt-style: the handler starts with IF and TF clear, as after
	// INT; the caller's flags come back through its iret. Far calls run
	// with the caller's flags (IF set: the BIOS is ready for IRQs).
	f->ret_flags = r->flags & ~0x100;
	f->target_flags = as_interrupt ? f->ret_flags & ~F_IF : f->ret_flags;

	const struct call16_result *res =
	    (const void *)(uintptr_t)call16_enter((u32)ss << 16 | sp);

	r->gs = res->gs;
	r->fs = res->fs;
	r->es = res->es;
	r->ds = res->ds;
	r->edi = res->edi;
	r->esi = res->esi;
	r->ebp = res->ebp;
	r->ebx = res->ebx;
	r->edx = res->edx;
	r->ecx = res->ecx;
	r->eax = res->eax;
	r->flags = res->flags;
}

void call16_far(struct bregs *r)
{
	r->flags |= F_IF;
	call16(r, false);
}

void call16_int(u8 vector, struct bregs *r)
{
	const u16 *ivt = phys_ptr(0);
	r->ip = ivt[vector * 2];
	r->cs = ivt[vector * 2 + 1];
	call16(r, true);
}

void call16_noreturn(struct bregs *r, u16 ss, u16 sp)
{
	rm_stack = (u32)ss << 16 | sp;
	r->flags &= ~F_IF;
	call16(r, true);
	panic("16-bit code returned to the firmware\n");
}
