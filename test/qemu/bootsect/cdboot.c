/* cdboot: the boot image of an El Torito CD (no emulation, diskette or
 * hard disk emulation), checking what the firmware gives a CD boot:
 * DL, INT 13h 4Bh (status, terminate), the CD itself as drive E0h with
 * 2048-byte EDD reads (41h, 42h, 43h refused, 48h), and for the emulated
 * drive its geometry (08h), CHS reads (02h) and refused writes (03h).
 * What to expect comes from the harness's parameter sector (struct
 * cd_params at 0xDC00, the image's 512-byte sector 48).
 */
#include "bs.h"

#define CD_DRIVE 0xe0

struct cd_params {
	u32 magic;	  /* "MBTC" */
	u32 version;
	u32 cd_sectors;	  /* the medium, 2048-byte sectors */
	u32 image_lba;	  /* boot image start (catalog) */
	u32 catalog_lba;
	u8 media;	  /* 0 none, 2 1.44 MB diskette, 4 hard disk */
	u8 boot_drive;	  /* DL expected: E0h, 00h, 80h */
	u16 sector_count; /* 512-byte sectors the firmware loads */
	u32 emu_sectors;  /* emulated drive size (512-byte sectors) */
	u16 emu_cyls;
	u8 emu_heads, emu_spt;
	u32 reboot;	  /* 1: reset the machine at the end, not exit */
} __attribute__((packed));
#define CD_PARAMS_MAGIC 0x4354424d
#define P ((const struct cd_params *)0xdc00)

static u8 drive;
static u8 buf[2 * 2048];
static u8 pkt[0x20];
static u8 edd[0x4a];

/* must match mbtest.pattern_sector */
static int pattern_ok(const u8 *b, u32 lba)
{
	u32 i;
	if (!memeq(b, "MBTS", 4) || *(const u32 *)(b + 4) != lba ||
	    *(const u32 *)(b + 8) != 0)
		return 0;
	for (i = 12; i < 508; i++)
		if (b[i] != (u8)(i + lba))
			return 0;
	return *(const u32 *)(b + 508) == ~lba;
}

static u8 ah_of(const struct bregs *r)
{
	return (u8)(r->eax >> 8);
}

static int ext_read(u8 dl, u32 lba, u16 count, void *to, u8 *st)
{
	return bs_edd(0x4200, dl, lba, count, to, st) && *st == 0 &&
	       bs_dap.count == count;
}

static int chs_read(u16 c, u16 h, u16 s, void *to, u8 *st)
{
	struct bregs r;
	bs_clear(&r);
	r.eax = 0x0201;
	r.ecx = ((c & 0xff) << 8) | ((c >> 2) & 0xc0) | (s & 0x3f);
	r.edx = (h << 8) | drive;
	r.ebx = (u16)(u32)to;
	bs_intcall(0x13, &r);
	*st = ah_of(&r);
	return !(r.eflags & CF) && *st == 0 && (u8)r.eax == 1;
}

static void status_packet(void)
{
	struct bregs r;
	memset_(pkt, 0xcc, sizeof(pkt));
	pkt[0] = 0x13;
	bs_clear(&r);
	r.eax = 0x4b01;
	r.edx = drive;
	r.esi = (u16)(u32)pkt;
	bs_intcall(0x13, &r);
	{
		u16 seg = *(u16 *)(pkt + 0x0c), n = *(u16 *)(pkt + 0x0e);
		u32 lba = *(u32 *)(pkt + 4);
		int ok = !(r.eflags & CF) && pkt[0] == 0x13 &&
			 (pkt[1] & 0x0f) == P->media && pkt[2] == P->boot_drive &&
			 lba == P->image_lba && seg == 0x07c0 &&
			 n == P->sector_count;
		if (ok && P->media) {
			u16 cyl = pkt[0x10] | (pkt[0x11] & 0xc0) << 2;
			ok = cyl == P->emu_cyls - 1 &&
			     (pkt[0x11] & 0x3f) == P->emu_spt &&
			     pkt[0x12] == P->emu_heads - 1;
		}
		check_begin("cd_4b01_status", ok);
		puts_("cf=");
		putdec(r.eflags & CF);
		puts_(" media=");
		puthex(pkt[1], 2);
		puts_(" drive=");
		puthex(pkt[2], 2);
		puts_(" lba=");
		putdec(lba);
		puts_(" seg=");
		puthex(seg, 4);
		puts_(" count=");
		putdec(n);
		puts_(" geom=");
		puthex(pkt[0x10], 2);
		puthex(pkt[0x11], 2);
		puthex(pkt[0x12], 2);
		line_end();
	}
}

static void cd_tests(void)
{
	struct bregs r;
	u8 st;
	int ok;

	/* 41h on the CD */
	bs_clear(&r);
	r.eax = 0x4100;
	r.ebx = 0x55aa;
	r.edx = CD_DRIVE;
	bs_intcall(0x13, &r);
	ok = !(r.eflags & CF) && (r.ebx & 0xffff) == 0xaa55 && (r.ecx & 1);
	check_begin("cd_41_edd", ok);
	puts_("bx=");
	puthex(r.ebx & 0xffff, 4);
	puts_(" cx=");
	puthex(r.ecx & 0xffff, 4);
	line_end();

	/* 48h: 2048-byte sectors, the medium's size, removable */
	memset_(edd, 0, sizeof(edd));
	*(u16 *)edd = sizeof(edd);
	bs_clear(&r);
	r.eax = 0x4800;
	r.edx = CD_DRIVE;
	r.esi = (u16)(u32)edd;
	bs_intcall(0x13, &r);
	ok = !(r.eflags & CF) && *(u16 *)(edd + 0x18) == 2048 &&
	     *(u64 *)(edd + 0x10) == P->cd_sectors && (edd[2] & 0x04);
	check_begin("cd_48_params", ok);
	puts_("bps=");
	putdec(*(u16 *)(edd + 0x18));
	puts_(" sectors=");
	puthex64(*(u64 *)(edd + 0x10));
	puts_(" want=");
	putdec(P->cd_sectors);
	puts_(" flags=");
	puthex(*(u16 *)(edd + 2), 4);
	puts_(" iface=");
	for (ok = 0; ok < 8; ok++)
		putc_(edd[0x28 + ok] >= ' ' ? edd[0x28 + ok] : '.');
	line_end();

	/* 42h: the primary volume descriptor, then 2 sectors at once */
	ok = ext_read(CD_DRIVE, 16, 1, buf, &st);
	check_begin("cd_42_pvd", ok && buf[0] == 1 && memeq(buf + 1, "CD001", 5));
	puts_("ah=");
	puthex(st, 2);
	line_end();
	ok = ext_read(CD_DRIVE, 16, 2, buf, &st);
	check_begin("cd_42_brvd_two_sectors",
		    ok && buf[0] == 1 && buf[2048] == 0 &&
			memeq(buf + 2049, "CD001", 5) &&
			memeq(buf + 2048 + 7, "EL TORITO SPECIFICATION", 23) &&
			*(u32 *)(buf + 2048 + 0x47) == P->catalog_lba);
	puts_("ah=");
	puthex(st, 2);
	puts_(" catalog=");
	putdec(*(u32 *)(buf + 2048 + 0x47));
	line_end();
	ok = ext_read(CD_DRIVE, P->catalog_lba, 1, buf, &st);
	check_begin("cd_42_catalog", ok && buf[0] == 1 && buf[30] == 0x55 &&
					 buf[31] == 0xaa &&
					 *(u32 *)(buf + 40) == P->image_lba);
	puts_("ah=");
	puthex(st, 2);
	line_end();
	ok = ext_read(CD_DRIVE, P->image_lba, 1, buf, &st);
	check("cd_42_image", ok && memeq(buf, (void *)0x7c00, 512),
	      "first CD sector of the image = the loaded boot sector");
	ok = ext_read(CD_DRIVE, P->cd_sectors, 1, buf, &st);
	check_begin("cd_42_past_end_fails", !ok);
	puts_("ah=");
	puthex(st, 2);
	line_end();

	/* 43h: a CD is write protected */
	ok = bs_edd(0x4300, CD_DRIVE, 20, 1, buf, &st);
	check_begin("cd_43_write_protected",
		    !ok && st == 0x03 && bs_dap.count == 0);
	puts_("ah=");
	puthex(st, 2);
	line_end();

	/* CHS on the CD itself: there is none */
	bs_clear(&r);
	r.eax = 0x0201;
	r.ecx = 1;
	r.edx = CD_DRIVE;
	r.ebx = (u16)(u32)buf;
	bs_intcall(0x13, &r);
	check("cd_02_refused", (r.eflags & CF) != 0, "AH=02h on E0h fails");
}

static void emu_tests(void)
{
	struct bregs r;
	u8 st;
	int ok;
	u32 last = P->emu_sectors - 1;
	u16 spt = P->emu_spt, heads = P->emu_heads;

	bs_clear(&r);
	r.eax = 0x0800;
	r.edx = drive;
	bs_intcall(0x13, &r);
	{
		u16 s = r.ecx & 0x3f;
		u16 c = (((r.ecx >> 8) & 0xff) | ((r.ecx & 0xc0) << 2)) + 1;
		u16 h = ((r.edx >> 8) & 0xff) + 1;
		ok = !(r.eflags & CF) && s == spt && h == heads &&
		     c == P->emu_cyls && (r.edx & 0xff) == 1;
		if (P->media != 4)
			ok = ok && (r.ebx & 0xff) == 4 && r.es;
		check_begin("emu_08_geometry", ok);
		puts_("chs=");
		putdec(c);
		putc_('/');
		putdec(h);
		putc_('/');
		putdec(s);
		puts_(" drives=");
		putdec(r.edx & 0xff);
		puts_(" type=");
		puthex(r.ebx & 0xff, 2);
		line_end();
	}
	/* CHS reads: a middle sector and the last one */
	ok = chs_read(2, 1, 5, buf, &st);
	check_begin("emu_02_read", ok && pattern_ok(buf, (2 * heads + 1) * spt + 4));
	puts_("ah=");
	puthex(st, 2);
	line_end();
	ok = chs_read(last / spt / heads, last / spt % heads, last % spt + 1, buf,
		      &st);
	check_begin("emu_02_last_sector", ok && pattern_ok(buf, last));
	puts_("lba=");
	putdec(last);
	puts_(" ah=");
	puthex(st, 2);
	line_end();
	/* 03h: the image is read only */
	bs_clear(&r);
	r.eax = 0x0301;
	r.ecx = 0x0005;
	r.edx = drive;
	r.ebx = (u16)(u32)buf;
	bs_intcall(0x13, &r);
	check_begin("emu_03_write_protected", (r.eflags & CF) && ah_of(&r) == 3);
	puts_("ah=");
	puthex(ah_of(&r), 2);
	line_end();
	if (P->media != 4) {
		bs_clear(&r);
		bs_intcall(0x11, &r);
		check("emu_11_floppy", (r.eax & 1) != 0,
		      "INT 11h: a diskette drive");
		bs_clear(&r);
		r.eax = 0x1500;
		r.edx = drive;
		bs_intcall(0x13, &r);
		check("emu_15_floppy", !(r.eflags & CF) && ah_of(&r) == 1,
		      "AH=15h: diskette without change line");
	}
}

/* 4B00h ends the emulation: the emulated drive is gone afterwards. */
static void terminate_test(void)
{
	struct bregs r;
	memset_(pkt, 0, sizeof(pkt));
	pkt[0] = 0x13;
	bs_clear(&r);
	r.eax = 0x4b00;
	r.edx = drive;
	r.esi = (u16)(u32)pkt;
	bs_intcall(0x13, &r);
	{
		int ok = !(r.eflags & CF) && pkt[2] == drive;
		bs_clear(&r);
		r.eax = 0x0800;
		r.edx = drive;
		bs_intcall(0x13, &r);
		ok = ok && (r.eflags & CF);
		check("emu_4b00_terminate", ok,
		      "4B00h succeeds, then AH=08h on the emulated drive fails");
	}
}

void bs_main(u32 dl) __attribute__((noreturn));
void bs_main(u32 dl)
{
	drive = (u8)dl;
	puts_("BS START cdboot\n");
	info_begin("boot_drive");
	puthex(drive, 2);
	line_end();
	if (P->magic != CD_PARAMS_MAGIC) {
		check("cd_params", 0, "no parameter sector at 0xDC00");
		done();
	}
	check_begin("cd_boot_drive", drive == P->boot_drive);
	puts_("dl=");
	puthex(drive, 2);
	puts_(" want=");
	puthex(P->boot_drive, 2);
	line_end();
	status_packet();
	cd_tests();
	if (P->media) {
		emu_tests();
		terminate_test();
	}
	if (P->reboot) {
		done_report();
		outb(0x64, 0xfe); /* keyboard controller: pulse reset */
		for (;;)
			__asm__ volatile("cli; hlt");
	}
	done();
}
