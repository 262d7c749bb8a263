// Reading QEMU's ACPI tables without trusting their pointers: a table is
// only looked at when it lies wholly inside a table-loader blob or the
// reserved high zone (where the firmware puts tables of its own), so a
// malformed tree costs a NULL, never a read of arbitrary memory or MMIO.
// Structures: ACPI 6.5 chapter 5.2.
#include "fw/acpi.h"
#include "lib/memalloc.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "std/acpi.h"
#include "std/byteorder.h"

#define HDR_SIZE ((u32)sizeof(struct acpi_header))

u32 acpi_room_at(u64 addr)
{
	if (!addr || addr >> 32)
		return 0;
	for (int i = 0; i < acpi_loaded.count && i < LOADER_MAX_FILES; i++) {
		const struct loader_file *f = &acpi_loaded.files[i];
		u32 start = phys_addr(f->data);
		if (f->data && addr >= start && addr - start < f->size)
			return f->size - (u32)(addr - start);
	}
	u32 lo = high_zone_start(), hi = high_zone_end();
	if (addr >= lo && addr < hi)
		return hi - (u32)addr;
	return 0;
}

struct acpi_header *acpi_table_at(u64 addr, u32 min_len)
{
	u32 room = acpi_room_at(addr);
	if (room < HDR_SIZE)
		return NULL;
	struct acpi_header *h = phys_ptr((u32)addr);
	if (h->length < MAX(min_len, HDR_SIZE) || h->length > room)
		return NULL;
	return h;
}

void *acpi_find_table(const char sig[4])
{
	const struct acpi_rsdp *r = acpi_rsdp();
	u32 room = r ? acpi_room_at(phys_addr(r)) : 0;
	if (room < ACPI_RSDP_V1_SIZE)
		return NULL;
	// ACPI 6.5 5.2.5.3: the XSDT address exists from revision 2 on.
	bool xsdt = r->revision >= 2 && room >= sizeof(*r) && r->xsdt_address;
	const struct acpi_header *root =
	    acpi_table_at(xsdt ? r->xsdt_address : r->rsdt_address, HDR_SIZE);
	if (!root)
		return NULL;
	u32 entry = xsdt ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE;
	u32 n = (root->length - HDR_SIZE) / entry;
	const u8 *p = (const u8 *)root + HDR_SIZE;
	// The DSDT and FACS hang off the FADT, not the root table.
	u32 fadt_off = !memcmp(sig, "DSDT", 4)	 ? ACPI_FADT_DSDT
		       : !memcmp(sig, "FACS", 4) ? ACPI_FADT_FIRMWARE_CTRL
						 : 0;
	for (u32 i = 0; i < n; i++, p += entry) {
		u64 a = xsdt ? get_le64(p) : get_le32(p);
		struct acpi_header *t = acpi_table_at(a, HDR_SIZE);
		if (t && !memcmp(t->signature, sig, 4))
			return t;
		if (!t || !fadt_off || memcmp(t->signature, "FACP", 4) ||
		    t->length < fadt_off + 4)
			continue;
		// The FACS is no table, but it starts with a signature and
		// a length too (ACPI 6.5 5.2.10).
		struct acpi_header *h =
		    acpi_table_at(get_le32((const u8 *)t + fadt_off), HDR_SIZE);
		if (h && !memcmp(h->signature, sig, 4))
			return h;
	}
	return NULL;
}
