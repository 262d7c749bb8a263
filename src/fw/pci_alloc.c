// Sizes on each bus are summed largest-alignment first, so every resource
// is naturally aligned without gaps; a bridge window is then one more
// resource on its parent bus (PCI-to-PCI Bridge spec 1.2, 3.2.5: I/O windows
// in 4 KiB, memory windows in 1 MiB granules).
#include "fw/pci_alloc.h"

static const u64 window_granule[RES_TYPES] = {0x1000, 0x100000, 0x100000};

static void sort_by_align(struct pci_res *res, int count)
{
	for (int i = 1; i < count; i++) {
		struct pci_res r = res[i];
		int j = i;
		while (j > 0 && res[j - 1].align < r.align) {
			res[j] = res[j - 1];
			j--;
		}
		res[j] = r;
	}
}

static bool place(struct pci_res *res, int count, int bus, int type,
		  struct pci_window w)
{
	bool ok = true;
	u64 next = w.base;
	for (int i = 0; i < count; i++) {
		struct pci_res *r = &res[i];
		if (r->bus != bus || r->type != type || !r->size)
			continue;
		u64 addr = (next + r->align - 1) & ~(r->align - 1);
		if (addr + r->size > w.limit || addr + r->size < addr) {
			ok = false;
			r->addr = 0;
			continue;
		}
		r->addr = addr;
		next = addr + r->size;
		if (r->child_bus >= 0)
			ok &= place(res, count, r->child_bus, type,
				    (struct pci_window){addr, addr + r->size});
	}
	return ok;
}

bool pci_alloc(struct pci_res *res, int *count, int max,
	       const struct pci_bus_info *buses, int bus_count,
	       const struct pci_window root[RES_TYPES])
{
	sort_by_align(res, *count);
	// Children have higher bus numbers than their parents, so walking
	// down from the highest bus sizes every window before it is used.
	for (int bus = bus_count - 1; bus > 0; bus--) {
		int parent = buses[bus].parent;
		if (parent < 0)
			continue;
		for (int t = 0; t < RES_TYPES; t++) {
			u64 sum = 0, align = window_granule[t];
			for (int i = 0; i < *count; i++) {
				if (res[i].bus != bus || res[i].type != t)
					continue;
				sum = (sum + res[i].align - 1) &
				      ~(res[i].align - 1);
				sum += res[i].size;
				align = MAX(align, res[i].align);
			}
			if (!sum)
				continue;
			if (*count >= max)
				return false;
			res[(*count)++] = (struct pci_res){
			    .dev = buses[bus].bridge_dev,
			    .bus = parent,
			    .child_bus = bus,
			    .type = (u8)t,
			    .is64 = t == RES_PREF,
			    .size = (sum + window_granule[t] - 1) &
				    ~(window_granule[t] - 1),
			    .align = align,
			};
		}
		sort_by_align(res, *count);
	}
	bool ok = true;
	for (int t = 0; t < RES_TYPES; t++)
		ok &= place(res, *count, 0, t, root[t]);
	return ok;
}
