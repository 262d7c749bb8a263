FUZZ_TARGETS += fuzz_e820
fuzz_e820_SRCS := test/fuzz/fuzz_e820.c src/fw/e820.c test/unit/host_output.c
fuzz_e820_PARSER := src/fw/e820.c
