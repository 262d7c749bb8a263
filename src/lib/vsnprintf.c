// A small vsnprintf: %d %i %u %x %X %p %s %c %%, with width, '0' and '-'
// flags and the l/ll/z/h length modifiers. Output is always terminated.
#include "lib/format.h"

struct sink {
	char *buf;
	size_t size, len;
};

static void put(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_num(struct sink *s, u64 v, unsigned base, bool upper, bool neg,
		    int width, char pad, bool left)
{
	char tmp[24];
	int n = 0;
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	// 32-bit division while the value fits: libgcc's 64-bit one would
	// otherwise run for every digit printed (and be translated by QEMU's
	// TCG in every boot).
	do {
		u32 d;
		if (v >> 32) {
			d = (u32)(v % base);
			v /= base;
		} else {
			d = (u32)v % base;
			v = (u32)v / base;
		}
		tmp[n++] = digits[d];
	} while (v);
	if (neg)
		tmp[n++] = '-';
	if (neg && pad == '0') {
		put(s, '-');
		n--;
		width--;
	}
	int fill = width > n ? width - n : 0;
	if (!left)
		while (fill--)
			put(s, pad);
	while (n--)
		put(s, tmp[n]);
	if (left)
		while (fill-- > 0)
			put(s, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = {buf, size, 0};
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&s, *fmt);
			continue;
		}
		fmt++;
		bool left = false;
		char pad = ' ';
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		int width = 0;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		int lng = 0;
		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
			if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z')
				lng = sizeof(size_t) == 8 ? 2 : 1;
			fmt++;
		}
		u64 v;
		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 sv = lng >= 2 ? va_arg(ap, s64)
				 : lng	  ? va_arg(ap, long)
					  : va_arg(ap, int);
			put_num(&s, sv < 0 ? -(u64)sv : (u64)sv, 10, false,
				sv < 0, width, pad, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = lng >= 2 ? va_arg(ap, u64)
			    : lng    ? va_arg(ap, unsigned long)
				     : va_arg(ap, unsigned int);
			put_num(&s, v, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				false, width, pad, left);
			break;
		case 'p':
			put(&s, '0');
			put(&s, 'x');
			put_num(&s, (uintptr_t)va_arg(ap, void *), 16, false,
				false, width, pad, left);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			int n = 0;
			while (str[n])
				n++;
			int fill = width > n ? width - n : 0;
			if (!left)
				while (fill--)
					put(&s, ' ');
			while (*str)
				put(&s, *str++);
			if (left)
				while (fill-- > 0)
					put(&s, ' ');
			break;
		}
		case 'c':
			put(&s, (char)va_arg(ap, int));
			break;
		case '%':
			put(&s, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&s, '%');
			put(&s, *fmt);
		}
	}
	if (size)
		buf[s.len < size ? s.len : size - 1] = 0;
	return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
