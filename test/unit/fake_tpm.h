// Register-level fake of a TPM at 0xFED40000 (TIS/FIFO with five
// localities, or CRB) backed by libtpms, with fault injection. It also
// provides the host versions of the MMIO accessors (hw/io.h; the ports
// are in host_ports.c) and a virtual clock (hw/clock.h).
#ifndef MBIOS_TEST_FAKE_TPM_H
#define MBIOS_TEST_FAKE_TPM_H

#include "host_output.h"
#include "std/types.h"

enum fake_iface { FAKE_NONE, FAKE_TIS, FAKE_CRB };

enum fake_fault {
	FAULT_NONE,
	FAULT_NO_LOCALITY,  // locality requests are never granted
	FAULT_NEVER_READY,  // commandReady / cmdReady never reached
	FAULT_BURST_ZERO,   // TIS burstCount stuck at 0
	FAULT_NO_STS_VALID, // TIS stsValid never set
	FAULT_EXPECT_EARLY, // TIS Expect clear while bytes are missing
	FAULT_HANG,	    // command never completes (cancel still works)
	FAULT_HANG_HARD,    // command never completes, cancel ignored too
	FAULT_GARBAGE,	    // response bytes replaced by garbage (bad tag)
	FAULT_RESP_SHORT,   // response size field 6
	FAULT_TRUNCATED,    // TIS: half the bytes; CRB: size beyond the buffer
	FAULT_OVERSIZED,    // a valid 2000-byte response
	FAULT_WRONG_SIZE,   // size field 4 less than the bytes delivered
	FAULT_CRB_FATAL,    // CRB tpmSts error bit after a command
	FAULT_CRB_HIGH_BUFFER, // CRB buffer reported above 4 GiB
};

// Fresh engine (empty NV) of version 12 or 20 behind `iface`.
void fake_tpm_init(enum fake_iface iface, int version);
// TPM_Init: restart the engine with its NV kept, reset the registers.
void fake_tpm_reset(void);
void fake_tpm_fini(void);

void fake_tpm_set_fault(enum fake_fault f);
// Answer the next `times` commands with code `code` with the 10-byte error
// response `rc`, without running them.
void fake_tpm_fail_command(u32 code, u32 rc, u32 times);
// Run the next `times` commands `code`, then answer with a well-framed
// success whose body is 3 bytes of 0xFF (too short for any reply).
void fake_tpm_garble_command(u32 code, u32 times);
void fake_tpm_set_burst(u16 burst); // TIS burstCount maximum (default 64)
void fake_tpm_set_crb_localities(bool all); // CRB CapLocality (default 0)
void fake_tpm_set_tis_ifver(int ifver);	    // TIS INTF_CAPABILITY version
void fake_tpm_set_intf_id(u32 v);	    // TIS TPM_INTERFACE_ID override
// Fuzzing: every clock_us() call advances the virtual clock by `us`
// (default 3), so that timeouts expire after a few hundred polls; every
// MMIO read the driver makes passes through `fn`, which may change it.
typedef u32 (*fake_read_filter)(u32 addr, u32 value, int width);
void fake_tpm_set_clock_step(u32 us);
void fake_tpm_set_read_filter(fake_read_filter fn);

// Statistics.
u32 fake_tpm_commands(void);	    // commands the engine executed
u32 fake_tpm_cancels(void);	    // cancels seen during execution
int fake_tpm_last_locality(void);   // locality of the last command
int fake_tpm_active_locality(void); // -1 when none
u32 fake_tpm_max_chunk(void);	    // most FIFO bytes moved in one burst window

// The command engine (fake_tpm_libtpms.c; the fuzz targets bring their
// own). fake_tpm_engine runs a command directly (no registers) at
// `locality` and returns the response length.
void fake_engine_start(int version);
void fake_engine_stop(bool forget_nv);
u32 fake_tpm_engine(const u8 *cmd, u32 len, u8 *rsp, u32 max, int locality);

// Virtual clock (microseconds). Output capture: host_output.h.
u64 fake_clock_now(void);

#endif
