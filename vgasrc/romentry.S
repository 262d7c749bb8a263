// The ROM header (PCI Firmware spec 3.0, 5.1 and 5.1.2) and the two
// real-mode entry points: init (far call at offset 3) and INT 10h. Each
// saves the caller's registers on the caller's stack as a struct vregs,
// loads DS = ES = SS as gcc's -m16 code assumes, and calls the C handler
// with the struct's address (regparm: in EAX).
#ifndef PCI_VENDOR
#define PCI_VENDOR 0x1234 // QEMU's standard VGA
#define PCI_DEVICE 0x1111
#endif
	.code16
	.section .rom.header, "ax"
	.globl rom_start
rom_start:
	.byte 0x55, 0xAA
	.globl rom_blocks
rom_blocks:
	.byte 0			// 512-byte blocks, set by scripts/vgarom.py
	.byte 0xE9		// jmp near init_entry
	.word init_entry - (. + 2)
	.org 0x18
	.word pcir
	.word 0			// no PnP header: a VGA ROM has no boot vector
	.org 0x1E
	.ascii "IBM"		// where DOS-era programs look for a VGA BIOS

	.balign 4
	.globl pcir
pcir:				// PCI data structure, revision 3
	.ascii "PCIR"
	.word PCI_VENDOR, PCI_DEVICE
	.word 0			// device list
	.word 0x1C		// structure length
	.byte 3			// revision
	.byte 0, 0, 3		// class code: VGA-compatible display
	.globl pcir_image_length
pcir_image_length:
	.word 0			// set by scripts/vgarom.py
	.word 1			// code revision
	.byte 0			// x86 PC-AT code
	.byte 0x80		// last image
	.globl pcir_runtime_length
pcir_runtime_length:
	.word 0			// set by scripts/vgarom.py
	.word 0, 0		// no configuration utility, no DMTF CLP

// Save the caller's registers as a struct vregs, call the C handler with
// DS = ES = SS and its address in EAX, restore, and return with ret.
.macro ENTRY name, handler, ret
	.globl \name
\name:
	pushal
	pushw %ds
	pushw %es
	movw %ss, %ax
	movw %ax, %ds
	movw %ax, %es
	movzwl %sp, %esp
	movl %esp, %eax
	cld
	calll \handler
	popw %es
	popw %ds
	popal
	\ret
.endm

	.text
	ENTRY init_entry, vga_init, lretw
	ENTRY int10_entry, int10_handler, iretw
	// The VBE window function (ModeInfoBlock WinFuncPtr): 4F05h by far call.
	ENTRY vbe_window_entry, vbe_window_handler, lretw


// u32 flat_read32(u32 addr) and void flat_write16(u32 addr, u16 v):
// access anywhere in the 4 GiB space from real mode (QEMU's EDID in BAR 2,
// bochs-display's dispi registers). A brief switch to protected mode
// loads FS with a flat 4 GiB segment; back in real mode that limit stays
// in FS's descriptor cache for the one access (IA-32 SDM vol. 3, 9.9.2),
// then FS is reloaded. The caller's GDTR and interrupt flag are kept.
.macro FLAT name, access
	.globl \name
\name:
	pushfl
	cli
	pushl %ebx
	pushl %ecx
	pushw %fs
	movl %eax, %ebx
	subl $12, %esp
	sgdtl 6(%esp)			// the caller's GDTR, restored below
	xorl %eax, %eax
	movw %cs, %ax
	shll $4, %eax
	addl $flat_gdt, %eax
	movw $23, (%esp)		// limit: three descriptors
	movl %eax, 2(%esp)		// linear base of flat_gdt
	lgdtl (%esp)
	movl %cr0, %eax
	orb $1, %al
	movl %eax, %cr0
	movw $8, %cx
	movw %cx, %fs
	andb $0xFE, %al
	movl %eax, %cr0
	\access
	lgdtl 6(%esp)
	addl $12, %esp
	popw %fs
	popl %ecx
	popl %ebx
	popfl
	retl
.endm

	.text
	FLAT flat_read32, "movl %fs:(%ebx), %eax"
	FLAT flat_write16, "movw %dx, %fs:(%ebx)"

	.balign 8
flat_gdt:
	.quad 0
	.quad 0x008F92000000FFFF	// data, base 0, limit 4 GiB, writable
	.quad 0

	.section .note.GNU-stack, "", @progbits
