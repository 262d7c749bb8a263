/* A sector that must never run: it has working code but no 55 AA boot
 * signature (bytes 510-511 are zero).  If a firmware boots it anyway, it
 * says so on COM1 and exits through isa-debug-exit with 0x55. */
	.code16
	.text
	.globl _start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	$(msg - _start + 0x7c00), %si
1:	lodsb
	testb	%al, %al
	jz	2f
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	1b
2:	movb	$0x55, %al
	outb	%al, $0xf4
3:	hlt
	jmp	3b
msg:	.asciz	"BS FAIL bad_disk_booted the firmware ran a sector without 55 AA\r\nBS DONE 0 1\r\n"
	.org	510
	.byte	0, 0
