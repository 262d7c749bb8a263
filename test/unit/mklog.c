// Writes sample event logs with the firmware's log writer, for the
// eventlog.py and tpm2_eventlog checks (test_eventlog_py.sh). For each log
// NAME it writes NAME.log (trimmed to the last record, like the kernel's
// binary_bios_measurements), NAME.area (the whole zero-padded area) and
// NAME.expect (the C replay, "sha256:0=HEX" lines).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcg_replay.h"
#include "tcgbios/tcglog.h"

#define AREA_SIZE 65536
static u8 area[AREA_SIZE];

static void die(const char *what)
{
	fprintf(stderr, "mklog: %s\n", what);
	exit(1);
}

static void ev(struct tcglog *log, u32 pcr, u32 type, const void *what,
	       u32 whatlen, const void *data, u32 datalen)
{
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	if (tcglog_hash_event(log, what, whatlen, d) < 0 ||
	    tcglog_append(log, pcr, type, d, log->nbanks, data, datalen))
		die("append failed");
}

// A BIOS-like boot: S-CRTM, POST, SMBIOS, option ROM, IPL.
static void boot_events(struct tcglog *log)
{
	static const char ver[] = "mbios test";
	static u8 image[8192], mbr[512], smbios[300], rom[2048];
	u32 sep = 0;
	u8 tag[8 + 24];

	for (u32 i = 0; i < sizeof(image); i++)
		image[i] = (u8)(i * 7);
	for (u32 i = 0; i < sizeof(mbr); i++)
		mbr[i] = (u8)(i + 1);
	for (u32 i = 0; i < sizeof(smbios); i++)
		smbios[i] = (u8)(i * 3);
	for (u32 i = 0; i < sizeof(rom); i++)
		rom[i] = (u8)(i ^ 0x33);

	ev(log, 0, EV_S_CRTM_VERSION, ver, sizeof(ver) - 1, ver,
	   sizeof(ver) - 1);
	ev(log, 0, EV_POST_CODE, image, sizeof(image), "POST CODE", 9);
	// SMBIOS tag: {id 1, size, data}; digest covers the tables.
	memset(tag, 0, sizeof(tag));
	tag[0] = TCG_TAG_SMBIOS;
	ev(log, 1, EV_EVENT_TAG, smbios, sizeof(smbios), tag, 8);
	ev(log, 2, EV_ACTION, "Start Option ROM Scan", 21,
	   "Start Option ROM Scan", 21);
	// Option ROM exec tag: {id 7, size 24, {rsvd, PFA, sha1}}.
	memset(tag, 0, sizeof(tag));
	tag[0] = TCG_TAG_OPTION_ROM_EXEC;
	tag[4] = 24;
	tag[10] = 0x18; // 00:03.0
	ev(log, 2, EV_EVENT_TAG, rom, sizeof(rom), tag, sizeof(tag));
	ev(log, 4, EV_ACTION, "Calling INT 19h", 15, "Calling INT 19h", 15);
	for (u32 pcr = 0; pcr < 8; pcr++)
		ev(log, pcr, EV_SEPARATOR, &sep, 4, &sep, 4);
	ev(log, 4, EV_ACTION, "Booting BCV Device 80h, 0", 25,
	   "Booting BCV Device 80h, 0", 25);
	ev(log, 4, EV_IPL, mbr, 440, "MBR", 3);
	ev(log, 5, EV_IPL_PARTITION_DATA, mbr + 440, 72, mbr + 440, 72);
}

static void save(const char *dir, const char *name, const struct tcglog *log)
{
	static struct replay r;
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.log", dir, name);
	if (!(f = fopen(path, "wb")) ||
	    fwrite(area, 1, log->next, f) != log->next || fclose(f))
		die("cannot write .log");
	snprintf(path, sizeof(path), "%s/%s.area", dir, name);
	if (!(f = fopen(path, "wb")) ||
	    fwrite(area, 1, log->size, f) != log->size || fclose(f))
		die("cannot write .area");
	if (replay_log(area, log->size, &r))
		die("own log does not parse");
	snprintf(path, sizeof(path), "%s/%s.expect", dir, name);
	if (!(f = fopen(path, "w")))
		die("cannot write .expect");
	replay_print(f, &r);
	if (fclose(f))
		die("cannot write .expect");
}

int main(int argc, char **argv)
{
	static const u16 all[] = {TPM_ALG_SHA1, TPM_ALG_SHA256, TPM_ALG_SHA384,
				  TPM_ALG_SHA512, TPM_ALG_SM3_256};
	static const u16 sha256[] = {TPM_ALG_SHA256};
	static const u16 two[] = {TPM_ALG_SHA1, TPM_ALG_SHA256};
	struct tcglog log;
	const char *dir;

	if (argc != 2) {
		fprintf(stderr, "usage: mklog OUTDIR\n");
		return 2;
	}
	dir = argv[1];

	if (tcglog_init_tpm12(&log, area, AREA_SIZE))
		die("init 1.2");
	boot_events(&log);
	save(dir, "tpm12", &log);

	if (tcglog_init_tpm2(&log, area, AREA_SIZE, sha256, 1))
		die("init 2.0");
	boot_events(&log);
	save(dir, "tpm2-sha256", &log);

	if (tcglog_init_tpm2(&log, area, AREA_SIZE, all, 5))
		die("init 2.0");
	boot_events(&log);
	save(dir, "tpm2-all", &log);

	// Started at locality 3: PCR 0 begins at ...03.
	if (tcglog_init_tpm2(&log, area, AREA_SIZE, two, 2))
		die("init 2.0");
	static const char loc[17] = "StartupLocality\0\3";
	if (tcglog_append(&log, 0, EV_NO_ACTION, NULL, 0, loc, sizeof(loc)))
		die("locality");
	boot_events(&log);
	save(dir, "tpm2-loc3", &log);

	// A log that ran full and was capped with the error separators.
	if (tcglog_init_tpm2(&log, area, 2048, two, 2))
		die("init 2.0");
	u8 blob[100];
	memset(blob, 0x77, sizeof(blob));
	while (tcglog_room(&log, sizeof(blob)))
		ev(&log, 3, EV_EVENT_TAG, blob, sizeof(blob), blob,
		   sizeof(blob));
	u32 err = TCG_SEPARATOR_ERROR;
	struct tcglog_digest d[TCGLOG_MAX_BANKS];
	tcglog_hash_event(&log, &err, 4, d);
	for (u32 pcr = 0; pcr < 8; pcr++)
		if (tcglog_append_reserved(&log, pcr, EV_SEPARATOR, d,
					   log.nbanks, &err, 4))
			die("reserve");
	save(dir, "tpm2-full", &log);
	return 0;
}
