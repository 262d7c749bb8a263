// The command engine behind the register fake (fake_tpm.c): libtpms with
// its NV state kept in memory, so a TPM reset keeps what was stored.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>

#include "fake_tpm.h"

static bool engine_up;
static int exec_locality;

// ---- In-memory NV for libtpms ---------------------------------------------

struct nv_blob {
	char name[64];
	unsigned char *data;
	uint32_t len;
};
static struct nv_blob nv[8];

static struct nv_blob *nv_find(const char *name, bool create)
{
	for (size_t i = 0; i < sizeof(nv) / sizeof(nv[0]); i++)
		if (nv[i].data && !strcmp(nv[i].name, name))
			return &nv[i];
	if (!create)
		return NULL;
	for (size_t i = 0; i < sizeof(nv) / sizeof(nv[0]); i++)
		if (!nv[i].data) {
			snprintf(nv[i].name, sizeof(nv[i].name), "%s", name);
			return &nv[i];
		}
	abort();
}

static void nv_clear(void)
{
	for (size_t i = 0; i < sizeof(nv) / sizeof(nv[0]); i++) {
		free(nv[i].data);
		nv[i].data = NULL;
	}
}

static TPM_RESULT cb_nv_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT cb_nv_load(unsigned char **data, uint32_t *length,
			     uint32_t tpm_number, const char *name)
{
	(void)tpm_number;
	struct nv_blob *b = nv_find(name, false);
	if (!b)
		return TPM_NON_FATAL; // TPM_RETRY: "no such state yet"
	*data = malloc(b->len);
	memcpy(*data, b->data, b->len);
	*length = b->len;
	return TPM_SUCCESS;
}

static TPM_RESULT cb_nv_store(const unsigned char *data, uint32_t length,
			      uint32_t tpm_number, const char *name)
{
	(void)tpm_number;
	struct nv_blob *b = nv_find(name, true);
	unsigned char *copy = malloc(length ? length : 1);
	memcpy(copy, data, length);
	free(b->data);
	b->data = copy;
	b->len = length;
	return TPM_SUCCESS;
}

static TPM_RESULT cb_nv_delete(uint32_t tpm_number, const char *name,
			       TPM_BOOL must_exist)
{
	(void)tpm_number;
	struct nv_blob *b = nv_find(name, false);
	if (!b)
		return must_exist ? TPM_FAIL : TPM_SUCCESS;
	free(b->data);
	b->data = NULL;
	return TPM_SUCCESS;
}

static TPM_RESULT cb_io_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT cb_locality(TPM_MODIFIER_INDICATOR *loc, uint32_t tpm_number)
{
	(void)tpm_number;
	*loc = (TPM_MODIFIER_INDICATOR)exec_locality;
	return TPM_SUCCESS;
}

static TPM_RESULT cb_pp(TPM_BOOL *pp, uint32_t tpm_number)
{
	(void)tpm_number;
	*pp = FALSE;
	return TPM_SUCCESS;
}

static unsigned char *lib_rsp;
static uint32_t lib_cap;

void fake_engine_start(int version)
{
	static struct libtpms_callbacks cbs = {
	    .sizeOfStruct = sizeof(struct libtpms_callbacks),
	    .tpm_nvram_init = cb_nv_init,
	    .tpm_nvram_loaddata = cb_nv_load,
	    .tpm_nvram_storedata = cb_nv_store,
	    .tpm_nvram_deletename = cb_nv_delete,
	    .tpm_io_init = cb_io_init,
	    .tpm_io_getlocality = cb_locality,
	    .tpm_io_getphysicalpresence = cb_pp,
	};
	if (TPMLIB_ChooseTPMVersion(version == 12 ? TPMLIB_TPM_VERSION_1_2
						  : TPMLIB_TPM_VERSION_2) ||
	    TPMLIB_RegisterCallbacks(&cbs) || TPMLIB_MainInit()) {
		fprintf(stderr, "fake_tpm: libtpms init failed\n");
		abort();
	}
	engine_up = true;
}

void fake_engine_stop(bool forget_nv)
{
	if (engine_up)
		TPMLIB_Terminate();
	engine_up = false;
	if (!forget_nv)
		return;
	nv_clear();
	free(lib_rsp);
	lib_rsp = NULL;
	lib_cap = 0;
}

u32 fake_tpm_engine(const u8 *cmd, u32 len, u8 *rsp, u32 max, int locality)
{
	uint32_t out_len = 0;
	exec_locality = locality;
	if (TPMLIB_Process(&lib_rsp, &out_len, &lib_cap, (unsigned char *)cmd,
			   len) != TPM_SUCCESS)
		abort();
	if (out_len > max)
		abort();
	memcpy(rsp, lib_rsp, out_len);
	return out_len;
}
