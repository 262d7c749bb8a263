// TPM configuration before the OS: the boot menu's TPM entry and the
// Physical Presence Interface (tcg_menu.c).
#ifndef MBIOS_TCG_MENU_H
#define MBIOS_TCG_MENU_H

#include "std/types.h"

// After TPM start-up, before measurements and any lock: publish the PPI
// operations and run a pending OS request (with confirmation).
void tcg_ppi_setup(void);
// Once the log runs: PCR 1 records what tcg_ppi_setup changed.
void tcg_measure_tpm_config(void);
// Boot menu: the TPM line, and its key (true when consumed).
void tcg_menu_entries(void);
bool tcg_menu_key(char key);

#endif
