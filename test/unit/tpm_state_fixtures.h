// cmocka fixtures for the tests of the start-up layer: a fresh engine
// behind the given interface and a zeroed `st`, the file's struct
// tpm_state. Include after tpm_test_util.h.
#ifndef MBIOS_TEST_TPM_STATE_FIXTURES_H
#define MBIOS_TEST_TPM_STATE_FIXTURES_H

#include "tcgbios/tpm_startup.h"

static struct tpm_state st;

static inline void fresh_tpm(enum fake_iface iface, int version)
{
	fake_tpm_init(iface, version);
	memset(&st, 0, sizeof(st));
}

static inline int setup_tis20(void **state)
{
	(void)state;
	fresh_tpm(FAKE_TIS, 20);
	return 0;
}

static inline int setup_crb20(void **state)
{
	(void)state;
	fresh_tpm(FAKE_CRB, 20);
	return 0;
}

static inline int setup_tis12(void **state)
{
	(void)state;
	fresh_tpm(FAKE_TIS, 12);
	return 0;
}

#endif
