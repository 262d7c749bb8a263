// TPM hardware drivers: TIS/FIFO (TPM 1.2 and 2.0) and CRB (TPM 2.0) behind
// one interface. The driver moves opaque command/response bytes; the command
// layer (tcgbios/tpm_cmd) builds and checks them.
#ifndef MBIOS_HW_TPM_DRIVERS_H
#define MBIOS_HW_TPM_DRIVERS_H

#include "std/types.h"

// Error codes: all negative and distinct, so a log line names the cause.
enum {
	TPM_OK = 0,
	TPM_E_NODEV = -1,	   // nothing answers at the register window
	TPM_E_IFACE = -2,	   // interface id/capability not understood
	TPM_E_LOCALITY = -3,	   // locality not granted within TIMEOUT_A
	TPM_E_LOCALITY_RANGE = -4, // locality > 4 or not offered by the TPM
	TPM_E_NOT_READY = -5,	   // commandReady/cmdReady not reached
	TPM_E_BURST = -6,	   // burstCount stayed 0 (TIMEOUT_D)
	TPM_E_STS_VALID = -7,	   // stsValid never set (TIMEOUT_C)
	TPM_E_EXPECT = -8,	   // Expect bit wrong while sending
	TPM_E_TIMEOUT = -9,	   // no response within the command duration
	TPM_E_RESP_SHORT = -10,	   // response header size < 10
	TPM_E_RESP_TOO_BIG = -11,  // response larger than the caller's buffer
	TPM_E_RESP_TRUNC = -12,	   // data ran out before the header size
	TPM_E_RESP_EXTRA = -13,	   // data left over after the header size
	TPM_E_CMD_SIZE = -14,	   // command < 10 bytes or > device buffer
	TPM_E_CRB_ERROR = -15,	   // CRB tpmSts fatal error bit
	TPM_E_CRB_BUFFER = -16,	   // CRB buffer address/size unusable
	TPM_E_CANCEL = -17,	   // cancel did not complete
	TPM_E_DISABLED = -18,	   // TPM marked unusable earlier in this boot
	TPM_E_ARG = -19,	   // bad argument from the caller
	TPM_E_BUSY = -20,	   // a command is still unanswered
};

enum tpm_iface { TPM_IFACE_NONE, TPM_IFACE_TIS, TPM_IFACE_CRB };
enum tpm_version { TPM_VER_NONE, TPM_VER_12, TPM_VER_20 };
// Command duration classes; the command layer picks one per command.
enum tpm_duration { TPM_DUR_SHORT, TPM_DUR_MEDIUM, TPM_DUR_LONG };

// Retries of TPM warnings (tcgbios/tpm_cmd.c): first wait, longest wait,
// and the boot-wide total.
#define TPM_RETRY_FIRST_US 1000u
#define TPM_RETRY_MAX_US 100000u
#define TPM_RETRY_BUDGET_US 3000000u
// Waits that end without an answer, for the whole boot (hw/tpm_drivers.c):
// a TPM that stops answering costs at most this, plus the polling.
#define TPM_WAIT_BUDGET_US 8000000u

struct tpm_dev;

struct tpm_driver_ops {
	const char *name;
	int (*probe)(struct tpm_dev *dev);
	int (*request_locality)(struct tpm_dev *dev, u8 loc);
	void (*release_locality)(struct tpm_dev *dev);
	// Send cmd and let the TPM execute it.
	int (*start)(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len);
	// Wait up to `wait_us` for the started command's response and read it
	// into resp[0..max).
	int (*finish)(struct tpm_dev *dev, u8 *resp, u32 resp_max,
		      u32 *resp_len, u32 wait_us);
	int (*cancel)(struct tpm_dev *dev);
};

struct tpm_dev {
	const struct tpm_driver_ops *ops;
	u32 base;	  // physical address of locality 0
	u8 iface;	  // enum tpm_iface
	u8 version;	  // enum tpm_version
	s8 locality;	  // active locality, -1 when none is held
	u8 want_locality; // re-requested by transmit when not held
	bool failed;	  // set by the upper layer: refuse all further commands
	bool all_localities; // the interface offers localities 1-4
	u32 did_vid;
	u32 intf_id, intf_cap; // raw registers, for the log and the menu
	u32 timeout_a, timeout_b, timeout_c, timeout_d; // microseconds
	u32 duration[3]; // microseconds, by enum tpm_duration
	u32 crb_cmd_addr, crb_cmd_size, crb_rsp_addr, crb_rsp_size;
	u32 transfers; // round-trips attempted, for benchmarks
	u32 waited_us; // spent polling the TPM this boot, for benchmarks
	// When the last command was started (after the one before it was
	// collected) and waited_us then: the timeline's time of a command.
	u64 start_us;
	u32 start_waited_us;
	bool in_flight; // a command was started and not yet finished
	// Set by the layer that sends commands ahead: collects the command in
	// flight, so that the next one can start.
	void (*complete_pending)(struct tpm_dev *dev);
	u32 cmd_code;	 // the last command started, for messages
	u32 cmd_wait_us; // and how long its response may take
	// Time the command layer may still spend re-sending commands that a
	// TPM answered with "retry"/"testing" warnings, for the whole boot.
	u32 retry_budget_us;
	// Time waits that end without an answer may still take this boot.
	u32 wait_budget_us;
};

// Look for a TPM at `base` (normally TPM_MMIO_BASE): TIS or CRB from the
// interface id register, version from the interface version/capability.
// Fills dev (default timeouts included) and takes locality 0.
int tpm_drv_probe(struct tpm_dev *dev, u32 base);
int tpm_drv_request_locality(struct tpm_dev *dev, u8 loc);
void tpm_drv_release_locality(struct tpm_dev *dev);
// One command round-trip at the current locality. Returns TPM_OK with
// *resp_len = header size, or a TPM_E_* code (the TPM is aborted back to
// ready on error). No TPM response code is interpreted here.
int tpm_drv_transmit(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len, u8 *resp,
		     u32 resp_max, u32 *resp_len, enum tpm_duration dur);
// The same in two halves, so that the firmware can work while the TPM
// executes: tpm_drv_start sends the command, tpm_drv_finish waits for the
// response. One command at a time: a start in between first has
// dev->complete_pending collect the one in flight, and without that hook
// fails with TPM_E_BUSY. cmd may be reused once tpm_drv_start returns.
int tpm_drv_start(struct tpm_dev *dev, const u8 *cmd, u32 cmd_len,
		  enum tpm_duration dur);
int tpm_drv_finish(struct tpm_dev *dev, u8 *resp, u32 resp_max, u32 *resp_len);
int tpm_drv_cancel(struct tpm_dev *dev);
// TPM 1.2 reports TIS timeouts (4 values) and durations (3 values) in
// microseconds; 0 keeps the default, ms-scaled values are fixed up, and the
// results are clamped to sane limits.
void tpm_drv_set_timeouts(struct tpm_dev *dev, const u32 t[4]);
void tpm_drv_set_durations(struct tpm_dev *dev, const u32 d[3]);
const char *tpm_strerror(int err);

#endif
