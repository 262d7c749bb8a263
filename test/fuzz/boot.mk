# The boot path's parsers: bootorder, the boot sector, INT 13h requests.
FUZZ_TARGETS += fuzz_bootorder
fuzz_bootorder_SRCS := test/fuzz/fuzz_bootorder.c src/fw/bootorder.c
fuzz_bootorder_PARSER := src/fw/bootorder.c

FUZZ_TARGETS += fuzz_mbr
fuzz_mbr_SRCS := test/fuzz/fuzz_mbr.c src/hw/block.c test/unit/host_output.c
fuzz_mbr_PARSER := src/hw/block.c

FUZZ_TARGETS += fuzz_int13
fuzz_int13_SRCS := test/fuzz/fuzz_int13.c src/int13_disk.c src/hw/block.c \
	test/unit/host_output.c test/unit/no_cdrom.c
fuzz_int13_PARSER := src/int13_disk.c

FUZZ_TARGETS += fuzz_disk_identify
fuzz_disk_identify_SRCS := test/fuzz/fuzz_disk_identify.c src/hw/scsi_parse.c \
	src/hw/nvme_identify.c
fuzz_disk_identify_PARSER := src/hw/scsi_parse.c src/hw/nvme_identify.c
