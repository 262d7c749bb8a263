// libFuzzer target: INT 13h disk services (int13_disk.c) on request blocks
// from a boot loader or OS: the registers, the EDD device address packet
// (42h-44h, 47h) or the 48h result buffer at DS:SI come from the input,
// for two disks of fuzzed size and type. Guest memory is the whole 4 GiB
// a 64-bit flat buffer address may name, followed by an inaccessible page,
// so a transfer the firmware lets run past 4 GiB faults. Input: the two
// disks (fuzz_disk.h), then calls of 14 register bytes (AX BX CX DX SI DS
// ES) and 24 bytes of request block each.
#include <stdio.h>
#include <sys/mman.h>

#include "bregs.h"
#include "fuzz_disk.h"
#include "lib/bda.h"
#include "lib/phys.h"
#include "std/byteorder.h"

void handle_13(struct bregs *r);

#define GUEST_SIZE 0x100000000ull
#define LOW_SIZE 0x120000 // real-mode space: 1 MiB + HMA + a transfer

static u8 *guest;
static u64 flat_used[2 * 8]; // [start, end) of flat buffers to discard
static int nflat;

static void guest_init(void)
{
	guest = mmap(NULL, GUEST_SIZE + 0x1000, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (guest == MAP_FAILED ||
	    mprotect(guest + GUEST_SIZE, 0x1000, PROT_NONE)) {
		perror("fuzz_int13: mmap");
		abort();
	}
	host_phys_base = (uintptr_t)guest;
}

// Give back the pages a run touched, so memory stays small.
static void guest_reset(void)
{
	madvise(guest, LOW_SIZE, MADV_DONTNEED);
	for (int i = 0; i < nflat; i++)
		madvise(guest + (flat_used[2 * i] & ~0xFFFull),
			flat_used[2 * i + 1] - (flat_used[2 * i] & ~0xFFFull),
			MADV_DONTNEED);
	nflat = 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (!guest)
		guest_init();
	struct fuzz_in in = {data, size};
	static struct fuzz_disk disks[2];
	drive_reset_all();
	for (int i = 0; i < 2; i++) {
		fuzz_disk_init(&disks[i], &in, false);
		if (!drive_register(&disks[i].d))
			abort();
	}
	for (int calls = 0; calls < 8 && in.left; calls++) {
		struct bregs r;
		memset(&r, 0, sizeof(r));
		r.ax = fi_u16(&in);
		r.bx = fi_u16(&in);
		r.cx = fi_u16(&in);
		r.dx = fi_u16(&in);
		r.si = fi_u16(&in);
		r.ds = fi_u16(&in);
		r.es = fi_u16(&in);
		r.flags = F_IF;
		// Make a drive number likely: DL 80h/81h.
		if (!(r.dl & 0x7E))
			r.dl |= 0x80;
		// The request block at DS:SI.
		u8 *blk = far_ptr(r.ds, r.si);
		size_t got;
		const u8 *pkt = fi_bytes(&in, 24, &got);
		memcpy(blk, pkt, got);
		u64 flat = get_le64(blk + 16);
		if (flat < GUEST_SIZE && nflat < 8) {
			flat_used[2 * nflat] = flat;
			flat_used[2 * nflat + 1] =
			    MIN(GUEST_SIZE, flat + 0x10000);
			nflat++;
		}
		u8 fn = r.ah;
		u16 asked = get_le16(blk + 2);
		handle_13(&r);
		if (!(r.flags & F_IF))
			abort(); // the caller's interrupt flag is kept
		// EDD 3.0: the packet's count returns the blocks transferred.
		if (fn >= 0x42 && fn <= 0x44 && blk[0] >= 0x10 &&
		    get_le16(blk + 2) > asked)
			abort();
	}
	guest_reset();
	return 0;
}
