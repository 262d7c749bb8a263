// Program order matters: pci_setup() and platform_init() have already set
// the PM base, MMCONFIG and PCI windows, because QEMU builds the tables on
// the first read of the ACPI files from what it sees then.
#include "fw/acpi.h"
#include "fw/fw_cfg.h"
#include "lib/phys.h"
#include "lib/string.h"
#include "lib/memalloc.h"
#include "output.h"
#include "std/acpi.h"
#include "std/byteorder.h"

struct loader_result acpi_loaded;
static const u8 *rsdp;

static int env_file_size(void *ctx, const char *name)
{
	(void)ctx;
	const struct fw_cfg_file *f = fw_cfg_find(name);
	return f ? (int)f->size : -1;
}

static void env_read_file(void *ctx, const char *name, void *buf, u32 len)
{
	(void)ctx;
	const struct fw_cfg_file *f = fw_cfg_find(name);
	if (f)
		fw_cfg_read(f->select, 0, buf, len);
}

static bool env_write_file(void *ctx, const char *name, u32 off,
			   const void *buf, u32 len)
{
	(void)ctx;
	const struct fw_cfg_file *f = fw_cfg_find(name);
	return f && fw_cfg_write(f->select, off, buf, len);
}

static void *env_alloc(void *ctx, u32 size, u32 align, int zone)
{
	(void)ctx;
	return zone == LOADER_ZONE_FSEG ? malloc_fseg(size, align)
					: malloc_high(size, align);
}

static u64 env_addr_of(void *ctx, const void *p)
{
	(void)ctx;
	return phys_addr(p);
}

void acpi_setup(void)
{
	const struct fw_cfg_file *f = fw_cfg_find("etc/table-loader");
	if (!f) {
		printf_console("warning: QEMU gave no etc/table-loader: no "
			       "ACPI tables\n");
		return;
	}
	u8 *cmds = malloc_tmp(f->size, 16);
	if (!cmds)
		return;
	fw_cfg_read(f->select, 0, cmds, f->size);
	static const struct loader_env env = {
	    env_file_size, env_read_file, env_write_file,
	    env_alloc,	   env_addr_of,	  NULL,
	};
	loader_run(&env, cmds, f->size, &acpi_loaded);
	if (acpi_loaded.errors)
		printf_console("warning: %d table-loader commands were "
			       "rejected (see the debug log)\n",
			       acpi_loaded.errors);
	const struct loader_file *r =
	    loader_find(&acpi_loaded, "etc/acpi/rsdp");
	if (r && r->size >= 20 && !memcmp(r->data, "RSD PTR ", 8))
		rsdp = r->data;
	dprint(DL_INFO, "acpi: %d blobs loaded, RSDP at %p\n",
	       acpi_loaded.count, rsdp);
}

const void *acpi_rsdp(void)
{
	return rsdp;
}
