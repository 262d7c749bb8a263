// SMBIOS from QEMU's etc/smbios/smbios-anchor and smbios-tables (SMBIOS
// 3.6, 5.2): the structure table goes to reserved high memory, the entry
// point into the F segment where the OS scans for it, with its table
// address and checksums fixed up.
#include "fw/acpi.h"
#include "fw/fw_cfg.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"
#include "std/byteorder.h"

static u8 *entry, *table;
static u32 entry_len, table_len;

static u8 checksum(const u8 *p, u32 n)
{
	u8 sum = 0;
	while (n--)
		sum += *p++;
	return (u8)-sum;
}

// SMBIOS 3.6, 5.2.2: the 3.x entry point is 18h bytes, its length at 6,
// checksum at 5, table maximum size at 0Ch and u64 table address at 10h.
// 5.2.1: the 2.1 entry point is 1Fh bytes, length at 5, checksum at 4;
// its intermediate part at 10h ("_DMI_") has a u16 table length at 16h,
// the u32 address at 18h and a checksum at 15h over its 15 bytes. A length
// field outside [structure size, file size] would leave checksums that
// cannot add up (the checksum byte outside the range they cover).
bool smbios_fix_entry(u8 *ep, u32 size, u32 table_addr, u32 table_len)
{
	if (size >= 24 && !memcmp(ep, "_SM3_", 5) && ep[6] >= 24 &&
	    ep[6] <= size) {
		put_le64(ep + 0x10, table_addr);
		put_le32(ep + 0x0C, table_len);
		ep[5] = 0;
		ep[5] = checksum(ep, ep[6]);
		return true;
	}
	if (size >= 31 && !memcmp(ep, "_SM_", 4) && ep[5] >= 31 &&
	    ep[5] <= size && !memcmp(ep + 0x10, "_DMI_", 5) &&
	    table_len <= 0xFFFF) {
		put_le16(ep + 0x16, (u16)table_len);
		put_le32(ep + 0x18, table_addr);
		ep[0x15] = 0;
		ep[0x15] = checksum(ep + 0x10, 15);
		ep[4] = 0;
		ep[4] = checksum(ep, ep[5]);
		return true;
	}
	return false;
}

void smbios_setup(void)
{
	// Nothing installed until the checks below pass (and nothing kept
	// from an earlier call: the fuzz target calls this repeatedly).
	entry = table = NULL;
	entry_len = table_len = 0;
	const struct fw_cfg_file *a = fw_cfg_find("etc/smbios/smbios-anchor");
	const struct fw_cfg_file *t = fw_cfg_find("etc/smbios/smbios-tables");
	if (!a || !t || a->size < 24 || a->size > 32 || !t->size) {
		dprint(DL_INFO, "smbios: QEMU gave no tables\n");
		return;
	}
	u8 *ep = malloc_fseg(a->size, 16);
	u8 *tab = malloc_high(t->size, 16);
	if (!ep || !tab)
		return;
	fw_cfg_read(a->select, 0, ep, a->size);
	fw_cfg_read(t->select, 0, tab, t->size);
	if (!smbios_fix_entry(ep, a->size, phys_addr(tab), t->size)) {
		printf_console("warning: SMBIOS anchor from QEMU is malformed; "
			       "no SMBIOS tables\n");
		return;
	}
	entry = ep;
	entry_len = a->size;
	table = tab;
	table_len = t->size;
	dprint(DL_INFO, "smbios: entry at %p, %u bytes of tables at %p\n", ep,
	       t->size, tab);
}

const void *smbios_entry(u32 *len)
{
	*len = entry_len;
	return entry;
}

const void *smbios_table(u32 *len)
{
	*len = table_len;
	return table;
}

// String fields (offset of the string number in the formatted area) that
// are per machine, by SMBIOS 3.6 structure type: 1 System (7.2) serial;
// 2 Baseboard (7.3) serial, asset tag; 3 Chassis (7.4) serial, asset tag;
// 4 Processor (7.5) serial, asset tag, part number; 17 Memory Device
// (7.18) serial, asset tag, part number.
static const struct {
	u8 type, offsets[3];
} unique_strings[] = {
    {1, {0x07}},
    {2, {0x07, 0x08}},
    {3, {0x07, 0x08}},
    {4, {0x20, 0x21, 0x22}},
    {17, {0x18, 0x19, 0x1A}},
};

// Make string number `n` (1-based) of the string set at [s, end) blanks.
static void blank_string(u8 *s, const u8 *end, u8 n)
{
	for (u8 i = 1; s < end && *s; i++) {
		u8 *p = s;
		while (p < end && *p)
			p++;
		if (i == n) {
			memset(s, ' ', p - s);
			return;
		}
		s = p + 1;
	}
}

void smbios_mask_platform_unique(u8 *table, u32 len)
{
	u32 off = 0;
	while (off + 4 <= len) {
		u8 *st = table + off;
		u8 type = st[0], flen = st[1];
		if (flen < 4 || off + flen > len)
			return;
		// The string set ends with two NULs.
		u32 end = off + flen;
		while (end + 1 < len && (table[end] || table[end + 1]))
			end++;
		if (end + 1 >= len)
			return;
		if (type == 1 && flen >= 0x18)
			memset(st + 8, 0, 16); // UUID
		for (u32 i = 0; i < ARRAY_SIZE(unique_strings); i++) {
			if (unique_strings[i].type != type)
				continue;
			for (int k = 0; k < 3; k++) {
				u8 o = unique_strings[i].offsets[k];
				if (o && o < flen && st[o])
					blank_string(st + flen, table + end,
						     st[o]);
			}
		}
		if (type == 127)
			return;
		off = end + 2;
	}
}
