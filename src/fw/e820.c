// Overlay semantics: the newest call wins for its range; equal-type
// neighbours merge so the OS sees a short, sorted, non-overlapping list.
#include "fw/e820.h"
#include "lib/string.h"
#include "output.h"

struct e820_map bios_e820;

static void remove_at(struct e820_map *m, int i)
{
	memmove(&m->e[i], &m->e[i + 1], (m->count - i - 1) * sizeof(m->e[0]));
	m->count--;
}

static bool insert_at(struct e820_map *m, int i, u64 start, u64 size, u32 type)
{
	if (m->count >= E820_MAX)
		return false;
	memmove(&m->e[i + 1], &m->e[i], (m->count - i) * sizeof(m->e[0]));
	m->e[i].start = start;
	m->e[i].size = size;
	m->e[i].type = type;
	m->count++;
	return true;
}

// Cut [start, end) out of every entry.
static bool cut(struct e820_map *m, u64 start, u64 end)
{
	for (int i = 0; i < m->count; i++) {
		struct e820_entry *e = &m->e[i];
		u64 es = e->start, ee = e->start + e->size;
		if (ee <= start || es >= end)
			continue;
		if (es < start && ee > end) {
			// Split in two.
			if (!insert_at(m, i + 1, end, ee - end, e->type))
				return false;
			m->e[i].size = start - es;
			return true;
		}
		if (es < start) {
			e->size = start - es;
		} else if (ee > end) {
			e->size = ee - end;
			e->start = end;
		} else {
			remove_at(m, i);
			i--;
		}
	}
	return true;
}

static void merge(struct e820_map *m)
{
	for (int i = 0; i + 1 < m->count; i++) {
		struct e820_entry *a = &m->e[i], *b = &m->e[i + 1];
		if (a->type == b->type && a->start + a->size == b->start) {
			a->size += b->size;
			remove_at(m, i + 1);
			i--;
		}
	}
}

// The map describes addresses below 2^64: a range reaching past the top
// ends there (an end that wraps would overlap everything).
static u64 clip(u64 start, u64 size)
{
	return size > ~start ? ~start : size;
}

bool e820_remove(struct e820_map *m, u64 start, u64 size)
{
	struct e820_map saved = *m;
	size = clip(start, size);
	if (!size)
		return true;
	if (!cut(m, start, start + size)) {
		*m = saved;
		return false;
	}
	return true;
}

bool e820_add(struct e820_map *m, u64 start, u64 size, u32 type)
{
	size = clip(start, size);
	if (!size)
		return true;
	struct e820_map saved = *m;
	if (!cut(m, start, start + size))
		goto full;
	int i = 0;
	while (i < m->count && m->e[i].start < start)
		i++;
	if (!insert_at(m, i, start, size, type))
		goto full;
	merge(m);
	return true;
full:
	*m = saved;
	return false;
}

u64 e820_ram_top_below(const struct e820_map *m, u64 limit)
{
	u64 top = 0x100000;
	for (int i = 0; i < m->count; i++) {
		const struct e820_entry *e = &m->e[i];
		if (e->type != E820_RAM || e->start > top)
			continue;
		u64 end = e->start + e->size;
		if (end > top)
			top = MIN(end, limit);
	}
	return top;
}

int e820_add_qemu(struct e820_map *m, const void *file, u32 size)
{
	const struct e820_entry *qe = file;
	int n = 0;
	for (u32 i = 0; i < size / sizeof(*qe); i++) {
		struct e820_entry e;
		memcpy(&e, &qe[i], sizeof(e)); // file may be unaligned
		if (e820_add(m, e.start, e.size, e.type))
			n++;
		else
			dprint(DL_ERR, "e820: table full\n");
	}
	return n;
}
