/* tcg: a boot loader's use of the INT 1Ah TCG BIOS interface (AH=BBh,
 * TCG PC Client Specific Implementation Specification for Conventional
 * BIOS 1.21, section 13).  It calls every function the way a loader
 * would, with TPM 1.2 formats whatever the TPM is, and reports what it got
 * as BS INFO lines for the harness to verify (digests, event numbers, the
 * log read back through StatusCheck's pointers, PCRs 0-9 read through
 * PassThroughToTPM).  The return codes of calls with bad input, and of
 * calls after ShutdownPreBootInterface, are checked here.
 *
 * Parameter sector (LBA 48, 0xDC00): "MBTC", u32 flags; flag 1: end with
 * INT 18h (the firmware boots the next device) instead of isa-debug-exit.
 */
#include "bs.h"

#define TCPA 0x41504354
#define PARAMS_MAGIC 0x4354424d /* "MBTC" */
#define FLAG_CHAIN 1

#define EV_IPL 0x0d
#define EV_COMPACT_HASH 0x0c
#define COMPACT_INFO 0x4d42494f

/* Return codes (spec 13, "Return codes"). */
#define TCG_PC_OK 0x00
#define TCG_PC_UNSUPPORTED 0x03
#define TCG_OUTPUT_BUFFER_TOO_SHORT 0x17
#define TCG_INVALID_INPUT_PARA 0x19
#define TCG_INTERFACE_SHUTDOWN 0x21

struct event_hdr { /* TCG_PCClientPCREventStruc */
	u32 pcr, type;
	u8 digest[20];
	u32 size;
	u8 data[32];
} __attribute__((packed));

static u8 ipb[64], opb[64];
static u8 data[600];
static struct event_hdr ev;
static u8 cmd[128], rsp[256];
static u8 chunk[256];
static u8 gdt[48];
static int tpm2;
static u32 log_base, log_last;

/* The data the harness hashes too (mbtest-side: tcg_pattern). */
static void pattern(u32 seed, u32 n)
{
	u32 i;
	for (i = 0; i < n; i++)
		data[i] = (u8)(i * 31 + seed);
}

static void put32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static void be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static void be16(u8 *p, u16 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static void puthexbytes(const u8 *p, u32 n)
{
	u32 i;
	for (i = 0; i < n; i++)
		puthex(p[i], 2);
}

/* One AH=BBh call: ES:DI = in, DS:SI = out (both below 64 KiB). */
static void tcg(struct bregs *r, u8 fn, const void *in, void *out)
{
	bs_clear(r);
	r->eax = 0xbb00 | fn;
	r->ebx = TCPA;
	r->edi = (u16)(u32)in;
	r->esi = (u16)(u32)out;
	bs_intcall(0x1a, r);
}

static void check_code(const char *name, const struct bregs *r, u32 want)
{
	check_begin(name, r->eax == want && !(r->eflags & CF));
	puts_("eax=");
	puthex(r->eax, 8);
	puts_(" want=");
	puthex(want, 8);
	line_end();
}

static void status_check(const char *name)
{
	struct bregs r;
	tcg(&r, 0x00, 0, 0);
	check_begin(name, r.eax == 0 && r.ebx == TCPA && (u16)r.ecx == 0x0102 &&
			      !(r.eflags & CF) && r.esi != 0);
	puts_("eax=");
	puthex(r.eax, 8);
	puts_(" ebx=");
	puthex(r.ebx, 8);
	puts_(" cx=");
	puthex((u16)r.ecx, 4);
	line_end();
	info_begin(name);
	puthex(r.esi, 8);
	putc_(' ');
	puthex(r.edi, 8);
	putc_(' ');
	puthex(r.edx, 8);
	line_end();
	log_base = r.esi;
	log_last = r.edi;
}

/* HashLogExtendEvent input block (0x18 short, 0x1C long). */
static void hlee_ipb(u16 len, u32 hash_ptr, u32 hash_len, u32 pcr)
{
	memset_(ipb, 0, sizeof(ipb));
	put16(ipb, len);
	put32(ipb + 4, hash_ptr);
	put32(ipb + 8, hash_len);
	put32(ipb + 12, pcr);
	u32 at = len == 0x1c ? 20 : 16; /* long form: reserved dword first */
	put32(ipb + at, (u32)&ev);
	put32(ipb + at + 4, 32 + ev.size);
}

static void event(u32 pcr, u32 type, const char *text)
{
	u32 n = 0;
	memset_(&ev, 0, sizeof(ev));
	ev.pcr = pcr;
	ev.type = type;
	while (text[n] && n < sizeof(ev.data)) {
		ev.data[n] = (u8)text[n];
		n++;
	}
	ev.size = n;
}

/* HashLogExtendEvent of pattern(seed, n) into pcr; reports
 * "<name> <event number> <SHA-1 from the output block>". */
static void hash_log_extend(const char *name, u16 form, u32 pcr, u32 seed,
			    u32 n, const char *text)
{
	struct bregs r;
	pattern(seed, n);
	event(pcr, EV_IPL, text);
	hlee_ipb(form, (u32)data, n, pcr);
	memset_(opb, 0xee, sizeof(opb));
	tcg(&r, 0x01, ipb, opb);
	check_begin(name, r.eax == 0 && !(r.eflags & CF) && opb[0] == 0x1c &&
			      opb[1] == 0);
	puts_("eax=");
	puthex(r.eax, 8);
	line_end();
	info_begin(name);
	putdec(get32(opb + 4));
	putc_(' ');
	puthexbytes(opb + 8, 20);
	line_end();
}

/* PassThroughToTPM of cmd[0..len); returns EAX, response in rsp. */
static u32 pass_through(u32 len, u16 opb_len)
{
	struct bregs r;
	memset_(ipb, 0, sizeof(ipb));
	put16(ipb, (u16)(8 + len));
	put16(ipb + 4, opb_len);
	memset_(rsp, 0, sizeof(rsp));
	/* the command follows the 8-byte header: build it in place */
	{
		static u8 block[8 + sizeof(cmd)];
		u32 i;
		for (i = 0; i < 8; i++)
			block[i] = ipb[i];
		for (i = 0; i < len; i++)
			block[8 + i] = cmd[i];
		tcg(&r, 0x02, block, rsp);
	}
	return r.eax;
}

static u32 pcr_read_cmd(u32 pcr, u16 alg)
{
	if (!tpm2) {
		be16(cmd, 0x00c1);
		be32(cmd + 2, 14);
		be32(cmd + 6, 0x15); /* TPM_ORD_PcrRead */
		be32(cmd + 10, pcr);
		return 14;
	}
	be16(cmd, 0x8001);
	be32(cmd + 2, 20);
	be32(cmd + 6, 0x17e); /* TPM2_CC_PCR_Read */
	be32(cmd + 10, 1);
	be16(cmd + 14, alg);
	cmd[16] = 3;
	cmd[17] = pcr < 8 ? 1 << pcr : 0;
	cmd[18] = pcr >= 8 && pcr < 16 ? 1 << (pcr - 8) : 0;
	cmd[19] = 0;
	return 20;
}

static void detect_tpm(void)
{
	u32 rc;
	tpm2 = 1;
	rc = pass_through(pcr_read_cmd(0, 0x000b), sizeof(rsp));
	tpm2 = rc == 0 && rsp[4] == 0x80 && rsp[5] == 0x01;
	check_begin("tcg_pass_through", rc == 0 && rsp[0] >= 14 && !rsp[1]);
	puts_("eax=");
	puthex(rc, 8);
	puts_(" response tag ");
	puthex(rsp[4] << 8 | rsp[5], 4);
	line_end();
	info_begin("tcg_tpm");
	puts_(tpm2 ? "2" : "12");
	line_end();
}

static void read_pcrs(void)
{
	static const u16 algs[] = {0x0004, 0x000b, 0x000c, 0x000d};
	u32 pcr, a, rc, ok = 1;
	for (pcr = 0; pcr < 10; pcr++)
		for (a = 0; a < (tpm2 ? 4u : 1u); a++) {
			rc = pass_through(pcr_read_cmd(pcr, algs[a]), sizeof(rsp));
			ok &= rc == 0;
			info_begin("tcg_pcr");
			putdec(pcr);
			putc_(' ');
			puthex(algs[a], 4);
			putc_(' ');
			puthexbytes(rsp + 4, rsp[0] | rsp[1] << 8);
			line_end();
		}
	check("tcg_pcr_read", ok, "PCRs 0-9 read through PassThroughToTPM");
}

/* The log between StatusCheck's ESI and EDI (and the record at EDI),
 * copied down with INT 15h AH=87h: it lies above 1 MiB. */
static void dump_log(void)
{
	u32 off, len = log_last - log_base + 512;
	int ok = log_last >= log_base && len < 0x10000;
	for (off = 0; ok && off < len; off += sizeof(chunk)) {
		struct bregs r;
		u32 src = log_base + off, dst = (u32)chunk;
		memset_(gdt, 0, sizeof(gdt));
		put16(gdt + 0x10, 0xffff);
		put32(gdt + 0x12, src);
		gdt[0x15] = 0x93;
		gdt[0x17] = (u8)(src >> 24);
		put16(gdt + 0x18, 0xffff);
		put32(gdt + 0x1a, dst);
		gdt[0x1d] = 0x93;
		gdt[0x1f] = (u8)(dst >> 24);
		bs_clear(&r);
		r.eax = 0x8700;
		r.ecx = sizeof(chunk) / 2;
		r.esi = (u16)(u32)gdt;
		bs_intcall(0x15, &r);
		ok = !(r.eflags & CF);
		info_begin("tcg_log");
		puthex(off, 8);
		putc_(' ');
		puthexbytes(chunk, sizeof(chunk));
		line_end();
	}
	check("tcg_log_read", ok, "log copied from StatusCheck's ESI to EDI");
}

/* The caller extends PCR 9 itself through PassThroughToTPM, then logs
 * the event with HashLogEvent: TPM 1.2 TPM_Extend of the HashAll digest,
 * TPM 2.0 TPM2_PCR_Event (the TPM hashes the data in every bank). */
static void extend_then_log(void)
{
	struct bregs r;
	u32 n = 64, rc, i;
	pattern(4, n);
	if (tpm2) {
		be16(cmd, 0x8002);
		be32(cmd + 2, 29 + n);
		be32(cmd + 6, 0x13c); /* TPM2_CC_PCR_Event */
		be32(cmd + 10, 9);
		be32(cmd + 14, 9); /* authorization area: TPM_RS_PW, empty */
		be32(cmd + 18, 0x40000009);
		be16(cmd + 22, 0);
		cmd[24] = 0;
		be16(cmd + 25, 0);
		be16(cmd + 27, (u16)n);
		for (i = 0; i < n; i++)
			cmd[29 + i] = data[i];
		rc = pass_through(29 + n, sizeof(rsp));
	} else {
		/* HashAll for the digest, then TPM_Extend */
		memset_(ipb, 0, sizeof(ipb));
		put16(ipb, 0x10);
		put32(ipb + 4, (u32)data);
		put32(ipb + 8, n);
		put32(ipb + 12, 4);
		tcg(&r, 0x05, ipb, opb);
		be16(cmd, 0x00c1);
		be32(cmd + 2, 34);
		be32(cmd + 6, 0x14); /* TPM_ORD_Extend */
		be32(cmd + 10, 9);
		for (i = 0; i < 20; i++)
			cmd[14 + i] = opb[i];
		rc = pass_through(34, sizeof(rsp));
	}
	check_begin("tcg_pass_through_extend",
		    rc == 0 && rsp[10] == 0 && rsp[11] == 0 && rsp[12] == 0 &&
			rsp[13] == 0);
	puts_("eax=");
	puthex(rc, 8);
	puts_(" tpm rc=");
	puthexbytes(rsp + 10, 4);
	line_end();

	pattern(4, n);
	event(9, EV_IPL, "mbios int1a HashLogEvent");
	memset_(ipb, 0, sizeof(ipb));
	put16(ipb, 0x1c);
	put32(ipb + 4, (u32)data);
	put32(ipb + 8, n);
	put32(ipb + 12, 9);
	put32(ipb + 16, EV_IPL);
	put32(ipb + 20, (u32)&ev);
	put32(ipb + 24, 32 + ev.size);
	memset_(opb, 0xee, sizeof(opb));
	tcg(&r, 0x04, ipb, opb);
	check_begin("tcg_hash_log_event", r.eax == 0 && opb[0] == 8 && !opb[1]);
	puts_("eax=");
	puthex(r.eax, 8);
	line_end();
	info_begin("tcg_hle");
	putdec(get32(opb + 4));
	line_end();
}

static void hash_all(void)
{
	struct bregs r;
	pattern(5, 333);
	memset_(ipb, 0, sizeof(ipb));
	put16(ipb, 0x10);
	put32(ipb + 4, (u32)data);
	put32(ipb + 8, 333);
	put32(ipb + 12, 4);
	memset_(opb, 0, sizeof(opb));
	tcg(&r, 0x05, ipb, opb);
	check_code("tcg_hash_all", &r, TCG_PC_OK);
	info_begin("tcg_hashall");
	puthexbytes(opb, 20);
	line_end();
}

static void compact(void)
{
	struct bregs r;
	pattern(3, 100);
	bs_clear(&r);
	r.eax = 0xbb07;
	r.ebx = TCPA;
	r.ecx = 100;
	r.edx = 8;
	r.esi = COMPACT_INFO;
	r.edi = (u16)(u32)data;
	bs_intcall(0x1a, &r);
	check_code("tcg_compact", &r, TCG_PC_OK);
	info_begin("tcg_compact");
	putdec(r.edx);
	line_end();
}

/* A caller-computed digest (HashDataLen 0): fine on TPM 1.2; on a TPM 2.0
 * with more banks than SHA-1 the other digests cannot be made from it. */
static void digest_only(void)
{
	struct bregs r;
	u32 i;
	event(8, EV_IPL, "mbios int1a digest only");
	for (i = 0; i < 20; i++)
		ev.digest[i] = (u8)(0xa0 + i);
	hlee_ipb(0x18, 0, 0, 8);
	memset_(opb, 0, sizeof(opb));
	tcg(&r, 0x01, ipb, opb);
	info_begin("tcg_digest_only");
	puthex(r.eax, 8);
	putc_(' ');
	putdec(r.eax ? 0 : get32(opb + 4));
	line_end();
}

/* Bad input: each call fails with its code and changes nothing (no
 * record: EDI stays; no extend: the harness's replay still matches). */
static void bad_input(void)
{
	struct bregs r;
	u32 last = log_last;

	pattern(6, 50);
	event(8, EV_IPL, "bad");
	hlee_ipb(0x18, (u32)data, 50, 8);
	put16(ipb, 0x17);
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_ipb_short", &r, TCG_INVALID_INPUT_PARA);
	put16(ipb, 0x1d);
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_ipb_long", &r, TCG_INVALID_INPUT_PARA);

	hlee_ipb(0x18, (u32)data, 50, 8);
	ev.pcr = 9;
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_event_pcr", &r, TCG_INVALID_INPUT_PARA);
	ev.pcr = 8;
	put32(ipb + 20, 32 + ev.size + 1);
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_event_len", &r, TCG_INVALID_INPUT_PARA);

	event(24, EV_IPL, "bad");
	hlee_ipb(0x18, (u32)data, 50, 24);
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_pcr_24", &r, TCG_INVALID_INPUT_PARA);
	event(17, EV_IPL, "bad");
	hlee_ipb(0x18, (u32)data, 50, 17);
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_pcr_17", &r, TCG_INVALID_INPUT_PARA);

	event(8, EV_IPL, "bad");
	hlee_ipb(0x18, 0xf0000, 16, 8);
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_hash_over_firmware", &r, TCG_INVALID_INPUT_PARA);
	hlee_ipb(0x18, 0x7c00, 0xffffff00, 8);
	tcg(&r, 0x01, ipb, opb);
	check_code("tcg_bad_hash_past_memory", &r, TCG_INVALID_INPUT_PARA);

	/* output block DS:SI = F000:0000, the firmware */
	hlee_ipb(0x18, (u32)data, 50, 8);
	bs_clear(&r);
	r.eax = 0xbb01;
	r.ebx = TCPA;
	r.edi = (u16)(u32)ipb;
	r.ds = 0xf000;
	r.esi = 0;
	bs_intcall(0x1a, &r);
	check_code("tcg_bad_output_over_firmware", &r, TCG_INVALID_INPUT_PARA);

	hlee_ipb(0x18, (u32)data, 50, 8);
	bs_clear(&r);
	r.eax = 0xbb01;
	r.ebx = 0x12345678;
	r.edi = (u16)(u32)ipb;
	r.esi = (u16)(u32)opb;
	bs_intcall(0x1a, &r);
	check_code("tcg_bad_magic", &r, TCG_INVALID_INPUT_PARA);

	/* HashLogEvent whose event type contradicts the block */
	memset_(ipb, 0, sizeof(ipb));
	put16(ipb, 0x1c);
	put32(ipb + 4, (u32)data);
	put32(ipb + 8, 50);
	put32(ipb + 12, 8);
	put32(ipb + 16, EV_COMPACT_HASH);
	put32(ipb + 20, (u32)&ev);
	put32(ipb + 24, 32 + ev.size);
	tcg(&r, 0x04, ipb, opb);
	check_code("tcg_bad_hle_type", &r, TCG_INVALID_INPUT_PARA);

	/* PassThroughToTPM: the command claims more than the block holds */
	{
		static u8 block[8 + 20];
		u32 i, len = pcr_read_cmd(0, 0x0004);
		put16(block, (u16)(8 + len));
		put16(block + 4, sizeof(rsp));
		for (i = 0; i < len; i++)
			block[8 + i] = cmd[i];
		be32(block + 8 + 2, len + 1);
		tcg(&r, 0x02, block, rsp);
		check_code("tcg_bad_pass_cmd_len", &r, TCG_INVALID_INPUT_PARA);
	}
	/* an output block too small for the response */
	r.eax = pass_through(pcr_read_cmd(0, 0x0004), 14);
	r.eflags = 0;
	check_code("tcg_bad_pass_output_short", &r, TCG_OUTPUT_BUFFER_TOO_SHORT);

	memset_(ipb, 0, sizeof(ipb));
	put16(ipb, 0x10);
	put32(ipb + 4, (u32)data);
	put32(ipb + 8, 50);
	put32(ipb + 12, 0x0b);
	tcg(&r, 0x05, ipb, opb);
	check_code("tcg_bad_hash_all_alg", &r, TCG_INVALID_INPUT_PARA);

	bs_clear(&r);
	r.eax = 0xbb07;
	r.ebx = TCPA;
	r.ecx = 50;
	r.edx = 24;
	r.edi = (u16)(u32)data;
	bs_intcall(0x1a, &r);
	check_begin("tcg_bad_compact_pcr",
		    r.eax == TCG_INVALID_INPUT_PARA && r.edx == 24);
	puts_("eax=");
	puthex(r.eax, 8);
	puts_(" edx=");
	puthex(r.edx, 8);
	line_end();

	tcg(&r, 0x06, ipb, opb);
	check_code("tcg_tss_unsupported", &r, TCG_PC_UNSUPPORTED);
	tcg(&r, 0x08, ipb, opb);
	check_begin("tcg_unknown_function",
		    r.eax == TCG_PC_UNSUPPORTED && (r.eflags & CF));
	puts_("eax=");
	puthex(r.eax, 8);
	line_end();

	status_check("tcg_status_after_bad_input");
	check_begin("tcg_bad_input_logged_nothing", log_last == last);
	puthex(log_last, 8);
	puts_(" was ");
	puthex(last, 8);
	line_end();
}

static void after_shutdown(void)
{
	static const u8 fns[] = {1, 2, 4, 5, 6, 7};
	struct bregs r;
	u32 i, ok = 1;
	tcg(&r, 0x03, 0, 0);
	check_code("tcg_shutdown", &r, TCG_PC_OK);
	for (i = 0; i < sizeof(fns); i++) {
		hlee_ipb(0x18, (u32)data, 50, 8);
		tcg(&r, fns[i], ipb, opb);
		ok &= r.eax == TCG_INTERFACE_SHUTDOWN && !(r.eflags & CF);
		info_begin("tcg_after_shutdown");
		puthex(fns[i], 2);
		putc_(' ');
		puthex(r.eax, 8);
		line_end();
	}
	check("tcg_shut_functions_fail", ok, "functions 1-7 return 21h");
	status_check("tcg_status_after_shutdown");
}

void bs_main(u32 drive) __attribute__((noreturn));
void bs_main(u32 drive)
{
	const u8 *params = (const u8 *)0xdc00;
	int chain = get32(params) == PARAMS_MAGIC && (get32(params + 4) & FLAG_CHAIN);
	(void)drive;
	puts_("BS START tcg\n");
	status_check("tcg_status");
	detect_tpm();
	hash_all();
	hash_log_extend("tcg_hlee_short", 0x18, 8, 1, 300, "mbios int1a short");
	hash_log_extend("tcg_hlee_long", 0x1c, 9, 2, 517, "mbios int1a long");
	compact();
	extend_then_log();
	digest_only();
	status_check("tcg_status_after_events");
	bad_input();
	read_pcrs();
	dump_log();
	after_shutdown();
	if (!chain)
		done();
	done_report();
	puts_("BS CHAIN INT 18h\n");
	{
		struct bregs r;
		bs_clear(&r);
		bs_intcall(0x18, &r);
	}
	puts_("BS FAIL chain INT 18h returned\n");
	done();
}
