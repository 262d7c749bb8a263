// PCI resource allocation, kept free of hardware access so it can be unit
// tested: resources are sized by the caller, this file places them.
#ifndef MBIOS_FW_PCI_ALLOC_H
#define MBIOS_FW_PCI_ALLOC_H

#include "std/types.h"

enum pci_res_type { RES_IO, RES_MEM, RES_PREF, RES_TYPES };

struct pci_res {
	int dev;       // index into the caller's device table
	int bus;       // bus the resource sits on
	int child_bus; // >= 0: this is a bridge window for that bus
	u8 reg;	       // BAR register offset (0 for windows)
	u8 type;       // enum pci_res_type
	bool is64;
	u64 size, align;
	u64 addr; // result
};

struct pci_window {
	u64 base, limit; // [base, limit)
};

struct pci_bus_info {
	int parent;	// parent bus number, -1 for the root bus
	int bridge_dev; // device index of the bridge leading here
};

// Compute bridge windows bottom-up (appending window resources to `res`,
// which must have room for `max`), then place everything top-down inside
// the root windows. Returns false when something does not fit (it is then
// left with addr 0 and the caller disables it).
bool pci_alloc(struct pci_res *res, int *count, int max,
	       const struct pci_bus_info *buses, int bus_count,
	       const struct pci_window root[RES_TYPES]);

#endif
