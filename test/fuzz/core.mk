FUZZ_TARGETS += fuzz_tableloader
fuzz_tableloader_SRCS := test/fuzz/fuzz_tableloader.c src/fw/tableloader.c \
	test/unit/host_output.c
fuzz_tableloader_PARSER := src/fw/tableloader.c
