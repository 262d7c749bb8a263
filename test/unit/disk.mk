# Drive registry, CHS geometry and INT 13h against RAM-backed fake drives.
UNIT_TESTS += test_block
test_block_SRCS := test/unit/test_block.c src/hw/block.c src/int13_disk.c
test_block_LIBS := -lcmocka

# SCSI and NVMe answer parsers, and the NVMe enable sequence against a
# fake controller that never becomes ready.
UNIT_TESTS += test_scsi_nvme
test_scsi_nvme_SRCS := test/unit/test_scsi_nvme.c src/hw/scsi_parse.c \
	src/hw/nvme_identify.c src/hw/nvme_ctrl.c
test_scsi_nvme_LIBS := -lcmocka
