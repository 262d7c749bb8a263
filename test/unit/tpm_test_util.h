// Shared helpers for the TPM host tests: raw commands and cmocka glue.
#ifndef MBIOS_TEST_TPM_TEST_UTIL_H
#define MBIOS_TEST_TPM_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "fake_tpm.h"
#include "hw/tpm_drivers.h"
#include "std/byteorder.h"
#include "std/tpm.h"

// TPM2_Startup(SU_CLEAR), TPM2_GetRandom(32), TPM_Startup(ST_CLEAR).
static const u8 T2_STARTUP[] = {0x80, 0x01, 0,	  0,	0, 12,
				0,    0,    0x01, 0x44, 0, 0};
static const u8 T2_GETRANDOM32[] = {0x80, 0x01, 0,    0,    0, 12,
				    0,	  0,	0x01, 0x7B, 0, 32};
static const u8 T12_STARTUP[] = {0, 0xC1, 0, 0, 0, 12, 0, 0, 0, 0x99, 0, 1};

// Upper bound of virtual time any single failing call may take: the
// longest wait (TPM 2.0 long duration) plus a cancel.
#define MAX_FAIL_US (35u * 1000000u)

static inline u32 rsp_code(const u8 *rsp)
{
	return get_be32(rsp + 6);
}

// Send raw bytes through the driver; returns the driver result.
static inline int raw_xfer(struct tpm_dev *dev, const u8 *cmd, u32 len, u8 *rsp,
			   u32 max, u32 *rlen)
{
	return tpm_drv_transmit(dev, cmd, len, rsp, max, rlen, TPM_DUR_SHORT);
}

// Probe and start a TPM 2.0 behind the current fake.
static inline void probe_and_start20(struct tpm_dev *dev)
{
	u8 rsp[64];
	u32 len;
	assert_int_equal(tpm_drv_probe(dev, TPM_MMIO_BASE), TPM_OK);
	assert_int_equal(raw_xfer(dev, T2_STARTUP, sizeof(T2_STARTUP), rsp,
				  sizeof(rsp), &len),
			 TPM_OK);
	assert_int_equal(len, 10);
	assert_int_equal(rsp_code(rsp), 0);
}

// A random command works and returns 32 bytes.
static inline void check_getrandom(struct tpm_dev *dev)
{
	u8 rsp[64];
	u32 len;
	assert_int_equal(raw_xfer(dev, T2_GETRANDOM32, sizeof(T2_GETRANDOM32),
				  rsp, sizeof(rsp), &len),
			 TPM_OK);
	assert_int_equal(len, 10 + 2 + 32);
	assert_int_equal(get_be16(rsp), TPM2_ST_NO_SESSIONS);
	assert_int_equal(rsp_code(rsp), 0);
	assert_int_equal(get_be16(rsp + 10), 32);
}

#endif
