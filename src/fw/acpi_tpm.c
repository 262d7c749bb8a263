// See fw/acpi_tpm.h. A table is only read when it lies wholly inside a
// table-loader blob or the reserved high zone, so a malformed tree costs a
// warning, never a wild access; nothing is followed recursively, so pointer
// loops cannot hang us. Structures: ACPI 6.5 chapter 5.2; TCG ACPI
// Specification 1.3 ("TPM 1.2" client/server TCPA tables, "TPM 2.0" TPM2
// table); field layouts in std/tcg.h.
#include "fw/acpi_tpm.h"
#include "fw/acpi.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"
#include "std/acpi.h"
#include "std/byteorder.h"
#include "std/tcg.h"
#include "std/tpm.h"
#include "tpm-ssdt.h" // $(OUT)/tpm-ssdt.h, iasl output of fw/tpm-ssdt.dsl

#define HDR_SIZE ((u32)sizeof(struct acpi_header))
#define TABLE_ALIGN 16
#define LOG_ALIGN 16

// TPM2: revision 4 added the log fields; revision 3 ends before the start
// method parameters (52 bytes). Everything before LAML is kept when a
// table is extended.
#define TPM2_LOG_REVISION 4
#define TPM2_V3_SIZE ((u32)offsetof(struct acpi_tpm2, start_params))
#define TPM2_KEEP ((u32)offsetof(struct acpi_tpm2, laml))
// The CRB control area starts at the locality 0 control request register
// (TCG PC Client PTP 6.5.3).
#define CRB_CONTROL_AREA (TPM_MMIO_BASE + CRB_REG_CTRL_REQ)

// TCPA: revision 2; platform class 0 (client, std/tcg.h layout) or 1
// (server: u64 LAML at 40, u64 LASA at 48).
#define TCPA_REVISION 2
#define TCPA_CLASS 36
#define TCPA_CLIENT 0
#define TCPA_SERVER 1
#define TCPA_SERVER_LAML 40
#define TCPA_SERVER_LASA 48
#define TCPA_SERVER_MIN 56

#define QEMU_LOG_FILE "etc/tpm/log"

struct acpi_tree {
	struct acpi_rsdp *rsdp;
	u32 rsdp_len; // bytes ext_checksum covers; 0 for a revision 0 RSDP
	struct acpi_header *rsdt, *xsdt; // NULL when absent or unusable
};

static const char *const source_name[] = {
    [ACPI_TPM_SRC_QEMU] = "QEMU's table and area",
    [ACPI_TPM_SRC_FIXED] = "QEMU's table, fixed by the firmware",
    [ACPI_TPM_SRC_BUILT] = "table built by the firmware",
    [ACPI_TPM_SRC_NO_ACPI] = "not in ACPI",
};

static u8 sum8(const void *p, u32 len)
{
	const u8 *b = p;
	u8 s = 0;
	while (len--)
		s += *b++;
	return s;
}

// ACPI 6.5 5.2.6: all bytes of a table, checksum included, sum to zero.
static void set_checksum(struct acpi_header *h)
{
	h->checksum = 0;
	h->checksum = (u8)-sum8(h, h->length);
}

// ACPI 6.5 5.2.5.3: `checksum` covers the first 20 bytes, `ext_checksum`
// the whole structure (the first checksum included, so it goes second).
static void set_rsdp_checksums(struct acpi_tree *t)
{
	struct acpi_rsdp *r = t->rsdp;
	r->checksum = 0;
	r->checksum = (u8)-sum8(r, ACPI_RSDP_V1_SIZE);
	if (t->rsdp_len) {
		r->ext_checksum = 0;
		r->ext_checksum = (u8)-sum8(r, t->rsdp_len);
	}
}

static struct acpi_header *root_at(u64 addr, const char *sig)
{
	struct acpi_header *h = acpi_table_at(addr, HDR_SIZE);
	if (!h && addr)
		dprint(DL_ERR,
		       "acpi-tpm: %s at 0x%llx is outside the ACPI "
		       "blobs or too long; ignored\n",
		       sig, addr);
	if (h && memcmp(h->signature, sig, 4)) {
		dprint(DL_ERR, "acpi-tpm: no %s signature at 0x%llx\n", sig,
		       addr);
		h = NULL;
	}
	return h;
}

static void find_tree(struct acpi_tree *t)
{
	memset(t, 0, sizeof(*t));
	struct acpi_rsdp *r = (struct acpi_rsdp *)acpi_rsdp();
	if (!r)
		return;
	u32 room = acpi_room_at(phys_addr(r));
	if (room < ACPI_RSDP_V1_SIZE) {
		dprint(DL_ERR, "acpi-tpm: RSDP outside the ACPI blobs\n");
		return;
	}
	t->rsdp = r;
	if (r->revision >= 2 && room >= sizeof(*r) && r->length >= sizeof(*r) &&
	    r->length <= room)
		t->rsdp_len = r->length;
	t->rsdt = root_at(r->rsdt_address, "RSDT");
	if (t->rsdp_len)
		t->xsdt = root_at(r->xsdt_address, "XSDT");
}

static u32 entry_size(const struct acpi_tree *t, const struct acpi_header *root)
{
	return root == t->xsdt ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE;
}

static u32 entry_count(const struct acpi_header *root, u32 esize)
{
	return (root->length - HDR_SIZE) / esize;
}

static u8 *entry_ptr(struct acpi_header *root, u32 esize, u32 i)
{
	return (u8 *)root + HDR_SIZE + i * esize;
}

static u64 get_entry(const u8 *p, u32 esize)
{
	return esize == ACPI_XSDT_ENTRY_SIZE ? get_le64(p) : get_le32(p);
}

static void put_entry(u8 *p, u32 esize, u32 addr)
{
	if (esize == ACPI_XSDT_ENTRY_SIZE)
		put_le64(p, addr);
	else
		put_le32(p, addr);
}

// The first table with this signature in the XSDT (which the OS prefers),
// then in the RSDT.
static struct acpi_header *find_table(struct acpi_tree *t, const char *sig,
				      u32 min_len)
{
	struct acpi_header *roots[2] = {t->xsdt, t->rsdt};
	for (int r = 0; r < 2; r++) {
		if (!roots[r])
			continue;
		u32 es = entry_size(t, roots[r]);
		for (u32 i = 0; i < entry_count(roots[r], es); i++) {
			u64 a = get_entry(entry_ptr(roots[r], es, i), es);
			struct acpi_header *h = acpi_table_at(a, min_len);
			if (h && !memcmp(h->signature, sig, 4))
				return h;
		}
	}
	return NULL;
}

// Points every root entry that names a `sig` table at `repl` instead, so
// neither root keeps a stale copy.
static void relink(struct acpi_tree *t, const char *sig,
		   struct acpi_header *repl)
{
	struct acpi_header *roots[2] = {t->xsdt, t->rsdt};
	for (int r = 0; r < 2; r++) {
		if (!roots[r])
			continue;
		u32 es = entry_size(t, roots[r]);
		bool changed = false;
		for (u32 i = 0; i < entry_count(roots[r], es); i++) {
			u8 *p = entry_ptr(roots[r], es, i);
			struct acpi_header *h =
			    acpi_table_at(get_entry(p, es), 0);
			if (h && h != repl && !memcmp(h->signature, sig, 4)) {
				put_entry(p, es, phys_addr(repl));
				changed = true;
			}
		}
		if (changed)
			set_checksum(roots[r]);
	}
}

// Whether addr holds a table header with this signature, whatever its
// length field says.
static bool names_sig(u64 addr, const char *sig)
{
	return acpi_room_at(addr) >= HDR_SIZE &&
	       !memcmp(phys_ptr((u32)addr), sig, 4);
}

// A copy of `old` without entries naming a `drop` table (a stale or
// malformed one the OS might pick first), plus the `n` entries in `add`.
static struct acpi_header *grow_root(const struct acpi_header *old, u32 es,
				     const char *drop,
				     struct acpi_header *const *add, int n)
{
	const u8 *src = (const u8 *)old + HDR_SIZE;
	u32 count = entry_count(old, es), keep = 0;
	for (u32 i = 0; i < count; i++)
		keep += !names_sig(get_entry(src + i * es, es), drop);
	u32 len = HDR_SIZE + (keep + (u32)n) * es;
	struct acpi_header *r = malloc_high(len, TABLE_ALIGN);
	if (!r)
		return NULL;
	memcpy(r, old, HDR_SIZE);
	r->length = len;
	u8 *dst = (u8 *)r + HDR_SIZE;
	for (u32 i = 0; i < count; i++, src += es)
		if (!names_sig(get_entry(src, es), drop)) {
			memcpy(dst, src, es);
			dst += es;
		}
	for (int i = 0; i < n; i++, dst += es)
		put_entry(dst, es, phys_addr(add[i]));
	set_checksum(r);
	return r;
}

// New RSDT (and XSDT) listing the old entries (but `drop` tables) plus
// `add`, the RSDP repointed. The old roots stay, unreferenced.
static bool add_to_roots(struct acpi_tree *t, const char *drop,
			 struct acpi_header *const *add, int n)
{
	struct acpi_header *rsdt = NULL, *xsdt = NULL;
	if (t->rsdt &&
	    !(rsdt = grow_root(t->rsdt, ACPI_RSDT_ENTRY_SIZE, drop, add, n)))
		return false;
	if (t->xsdt &&
	    !(xsdt = grow_root(t->xsdt, ACPI_XSDT_ENTRY_SIZE, drop, add, n)))
		return false;
	if (rsdt)
		t->rsdp->rsdt_address = phys_addr(rsdt);
	if (xsdt)
		t->rsdp->xsdt_address = phys_addr(xsdt);
	set_rsdp_checksums(t);
	t->rsdt = rsdt;
	t->xsdt = xsdt;
	return true;
}

static void fill_header(struct acpi_header *h, const struct acpi_tree *t,
			const char *sig, u32 len, u8 rev)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	// One OEM ID across the platform's tables (ACPI 6.5 5.2.6).
	memcpy(h->oem_id, t->rsdp->oem_id, sizeof(h->oem_id));
	memcpy(h->oem_table_id, "MBIOSTPM", sizeof(h->oem_table_id));
	h->oem_revision = 1;
	memcpy(h->creator_id, "MBIO", sizeof(h->creator_id));
	h->creator_revision = 1;
}

// QEMU's log area is the "etc/tpm/log" blob: LASA must be its start and
// LAML must fit in it. Any other area might overlap tables or free RAM, so
// it is never zeroed or used.
static bool qemu_area_ok(u64 lasa, u64 laml, u32 min, struct acpi_tpm_log *out)
{
	const struct loader_file *f = loader_find(&acpi_loaded, QEMU_LOG_FILE);
	if (!lasa || !laml) {
		dprint(DL_INFO, "acpi-tpm: the table gives no log area\n");
		return false;
	}
	if (!f || lasa != phys_addr(f->data) || laml > f->size) {
		printf_console("TPM: ACPI log area 0x%llx+0x%llx is not the "
			       "one the firmware placed (%s at 0x%x+0x%x); "
			       "replaced\n",
			       lasa, laml, QEMU_LOG_FILE,
			       f ? phys_addr(f->data) : 0, f ? f->size : 0);
		return false;
	}
	if (laml < min) {
		printf_console("TPM: ACPI log area is %llu bytes, less than "
			       "the %u wanted; replaced\n",
			       laml, min);
		return false;
	}
	out->area = f->data;
	out->size = (u32)laml;
	out->addr = (u32)lasa;
	return true;
}

// QEMU's "etc/tpm/log" blob when there is one big enough, else a new area
// in the reserved high zone.
static bool new_area(u32 min, struct acpi_tpm_log *out)
{
	const struct loader_file *f = loader_find(&acpi_loaded, QEMU_LOG_FILE);
	if (f && f->size >= min) {
		out->area = f->data;
		out->size = f->size;
	} else {
		u32 size = MAX(min, ACPI_TPM_LOG_SIZE);
		out->area = malloc_high(size, LOG_ALIGN);
		if (!out->area) {
			printf_console("TPM: no memory for a %u byte event "
				       "log\n",
				       size);
			return false;
		}
		out->size = size;
	}
	out->addr = phys_addr(out->area);
	return true;
}

static void check_start_method(const struct acpi_tpm2 *t2, bool crb)
{
	u32 want = crb ? TPM2_START_CRB : TPM2_START_TIS;
	if (t2->start_method != want)
		printf_console("TPM: ACPI TPM2 start method %u, but the TPM "
			       "has a %s interface (%u)\n",
			       t2->start_method, crb ? "CRB" : "TIS", want);
}

static void fill_tpm2(struct acpi_tpm2 *t2, const struct acpi_tree *t, bool crb)
{
	memset(t2, 0, sizeof(*t2));
	fill_header(&t2->hdr, t, "TPM2", sizeof(*t2), TPM2_LOG_REVISION);
	t2->platform_class = 0; // client
	t2->control_area = crb ? CRB_CONTROL_AREA : 0;
	t2->start_method = crb ? TPM2_START_CRB : TPM2_START_TIS;
}

static bool setup_tpm2(struct acpi_tree *t, struct acpi_header *h, bool crb,
		       u32 min, struct acpi_tpm_log *out)
{
	struct acpi_tpm2 *t2 = (struct acpi_tpm2 *)h;
	bool v4 = h->revision >= TPM2_LOG_REVISION && h->length >= sizeof(*t2);
	dprint(DL_INFO, "acpi-tpm: TPM2 table at 0x%x: revision %u, %u bytes\n",
	       phys_addr(h), h->revision, h->length);
	if (h->length >= TPM2_V3_SIZE)
		check_start_method(t2, crb);
	if (sum8(h, h->length))
		printf_console("TPM: ACPI TPM2 table checksum is wrong\n");
	if (v4 && qemu_area_ok(t2->lasa, t2->laml, min, out)) {
		out->source = ACPI_TPM_SRC_QEMU;
		return true;
	}
	if (!new_area(min, out))
		return false;
	out->source = ACPI_TPM_SRC_FIXED;
	if (v4) {
		t2->laml = out->size;
		t2->lasa = out->addr;
		set_checksum(h);
		dprint(DL_INFO, "acpi-tpm: TPM2 log fields set\n");
		return true;
	}
	// Revision 3 (or too short): a revision 4 copy replaces it.
	struct acpi_tpm2 *n = malloc_high(sizeof(*n), TABLE_ALIGN);
	if (!n) {
		out->source = ACPI_TPM_SRC_NO_ACPI;
		return true;
	}
	fill_tpm2(n, t, crb);
	if (h->length >= TPM2_V3_SIZE)
		memcpy(n, h, MIN(h->length, TPM2_KEEP));
	n->hdr.length = sizeof(*n);
	n->hdr.revision = TPM2_LOG_REVISION;
	n->laml = out->size;
	n->lasa = out->addr;
	set_checksum(&n->hdr);
	relink(t, "TPM2", &n->hdr);
	printf_console("TPM: ACPI TPM2 table revision %u has no log area; "
		       "replaced by a revision 4 table at 0x%x\n",
		       h->revision, phys_addr(n));
	return true;
}

static void fill_tcpa(struct acpi_tcpa_client *tc, const struct acpi_tree *t,
		      const struct acpi_tpm_log *out)
{
	memset(tc, 0, sizeof(*tc));
	fill_header(&tc->hdr, t, "TCPA", sizeof(*tc), TCPA_REVISION);
	tc->platform_class = TCPA_CLIENT;
	tc->laml = out->size;
	tc->lasa = out->addr;
	set_checksum(&tc->hdr);
}

static bool setup_tcpa(struct acpi_tree *t, struct acpi_header *h, u32 min,
		       struct acpi_tpm_log *out)
{
	u8 *b = (u8 *)h;
	u16 cls =
	    h->length >= TCPA_CLASS + 2 ? get_le16(b + TCPA_CLASS) : 0xFFFF;
	u32 laml_off = 0, lasa_off = 0;
	if (cls == TCPA_CLIENT &&
	    h->length >= sizeof(struct acpi_tcpa_client)) {
		laml_off = offsetof(struct acpi_tcpa_client, laml);
		lasa_off = offsetof(struct acpi_tcpa_client, lasa);
	} else if (cls == TCPA_SERVER && h->length >= TCPA_SERVER_MIN) {
		laml_off = TCPA_SERVER_LAML;
		lasa_off = TCPA_SERVER_LASA;
	}
	dprint(DL_INFO, "acpi-tpm: TCPA table at 0x%x: class %u, %u bytes\n",
	       phys_addr(h), cls, h->length);
	if (sum8(h, h->length))
		printf_console("TPM: ACPI TCPA table checksum is wrong\n");
	if (laml_off) {
		u64 laml = cls == TCPA_SERVER ? get_le64(b + laml_off)
					      : get_le32(b + laml_off);
		if (qemu_area_ok(get_le64(b + lasa_off), laml, min, out)) {
			out->source = ACPI_TPM_SRC_QEMU;
			return true;
		}
	}
	if (!new_area(min, out))
		return false;
	out->source = ACPI_TPM_SRC_FIXED;
	if (laml_off) {
		if (cls == TCPA_SERVER)
			put_le64(b + laml_off, out->size);
		else
			put_le32(b + laml_off, out->size);
		put_le64(b + lasa_off, out->addr);
		set_checksum(h);
		dprint(DL_INFO, "acpi-tpm: TCPA log fields set\n");
		return true;
	}
	struct acpi_tcpa_client *n = malloc_high(sizeof(*n), TABLE_ALIGN);
	if (!n) {
		out->source = ACPI_TPM_SRC_NO_ACPI;
		return true;
	}
	fill_tcpa(n, t, out);
	relink(t, "TCPA", &n->hdr);
	printf_console("TPM: ACPI TCPA table unusable (class %u, %u bytes); "
		       "replaced\n",
		       cls, h->length);
	return true;
}

static bool contains(const u8 *hay, u32 n, const u8 *needle, u32 m)
{
	for (u32 i = 0; i + m <= n; i++)
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, m))
			return true;
	return false;
}

// Whether this AML names a TPM _HID: "MSFT0101" or "PNP0C31" as a string
// (StringPrefix 0x0D ... NUL), or PNP0C31 as a compressed EISA ID
// (DWordPrefix 0x0C; ACPI 6.5 20.2.3 "Data Objects Encoding").
static bool aml_has_tpm(const struct acpi_header *h)
{
	static const u8 hid20[] = "\x0dMSFT0101";
	static const u8 hid12[] = "\x0dPNP0C31";
	static const u8 eisa12[] = {0x0C, 0x41, 0xD0, 0x0C, 0x31};
	const u8 *aml = (const u8 *)h + HDR_SIZE;
	u32 n = h->length - HDR_SIZE;
	return contains(aml, n, hid20, sizeof(hid20)) ||
	       contains(aml, n, hid12, sizeof(hid12)) ||
	       contains(aml, n, eisa12, sizeof(eisa12));
}

// A DSDT or SSDT that already declares the TPM would clash with ours.
static bool namespace_has_tpm(struct acpi_tree *t)
{
	const u8 *fadt = (const u8 *)find_table(t, "FACP", ACPI_FADT_DSDT + 4);
	if (fadt) {
		u32 len = ((const struct acpi_header *)fadt)->length;
		u64 a = get_le32(fadt + ACPI_FADT_DSDT);
		if (len >= ACPI_FADT_X_DSDT + 8 &&
		    get_le64(fadt + ACPI_FADT_X_DSDT))
			a = get_le64(fadt + ACPI_FADT_X_DSDT);
		struct acpi_header *d = acpi_table_at(a, HDR_SIZE);
		if (d && !memcmp(d->signature, "DSDT", 4) && aml_has_tpm(d))
			return true;
	}
	struct acpi_header *roots[2] = {t->xsdt, t->rsdt};
	for (int r = 0; r < 2; r++) {
		if (!roots[r])
			continue;
		u32 es = entry_size(t, roots[r]);
		for (u32 i = 0; i < entry_count(roots[r], es); i++) {
			u64 a = get_entry(entry_ptr(roots[r], es, i), es);
			struct acpi_header *h = acpi_table_at(a, HDR_SIZE);
			if (h && !memcmp(h->signature, "SSDT", 4) &&
			    aml_has_tpm(h))
				return true;
		}
	}
	return false;
}

// The compiled SSDT for each TPM family.
static const struct {
	const u8 *aml;
	u32 len;
} ssdt_aml[] = {
    [1] = {tpm12_ssdt_aml_code, sizeof(tpm12_ssdt_aml_code)},
    [2] = {tpm20_ssdt_aml_code, sizeof(tpm20_ssdt_aml_code)},
};

static struct acpi_header *build_ssdt(const struct acpi_tree *t, int family)
{
	u32 len = ssdt_aml[family].len;
	struct acpi_header *h = malloc_high(len, TABLE_ALIGN);
	if (!h)
		return NULL;
	memcpy(h, ssdt_aml[family].aml, len);
	memcpy(h->oem_id, t->rsdp->oem_id, sizeof(h->oem_id));
	set_checksum(h);
	return h;
}

static bool build_tables(struct acpi_tree *t, int family, bool crb, u32 min,
			 struct acpi_tpm_log *out)
{
	if (!new_area(min, out))
		return false;
	out->source = ACPI_TPM_SRC_NO_ACPI; // until linked
	struct acpi_header *add[2];
	int n = 0;
	if (family == 2) {
		struct acpi_tpm2 *t2 = malloc_high(sizeof(*t2), TABLE_ALIGN);
		if (t2) {
			fill_tpm2(t2, t, crb);
			t2->laml = out->size;
			t2->lasa = out->addr;
			set_checksum(&t2->hdr);
			add[n++] = &t2->hdr;
		}
	} else {
		struct acpi_tcpa_client *tc =
		    malloc_high(sizeof(*tc), TABLE_ALIGN);
		if (tc) {
			fill_tcpa(tc, t, out);
			add[n++] = &tc->hdr;
		}
	}
	bool has_dev = namespace_has_tpm(t);
	if (has_dev)
		dprint(DL_INFO, "acpi-tpm: the namespace already has a TPM "
				"device; no SSDT\n");
	else if (n && (add[n] = build_ssdt(t, family)))
		n++;
	if (!n || !add_to_roots(t, family == 2 ? "TPM2" : "TCPA", add, n)) {
		printf_console("TPM: no memory for ACPI tables: the OS will "
			       "not find the event log\n");
		return true;
	}
	out->source = ACPI_TPM_SRC_BUILT;
	out->ssdt = n == 2;
	printf_console("TPM: ACPI had no %s table; added one%s\n",
		       family == 2 ? "TPM2" : "TCPA",
		       out->ssdt ? " and an SSDT for the device" : "");
	if (!has_dev && !out->ssdt)
		printf_console("TPM: no memory for the TPM's SSDT\n");
	return true;
}

bool acpi_tpm_setup(int tpm_family, bool crb, u32 min_log_size,
		    struct acpi_tpm_log *out)
{
	memset(out, 0, sizeof(*out));
	if ((tpm_family != 1 && tpm_family != 2) || (crb && tpm_family != 2)) {
		dprint(DL_ERR, "acpi-tpm: bad arguments (family %d, crb %d)\n",
		       tpm_family, crb);
		return false;
	}
	const char *sig = tpm_family == 2 ? "TPM2" : "TCPA";
	const char *other = tpm_family == 2 ? "TCPA" : "TPM2";
	struct acpi_tree t;
	find_tree(&t);
	bool ok;
	if (!t.rsdt && !t.xsdt) {
		printf_console("TPM: no usable ACPI tables: the OS will not "
			       "find the event log\n");
		ok = new_area(min_log_size, out);
		out->source = ACPI_TPM_SRC_NO_ACPI;
	} else {
		struct acpi_header *h = find_table(&t, sig, HDR_SIZE);
		if (!h && find_table(&t, other, HDR_SIZE))
			printf_console("TPM: ACPI has a %s table, but the TPM "
				       "is a %s; adding a %s table\n",
				       other, tpm_family == 2 ? "2.0" : "1.2",
				       sig);
		if (h && tpm_family == 2)
			ok = setup_tpm2(&t, h, crb, min_log_size, out);
		else if (h)
			ok = setup_tcpa(&t, h, min_log_size, out);
		else
			ok = build_tables(&t, tpm_family, crb, min_log_size,
					  out);
	}
	if (!ok) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	memset(out->area, 0, out->size);
	dprint(DL_INFO, "acpi-tpm: %s log area at 0x%x, %u bytes (%s)\n", sig,
	       out->addr, out->size, source_name[out->source]);
	return true;
}
