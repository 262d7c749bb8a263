# Drive registry, CHS geometry and INT 13h against RAM-backed fake drives.
UNIT_TESTS += test_block
test_block_SRCS := test/unit/test_block.c src/hw/block.c src/int13_disk.c \
	test/unit/no_cdrom.c
test_block_LIBS := -lcmocka

# SCSI and NVMe answer parsers, and the NVMe enable sequence against a
# fake controller that never becomes ready.
UNIT_TESTS += test_scsi_nvme
test_scsi_nvme_SRCS := test/unit/test_scsi_nvme.c src/hw/scsi_parse.c \
	src/hw/nvme_identify.c src/hw/nvme_ctrl.c
test_scsi_nvme_LIBS := -lcmocka

# CD-ROMs: El Torito parsing, the ATAPI medium wait (scripted device,
# virtual clock), the El Torito boot and the booted CD's INT 13h.
UNIT_TESTS += test_cdrom
test_cdrom_SRCS := test/unit/test_cdrom.c src/cdrom.c src/eltorito.c \
	src/hw/atapi.c src/hw/ata_identify.c src/hw/block.c src/int13_disk.c \
	test/unit/host_output.c
test_cdrom_LIBS := -lcmocka
