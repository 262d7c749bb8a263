// S3 waking vector lookup (ACPI 6.5 5.2.10 "Firmware ACPI Control Structure
// (FACS)" and 7.4 / 16.3 "Waking and Sleeping").
#include "fw/acpi_wake.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "std/acpi.h"
#include "std/byteorder.h"

static u8 checksum(const void *p, u32 len)
{
	u8 sum = 0;
	for (const u8 *b = p; len--; b++)
		sum += *b;
	return sum;
}

const void *acpi_scan_rsdp(u32 start, u32 len)
{
	for (u32 off = 0; off + sizeof(struct acpi_rsdp) <= len; off += 16) {
		const struct acpi_rsdp *r = phys_ptr(start + off);
		if (memcmp(r->signature, "RSD PTR ", 8) ||
		    checksum(r, ACPI_RSDP_V1_SIZE))
			continue;
		if (r->revision >= 2 &&
		    (r->length < sizeof(*r) || r->length > 4096 ||
		     checksum(r, r->length)))
			continue;
		return r;
	}
	return NULL;
}

// A table below 4 GiB whose header, signature and checksum hold.
static const struct acpi_header *table(u64 addr, const char *sig)
{
	if (!addr || addr >> 32 || addr > 0xFFFFFFFFull - 64)
		return NULL;
	const struct acpi_header *h = phys_ptr((u32)addr);
	if (memcmp(h->signature, sig, 4) || h->length < sizeof(*h) ||
	    h->length > 0x100000 || (u64)addr + h->length > 0x100000000ull ||
	    checksum(h, h->length))
		return NULL;
	return h;
}

static const u8 *find_fadt(const struct acpi_rsdp *r)
{
	bool x = r->revision >= 2 && r->xsdt_address;
	const struct acpi_header *root =
	    x ? table(r->xsdt_address, "XSDT") : table(r->rsdt_address, "RSDT");
	if (!root)
		return NULL;
	u32 entry = x ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE;
	const u8 *p = (const u8 *)root + sizeof(*root);
	for (u32 n = (root->length - sizeof(*root)) / entry; n--; p += entry) {
		const struct acpi_header *t =
		    table(x ? get_le64(p) : get_le32(p), "FACP");
		if (t)
			return (const u8 *)t;
	}
	return NULL;
}

static struct acpi_wake none(const char *why)
{
	return (struct acpi_wake){ACPI_WAKE_NONE, 0, why};
}

struct acpi_wake acpi_waking_vector(const void *rsdp)
{
	if (!rsdp)
		return none("no RSDP");
	const u8 *fadt = find_fadt(rsdp);
	if (!fadt)
		return none("no FADT");
	u32 flen = ((const struct acpi_header *)fadt)->length;
	// X_FIRMWARE_CTRL wins when the FADT holds it and it is set (ACPI 6.5
	// 5.2.9, FIRMWARE_CTRL and X_FIRMWARE_CTRL).
	u64 addr = 0;
	if (flen >= ACPI_FADT_X_FIRMWARE_CTRL + 8)
		addr = get_le64(fadt + ACPI_FADT_X_FIRMWARE_CTRL);
	if (!addr && flen >= ACPI_FADT_FIRMWARE_CTRL + 4)
		addr = get_le32(fadt + ACPI_FADT_FIRMWARE_CTRL);
	if (!addr || addr >> 32 || addr > 0xFFFFFFFFull - 64)
		return none("no FACS");
	const struct acpi_facs *f = phys_ptr((u32)addr);
	if (memcmp(f->signature, "FACS", 4) || f->length < 64)
		return none("no FACS");
	// X_Firmware_Waking_Vector, if set, is used instead of the legacy
	// one: 32-bit protected mode, or 64-bit when the OS set 64BIT_WAKE_F,
	// which only counts if the firmware offered it.
	u64 x = f->version >= 1 ? f->x_firmware_waking_vector : 0;
	if (x) {
		bool want64 = f->version >= 2 &&
			      (f->ospm_flags & ACPI_FACS_OSPM_64BIT_WAKE);
		if (want64)
			return none("the OS asks for a 64-bit wake, which "
				    "this firmware does not offer");
		if (x >> 32)
			return none("X_Firmware_Waking_Vector above 4 GiB");
		return (struct acpi_wake){ACPI_WAKE_PM32, (u32)x, NULL};
	}
	if (f->firmware_waking_vector) {
		if (f->firmware_waking_vector >= 0x100000)
			return none("Firmware_Waking_Vector above 1 MiB");
		return (struct acpi_wake){ACPI_WAKE_REAL,
					  f->firmware_waking_vector, NULL};
	}
	return none("the OS set no waking vector");
}
