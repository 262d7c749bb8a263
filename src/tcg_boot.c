// The measurement points of the boot flow (docs/measurements.md): what is
// measured, into which PCR, with which event type and data.
#include "tcg_boot.h"
#include "tcg_menu.h"
#include "autoconf.h"
#include "crypto/hash.h"
#include "fw/acpi.h"
#include "fw/acpi_tpm.h"
#include "fw/fw_cfg.h"
#include "layout.h"
#include "lib/format.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"
#include "std/tcg.h"
#include "std/tpm.h"
#include "tcgbios/tcg_measure.h"
#include "hw/clock.h"
#include "hw/longmode.h"
#include "version.h"

#define PCR_CRTM 0
#define PCR_CONFIG 1
#define PCR_OPROM 2
#define PCR_IPL 4
#define PCR_IPL_CONFIG 5

// The event type of the IPL code measured into PCR 4 (MBR bytes 0-439,
// and the kernel, initrd and command line of a direct boot). The
// Conventional BIOS spec used EV_IPL here; the PFP keeps EV_IPL for OS
// loaders in PCRs 8-15, and verifiers built on it (tpm2_eventlog) warn
// about an EV_IPL in PCR 4. EV_COMPACT_HASH is a firmware event whose
// data is informative: the digest is the hash of the code, the data says
// what it was. docs/measurements.md has the trade-off.
#define EV_IPL_CODE EV_COMPACT_HASH

static bool int19_logged;

static void report_tpm(const struct tpm_state *t)
{
	char banks[64] = "";
	u32 len = 0;
	if (t->version == TPM_VER_20)
		for (u32 i = 0; i < t->banks.count; i++)
			len += snprintf(banks + len, sizeof(banks) - len,
					"%s%s", i ? "," : "",
					hash_alg_name(t->banks.b[i].alg));
	// A failed start-up has already said what went wrong.
	printf_console("TPM %s (%s)%s%s%s\n",
		       t->version == TPM_VER_12 ? "1.2" : "2.0",
		       t->dev.iface == TPM_IFACE_CRB ? "CRB" : "TIS",
		       tpm_usable(t) ? " started" : " found, not in use",
		       len ? ", PCR banks " : "", banks);
}

// The log area: QEMU's "etc/tpm/log" blob behind its TPM2/TCPA table, or
// one acpi_tpm builds when the platform gave none (fw/acpi_tpm.c).
static void *log_area(u32 *size)
{
	struct acpi_tpm_log log;
	if (!acpi_tpm_setup(g_tpm.version == TPM_VER_12 ? 1 : 2,
			    g_tpm.dev.iface == TPM_IFACE_CRB,
			    CONFIG_TPM_LOG_MIN_KB * 1024u, &log))
		return NULL;
	if (log.source == ACPI_TPM_SRC_NO_ACPI)
		printf_console("TPM: no ACPI tables: the OS will not find the "
			       "event log\n");
	*size = log.size;
	// Test builds may use less than the area, to reach "log full".
	if (CONFIG_TPM_LOG_LIMIT_KB && *size > CONFIG_TPM_LOG_LIMIT_KB * 1024u)
		*size = CONFIG_TPM_LOG_LIMIT_KB * 1024u;
	return log.area;
}

// EV_S_CRTM_VERSION data: the version as a NUL-terminated UTF-16 string
// (PFP "EV_S_CRTM_VERSION").
static void measure_crtm_version(void)
{
	static const char ver[] = "mbios " MBIOS_VERSION;
	u8 utf16[2 * sizeof(ver)];
	for (u32 i = 0; i < sizeof(ver); i++) {
		utf16[2 * i] = (u8)ver[i];
		utf16[2 * i + 1] = 0;
	}
	tcg_measure(&g_tcg, PCR_CRTM, EV_S_CRTM_VERSION, utf16, sizeof(utf16),
		    utf16, sizeof(utf16));
}

// The whole firmware image as QEMU mapped it below 4 GiB: the ROM alias,
// not the shadow copy whose data has changed since reset.
static void measure_image(void)
{
	u32 size = CONFIG_IMAGE_SIZE_KB * 1024u;
	const void *image = phys_ptr(0u - size);
	static const char ev[] = "POST CODE";
	tcg_measure(&g_tcg, PCR_CRTM, EV_POST_CODE, image, size, ev,
		    sizeof(ev) - 1);
}

// EV_EVENT_TAG: the event data is the tagged event, and the PCR takes the
// hash of that event data, as for every event whose data is the measured
// object itself (Conventional BIOS spec 1.21, 11.3.1 "Event Types",
// EV_EVENT_TAG, and the TCG_PCClientTaggedEventStruct it carries).
static void measure_tagged(u32 pcr, u32 tag, const void *data, u32 len)
{
	u8 *ev = malloc_tmp(sizeof(struct tcg_tagged_event) + len, 4);
	if (!ev) {
		tcg_cap(&g_tcg, "no memory to measure a tagged event");
		return;
	}
	struct tcg_tagged_event *t = (void *)ev;
	t->event_id = tag;
	t->event_data_size = len;
	memcpy(t->event_data, data, len);
	u32 n = sizeof(*t) + len;
	tcg_measure(&g_tcg, pcr, EV_EVENT_TAG, ev, n, ev, n);
}

// QEMU blobs that change at every start of the same VM: measuring them
// would make PCR 1 unpredictable (PFP "PCR[1]": platform-unique data
// SHOULD NOT be measured). etc/vmgenid_guid is the VM generation id
// (-device vmgenid, guid=auto by default); etc/tpm/log is the empty log.
static bool per_start_blob(const char *name)
{
	return !strcmp(name, "etc/tpm/log") ||
	       !strcmp(name, "etc/vmgenid_guid");
}

static u32 length_without_zero_tail(const u8 *p, u32 len)
{
	while (len >= 4 && !*(const u32 *)(p + len - 4))
		len -= 4;
	while (len && !p[len - 1])
		len--;
	return len;
}

static void measure_platform_config(void)
{
	u32 len;
	const void *smbios = smbios_table(&len);
	if (smbios) {
		// A copy without the UUID, serial numbers and asset tags.
		u8 *copy = malloc_tmp(len, 4);
		if (!copy) {
			tcg_cap(&g_tcg, "no memory to measure SMBIOS");
			return;
		}
		memcpy(copy, smbios, len);
		smbios_mask_platform_unique(copy, len);
		measure_tagged(PCR_CONFIG, TCG_TAG_SMBIOS, copy, len);
	}
	// Every blob QEMU's table-loader placed, as installed, up to its last
	// non-zero byte: QEMU pads etc/acpi/tables to 128 KiB of zeros
	// (docs/measurements.md, row 4).
	for (int i = 0; i < acpi_loaded.count; i++) {
		const struct loader_file *f = &acpi_loaded.files[i];
		if (per_start_blob(f->name))
			continue;
		tcg_measure(&g_tcg, PCR_CONFIG, EV_PLATFORM_CONFIG_FLAGS,
			    f->data, length_without_zero_tail(f->data, f->size),
			    f->name, strlen(f->name));
	}
}

static void measure_action(const char *text)
{
	tcg_measure(&g_tcg, PCR_IPL, EV_ACTION, text, strlen(text), text,
		    strlen(text));
}

void tcg_start_tpm(void)
{
	tpm_setup_begin(&g_tpm, TPM_MMIO_BASE);
}

void tcg_setup(void)
{
	int rc = tpm_setup(&g_tpm, TPM_MMIO_BASE);
	if (rc == TPM_E_NODEV) {
		dprint(DL_INFO, "tpm: none found\n");
		return;
	}
	if (!g_tpm.present)
		return;
	report_tpm(&g_tpm);
	// Before anything is measured or locked: an OS request may clear
	// the TPM or change its banks (and reset).
	tcg_ppi_setup();
	if (!tpm_usable(&g_tpm)) {
		// tpm_setup said why. A TPM that answers but will not be
		// measured into must not keep PCRs at their reset value.
		if (g_tpm.already_started) {
			// The OS still gets the TPM and its ACPI table; the
			// log area stays empty, which no reader replays.
			u32 size;
			log_area(&size);
			tcg_cap_without_log(&g_tpm, "TPM started before this "
						    "boot");
		} else if (g_tpm.failed) {
			tcg_cap_without_log(&g_tpm, "TPM start-up failed");
		}
		return;
	}
	u32 size = 0;
	void *area = log_area(&size);
	if (!area) {
		tcg_cap_without_log(&g_tpm, "no memory for the event log");
		return;
	}
	if (tcg_log_start(&g_tcg, &g_tpm, area, size)) {
		tcg_cap_without_log(&g_tpm, "event log unusable");
		return;
	}
	dprint(DL_INFO, "tcg: log at %p, %u bytes\n", area, size);
	tcg_async(&g_tcg, true);
	bool lm = longmode_hash_begin();
	measure_crtm_version();
	measure_image();
	measure_platform_config();
	tcg_measure_tpm_config();
	if (lm)
		longmode_hash_end();
}

// The boot-time measurements (boot order, separators, boot device and
// sector) hash in long mode too: then the i386 hash code never runs in
// POST, and TCG never translates it.
static bool boot_session;

void tcg_boot_measurements_begin(void)
{
	boot_session = tcg_measuring(&g_tcg) && longmode_hash_begin();
}

void tcg_handoff(void)
{
	tcg_async(&g_tcg, false);
	if (boot_session)
		longmode_hash_end();
	boot_session = false;
}

void tcg_resume(void)
{
	// tpm_resume prints every failure and what the OS gets.
	if (tpm_resume(&g_tpm, TPM_MMIO_BASE) == 0)
		printf_console("TPM: resumed with its saved state\n");
}

void tcg_measure_rom_scan_start(void)
{
	static const char ev[] = "Start Option ROM Scan";
	if (!tcg_measuring(&g_tcg))
		return; // no page tables for long mode without a TPM
	bool lm = longmode_hash_begin();
	tcg_measure(&g_tcg, PCR_OPROM, EV_ACTION, ev, sizeof(ev) - 1, ev,
		    sizeof(ev) - 1);
	if (lm)
		longmode_hash_end();
}

void tcg_measure_option_rom(u16 bdf, const void *rom, u32 len)
{
	if (!tcg_measuring(&g_tcg))
		return;
	struct {
		struct tcg_tagged_event tag;
		struct tcg_option_rom_exec exec;
	} PACKED ev;
	ev.tag.event_id = TCG_TAG_OPTION_ROM_EXEC;
	ev.tag.event_data_size = sizeof(ev.exec);
	ev.exec.reserved = 0;
	ev.exec.pfa = bdf;
	// The tag carries the SHA-1 of the image; the PCR takes the hash of
	// the tag (see measure_tagged).
	bool lm = longmode_hash_begin();
	sha1(rom, len, ev.exec.image_sha1);
	tcg_measure(&g_tcg, PCR_OPROM, EV_EVENT_TAG, &ev, sizeof(ev), &ev,
		    sizeof(ev));
	if (lm)
		longmode_hash_end();
}

// Hash a fw_cfg item in 64 KiB pieces (kernels are megabytes; each piece
// is one switch to long mode per bank).
#define FW_CFG_HASH_PIECE 0x10000u

static bool hash_fw_cfg_item(u16 key, u32 size, struct tcglog_digest *d, u32 *n)
{
	u8 *buf = malloc_tmp(FW_CFG_HASH_PIECE, 16);
	if (!buf)
		return false;
	struct tcg_hasher h;
	tcg_hash_begin(&g_tcg, &h);
	for (u32 off = 0; off < size; off += FW_CFG_HASH_PIECE) {
		u32 chunk = MIN(size - off, FW_CFG_HASH_PIECE);
		fw_cfg_read(key, off, buf, chunk);
		tcg_hash_update(&h, buf, chunk);
	}
	*n = tcg_hash_end(&h, d);
	return true;
}

static void measure_fw_cfg_item(u16 size_key, u16 data_key, const char *what)
{
	u32 size = fw_cfg_read32(size_key);
	if (!size || !tcg_measuring(&g_tcg))
		return;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	u32 n;
	if (hash_fw_cfg_item(data_key, size, d, &n))
		tcg_measure_digests(&g_tcg, PCR_IPL, EV_IPL_CODE, d, n, what,
				    strlen(what));
	else
		// It will run all the same: never hand over unmeasured code.
		tcg_cap(&g_tcg, "no memory to measure the kernel");
}

// The largest command line measured with its text as the event data.
#define CMDLINE_MAX (64u * 1024)

// Direct kernel boot (-kernel/-initrd/-append), measured when the fw_cfg
// loader ROM's boot vector is about to load them (docs/measurements.md
// explains PCR 4, EV_IPL_CODE and the place after the separators).
static void measure_kernel_boot(void)
{
	if (!tcg_measuring(&g_tcg) || !fw_cfg_read32(FW_CFG_KERNEL_SIZE))
		return;
	u64 t0 = clock_us();
	bool lm = longmode_hash_begin();
	measure_fw_cfg_item(FW_CFG_SETUP_SIZE, FW_CFG_SETUP_DATA,
			    "Linux kernel setup (as patched by QEMU)");
	measure_fw_cfg_item(FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA,
			    "Linux kernel");
	measure_fw_cfg_item(FW_CFG_INITRD_SIZE, FW_CFG_INITRD_DATA,
			    "Linux initrd");
	if (lm)
		longmode_hash_end();
	// scripts/bench.py reads this line.
	dprint(DL_INFO, "tcg: kernel and initrd measured in %u us (%s)\n",
	       (u32)(clock_us() - t0), lm ? "64-bit" : "32-bit");
	u32 len = fw_cfg_read32(FW_CFG_CMDLINE_SIZE);
	if (!len || !tcg_measuring(&g_tcg))
		return;
	char *cmdline = len <= CMDLINE_MAX ? malloc_tmp(len, 1) : NULL;
	if (!cmdline) {
		tcg_cap(&g_tcg, "kernel command line too long to measure");
		return;
	}
	fw_cfg_read(FW_CFG_CMDLINE_DATA, 0, cmdline, len);
	u32 text = strnlen(cmdline, len); // without the NUL
	tcg_measure(&g_tcg, PCR_IPL, EV_IPL_CODE, cmdline, text, cmdline, text);
}

// QEMU's option ROMs that load -kernel/-initrd/-append from fw_cfg.
static bool fw_cfg_kernel_loader(const char *rom_name)
{
	return rom_name && (!strncmp(rom_name, "genroms/linuxboot", 17) ||
			    !strncmp(rom_name, "genroms/multiboot", 17));
}

void tcg_measure_boot_order(const char *text, u32 len)
{
	tcg_measure(&g_tcg, PCR_CONFIG, EV_PLATFORM_CONFIG_FLAGS, text, len,
		    text, len);
}

void tcg_prepare_boot(void)
{
	// A refused extend caps the PCRs before the TPM is locked.
	tcg_flush(&g_tcg);
	if (g_tcg.active && !int19_logged) {
		int19_logged = true;
		measure_action("Calling INT 19h");
		// One digest for the eight: each hash is a switch to long mode.
		static const u8 sep[4] = {0, 0, 0, 0};
		struct tcglog_digest d[TCGLOG_MAX_BANKS];
		u32 n = tcglog_hash_event(&g_tcg.log, sep, sizeof(sep), d);
		for (u32 pcr = 0; pcr < 8; pcr++)
			tcg_measure_digests(&g_tcg, pcr, EV_SEPARATOR, d, n,
					    sep, sizeof(sep));
	}
	if (g_tpm.present)
		tpm_prepare_boot(&g_tpm);
}

// The EV_ACTION strings of Conventional BIOS spec 1.21, 11.3.3 "EV_ACTION
// Event Types": "Booting BCV Device " and "Booting BEV Device ", each
// followed by what is booted.
void tcg_measure_boot_bcv(u8 drive)
{
	char text[40];
	snprintf(text, sizeof(text), "Booting BCV Device %02xh (HDD)", drive);
	measure_action(text);
}

void tcg_measure_boot_bev(const char *desc, const char *rom_name)
{
	char text[80];
	snprintf(text, sizeof(text), "Booting BEV Device %s", desc);
	measure_action(text);
	if (fw_cfg_kernel_loader(rom_name))
		measure_kernel_boot();
}

// El Torito boot (docs/measurements.md): the action names the drive; the
// event data strings of the catalog and the image are those of the
// Conventional BIOS spec's El Torito measurements, as the Bochs/Xen TCG
// BIOS and SeaBIOS log them.
void tcg_measure_boot_cdrom(const char *desc)
{
	char text[80];
	snprintf(text, sizeof(text), "Booting from CD ROM device %s", desc);
	measure_action(text);
}

void tcg_measure_cdrom_catalog(const u8 *catalog, u32 len)
{
	static const char ev[] = "BOOT CATALOG";
	tcg_measure(&g_tcg, PCR_IPL_CONFIG, EV_IPL_PARTITION_DATA, catalog, len,
		    ev, sizeof(ev) - 1);
}

void tcg_measure_cdrom_image(const u8 *image, u32 len)
{
	static const char ev[] = "EL TORITO IPL";
	tcg_measure(&g_tcg, PCR_IPL, EV_IPL_CODE, image, len, ev,
		    sizeof(ev) - 1);
}

void tcg_measure_mbr(const u8 *mbr)
{
	static const char ev[] = "MBR";
	tcg_measure(&g_tcg, PCR_IPL, EV_IPL_CODE, mbr, 440, ev, sizeof(ev) - 1);
	tcg_measure(&g_tcg, PCR_IPL_CONFIG, EV_IPL_PARTITION_DATA, mbr + 440,
		    72, mbr + 440, 72);
}

void tcg_measure_boot_failed(void)
{
	measure_action("Returned INT 19h");
}

void tcg_measure_int18(void)
{
	measure_action("Return via INT 18h");
}
