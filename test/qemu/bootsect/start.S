/* First sector of an mbios test boot program, and the real-mode
 * interrupt-call helper used by the C part.
 *
 * The first sector loads disk sectors 2..49 of cylinder 0, head 0
 * (LBA 1..48: the rest of the program and the parameter sector) to 0x7E00
 * with INT 13h AH=02h, zeroes .bss, and calls bs_main(boot_drive) with
 * DS = ES = SS = 0 and the stack below 0x7C00.  The C part is built with
 * gcc -m16 (32-bit code with size prefixes, run in real mode).
 * Built with -DBS_PRELOADED (an El Torito no-emulation image, which the
 * firmware loads whole) the INT 13h load is skipped.
 */
#define LOAD_SECTORS 48
#define EXIT_PORT 0xf4
#define COM1 0x3f8

	.code16
	.section .boot, "ax"
	.globl _start
_start:
	cli
	ljmp	$0, $1f
1:	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	$0x7c00, %esp
	cld
	sti
	movw	%dx, %bp		/* DL = boot drive, keep it in BP */
#ifdef BS_PRELOADED
	jmp	3f
#endif
	movw	$3, %si			/* tries */
2:	movw	$0x7e00, %bx
	movw	$(0x0200 + LOAD_SECTORS), %ax
	movw	$0x0002, %cx		/* cylinder 0, sector 2 */
	movw	%bp, %dx
	movb	$0, %dh			/* head 0 */
	int	$0x13
	jnc	3f
	decw	%si
	jz	load_failed
	xorb	%ah, %ah		/* reset, then try again */
	movw	%bp, %dx
	int	$0x13
	jmp	2b
3:	movl	$_bss_start, %edi	/* zero .bss */
	movl	$_bss_end, %ecx
	subl	%edi, %ecx
	xorb	%al, %al
	rep stosb
	movzwl	%bp, %eax
	andl	$0xff, %eax
	pushl	%eax
	calll	bs_main
	/* bs_main does not return; if it does, report failure. */
	movb	$0x7f, %al
	outb	%al, $EXIT_PORT
	jmp	halt

load_failed:
	movw	$msg_load_failed, %si
4:	lodsb
	testb	%al, %al
	jz	5f
	movw	$COM1, %dx
	outb	%al, %dx
	jmp	4b
5:	movb	$0x7e, %al
	outb	%al, $EXIT_PORT
halt:	cli
	hlt
	jmp	halt

msg_load_failed:
	.asciz	"BS FAIL load INT 13h AH=02h could not load the test program\r\nBS DONE 0 1\r\n"

/* void bs_intcall(uint32_t intno, struct bregs *r)
 * Loads EAX..EBP, DS and ES from *r, executes INT intno, and stores the
 * registers and the flags back into *r.  Everything else is preserved.
 */
	.text
	.globl	bs_intcall
bs_intcall:
	pushal
	pushw	%ds
	pushw	%es
	movl	40(%esp), %eax		/* intno (32 pushal + 4 segs + 4 ret) */
	movb	%al, int_insn + 1
	movl	44(%esp), %eax		/* r */
	movl	%eax, saved_r
	movl	%esp, saved_esp
	movl	4(%eax), %ebx
	movl	8(%eax), %ecx
	movl	12(%eax), %edx
	movl	16(%eax), %esi
	movl	20(%eax), %edi
	movl	24(%eax), %ebp
	movw	30(%eax), %es
	pushw	28(%eax)
	pushl	32(%eax)		/* caller's flags (CF etc.) */
	movl	0(%eax), %eax
	popfl
	popw	%ds
	jmp	int_insn		/* the INT number was just written */
int_insn:
	int	$0
	pushfl
	pushl	%eax
	pushw	%ds
	xorw	%ax, %ax
	movw	%ax, %ds
	movl	saved_r, %eax
	popw	28(%eax)
	popl	0(%eax)
	popl	32(%eax)
	movl	%ebx, 4(%eax)
	movl	%ecx, 8(%eax)
	movl	%edx, 12(%eax)
	movl	%esi, 16(%eax)
	movl	%edi, 20(%eax)
	movl	%ebp, 24(%eax)
	movw	%es, 30(%eax)
	xorw	%ax, %ax
	movw	%ax, %ss
	movl	saved_esp, %esp
	cld
	popw	%es
	popw	%ds
	popal
	retl

	.bss
	.balign	4
saved_esp:	.long 0
saved_r:	.long 0
