/* "Empty firmware" for the benchmark floor: a 64 KiB image whose reset
 * vector writes to isa-debug-exit (port 0xf4) at once. */
	.code16
	.section .text, "ax"
	.globl _start
_start:
	.fill	0xfff0, 1, 0xff
reset:					/* image offset 0xfff0 = F000:FFF0 */
	outb	%al, $0xf4
1:	cli
	hlt
	jmp	1b
	.fill	0x10000 - (. - _start), 1, 0xff
