// Mode switches and entry stubs: the only assembly in mbios.
//  - reset_vector: the CPU's first instruction; shadows the image into RAM
//    from the always-ROM high alias, then jumps into C (post_main).
//  - int_common: real-mode interrupt entry. Saves the caller's registers on
//    its own stack (struct bregs), switches to 32-bit protected mode, calls the
//    C handler named by the stub, and returns the way it came.
//  - call16_enter/call16_return: run 16-bit code (option ROM init, BEV, boot
//    sector, a real-mode INT) from C and come back.
#include "hw/lapic.h"
#include "layout.h"

// Real-mode offsets of .text16 labels: the assembler only knows distances
// inside the section, so they are taken from its start, which layout.ld
// pins at TEXT16_BASE.
#define F(sym) ((sym) - text16_start + (TEXT16_BASE - BIOS_BASE))

	.section .text16, "ax"
	.code16
text16_start:

	.balign 8
gdt:
	.quad 0
	.quad 0x00CF9B000000FFFF	// SEL_CODE32: flat 4 GiB, accessed
	.quad 0x00CF93000000FFFF	// SEL_DATA32: flat 4 GiB
	.quad 0x00009B0F0000FFFF	// SEL_CODE16: base 0xF0000, 64 KiB
	.quad 0x000093000000FFFF	// SEL_DATA16: base 0, 64 KiB (real-mode limits)
	.quad 0x00AF9B000000FFFF	// SEL_CODE64: long mode (hw/longmode_switch.S)
gdt_end:
	.balign 4
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

// Enter protected mode and far-jump to a 32-bit linear address.
.macro ENTER_PM target
	lgdtl %cs:F(gdt_desc)
	movl %cr0, %eax
	andl $0x9FFFFFFF, %eax		// caches on (CD=NW=0)
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $SEL_CODE32, $\target
.endm

.macro LOAD_FLAT_SEGMENTS
	movl $SEL_DATA32, %eax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
.endm

// Leave protected mode (from 32-bit code) and continue at real-mode label.
.macro ENTER_RM label
	ljmpl $SEL_CODE16, $F(1001f)
	.code16
1001:	movw $SEL_DATA16, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %fs
	movw %ax, %gs
	movw %ax, %ss
	movl %cr0, %eax
	andl $~1, %eax
	movl %eax, %cr0
	ljmpw $BIOS_SEG, $F(\label)
.endm

// ECX dwords (a multiple of 8) from ESI to EDI, eight per loop pass: under
// QEMU's TCG each iteration of rep movsl is a pass through translated code
// of its own, eight times as many. A macro: there is no stack yet.
// Clobbers EAX, EBX.
.macro COPY_DWORDS
1000:	movl (%esi), %eax
	movl 4(%esi), %ebx
	movl %eax, (%edi)
	movl %ebx, 4(%edi)
	movl 8(%esi), %eax
	movl 12(%esi), %ebx
	movl %eax, 8(%edi)
	movl %ebx, 12(%edi)
	movl 16(%esi), %eax
	movl 20(%esi), %ebx
	movl %eax, 16(%edi)
	movl %ebx, 20(%edi)
	movl 24(%esi), %eax
	movl 28(%esi), %ebx
	movl %eax, 24(%edi)
	movl %ebx, 28(%edi)
	addl $32, %esi
	addl $32, %edi
	subl $8, %ecx
	jnz 1000b
.endm

// Host bridge 00:00.0 config dword \reg: the bits in \mask become those
// of \val. Clobbers EAX, EDX.
.macro HOST_BRIDGE_RMW32 reg, mask, val
	movl $(0x80000000 | \reg), %eax
	movw $0xCF8, %dx
	outl %eax, %dx
	movw $0xCFC, %dx
	inl %dx, %eax
	andl $(~\mask & 0xFFFFFFFF), %eax
	orl $\val, %eax
	outl %eax, %dx
.endm

// ---- reset ---------------------------------------------------------------
// CS base is 0xFFFF0000 here, so near jumps and CS-relative loads hit the
// ROM's high alias even if a previous boot left shadow RAM at 0xF0000.
reset_entry:
	cli
	cld
	ENTER_PM (reset32 + HIGH_ALIAS_DELTA)

	.code32
reset32:
	LOAD_FLAT_SEGMENTS
	// Host bridge 00:00.0 device id selects the PAM register block. PAM0
	// high nibble = 0xF0000 segment; PAM1-6 = 0xC0000-0xEFFFF; 3 =
	// read/write RAM for the whole 0xC0000-0xFFFFF range. Two dword writes,
	// not seven byte writes: QEMU rebuilds its memory maps on every write
	// to the PAM block, 0.1-0.5 ms each under TCG (docs/benchmarks.md).
	movl $0x80000000, %eax
	movw $0xCF8, %dx
	outl %eax, %dx
	movw $0xCFC, %dx
	inl %dx, %eax
	shrl $16, %eax
	cmpw $0x29C0, %ax		// Q35 MCH
	je 1f
	HOST_BRIDGE_RMW32 0x58, 0xFFFFFF00, 0x33333000	// i440FX PAM0-2 (0x59)
	HOST_BRIDGE_RMW32 0x5C, 0xFFFFFFFF, 0x33333333	// PAM3-6
	jmp 2f
1:	HOST_BRIDGE_RMW32 0x90, 0xFFFFFFFF, 0x33333330	// Q35 PAM0-3 (0x90)
	HOST_BRIDGE_RMW32 0x94, 0x00FFFFFF, 0x00333333	// PAM4-6
2:
	// Copy the image from the ROM alias into the shadow RAM: code and
	// data always come from ROM, also on an S3 resume (the OS can write
	// the shadow). A resume keeps the F-segment pool, where the OS found
	// its RSDP and the resume finds the waking vector.
	movb $CMOS_SHUTDOWN_STATUS, %al
	outb %al, $0x70
	inb $0x71, %al
	movl $IMAGE_HIGH_BASE, %esi
	movl $IMAGE_LOW_BASE, %edi
	movl $(IMAGE_LOW_SIZE / 4), %ecx
	cmpb $CMOS_SHUTDOWN_S3_RESUME, %al
	jne 4f
	movl $((FSEG_POOL_BASE - IMAGE_LOW_BASE) / 4), %ecx
	COPY_DWORDS
	addl $FSEG_POOL_SIZE, %esi
	addl $FSEG_POOL_SIZE, %edi
	movl $((IMAGE_LOW_BASE + IMAGE_LOW_SIZE - FSEG_POOL_BASE - FSEG_POOL_SIZE) / 4), %ecx
4:	COPY_DWORDS
	movl $FW_STACK_TOP, %esp
	movl %esp, pm_stack_top
	movl $post_main, %eax
	jmp *%eax

// ---- real-mode interrupt entry -------------------------------------------
// Each stub pushes its C handler, then shares int_common. Frame on the
// caller's stack (low to high), see struct bregs in bregs.h:
//   ss gs fs es ds | edi esi ebp esp ebx edx ecx eax | handler | ip cs flags
	.code16
int_common:
	pushal
	pushw %ds
	pushw %es
	pushw %fs
	pushw %gs
	pushw %ss
	cld
	movzwl %sp, %esi
	movw %ss, %ax
	movzwl %ax, %eax
	shll $4, %eax
	addl %eax, %esi			// esi = linear address of the frame
	ENTER_PM int_common32

	.code32
int_common32:
	LOAD_FLAT_SEGMENTS
	movl pm_stack_top, %esp
	// 16-bit code called from this handler runs below the caller's frame.
	pushl rm_stack
	movzwl (%esi), %eax
	movl %eax, %ecx
	shll $4, %ecx
	movl %esi, %edx
	subl %ecx, %edx
	shll $16, %eax
	movw %dx, %ax
	movl %eax, rm_stack
	pushl %esi
	call *42(%esi)
	popl %esi
	popl rm_stack
	movzwl (%esi), %ecx		// caller's ss
	movl %ecx, %edx
	shll $4, %edx
	movl %esi, %ebx
	subl %edx, %ebx			// caller's sp at the frame
	ENTER_RM int_return16
int_return16:
	movw %cx, %ss
	movl %ebx, %esp			// whole ESP: gcc -m16 callers use it
	addw $2, %sp			// ss slot
	popw %gs
	popw %fs
	popw %es
	popw %ds
	popal
	addw $4, %sp			// handler slot
	iret

.macro INT_STUB name, handler
	.global \name
\name:
	pushl $\handler
	jmp int_common
.endm

	INT_STUB entry_10, handle_10
	INT_STUB entry_11, handle_11
	INT_STUB entry_12, handle_12
	INT_STUB entry_13, handle_13
	INT_STUB entry_15, handle_15
	INT_STUB entry_16, handle_16
	INT_STUB entry_18, handle_18
	INT_STUB entry_19, handle_19
	INT_STUB entry_1a, handle_1a

// PnP BIOS entry for option ROMs that probe it: no PnP BIOS functions here.
	.global pnp_bios_entry
pnp_bios_entry:
	movw $0x82, %ax			// FUNCTION_NOT_SUPPORTED
	lretw

// ---- hardware interrupts and defaults (pure real mode) ---------------------
	.global entry_iret
entry_iret:
	iret

	.global entry_08
entry_08:				// IRQ0: PIT tick, BDA 0x46C, 24 h rollover
	pushw %ds
	pushl %eax
	xorw %ax, %ax
	movw %ax, %ds
	incl 0x46C
	cmpl $0x1800B0, 0x46C
	jb 1f
	movl $0, 0x46C
	movb $1, 0x470
1:	int $0x1C
	movb $0x20, %al
	outb %al, $0x20
	popl %eax
	popw %ds
	iret

	.global entry_irq_master
entry_irq_master:			// unexpected IRQ 1-7: acknowledge
	pushw %ax
	movb $0x20, %al
	outb %al, $0x20
	popw %ax
	iret

	.global entry_irq_slave
entry_irq_slave:			// unexpected IRQ 8-15: acknowledge both PICs
	pushw %ax
	movb $0x20, %al
	outb %al, $0xA0
	outb %al, $0x20
	popw %ax
	iret

// ---- calling 16-bit code from C ------------------------------------------
// u32 call16_enter(u32 ss_sp): C has already built the frame at ss:sp
// (segment registers, pushal image, target ip/cs/flags, return ip/cs/flags).
// Returns the linear address of the register image saved on return.
	.code32
	.global call16_enter
call16_enter:
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %ebx
	movl 20(%esp), %ebx		// ss:sp
	pushl pm_stack_top
	movl %esp, pm_stack_top		// interrupts taken meanwhile nest below
	ENTER_RM call16_rm
call16_rm:
	movl %ebx, %eax
	shrl $16, %eax
	movw %ax, %ss
	movzwl %bx, %esp
	popw %gs
	popw %fs
	popw %es
	popw %ds
	popal
	iretw				// to the target with its flags; it returns
					// (lret or iret) to call16_return

	.global call16_return
call16_return:
	pushfw
	cli
	cld
	pushal
	pushw %ds
	pushw %es
	pushw %fs
	pushw %gs
	movzwl %sp, %ebx
	movw %ss, %ax
	movzwl %ax, %eax
	shll $4, %eax
	addl %eax, %ebx
	ENTER_PM call16_return32
	.code32
call16_return32:
	LOAD_FLAT_SEGMENTS
	movl pm_stack_top, %esp
	popl pm_stack_top
	movl %ebx, %eax
	popl %ebx
	popl %esi
	popl %edi
	popl %ebp
	ret

// void resume_jump32(u32 vector): the S3 waking vector in 32-bit protected
// mode, paging off, flat 4 GiB segments, interrupts off (ACPI 6.5 5.2.10,
// X_Firmware_Waking_Vector). The firmware already runs that way.
	.code32
	.global resume_jump32
resume_jump32:
	cli
	movl 4(%esp), %eax
	jmp *%eax

// ---- data used by the switches (F segment RAM stays writable) --------------
// The local APIC timer's vector while POST sleeps (hw/cpu_idle.c): EOI,
// and back to the instruction after the HLT.
	.text
	.code32
	.global idle_timer_entry
idle_timer_entry:
	movl $0, LAPIC_BASE + LAPIC_EOI
	.global idle_spurious_entry
idle_spurious_entry:
	iretl

	.section .data
	.global pm_stack_top, rm_stack
	.balign 4
pm_stack_top:	.long FW_STACK_TOP
rm_stack:	.long (POST_RM_STACK_SEG << 16) | POST_RM_STACK_OFF

// ---- the reset vector: last 16 bytes of the image ----------------------------
	.section .reset, "ax"
	.code16
	.global reset_vector
reset_vector:
	jmp reset_entry
	.balign 16, 0
	.section .note.GNU-stack, "", @progbits
