/* Benchmark boot sector: its first instruction ends the run through
 * isa-debug-exit (port 0xf4), so QEMU exits at the hand-off. */
	.code16
	.text
	.globl _start
_start:
	outb	%al, $0xf4
1:	cli
	hlt
	jmp	1b
	.org	510
	.byte	0x55, 0xaa
