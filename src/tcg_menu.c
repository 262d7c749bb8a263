// The two ways to change the TPM before the OS runs: the boot menu's "t.
// TPM configuration" (a person at the screen or the serial console) and a
// request the OS left in the Physical Presence Interface page. Both run
// tcgbios/tpm_ops operations before the hand-off lock, and both record in
// PCR 1 what they changed (docs/tpm.md, "TPM configuration").
#include "tcg_menu.h"
#include "crypto/hash.h"
#include "fw/fw_cfg.h"
#include "fw/platform.h"
#include "lib/format.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "output.h"
#include "std/tcg.h"
#include "std/tpm.h"
#include "tcgbios/tcg_measure.h"
#include "tcgbios/tpm_cmd.h"
#include "tcgbios/tpm_ops.h"
#include "tcgbios/tpm_ppi.h"

int keyboard_wait(u32 timeout_ms);

#define KEY_ESC 0x1B
// How long an OS request waits for a yes before it counts as refused;
// opt/org.mbios/ppi-confirm-ms (a little-endian integer) overrides it.
#define PPI_CONFIRM_MS 30000

// What this boot changed, measured into PCR 1 once the log runs.
static char change_text[96];

static void record_change(const char *how, const char *name, u32 result)
{
	snprintf(change_text, sizeof(change_text),
		 "TPM configuration (%s): %s, result 0x%x", how, name, result);
	// Before the log started (PPI at start-up) tcg_measure_tpm_config()
	// measures it later; from the menu, now.
	if (tcg_measuring(&g_tcg)) {
		tcg_measure_tpm_config();
	}
}

void tcg_measure_tpm_config(void)
{
	u32 len = strlen(change_text);
	if (!len)
		return;
	tcg_measure(&g_tcg, 1, EV_PLATFORM_CONFIG_FLAGS, change_text, len,
		    change_text, len);
	change_text[0] = 0;
}

static bool yes(int key)
{
	return key >= 0 && ((key & 0xFF) == 'y' || (key & 0xFF) == 'Y');
}

// Run one operation and say what happened; answer the OS's request in
// `page` if there is one; reset when the change needs one.
static u32 run_op(u32 op, u32 arg, const char *how, u8 *page)
{
	const char *name = tpm_op_name(&g_tpm, op);
	bool reset;
	u32 res = tpm_op_run(&g_tpm, op, arg, &reset);
	if (page)
		tpm_ppi_respond(page, op, res);
	if (res == PPI_RESULT_SUCCESS)
		printf_console("TPM: %s: done\n", name);
	else
		printf_console("TPM: %s: failed (0x%x); %s\n", name, res,
			       reset ? "part of it may take effect"
				     : "nothing changed");
	record_change(how, name, res);
	if (reset) {
		printf_console("TPM: the change takes effect at a reset: "
			       "restarting the machine now\n");
		platform_reset();
	}
	return res;
}

// ---- Physical Presence Interface ---------------------------------------

static u8 *ppi_page(void)
{
	const struct fw_cfg_file *f = fw_cfg_find("etc/tpm/config");
	struct qemu_tpm_config cfg;
	if (!f || f->size < sizeof(cfg))
		return NULL;
	fw_cfg_read(f->select, 0, &cfg, sizeof(cfg));
	if (cfg.ppi_version != QEMU_TPM_PPI_VERSION_130 || !cfg.ppi_address)
		return NULL;
	return phys_ptr(cfg.ppi_address);
}

void tcg_ppi_setup(void)
{
	u8 *page = ppi_page();
	if (!page || !g_tpm.present)
		return;
	if (g_tpm.dead) {
		// Nothing can be done for the OS: offer nothing.
		memset(page + PPI_FUNC, PPI_FUNC_NOT_IMPLEMENTED, PPI_NUM_OPS);
		return;
	}
	tpm_ppi_publish(&g_tpm, page);
	u32 op, arg;
	enum ppi_request req = tpm_ppi_request(&g_tpm, page, &op, &arg);
	if (req == PPI_REQ_NONE)
		return;
	if (req == PPI_REQ_REFUSED) {
		printf_console("TPM: the OS asked for TPM operation %u "
			       "(argument 0x%x), which this firmware does not "
			       "offer; nothing changed\n",
			       op, arg);
		return;
	}
	const char *name = tpm_op_name(&g_tpm, op);
	if (!name) { // "no operation"
		tpm_ppi_respond(page, op, PPI_RESULT_SUCCESS);
		return;
	}
	if (tpm_op_ppi_func(&g_tpm, op) == PPI_FUNC_PP_REQUIRED) {
		u32 ms = (u32)fw_cfg_file_u64("opt/org.mbios/ppi-confirm-ms",
					      PPI_CONFIRM_MS);
		printf_console("\nThe operating system asks to change the TPM: "
			       "%s",
			       name);
		if (op == PPI_OP_SET_PCR_BANKS)
			printf_console(" (bank bits 0x%x)", arg);
		printf_console("%s.\nPress Y to accept, N to reject (%u s): ",
			       tpm_op_resets(&g_tpm, op) ? ", then a restart"
							 : "",
			       ms / 1000);
		int key = keyboard_wait(ms ? ms : 1);
		printf_console("\n");
		if (!yes(key)) {
			printf_console("TPM: %s: %s; nothing changed\n", name,
				       key < 0 ? "no answer, refused"
					       : "refused");
			tpm_ppi_respond(page, op, PPI_RESULT_USER_ABORT);
			record_change("OS request", name,
				      PPI_RESULT_USER_ABORT);
			return;
		}
	}
	run_op(op, arg, "OS request", page);
}

// ---- The boot menu's TPM entry ------------------------------------------

static bool menu_available(void)
{
	return g_tpm.present && !g_tpm.dead && !g_tpm.locked;
}

void tcg_menu_entries(void)
{
	if (menu_available())
		printf_console("\nt. TPM configuration\n");
}

static const char *yn(bool v)
{
	return v ? "yes" : "no";
}

static void list_banks(const char *what, u32 bits)
{
	printf_console("  %s:", what);
	for (u32 k = 0; k < 8; k++)
		if (bits & (1u << k))
			printf_console(" %s",
				       hash_alg_name(tpm_op_bank_alg(k)));
	printf_console("\n");
}

static void show_state(void)
{
	struct tpm_dev *d = &g_tpm.dev;
	if (g_tpm.version == TPM_VER_12) {
		struct tpm12_stclear_flags vf = {0};
		bool owned = false;
		tpm12_get_permanent_flags(d, &g_tpm.pflags);
		tpm12_get_stclear_flags(d, &vf);
		tpm12_get_owner(d, &owned);
		printf_console("\nTPM 1.2: enabled %s, active %s, owned %s, "
			       "owner install allowed %s\n",
			       yn(!g_tpm.pflags.disable),
			       yn(!g_tpm.pflags.deactivated && !vf.deactivated),
			       yn(owned), yn(g_tpm.pflags.ownership));
		return;
	}
	u32 perm = 0, lockout = 0;
	tpm2_get_pcr_banks(d, &g_tpm.all_banks);
	tpm2_get_property(d, TPM2_PT_PERMANENT, &perm);
	tpm2_get_property(d, TPM2_PT_LOCKOUT_COUNTER, &lockout);
	printf_console("\nTPM 2.0:\n");
	list_banks("PCR banks supported", tpm_op_supported_bank_bits(&g_tpm));
	list_banks("PCR banks active", tpm_op_active_bank_bits(&g_tpm));
	// TPMA_PERMANENT (Library Part 2): ownerAuthSet bit 0,
	// lockoutAuthSet bit 2.
	printf_console("  owner auth set: %s, lockout auth set: %s, lockout "
		       "counter: %u\n",
		       yn(perm & 1), yn(perm & 4), lockout);
}

struct menu_item {
	u32 op;
	const char *label;
};

static u32 items12(struct menu_item *it)
{
	bool owned = false;
	tpm12_get_owner(&g_tpm.dev, &owned);
	const struct tpm12_permanent_flags *p = &g_tpm.pflags;
	u32 n = 0;
	it[n++] = p->disable ? (struct menu_item){PPI_OP_ENABLE, "Enable"}
			     : (struct menu_item){PPI_OP_DISABLE, "Disable"};
	it[n++] = p->deactivated
		      ? (struct menu_item){PPI_OP_ACTIVATE, "Activate"}
		      : (struct menu_item){PPI_OP_DEACTIVATE, "Deactivate"};
	it[n++] = p->ownership ? (struct menu_item){PPI_OP_OWNER_INSTALL_FALSE,
						    "Prevent owner install"}
			       : (struct menu_item){PPI_OP_OWNER_INSTALL_TRUE,
						    "Allow owner install"};
	if (owned)
		it[n++] = (struct menu_item){PPI_OP_CLEAR_ENABLE_ACTIVATE,
					     "Clear ownership (the TPM stays "
					     "enabled and active)"};
	return n;
}

static u32 items20(struct menu_item *it)
{
	it[0] = (struct menu_item){PPI_OP_CLEAR,
				   "Clear (owner keys and authorizations)"};
	it[1] = (struct menu_item){PPI_OP_SET_PCR_BANKS, "Change PCR banks"};
	return 2;
}

// Toggle banks with their digits, A to apply; returns the new bank bits,
// or 0 to go back.
static u32 choose_banks(void)
{
	u32 supported = tpm_op_supported_bank_bits(&g_tpm);
	u32 bits = tpm_op_active_bank_bits(&g_tpm);
	for (;;) {
		printf_console("\nPCR banks (a digit toggles, A applies, ESC "
			       "goes back):\n");
		u32 k2[8], n = 0;
		for (u32 k = 0; k < 8; k++) {
			if (!(supported & (1u << k)))
				continue;
			k2[n] = k;
			printf_console(
			    "%u. [%c] %s%s\n", n + 1,
			    bits & (1u << k) ? 'x' : ' ',
			    hash_alg_name(tpm_op_bank_alg(k)),
			    hash_alg_size(tpm_op_bank_alg(k)) > 0
				? ""
				: " (this firmware cannot hash it: such a "
				  "boot is capped)");
			n++;
		}
		int key = keyboard_wait(0) & 0xFF;
		if (key == KEY_ESC)
			return 0;
		if (key == 'a' || key == 'A') {
			if (!bits) {
				printf_console("Refused: at least one bank "
					       "must stay active\n");
				continue;
			}
			if (bits == tpm_op_active_bank_bits(&g_tpm)) {
				printf_console("No change\n");
				return 0;
			}
			return bits;
		}
		u32 i = (u32)(key - '1');
		if (i < n)
			bits ^= 1u << k2[i];
	}
}

static void tpm_menu(void)
{
	for (;;) {
		show_state();
		if (g_tpm.already_started) {
			printf_console("This TPM was started before this boot "
				       "(e.g. a passed-through host TPM): its "
				       "platform controls are not this "
				       "firmware's, so it cannot be changed "
				       "here.\nESC. Back to the boot menu\n");
			while ((keyboard_wait(0) & 0xFF) != KEY_ESC)
				;
			return;
		}
		struct menu_item it[6];
		u32 n = g_tpm.version == TPM_VER_12 ? items12(it) : items20(it);
		for (u32 i = 0; i < n; i++)
			printf_console("%u. %s\n", i + 1, it[i].label);
		printf_console("ESC. Back to the boot menu\n");
		int key = keyboard_wait(0) & 0xFF;
		if (key == KEY_ESC)
			return;
		u32 i = (u32)(key - '1');
		if (i >= n)
			continue;
		u32 op = it[i].op, arg = 0;
		if (op == PPI_OP_SET_PCR_BANKS && !(arg = choose_banks()))
			continue;
		if (tpm_op_needs_confirm(&g_tpm, op)) {
			printf_console("%s%s: press Y to confirm, any other "
				       "key to cancel\n",
				       it[i].label,
				       tpm_op_resets(&g_tpm, op)
					   ? " (the machine restarts after)"
					   : "");
			if (!yes(keyboard_wait(0))) {
				printf_console("Cancelled; nothing changed\n");
				continue;
			}
		}
		run_op(op, arg, "boot menu", NULL);
	}
}

bool tcg_menu_key(char key)
{
	if ((key != 't' && key != 'T') || !menu_available())
		return false;
	tpm_menu();
	return true;
}
