// Offsets are NVM Express Base 1.4 5.15.2 (std/nvme.h).
#include "hw/nvme_identify.h"
#include "std/byteorder.h"
#include "std/nvme.h"

void nvme_identify_ctrl(const u8 *id, char model[41], u32 *max_bytes)
{
	int n = 40;
	for (int i = 0; i < n; i++) {
		char c = (char)id[NVME_ID_CTRL_MN + i];
		model[i] = c >= 0x20 && c <= 0x7E ? c : '?';
	}
	while (n > 0 && model[n - 1] == ' ')
		n--;
	model[n] = 0;
	// MDTS is a power of two in units of the minimum page (CAP.MPSMIN,
	// 4 KiB in every controller this firmware drives); cap the shift.
	u8 mdts = id[NVME_ID_CTRL_MDTS];
	*max_bytes = mdts && mdts < 20 ? (u32)NVME_PAGE << mdts : 0;
}

const char *nvme_identify_ns(const u8 *id, u64 *blocks, u32 *block_size)
{
	*blocks = get_le64(id + NVME_ID_NS_NSZE);
	u8 fmt = id[NVME_ID_NS_FLBAS] & 0x0F;
	if (fmt > id[NVME_ID_NS_NLBAF])
		return "invalid LBA format";
	const u8 *lbaf = id + NVME_ID_NS_LBAF + 4 * fmt;
	if (get_le16(lbaf))
		return "metadata per block, not supported";
	u8 shift = lbaf[2];
	if (shift != 9 && shift != 12)
		return "block size is neither 512 nor 4096";
	*block_size = 1u << shift;
	if (!*blocks)
		return "empty namespace";
	return NULL;
}
