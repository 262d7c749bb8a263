/* Output, reporting and exit for mbios test boot programs. */
#include "bs.h"

#define COM1 0x3f8
#define EXIT_PORT 0xf4

static int npass, nfail, serial_ready;

void bs_clear(struct bregs *r)
{
	memset_(r, 0, sizeof(*r));
	r->eflags = IF;
}

struct bs_dap bs_dap;

int bs_edd(u16 ax, u8 dl, u64 lba, u16 count, void *buf, u8 *status)
{
	struct bregs r;
	bs_dap.size = 16;
	bs_dap.reserved = 0;
	bs_dap.count = count;
	bs_dap.off = (u16)(u32)buf;
	bs_dap.seg = 0;
	bs_dap.lba = lba;
	bs_clear(&r);
	r.eax = ax;
	r.edx = dl;
	r.esi = (u16)(u32)&bs_dap;
	bs_intcall(0x13, &r);
	*status = (u8)(r.eax >> 8);
	return !(r.eflags & CF);
}

void putc_(char c)
{
	int n;
	if (!serial_ready) {
		outb(COM1 + 1, 0);      /* no interrupts */
		outb(COM1 + 3, 0x80);   /* DLAB */
		outb(COM1 + 0, 1);      /* 115200 */
		outb(COM1 + 1, 0);
		outb(COM1 + 3, 0x03);   /* 8N1 */
		serial_ready = 1;
	}
	if (c == '\n')
		putc_('\r');
	for (n = 0; n < 100000 && !(inb(COM1 + 5) & 0x20); n++)
		;
	outb(COM1, c);
}

void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

void puthex(u32 v, int digits)
{
	int i;
	for (i = digits - 1; i >= 0; i--)
		putc_("0123456789abcdef"[(v >> (i * 4)) & 15]);
}

void puthex64(u64 v)
{
	puts_("0x");
	puthex((u32)(v >> 32), 8);
	puthex((u32)v, 8);
}

void putdec(u32 v)
{
	char buf[12];
	int i = 0;
	do {
		buf[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i)
		putc_(buf[--i]);
}

void info_begin(const char *key)
{
	puts_("BS INFO ");
	puts_(key);
	putc_(' ');
}

void line_end(void)
{
	putc_('\n');
}

void check_begin(const char *name, int ok)
{
	if (ok)
		npass++;
	else
		nfail++;
	puts_(ok ? "BS PASS " : "BS FAIL ");
	puts_(name);
	putc_(' ');
}

void check(const char *name, int ok, const char *why)
{
	check_begin(name, ok);
	if (why)
		puts_(why);
	line_end();
}

void done_report(void)
{
	puts_("BS DONE ");
	putdec(npass);
	putc_(' ');
	putdec(nfail);
	line_end();
}

void done(void)
{
	done_report();
	outb(EXIT_PORT, nfail ? 1 : 0);
	for (;;)
		__asm__ volatile("cli; hlt");
}

int memeq(const void *a, const void *b, u32 n)
{
	const u8 *x = a, *y = b;
	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

void memset_(void *d, int c, u32 n)
{
	u8 *p = d;
	while (n--)
		*p++ = (u8)c;
}

/* gcc may emit calls to these for structure copies and clears. */
void *memcpy(void *d, const void *s, u32 n);
void *memset(void *d, int c, u32 n);
void *memcpy(void *d, const void *s, u32 n)
{
	u8 *x = d;
	const u8 *y = s;
	while (n--)
		*x++ = *y++;
	return d;
}

void *memset(void *d, int c, u32 n)
{
	memset_(d, c, n);
	return d;
}
