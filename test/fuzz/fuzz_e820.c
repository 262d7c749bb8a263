// libFuzzer target: QEMU's etc/e820 (fw/e820.c) as the input, then the
// ranges the firmware reserves on top of it (as src/post.c memory_init
// does). After every step the map must be what the OS is promised: sorted,
// non-overlapping, no empty or wrapping entries, at most E820_MAX; a
// successful add covers its range with its type, a failed one changes
// nothing.
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "fw/e820.h"

static void check(const struct e820_map *m)
{
	if (m->count < 0 || m->count > E820_MAX)
		abort();
	for (int i = 0; i < m->count; i++) {
		const struct e820_entry *e = &m->e[i];
		if (!e->size || e->start + e->size < e->start)
			abort();
		if (i && m->e[i - 1].start + m->e[i - 1].size > e->start)
			abort();
	}
}

static bool covered(const struct e820_map *m, u64 start, u64 size, u32 type)
{
	u64 end = start + (size > ~start ? ~start : size);
	for (int i = 0; i < m->count && start < end; i++) {
		const struct e820_entry *e = &m->e[i];
		if (e->start <= start && start < e->start + e->size) {
			if (e->type != type)
				return false;
			start = e->start + e->size;
		}
	}
	return start >= end;
}

static void add(struct e820_map *m, u64 start, u64 size, u32 type)
{
	struct e820_map before = *m;
	if (!e820_add(m, start, size, type)) {
		if (memcmp(&before, m, sizeof(*m)))
			abort();
		return;
	}
	check(m);
	if (!covered(m, start, size, type))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct e820_map m;
	memset(&m, 0, sizeof(m));
	e820_add_qemu(&m, data, (u32)size);
	check(&m);
	u64 top = e820_ram_top_below(&m, 0x100000000ull);
	if (top > 0x100000000ull)
		abort();
	// What the firmware reserves (EBDA, the VGA hole and ROM area, the
	// BIOS, its high zone, MMCONFIG on q35).
	add(&m, 0x9FC00, 0xA0000 - 0x9FC00, E820_RESERVED);
	struct e820_map before = m;
	bool removed = e820_remove(&m, 0xA0000, 0x50000);
	if (!removed && (m.count < E820_MAX || memcmp(&before, &m, sizeof(m))))
		abort(); // only a full table may refuse the split
	check(&m);
	for (int i = 0; removed && i < m.count; i++)
		if (m.e[i].start < 0xF0000 &&
		    m.e[i].start + m.e[i].size > 0xA0000)
			abort(); // the hole is gone
	add(&m, 0xF0000, 0x10000, E820_RESERVED);
	if (top >= 0x200000)
		add(&m, top - 0x100000, 0x100000, E820_RESERVED);
	add(&m, 0xB0000000, 0x10000000, E820_RESERVED);
	return 0;
}
