// SCSI and NVMe device answers (hw/scsi_parse.c, hw/nvme_identify.c) and
// the NVMe enable sequence (hw/nvme_ctrl.c) against a register-level fake
// controller with a virtual clock: a controller that never becomes ready
// must be given up on after CAP.TO, capped, without hanging.
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "hw/nvme_ctrl.h"
#include "hw/nvme_identify.h"
#include "hw/scsi_parse.h"
#include "std/byteorder.h"
#include "std/nvme.h"
#include "std/scsi.h"

// ---- SCSI -------------------------------------------------------------

static void inquiry_data(u8 *d, u8 byte0, const char *vendor,
			 const char *product)
{
	memset(d, ' ', SCSI_INQUIRY_LEN);
	d[0] = byte0;
	d[1] = 0x80;
	memcpy(d + 8, vendor, strlen(vendor));
	memcpy(d + 16, product, strlen(product));
}

static void test_inquiry(void **state)
{
	(void)state;
	u8 d[SCSI_INQUIRY_LEN];
	struct scsi_inquiry inq;
	inquiry_data(d, SCSI_TYPE_DISK, "QEMU", "QEMU HARDDISK");
	assert_null(scsi_inquiry_parse(d, sizeof(d), &inq));
	assert_int_equal(inq.type, SCSI_TYPE_DISK);
	assert_true(inq.removable);
	assert_string_equal(inq.vendor, "QEMU");
	assert_string_equal(inq.product, "QEMU HARDDISK");
	inquiry_data(d, SCSI_TYPE_CDROM, "QEMU", "QEMU CD-ROM");
	assert_null(scsi_inquiry_parse(d, sizeof(d), &inq));
	assert_int_equal(inq.type, SCSI_TYPE_CDROM);
	// What QEMU answers for a LUN with no device: qualifier 3, type 1Fh.
	inquiry_data(d, 0x7F, "QEMU", "QEMU TARGET");
	assert_non_null(scsi_inquiry_parse(d, sizeof(d), &inq));
	inquiry_data(d, 0x01, "X", "TAPE"); // sequential access
	assert_non_null(scsi_inquiry_parse(d, sizeof(d), &inq));
	inquiry_data(d, 0, "X", "Y");
	assert_non_null(scsi_inquiry_parse(d, SCSI_INQUIRY_LEN - 1, &inq));
	// Control characters never reach the console.
	inquiry_data(d, 0, "A\x1b[2J", "B\n");
	assert_null(scsi_inquiry_parse(d, sizeof(d), &inq));
	assert_string_equal(inq.vendor, "A?[2J");
	assert_string_equal(inq.product, "B?");
}

static void test_capacity(void **state)
{
	(void)state;
	u8 d[SCSI_CAPACITY16_LEN] = {0};
	u64 blocks;
	u32 bs;
	put_be32(d, 0x1FFFFF);
	put_be32(d + 4, 512);
	assert_true(scsi_capacity_parse(d, SCSI_CAPACITY10_LEN, &blocks, &bs));
	assert_int_equal(blocks, 0x200000);
	assert_int_equal(bs, 512);
	// (10) saturates: the count must come from (16).
	put_be32(d, 0xFFFFFFFF);
	assert_true(scsi_capacity_parse(d, SCSI_CAPACITY10_LEN, &blocks, &bs));
	assert_int_equal(blocks, 0);
	put_be64(d, 0x3FFFFFFFFull);
	put_be32(d + 8, 2048);
	assert_true(scsi_capacity_parse(d, SCSI_CAPACITY16_LEN, &blocks, &bs));
	assert_int_equal(blocks, 0x400000000ull);
	assert_int_equal(bs, 2048);
	// A zero-size disk: last LBA "-1".
	put_be64(d, ~0ull);
	assert_true(scsi_capacity_parse(d, SCSI_CAPACITY16_LEN, &blocks, &bs));
	assert_int_equal(blocks, 0);
	// Block sizes that are zero or not powers of two; short data.
	put_be32(d + 8, 0);
	assert_false(scsi_capacity_parse(d, SCSI_CAPACITY16_LEN, &blocks, &bs));
	put_be32(d + 8, 520);
	assert_false(scsi_capacity_parse(d, SCSI_CAPACITY16_LEN, &blocks, &bs));
	assert_false(scsi_capacity_parse(d, 7, &blocks, &bs));
}

static void test_sense(void **state)
{
	(void)state;
	u8 fixed[18] = {0x70, 0, SCSI_SENSE_UNIT_ATTENTION};
	assert_int_equal(scsi_sense_key(fixed, sizeof(fixed)), 6);
	u8 desc[8] = {0x72, SCSI_SENSE_NOT_READY};
	assert_int_equal(scsi_sense_key(desc, sizeof(desc)), 2);
	assert_int_equal(scsi_sense_key(fixed, 0), -1);
	assert_int_equal(scsi_sense_key(fixed, 2), -1);
	u8 other[4] = {0x7F, 1, 2, 3};
	assert_int_equal(scsi_sense_key(other, sizeof(other)), -1);
}

static void test_cdb_rw(void **state)
{
	(void)state;
	u8 cdb[SCSI_CDB_MAX];
	assert_int_equal(scsi_cdb_rw(cdb, false, 0x12345678, 0x80), 10);
	assert_int_equal(cdb[0], SCSI_READ10);
	assert_int_equal(get_be32(cdb + 2), 0x12345678);
	assert_int_equal(get_be16(cdb + 7), 0x80);
	// Past 2 TiB of 512-byte blocks, or a count over 16 bits: (16).
	assert_int_equal(scsi_cdb_rw(cdb, true, 0xFFFFFFFFull, 2), 16);
	assert_int_equal(cdb[0], SCSI_WRITE16);
	assert_int_equal(get_be64(cdb + 2), 0xFFFFFFFFull);
	assert_int_equal(get_be32(cdb + 10), 2);
	assert_int_equal(scsi_cdb_rw(cdb, false, 0, 0x10000), 16);
	assert_int_equal(cdb[0], SCSI_READ16);
	// The last block reachable by (10).
	assert_int_equal(scsi_cdb_rw(cdb, false, 0xFFFFFFFEull, 2), 10);
}

// ---- NVMe IDENTIFY ----------------------------------------------------

static void test_identify_ctrl(void **state)
{
	(void)state;
	u8 id[4096] = {0};
	memset(id + NVME_ID_CTRL_MN, ' ', 40);
	memcpy(id + NVME_ID_CTRL_MN, "QEMU NVMe Ctrl", 14);
	id[NVME_ID_CTRL_MDTS] = 7;
	char model[41];
	u32 max;
	nvme_identify_ctrl(id, model, &max);
	assert_string_equal(model, "QEMU NVMe Ctrl");
	assert_int_equal(max, 4096u << 7);
	id[NVME_ID_CTRL_MDTS] = 0; // no limit
	id[NVME_ID_CTRL_MN] = 0x07;
	nvme_identify_ctrl(id, model, &max);
	assert_int_equal(max, 0);
	assert_string_equal(model, "?EMU NVMe Ctrl");
}

static void ns_data(u8 *id, u64 nsze, u8 nlbaf, u8 flbas, u8 lbads, u16 ms)
{
	memset(id, 0, 4096);
	put_le32(id + NVME_ID_NS_NSZE, (u32)nsze);
	put_le32(id + NVME_ID_NS_NSZE + 4, (u32)(nsze >> 32));
	id[NVME_ID_NS_NLBAF] = nlbaf;
	id[NVME_ID_NS_FLBAS] = flbas;
	u8 *f = id + NVME_ID_NS_LBAF + 4 * (flbas & 0xF);
	put_le16(f, ms);
	f[2] = lbads;
}

static void test_identify_ns(void **state)
{
	(void)state;
	u8 id[4096];
	u64 blocks;
	u32 bs;
	ns_data(id, 0x1400000, 0, 0, 9, 0);
	assert_null(nvme_identify_ns(id, &blocks, &bs));
	assert_int_equal(blocks, 0x1400000);
	assert_int_equal(bs, 512);
	// QEMU's logical_block_size=4096: format 0 with LBADS 12; and a
	// namespace whose active format is the second one.
	ns_data(id, 0x500000000ull, 0, 0, 12, 0);
	assert_null(nvme_identify_ns(id, &blocks, &bs));
	assert_int_equal(blocks, 0x500000000ull);
	assert_int_equal(bs, 4096);
	ns_data(id, 8, 1, 1, 12, 0);
	assert_null(nvme_identify_ns(id, &blocks, &bs));
	assert_int_equal(bs, 4096);
	// Refused: format index beyond NLBAF, metadata, other block sizes,
	// an inactive (zero-size) namespace.
	ns_data(id, 8, 0, 1, 9, 0);
	assert_non_null(nvme_identify_ns(id, &blocks, &bs));
	ns_data(id, 8, 0, 0, 9, 8);
	assert_non_null(nvme_identify_ns(id, &blocks, &bs));
	ns_data(id, 8, 0, 0, 11, 0);
	assert_non_null(nvme_identify_ns(id, &blocks, &bs));
	ns_data(id, 0, 0, 0, 9, 0);
	assert_non_null(nvme_identify_ns(id, &blocks, &bs));
}

// ---- NVMe enable against a fake controller ----------------------------

#define BAR 0xFEB00000u

static struct {
	u64 cap;
	u32 cc, aqa, asq, acq;
	bool never_ready, fatal;
	u64 now; // virtual microseconds
} fake;

u32 mmio_read32(u32 addr)
{
	fake.now += 1;
	switch (addr - BAR) {
	case NVME_REG_CAP:
		return (u32)fake.cap;
	case NVME_REG_CAP + 4:
		return (u32)(fake.cap >> 32);
	case NVME_REG_CC:
		return fake.cc;
	case NVME_REG_CSTS:
		if (fake.fatal)
			return NVME_CSTS_CFS;
		return !fake.never_ready && (fake.cc & NVME_CC_EN);
	}
	return 0;
}

void mmio_write32(u32 addr, u32 v)
{
	switch (addr - BAR) {
	case NVME_REG_CC:
		fake.cc = v;
		break;
	case NVME_REG_AQA:
		fake.aqa = v;
		break;
	case NVME_REG_ASQ:
		fake.asq = v;
		break;
	case NVME_REG_ACQ:
		fake.acq = v;
		break;
	}
}

u64 clock_us(void)
{
	return fake.now;
}
void udelay(u32 us)
{
	fake.now += us;
}

// CAP: MQES 2047, CSS NVM (bit 37), TO in 500 ms units, MPSMIN 0.
static void fake_reset(u8 to)
{
	memset(&fake, 0, sizeof(fake));
	fake.cap = 0x7FF | (u64)to << 24 | 1ull << 37;
	fake.cc = NVME_CC_EN; // left enabled by someone before us
}

static void test_enable(void **state)
{
	(void)state;
	fake_reset(15);
	assert_int_equal(nvme_ctrl_enable(BAR, 0x1000, 0x2000, 4),
			 NVME_CTRL_OK);
	assert_int_equal(fake.aqa, 3 << 16 | 3);
	assert_int_equal(fake.asq, 0x1000);
	assert_int_equal(fake.acq, 0x2000);
	assert_int_equal(fake.cc, NVME_CC_EN | NVME_CC_IOSQES | NVME_CC_IOCQES);
	assert_true(fake.now < 10000);
}

static void test_never_ready(void **state)
{
	(void)state;
	// CAP.TO = 15: 7.5 s, then the controller is given up on.
	fake_reset(15);
	fake.never_ready = true;
	assert_int_equal(nvme_ctrl_enable(BAR, 0x1000, 0x2000, 4),
			 NVME_CTRL_TIMEOUT);
	assert_true(fake.now >= 7500000 && fake.now < 7600000);
	// CAP.TO = 255 would be 127.5 s: capped.
	fake_reset(255);
	fake.never_ready = true;
	assert_int_equal(nvme_ctrl_enable(BAR, 0x1000, 0x2000, 4),
			 NVME_CTRL_TIMEOUT);
	assert_true(fake.now >= NVME_READY_LIMIT_MS * 1000ull &&
		    fake.now < NVME_READY_LIMIT_MS * 1000ull + 100000);
	// CAP.TO = 0 still gets a short wait, not none.
	assert_int_equal(nvme_ready_timeout_ms(0), 500);
}

static void test_fatal_and_unsupported(void **state)
{
	(void)state;
	fake_reset(15);
	fake.fatal = true;
	assert_int_equal(nvme_ctrl_enable(BAR, 0x1000, 0x2000, 4),
			 NVME_CTRL_FATAL);
	assert_true(fake.now < 1000);
	fake_reset(15);
	fake.cap &= ~(1ull << 37); // no NVM command set
	assert_int_equal(nvme_ctrl_enable(BAR, 0x1000, 0x2000, 4),
			 NVME_CTRL_UNSUPPORTED);
	fake_reset(15);
	fake.cap |= 1ull << 48; // minimum page 8 KiB
	assert_int_equal(nvme_ctrl_enable(BAR, 0x1000, 0x2000, 4),
			 NVME_CTRL_UNSUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_inquiry),
	    cmocka_unit_test(test_capacity),
	    cmocka_unit_test(test_sense),
	    cmocka_unit_test(test_cdb_rw),
	    cmocka_unit_test(test_identify_ctrl),
	    cmocka_unit_test(test_identify_ns),
	    cmocka_unit_test(test_enable),
	    cmocka_unit_test(test_never_ready),
	    cmocka_unit_test(test_fatal_and_unsupported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
