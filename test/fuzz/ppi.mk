# The PPI page the OS writes, and the operations a request can start.
FUZZ_TARGETS += fuzz_ppi
fuzz_ppi_SRCS := test/fuzz/fuzz_ppi.c src/tcgbios/tpm_ppi.c \
	src/tcgbios/tpm_ops.c src/tcgbios/tpm_cmd.c test/unit/host_output.c
fuzz_ppi_PARSER := src/tcgbios/tpm_ppi.c
