// SCSI INQUIRY / READ CAPACITY / sense and NVMe IDENTIFY data from a
// device the firmware does not trust: the parsers must stay inside the
// bytes the device returned and give consistent answers.
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "hw/nvme_identify.h"
#include "hw/scsi_parse.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	// Exact copies, so that ASan sees any read past the answer.
	u32 len = size > 4096 ? 4096 : (u32)size;
	u8 *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	struct scsi_inquiry inq;
	if (!scsi_inquiry_parse(copy, len, &inq) &&
	    (strlen(inq.vendor) > 8 || strlen(inq.product) > 16))
		abort();
	u64 blocks;
	u32 bs;
	if (scsi_capacity_parse(copy, len, &blocks, &bs) && (bs & (bs - 1)))
		abort();
	if (scsi_sense_key(copy, len) > 15)
		abort();
	free(copy);
	// IDENTIFY data is always a whole 4 KiB page.
	u8 *page = calloc(1, 4096);
	memcpy(page, data, len);
	char model[41];
	u32 max;
	nvme_identify_ctrl(page, model, &max);
	if (strlen(model) > 40)
		abort();
	if (!nvme_identify_ns(page, &blocks, &bs) &&
	    ((bs != 512 && bs != 4096) || !blocks))
		abort();
	free(page);
	return 0;
}
