// TPM round-trips of start-up (tpm_setup) and OS hand-off
// (tpm_prepare_boot) on the libtpms-backed register fake, for TPM 2.0 over
// TIS and CRB and TPM 1.2 over TIS. A round-trip is one command sent and
// answered (dev.transfers). As a unit test it checks that both sequences
// succeed and that the counts stay within bounds; `--print` also prints one
// line per configuration for scripts/bench.py:
//   <name> setup <n> handoff <n> total <n>
#include <stdio.h>
#include <string.h>

#include "fake_tpm.h"
#include "host_output.h"
#include "std/tpm.h"
#include "tcgbios/tpm_startup.h"

struct config {
	const char *name;
	enum fake_iface iface;
	int version;
	// Bounds: start-up is Startup, IncrementalSelfTest and the queries it
	// needs (PCR banks; for 1.2 physical presence, timeouts, durations,
	// flags); hand-off is the lock (2.0: GetRandom +
	// HierarchyChangeAuth; 1.2: TSC_PhysicalPresence). One spare each
	// before this test complains.
	u32 setup_min, setup_max, handoff_min, handoff_max;
};

static const struct config configs[] = {
    {"tpm2-tis", FAKE_TIS, 20, 3, 4, 2, 3},
    {"tpm2-crb", FAKE_CRB, 20, 3, 4, 2, 3},
    {"tpm12-tis", FAKE_TIS, 12, 9, 10, 1, 2},
};

static struct tpm_state st;

static int run(const struct config *c, bool print)
{
	int bad = 0;
	fake_tpm_init(c->iface, c->version);
	memset(&st, 0, sizeof(st));
	int rc = tpm_setup(&st, TPM_MMIO_BASE);
	u32 setup = st.dev.transfers;
	if (rc || !tpm_usable(&st)) {
		fprintf(stderr, "tpm_roundtrips: %s: tpm_setup failed (%d)\n",
			c->name, rc);
		bad = 1;
	}
	rc = tpm_prepare_boot(&st);
	u32 handoff = st.dev.transfers - setup;
	if (rc || !st.locked) {
		fprintf(stderr,
			"tpm_roundtrips: %s: tpm_prepare_boot failed (%d)\n",
			c->name, rc);
		bad = 1;
	}
	fake_tpm_fini();
	if (setup < c->setup_min || setup > c->setup_max) {
		fprintf(stderr,
			"tpm_roundtrips: %s: start-up took %u round-trips, "
			"expected %u-%u\n",
			c->name, setup, c->setup_min, c->setup_max);
		bad = 1;
	}
	if (handoff < c->handoff_min || handoff > c->handoff_max) {
		fprintf(stderr,
			"tpm_roundtrips: %s: hand-off took %u round-trips, "
			"expected %u-%u\n",
			c->name, handoff, c->handoff_min, c->handoff_max);
		bad = 1;
	}
	if (print)
		printf("%s setup %u handoff %u total %u\n", c->name, setup,
		       handoff, setup + handoff);
	return bad;
}

int main(int argc, char **argv)
{
	bool print = argc > 1 && !strcmp(argv[1], "--print");
	if (argc > 1 && !print) {
		fprintf(stderr, "usage: %s [--print]\n", argv[0]);
		return 2;
	}
	host_output_quiet = true;
	int bad = 0;
	for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++)
		bad |= run(&configs[i], print);
	if (!print)
		printf("tpm_roundtrips: %s\n", bad ? "FAILED" : "ok");
	return bad;
}
