// Waiting by HLT on the local APIC timer during POST.
//
// Under QEMU the device back-ends that POST waits for (the TPM emulator's
// request thread, the main loop's bottom halves, swtpm itself) run in other
// host threads. A vCPU that polls a status register keeps its host CPU
// busy, and on a 2-core host those threads were seen to wait one
// scheduler tick (3-5 ms) before they ran: most of a TPM command's time
// (docs/benchmarks.md). A halted vCPU blocks its thread, so they run at
// once. Only POST halts: after the hand-off the APIC belongs to the OS, and
// the interrupt services spin as before.
#include "hw/cpu_idle.h"
#include "hw/cpuid.h"
#include "hw/io.h"
#include "hw/lapic.h"
#include "layout.h"
#include "std/types.h"

#define PIC_MASTER_IMR 0x21
#define PIC_SLAVE_IMR 0xA1
#define DIVIDE_BY_1 0xB
// QEMU's APIC timer counts at 1 GHz with divide-by-1 (its 1 ns bus cycle).
#define TIMER_TICKS_PER_US 1000u
#define CPUID_1_EDX_APIC (1u << 9)

// Above the exceptions and apart from the 8259 vectors (08h-0Fh, 70h-77h),
// which cannot arrive: the 8259s are masked while the CPU sleeps.
#define IDLE_VECTOR 0x30
// What the APIC delivers for an interrupt that went away before the CPU
// took it: while POST sleeps, in the small IDT (0xFF, pic_init's, after).
#define SPURIOUS_VECTOR 0x3F

struct idt_gate {
	u16 offset_lo, selector;
	u8 zero, type; // 0x8E: present, ring 0, 32-bit interrupt gate
	u16 offset_hi;
} PACKED;

struct idt_pointer {
	u16 limit;
	u32 base;
} PACKED;

extern char idle_timer_entry[];	   // entry.S: EOI and iret
extern char idle_spurious_entry[]; // entry.S: iret (no EOI, SDM 10.9)
static struct idt_gate idle_idt[SPURIOUS_VECTOR + 1];
static bool idle_on;
static u32 saved_svr;

static bool have_lapic(void)
{
	u32 a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	return d & CPUID_1_EDX_APIC;
}

static void set_gate(u8 vector, const char *handler)
{
	u32 entry = (u32)handler;
	idle_idt[vector] = (struct idt_gate){(u16)entry, SEL_CODE32, 0, 0x8E,
					     (u16)(entry >> 16)};
}

void cpu_idle_start(void)
{
	if (!have_lapic())
		return;
	set_gate(IDLE_VECTOR, idle_timer_entry);
	set_gate(SPURIOUS_VECTOR, idle_spurious_entry);
	saved_svr = mmio_read32(LAPIC_BASE + LAPIC_SVR);
	mmio_write32(LAPIC_BASE + LAPIC_SVR,
		     (saved_svr & ~0xFFu) | SPURIOUS_VECTOR);
	mmio_write32(LAPIC_BASE + LAPIC_TIMER_DIVIDE, DIVIDE_BY_1);
	mmio_write32(LAPIC_BASE + LAPIC_LVT_TIMER, IDLE_VECTOR); // one-shot
	idle_on = true;
}

void cpu_idle_stop(void)
{
	if (!idle_on)
		return;
	idle_on = false;
	mmio_write32(LAPIC_BASE + LAPIC_TIMER_INITIAL, 0);
	mmio_write32(LAPIC_BASE + LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	mmio_write32(LAPIC_BASE + LAPIC_SVR, saved_svr);
}

bool cpu_idle_us(u32 us)
{
	if (!idle_on || !us)
		return false;
	// The real-mode IVT stays the IDT everywhere else.
	struct idt_pointer saved, ours = {sizeof(idle_idt) - 1, (u32)idle_idt};
	asm volatile("sidt %0" : "=m"(saved));
	asm volatile("lidt %0" : : "m"(ours));
	// 8259 interrupts wait in the PICs for the real-mode handlers. (Not
	// by masking LINT0: QEMU then delivers an interrupt the PIC had
	// already signalled as vector -1.)
	u8 mask_master = inb(PIC_MASTER_IMR), mask_slave = inb(PIC_SLAVE_IMR);
	outb(0xFF, PIC_MASTER_IMR);
	outb(0xFF, PIC_SLAVE_IMR);
	u32 ticks = us > 0xFFFFFFFFu / TIMER_TICKS_PER_US
			? 0xFFFFFFFFu
			: us * TIMER_TICKS_PER_US;
	mmio_write32(LAPIC_BASE + LAPIC_TIMER_INITIAL, ticks);
	// STI's one-instruction shadow: a timer that fires in between still
	// ends the HLT.
	asm volatile("sti; hlt; cli" : : : "memory");
	outb(mask_slave, PIC_SLAVE_IMR);
	outb(mask_master, PIC_MASTER_IMR);
	asm volatile("lidt %0" : : "m"(saved));
	return true;
}
