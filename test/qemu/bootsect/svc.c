/* svc: checks the BIOS services a boot loader relies on.
 * INT 13h (08h, 02h CHS, 41h, 42h, 43h, 48h, 15h), INT 15h (E820h, E801h, 88h),
 * INT 12h, INT 1Ah (00h, 02h, 04h).  Disk contents and the expected sizes
 * come from the harness (see bs.h: struct bs_params and the pattern).
 */
#include "bs.h"

#define SMAP 0x534d4150

static u8 boot_drive;
static u16 heads, spt, cyls;         /* from AH=08h */
static u8 sec[512];
static u8 multi[8 * 512];

/* ---- disk pattern (must match mbtest.pattern_sector) ---- */
static int pattern_ok(const u8 *b, u64 lba)
{
	u32 i, lo = (u32)lba;
	if (!(b[0] == 'M' && b[1] == 'B' && b[2] == 'T' && b[3] == 'S'))
		return 0;
	if (*(const u64 *)(b + 4) != lba)
		return 0;
	for (i = 12; i < 508; i++)
		if (b[i] != (u8)(i + lo))
			return 0;
	return *(const u32 *)(b + 508) == ~lo;
}

static void put_lba_detail(const char *what, u64 lba)
{
	puts_(what);
	puts_(*what ? " lba=" : "lba=");
	puthex64(lba);
}

/* ---- INT 13h helpers ---- */
static int chs_read(u16 c, u16 h, u16 s, u8 count, void *buf, u8 *status)
{
	struct bregs r;
	bs_clear(&r);
	r.eax = 0x0200 | count;
	r.ecx = ((c & 0xff) << 8) | ((c >> 2) & 0xc0) | (s & 0x3f);
	r.edx = (h << 8) | boot_drive;
	r.ebx = (u16)(u32)buf;
	r.es = 0;
	bs_intcall(0x13, &r);
	*status = (u8)(r.eax >> 8);
	return !(r.eflags & CF) && *status == 0 && (u8)r.eax == count;
}

static int lba_xfer(u16 ax, u64 lba, u16 count, void *buf, u8 *status)
{
	return bs_edd(ax, boot_drive, lba, count, buf, status) && *status == 0;
}

static int lba_read(u64 lba, u16 count, void *buf, u8 *status)
{
	return lba_xfer(0x4200, lba, count, buf, status);
}

/* AH=43h (AL=0, no verify) of sectors 2000-2002 over 1006-1008, then a
 * read of 1005-1009: the written sectors come back and their neighbours
 * are unchanged. The run crosses a 4 KiB boundary at 1008, so a driver
 * that translates to 4 KiB blocks must read-modify-write both blocks. The
 * disk is a QEMU snapshot: the file does not change. */
static void check_write(void)
{
	u8 st;
	int ok = lba_read(2000, 3, multi, &st) &&
		 lba_xfer(0x4300, 1006, 3, multi, &st) &&
		 lba_read(1005, 5, multi, &st);
	int data = ok && pattern_ok(multi, 1005) &&
		   pattern_ok(multi + 4 * 512, 1009);
	for (u16 i = 0; data && i < 3; i++)
		data = pattern_ok(multi + 512 * (i + 1), 2000 + i);
	check_begin("int13_43_write_readback", data);
	puts_("lba=1006 count=3");
	if (!ok) {
		puts_(" failed ah=");
		puthex(st, 2);
	} else if (!data) {
		puts_(" wrong data");
	}
	line_end();
}

static void check_chs(const char *name, u16 c, u16 h, u16 s)
{
	u8 st;
	u64 lba = ((u64)c * heads + h) * spt + (s - 1);
	int ok = chs_read(c, h, s, 1, sec, &st);
	check_begin(name, ok && pattern_ok(sec, lba));
	puts_("chs=");
	putdec(c); putc_('/'); putdec(h); putc_('/'); putdec(s);
	put_lba_detail("", lba);
	if (!ok) {
		puts_(" read failed ah=");
		puthex(st, 2);
	} else if (!pattern_ok(sec, lba)) {
		puts_(" wrong data");
	}
	line_end();
}

static void check_lba(const char *name, u64 lba, u16 count)
{
	u8 st;
	u16 i;
	int ok = lba_read(lba, count, multi, &st);
	int data = ok;
	for (i = 0; ok && i < count; i++)
		if (!pattern_ok(multi + 512 * i, lba + i))
			data = 0;
	check_begin(name, ok && data && bs_dap.count == count);
	put_lba_detail("", lba);
	puts_(" count=");
	putdec(count);
	if (!ok) {
		puts_(" read failed ah=");
		puthex(st, 2);
	} else if (!data) {
		puts_(" wrong data");
	} else if (bs_dap.count != count) {
		puts_(" DAP count changed");
	}
	line_end();
}

static void disk_tests(void)
{
	const struct bs_params *p = BS_PARAMS;
	struct bregs r;
	u8 st;
	u16 c;
	int ok;

	check_begin("bda_hard_disks", *(volatile u8 *)0x475 >= 1);
	puts_("count=");
	putdec(*(volatile u8 *)0x475);
	line_end();

	/* AH=08h: drive parameters */
	bs_clear(&r);
	r.eax = 0x0800;
	r.edx = boot_drive;
	bs_intcall(0x13, &r);
	spt = r.ecx & 0x3f;
	cyls = (((r.ecx >> 8) & 0xff) | ((r.ecx & 0xc0) << 2)) + 1;
	heads = ((r.edx >> 8) & 0xff) + 1;
	ok = !(r.eflags & CF) && ((r.eax >> 8) & 0xff) == 0 && spt >= 1 &&
	     (r.edx & 0xff) >= 1;
	check_begin("int13_08_geometry", ok);
	puts_("cyls="); putdec(cyls);
	puts_(" heads="); putdec(heads);
	puts_(" spt="); putdec(spt);
	puts_(" drives="); putdec(r.edx & 0xff);
	line_end();
	if (!ok) {
		/* nothing below can address the disk without a geometry */
		heads = 16;
		spt = 63;
		cyls = 2;
	}

	/* AH=02h: CHS reads */
	ok = chs_read(0, 0, 1, 1, sec, &st);
	check_begin("int13_02_sector1", ok && memeq(sec, (void *)0x7c00, 512));
	if (!ok) {
		puts_("read failed ah=");
		puthex(st, 2);
	}
	line_end();
	check_chs("int13_02_head1", 0, 1, 1);
	check_chs("int13_02_cyl1", 1, 0, 1);
	check_chs("int13_02_cyl1_last", 1, heads - 1, spt);
	check_chs("int13_02_cyl2_mid", 2, heads / 2, spt / 2 + 1);
	/* A multi-sector read inside one track of cylinder 1. */
	{
		u16 i, n = spt < 8 ? spt : 8;
		u64 lba = (u64)heads * spt;
		int data;
		ok = chs_read(1, 0, 1, n, multi, &st);
		data = ok;
		for (i = 0; ok && i < n; i++)
			if (!pattern_ok(multi + 512 * i, lba + i))
				data = 0;
		check_begin("int13_02_multi", ok && data);
		puts_("count=");
		putdec(n);
		if (!ok) { puts_(" read failed ah="); puthex(st, 2); }
		else if (!data) puts_(" wrong data");
		line_end();
	}
	/* A cylinder >= 256 (10-bit cylinder number), as high as CHS goes. */
	c = cyls - 1 >= 1023 ? 1023 : cyls - 1 >= 511 ? 511 : 256;
	if (cyls - 1 < 256) {
		check("int13_02_cyl_high", 0, "fewer than 257 cylinders reported");
	} else {
		check_chs("int13_02_cyl_high", c, heads - 1, spt);
		check_chs("int13_02_cyl_high_first", c, 0, 1);
	}

	/* AH=15h: drive type */
	bs_clear(&r);
	r.eax = 0x1500;
	r.edx = boot_drive;
	bs_intcall(0x13, &r);
	check_begin("int13_15_type", !(r.eflags & CF) && ((r.eax >> 8) & 0xff) == 3);
	puts_("ah=");
	puthex((r.eax >> 8) & 0xff, 2);
	line_end();

	/* AH=41h: EDD installation check */
	bs_clear(&r);
	r.eax = 0x4100;
	r.ebx = 0x55aa;
	r.edx = boot_drive;
	bs_intcall(0x13, &r);
	ok = !(r.eflags & CF) && (r.ebx & 0xffff) == 0xaa55 && (r.ecx & 1);
	check_begin("int13_41_edd", ok);
	puts_("version=");
	puthex((r.eax >> 8) & 0xff, 2);
	puts_(" bx=");
	puthex(r.ebx & 0xffff, 4);
	puts_(" cx=");
	puthex(r.ecx & 0xffff, 4);
	line_end();

	/* AH=42h: extended reads */
	check_lba("int13_42_low", 100, 1);
	check_lba("int13_42_multi", 1000, 8);
	check_lba("int13_42_above_8g", p->hi_lba[0], 1);
	check_lba("int13_42_last", p->hi_lba[1], 1);
	ok = lba_read(p->total_sectors, 1, multi, &st);
	check_begin("int13_42_past_end_fails", !ok);
	put_lba_detail("", p->total_sectors);
	line_end();
	check_write();

	/* AH=48h: extended drive parameters */
	{
		static u8 edd[0x42];
		memset_(edd, 0, sizeof(edd));
		*(u16 *)edd = 0x1e;
		bs_clear(&r);
		r.eax = 0x4800;
		r.edx = boot_drive;
		r.esi = (u16)(u32)edd;
		bs_intcall(0x13, &r);
		ok = !(r.eflags & CF) && *(u16 *)edd >= 0x1a &&
		     *(u64 *)(edd + 0x10) == p->total_sectors &&
		     *(u16 *)(edd + 0x18) == 512;
		check_begin("int13_48_params", ok);
		puts_("size=");
		puthex(*(u16 *)edd, 4);
		puts_(" sectors=");
		puthex64(*(u64 *)(edd + 0x10));
		puts_(" expected=");
		puthex64(p->total_sectors);
		puts_(" bps=");
		putdec(*(u16 *)(edd + 0x18));
		line_end();
	}
}

/* ---- memory ---- */
struct e820 {
	u64 base, len;
	u32 type, ext;
} __attribute__((packed));
static struct e820 map[128];
static int nmap;

static u64 usable_end_from(u64 addr)
{
	/* end of the contiguous usable RAM that contains addr (0 if none) */
	int i, again = 1;
	u64 end = 0;
	for (i = 0; i < nmap; i++)
		if (map[i].type == 1 && map[i].base <= addr && addr < map[i].base + map[i].len)
			end = map[i].base + map[i].len;
	while (end && again) {
		again = 0;
		for (i = 0; i < nmap; i++)
			if (map[i].type == 1 && map[i].base == end && map[i].len) {
				end += map[i].len;
				again = 1;
			}
	}
	return end;
}

static void memory_tests(void)
{
	const struct bs_params *p = BS_PARAMS;
	struct bregs r;
	u32 cont = 0, base_kb;
	int i, j, ok, walk_ok = 1, sig_ok = 1, types_ok = 1, overlap = 0, hole = 0;
	int low_ok = 0, high_ok = 0, above4g = 0;
	u64 total = 0, ram = (u64)p->ram_mib << 20, end1m, end16m;
	static struct e820 ent;

	/* INT 12h */
	bs_clear(&r);
	bs_intcall(0x12, &r);
	base_kb = r.eax & 0xffff;
	check_begin("int12_base_memory", base_kb >= 512 && base_kb <= 640 &&
		    base_kb == *(volatile u16 *)0x413);
	puts_("kb=");
	putdec(base_kb);
	puts_(" bda=");
	putdec(*(volatile u16 *)0x413);
	line_end();

	/* INT 15h E820h walk */
	do {
		memset_(&ent, 0, sizeof(ent));
		ent.ext = 1;
		bs_clear(&r);
		r.eax = 0xe820;
		r.ebx = cont;
		r.ecx = 24;
		r.edx = SMAP;
		r.edi = (u16)(u32)&ent;
		bs_intcall(0x15, &r);
		if (r.eflags & CF) {
			walk_ok = 0;
			break;
		}
		if (r.eax != SMAP)
			sig_ok = 0;
		if ((r.ecx & 0xff) < 20 || (r.ecx & 0xff) > 24)
			walk_ok = 0;
		/* ACPI 3.0 extended attributes: bit 0 clear means "ignore" */
		if ((r.ecx & 0xff) < 24 || (ent.ext & 1))
			map[nmap++] = ent;
		cont = r.ebx;
	} while (cont && nmap < 128);
	if (nmap >= 128)
		walk_ok = 0;
	for (i = 0; i < nmap; i++) {
		info_begin("e820");
		puthex64(map[i].base);
		putc_(' ');
		puthex64(map[i].len);
		putc_(' ');
		putdec(map[i].type);
		line_end();
		if (map[i].type < 1 || map[i].type > 5 || map[i].len == 0 ||
		    map[i].base + map[i].len < map[i].base)
			types_ok = 0;
		if (map[i].type != 1)
			continue;
		total += map[i].len;
		if (map[i].base == 0 && map[i].len >= (u64)base_kb * 1024 && base_kb)
			low_ok = 1;
		if (map[i].base <= 0x100000 && map[i].base + map[i].len > 0x100000)
			high_ok = 1;
		if (map[i].base >= 0x100000000ULL)
			above4g = 1;
		if (map[i].base < 0x100000 && map[i].base + map[i].len > 0xa0000)
			hole = 1;
	}
	for (i = 0; i < nmap; i++)
		for (j = i + 1; j < nmap; j++)
			if (map[i].base < map[j].base + map[j].len &&
			    map[j].base < map[i].base + map[i].len)
				overlap = 1;
	check_begin("e820_walk", walk_ok && sig_ok && nmap > 0);
	puts_("entries=");
	putdec(nmap);
	if (!sig_ok)
		puts_(" EAX not SMAP");
	if (!walk_ok)
		puts_(" CF set, bad ECX or no end (EBX never 0)");
	line_end();
	check("e820_types_sane", types_ok, "types 1-5, nonzero lengths");
	check("e820_no_overlap", !overlap, 0);
	check("e820_ram_at_0", low_ok, "usable entry at 0 covering INT 12h memory");
	check("e820_ram_above_1m", high_ok, "usable entry containing 1 MiB");
	check("e820_no_ram_in_a0000_fffff", !hole, 0);
	check_begin("e820_total_ram", total <= ram && total + (8ULL << 20) >= ram);
	puts_("usable=");
	puthex64(total);
	puts_(" ram=");
	puthex64(ram);
	line_end();
	if (p->ram_mib > 4096)
		check("e820_ram_above_4g", above4g, "RAM configured above 4 GiB");

	/* INT 15h E801h */
	end1m = usable_end_from(0x100000);
	end16m = usable_end_from(0x1000000);
	bs_clear(&r);
	r.eax = 0xe801;
	bs_intcall(0x15, &r);
	{
		u32 ax = r.eax & 0xffff, bx = r.ebx & 0xffff, cx = r.ecx & 0xffff,
		    dx = r.edx & 0xffff;
		u64 top = bx ? 0x1000000ULL + ((u64)bx << 16) : 0x100000ULL + ((u64)ax << 10);
		u64 lim = bx ? end16m : end1m;
		if (lim > 0x100000000ULL)
			lim = 0x100000000ULL;
		ok = !(r.eflags & CF) && ax == cx && bx == dx && ax <= 0x3c00 &&
		     (bx == 0 || ax == 0x3c00) && ax > 0 && top <= lim &&
		     top + (16ULL << 20) >= lim;
		check_begin("int15_e801", ok);
		puts_("ax="); puthex(ax, 4);
		puts_(" bx="); puthex(bx, 4);
		puts_(" cx="); puthex(cx, 4);
		puts_(" dx="); puthex(dx, 4);
		puts_(" top="); puthex64(top);
		puts_(" usable_end="); puthex64(lim);
		line_end();
	}

	/* INT 15h 88h */
	bs_clear(&r);
	r.eax = 0x8800;
	bs_intcall(0x15, &r);
	{
		u32 ax = r.eax & 0xffff;
		u64 want = end1m > 0x100000 ? (end1m - 0x100000) >> 10 : 0;
		if (want > 0x3c00)
			want = 0x3c00;
		ok = !(r.eflags & CF) && ax >= want &&
		     0x100000ULL + ((u64)ax << 10) <= end1m;
		check_begin("int15_88", ok);
		puts_("ax=");
		puthex(ax, 4);
		line_end();
	}
}

/* ---- time ---- */
static u8 cmos(u8 reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static int bcd_ok(u8 v, u8 max)
{
	return (v & 0x0f) <= 9 && (v >> 4) <= 9 && ((v >> 4) * 10 + (v & 15)) <= max;
}

static int wait_rtc_second(void)
{
	u8 s = cmos(0);
	u32 n;
	for (n = 0; n < 200000000; n++)
		if (cmos(0) != s)
			return 1;
	return 0;
}

static u32 ticks(void)
{
	struct bregs r;
	bs_clear(&r);
	r.eax = 0;
	bs_intcall(0x1a, &r);
	return ((r.ecx & 0xffff) << 16) | (r.edx & 0xffff);
}

static void time_tests(void)
{
	struct bregs r;
	u32 t0, t1, bda;
	int ok;

	/* INT 1Ah AH=00h against two RTC seconds */
	ok = wait_rtc_second();
	t0 = ticks();
	ok = ok && wait_rtc_second() && wait_rtc_second();
	t1 = ticks();
	bda = *(volatile u32 *)0x46c;
	check_begin("int1a_00_ticks", ok && t1 - t0 >= 20 && t1 - t0 <= 60 &&
		    bda - t1 <= 2);
	puts_("ticks_in_2s=");
	putdec(t1 - t0);
	puts_(" t1=");
	puthex(t1, 8);
	puts_(" bda=");
	puthex(bda, 8);
	if (!ok)
		puts_(" RTC seconds did not advance");
	line_end();

	bs_clear(&r);
	r.eax = 0x0200;
	bs_intcall(0x1a, &r);
	{
		u8 h = (r.ecx >> 8) & 0xff, m = r.ecx & 0xff, s = (r.edx >> 8) & 0xff;
		ok = !(r.eflags & CF) && bcd_ok(h, 23) && bcd_ok(m, 59) && bcd_ok(s, 59);
		check_begin("int1a_02_time", ok);
		puthex(h, 2); putc_(':'); puthex(m, 2); putc_(':'); puthex(s, 2);
		line_end();
		info_begin("rtc_time");
		puthex(h, 2); putc_(':'); puthex(m, 2); putc_(':'); puthex(s, 2);
		line_end();
	}
	bs_clear(&r);
	r.eax = 0x0400;
	bs_intcall(0x1a, &r);
	{
		u8 c = (r.ecx >> 8) & 0xff, y = r.ecx & 0xff, mo = (r.edx >> 8) & 0xff,
		   d = r.edx & 0xff;
		ok = !(r.eflags & CF) && (c == 0x19 || c == 0x20) && bcd_ok(y, 99) &&
		     bcd_ok(mo, 12) && mo && bcd_ok(d, 31) && d;
		check_begin("int1a_04_date", ok);
		puthex(c, 2); puthex(y, 2); putc_('-'); puthex(mo, 2); putc_('-'); puthex(d, 2);
		line_end();
		info_begin("rtc_date");
		puthex(c, 2); puthex(y, 2); putc_('-'); puthex(mo, 2); putc_('-'); puthex(d, 2);
		line_end();
	}
}

void bs_main(u32 drive) __attribute__((noreturn));
void bs_main(u32 drive)
{
	const struct bs_params *p = BS_PARAMS;
	boot_drive = (u8)drive;
	puts_("BS START svc\n");
	info_begin("boot_drive");
	puthex(boot_drive, 2);
	line_end();
	check("boot_drive_is_hard_disk", boot_drive >= 0x80, 0);
	if (p->magic != BS_PARAMS_MAGIC) {
		check("params", 0, "parameter sector missing (LBA 48)");
		done();
	}
	disk_tests();
	memory_tests();
	time_tests();
	done();
}
