# The TPM command layer on replies from a stub driver, and the TIS and CRB
# drivers on the register fake of the unit tests with a replaying engine.
FUZZ_TARGETS += fuzz_tpm_cmd
fuzz_tpm_cmd_SRCS := test/fuzz/fuzz_tpm_cmd.c src/tcgbios/tpm_cmd.c \
	test/unit/host_output.c
fuzz_tpm_cmd_PARSER := src/tcgbios/tpm_cmd.c

FUZZ_TARGETS += fuzz_tpm_drivers
fuzz_tpm_drivers_SRCS := test/fuzz/fuzz_tpm_drivers.c src/hw/tpm_drivers.c \
	test/unit/fake_tpm.c test/unit/host_output.c test/unit/host_ports.c
fuzz_tpm_drivers_PARSER := src/hw/tpm_drivers.c
