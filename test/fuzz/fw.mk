# fw/ parsers on the fw_cfg device and memory zones of fuzz_platform.c.
FUZZ_PLATFORM := test/fuzz/fuzz_platform.c test/unit/host_output.c \
	test/unit/host_ports.c

FUZZ_TARGETS += fuzz_fw_cfg
fuzz_fw_cfg_SRCS := test/fuzz/fuzz_fw_cfg.c src/fw/fw_cfg.c $(FUZZ_PLATFORM)
fuzz_fw_cfg_PARSER := src/fw/fw_cfg.c
# DMA descriptors are static in the firmware: they must lie below 4 GiB.
fuzz_fw_cfg_CFLAGS := -fno-pie -no-pie

FUZZ_TARGETS += fuzz_acpi
fuzz_acpi_SRCS := test/fuzz/fuzz_acpi.c src/fw/acpi.c src/fw/acpi_tables.c \
	src/fw/acpi_tpm.c src/fw/tableloader.c src/fw/fw_cfg.c $(FUZZ_PLATFORM)
fuzz_acpi_CFLAGS := -fno-pie -no-pie
fuzz_acpi_PARSER := src/fw/acpi.c src/fw/acpi_tables.c src/fw/acpi_tpm.c
$(OUT)/fuzz/fuzz_acpi $(OUT)/fuzz-cov/fuzz_acpi: $(OUT)/tpm-ssdt.h

FUZZ_TARGETS += fuzz_smbios
fuzz_smbios_SRCS := test/fuzz/fuzz_smbios.c src/fw/smbios.c src/fw/fw_cfg.c \
	$(FUZZ_PLATFORM)
fuzz_smbios_CFLAGS := -fno-pie -no-pie
fuzz_smbios_PARSER := src/fw/smbios.c
