/* Support library for mbios test boot programs (real mode, gcc -m16).
 * All data lives below 64 KiB with DS = ES = SS = 0, so plain pointers are
 * linear addresses.
 */
#ifndef BS_H
#define BS_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define CF 0x0001
#define IF 0x0200

struct bregs {
	u32 eax, ebx, ecx, edx, esi, edi, ebp;
	u16 ds, es;
	u32 eflags;
} __attribute__((packed));

/* Parameter sector (disk LBA 48, loaded at 0xDC00), written by the harness. */
#define BS_PARAMS_MAGIC 0x5054424d /* "MBTP" */
struct bs_params {
	u32 magic;
	u32 version;
	u64 total_sectors;   /* disk size in 512-byte sectors */
	u32 ram_mib;         /* QEMU -m */
	u32 fill_end;        /* LBA 49 .. fill_end-1 carry the pattern */
	u64 hi_lba[2];       /* further pattern sectors (beyond 8 GiB, last) */
} __attribute__((packed));
#define BS_PARAMS ((const struct bs_params *)0xdc00)
#define BS_FILL_START 49

void bs_intcall(u32 intno, struct bregs *r);
void bs_clear(struct bregs *r);

/* INT 13h EDD disk address packet (AH=42h/43h), and the packet of the last
 * bs_edd call: the BIOS writes back the sectors it moved in count. */
struct bs_dap {
	u8 size, reserved;
	u16 count;
	u16 off, seg;
	u64 lba;
} __attribute__((packed));
extern struct bs_dap bs_dap;
/* INT 13h function ax (42h read, 43h write) of count sectors at lba on drive
 * dl to/from buf (in segment 0); *status gets AH. Returns 1 if CF is clear. */
int bs_edd(u16 ax, u8 dl, u64 lba, u16 count, void *buf, u8 *status);

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

void putc_(char c);
void puts_(const char *s);
void puthex(u32 v, int digits);
void puthex64(u64 v);
void putdec(u32 v);

/* Reporting: every check is one line on COM1:
 *   BS PASS <name> [detail]   /   BS FAIL <name> <detail>
 * Extra facts: BS INFO <key> <value>.  At the end: BS DONE <npass> <nfail>,
 * then the program exits through isa-debug-exit (0 = all passed). */
void info_begin(const char *key);
void line_end(void);
void check(const char *name, int ok, const char *why);
void check_begin(const char *name, int ok);   /* detail follows, then line_end() */
void done(void) __attribute__((noreturn));
/* The BS DONE line only, for a program that goes on (e.g. INT 18h). */
void done_report(void);

int memeq(const void *a, const void *b, u32 n);
void memset_(void *d, int c, u32 n);
#endif
