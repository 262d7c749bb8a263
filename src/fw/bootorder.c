// Matching is by the parts of a path that identify hardware: the PCI
// slot/function of the first component below the host bridge, and the
// "drive@"/"disk@" units below it. Device names differ between QEMU
// versions, so names are ignored.
#include "fw/bootorder.h"
#include "lib/string.h"

static int parse_hex(const char *s, const char *end, const char **next)
{
	int v = 0, digits = 0;
	while (s < end) {
		char c = *s;
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			break;
		// Saturate: a long run of digits names no slot or unit,
		// and must not overflow.
		if (v < 0x10000)
			v = v * 16 + d;
		digits++;
		s++;
	}
	*next = s;
	return digits ? v : -1;
}

// Value after "<name>@" in a component like "drive@1", or -1; `*second`
// gets the value after a comma ("disk@2,3"), or -1.
static int unit_of(const char *line, const char *end, const char *name,
		   int *second)
{
	*second = -1;
	size_t n = strlen(name);
	// "/" + name + "@" must fit before the end of the line.
	for (const char *p = line; p + 1 + n < end; p++) {
		if (*p == '/' && !strncmp(p + 1, name, n) && p[1 + n] == '@') {
			const char *next;
			int v = parse_hex(p + 2 + n, end, &next);
			if (next < end && *next == ',')
				*second = parse_hex(next + 1, end, &next);
			return v;
		}
	}
	return -1;
}

static bool line_matches(const char *line, const char *end,
			 const struct boot_location *loc)
{
	if (loc->rom_name) {
		static const char prefix[] = "/rom@";
		size_t n = strlen(loc->rom_name);
		return (size_t)(end - line) == sizeof(prefix) - 1 + n &&
		       !strncmp(line, prefix, sizeof(prefix) - 1) &&
		       !strncmp(line + sizeof(prefix) - 1, loc->rom_name, n);
	}
	static const char host[] = "/pci@i0cf8/";
	if ((size_t)(end - line) < sizeof(host) ||
	    strncmp(line, host, sizeof(host) - 1))
		return false;
	const char *p = line + sizeof(host) - 1;
	while (p < end && *p != '@' && *p != '/')
		p++;
	if (p >= end || *p != '@')
		return false;
	const char *next;
	int slot = parse_hex(p + 1, end, &next), fn = 0;
	if (next < end && *next == ',')
		fn = parse_hex(next + 1, end, &next);
	if (slot != loc->pci_slot || fn != loc->pci_fn)
		return false;
	int lun;
	if (loc->channel >= 0 &&
	    unit_of(next, end, "drive", &lun) != loc->channel)
		return false;
	int disk = unit_of(next, end, "disk", &lun);
	if (loc->unit >= 0 && disk >= 0 && disk != loc->unit)
		return false;
	// A SCSI LUN follows the target; an NVMe namespace stands alone.
	if (disk < 0)
		lun = unit_of(next, end, "namespace", &disk);
	return loc->lun < 0 || lun < 0 || lun == loc->lun;
}

int bootorder_find(const char *text, u32 len, const struct boot_location *loc)
{
	const char *p = text, *end = text + len;
	for (int prio = 0; p < end; prio++) {
		const char *eol = p;
		while (eol < end && *eol != '\n' && *eol)
			eol++;
		if (eol > p && line_matches(p, eol, loc))
			return prio;
		if (eol >= end || !*eol)
			break;
		p = eol + 1;
	}
	return -1;
}
