# Drive registry, CHS geometry and INT 13h against RAM-backed fake drives.
UNIT_TESTS += test_block
test_block_SRCS := test/unit/test_block.c src/hw/block.c src/int13_disk.c
test_block_LIBS := -lcmocka
