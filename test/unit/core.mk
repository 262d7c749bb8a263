UNIT_TESTS += test_e820
test_e820_SRCS := test/unit/test_e820.c src/fw/e820.c
test_e820_LIBS := -lcmocka

UNIT_TESTS += test_bootorder
test_bootorder_SRCS := test/unit/test_bootorder.c src/fw/bootorder.c
test_bootorder_LIBS := -lcmocka
