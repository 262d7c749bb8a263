// A call into the 64-bit hash blob (src/crypto/lm64) from 32-bit protected
// mode: paging on with the caller's identity map, long mode for the call,
// then back to flat 32-bit mode without paging (Intel SDM vol. 3, 10.8.5
// "Initializing IA-32e Mode" and 10.8.5.4 "Switching Out of IA-32e Mode").
//
// u32 longmode_call(u32 pml4, const struct hash64_job *jobs, u32 njobs)
// returns what hash64_entry returned.
#include "layout.h"

#define MSR_EFER 0xC0000080
#define EFER_LME 0x100
#define CR4_PAE 0x20
#define CR0_PG 0x80000000

	.section .text.longmode_call, "ax"
	.code32
	.global longmode_call
longmode_call:
	pushl %ebp
	movl %esp, %ebp
	pushl %ebx
	pushl %esi
	pushl %edi
	pushfl
	cli				// no IDT for long mode
	movl 8(%ebp), %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0			// IA-32e, compatibility mode
	ljmpl $SEL_CODE64, $1f

	.code64
1:	movl %esp, %esp			// upper halves are undefined: clear
	movl %ebp, %ebp
	movl 12(%rbp), %edi		// System V: jobs, njobs
	movl 16(%rbp), %esi
	movq %rsp, %rbx
	andq $-16, %rsp
	leaq hash64_blob(%rip), %rax
	call *%rax
	movq %rbx, %rsp
	pushq $SEL_CODE32
	leaq 2f(%rip), %rcx
	pushq %rcx
	lretq				// to compatibility mode

	.code32
2:	movl %eax, %edi
	movl %cr0, %eax
	andl $~CR0_PG, %eax
	movl %eax, %cr0			// paging off: long mode ends
	movl $MSR_EFER, %ecx
	rdmsr
	andl $~EFER_LME, %eax
	wrmsr
	movl %cr4, %eax
	andl $~CR4_PAE, %eax
	movl %eax, %cr4
	movl %edi, %eax
	popfl
	popl %edi
	popl %esi
	popl %ebx
	popl %ebp
	ret

	.balign 16
hash64_blob:
	.incbin "hash64.bin"
	.section .note.GNU-stack, "", @progbits
