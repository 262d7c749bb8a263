UNIT_TESTS += test_e820
test_e820_SRCS := test/unit/test_e820.c src/fw/e820.c test/unit/host_output.c
test_e820_LIBS := -lcmocka

UNIT_TESTS += test_bootorder
test_bootorder_SRCS := test/unit/test_bootorder.c src/fw/bootorder.c
test_bootorder_LIBS := -lcmocka

UNIT_TESTS += test_tableloader
test_tableloader_SRCS := test/unit/test_tableloader.c src/fw/tableloader.c \
	test/unit/host_output.c
test_tableloader_LIBS := -lcmocka

UNIT_TESTS += test_pci_alloc
test_pci_alloc_SRCS := test/unit/test_pci_alloc.c src/fw/pci_alloc.c
test_pci_alloc_LIBS := -lcmocka

UNIT_TESTS += test_smbios
test_smbios_SRCS := test/unit/test_smbios.c src/fw/smbios.c
test_smbios_LIBS := -lcmocka

# The S3 waking vector through RSDP, RSDT/XSDT, FADT and FACS.
UNIT_TESTS += test_acpi_wake
test_acpi_wake_SRCS := test/unit/test_acpi_wake.c src/fw/acpi_wake.c
test_acpi_wake_LIBS := -lcmocka

# The firmware's own vsnprintf, against libc's.
UNIT_TESTS += test_format
test_format_SRCS := test/unit/test_format.c
test_format_LIBS := -lcmocka
$(OUT)/unit/test_format: src/lib/vsnprintf.c # included, not linked
