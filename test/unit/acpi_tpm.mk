UNIT_TESTS += test_acpi_tpm
test_acpi_tpm_SRCS := test/unit/test_acpi_tpm.c src/fw/acpi_tpm.c test/unit/host_output.c \
	src/fw/acpi_tables.c \
	src/fw/tableloader.c
# acpi_tpm.c includes the iasl output; the test writes the SSDT next to
# itself and runs iasl -d on it.
test_acpi_tpm_CFLAGS := -I$(OUT) -DTEST_OUT_DIR='"$(OUT)/unit"'
test_acpi_tpm_LIBS := -lcmocka
$(OUT)/unit/test_acpi_tpm: $(OUT)/tpm-ssdt.h
