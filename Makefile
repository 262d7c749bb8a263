# mbios build. `make` builds out/bios.bin; see README.md for the rest.
OUT ?= out
PYTHON := /usr/bin/python3
HOST_CC ?= gcc

.DEFAULT_GOAL := all
.PHONY: all unit check clean deps run bench qemu-tests build-checks

# ---- firmware ---------------------------------------------------------------
KCONFIG_CONFIG ?= .config
export KCONFIG_CONFIG

CC32 ?= gcc
CFLAGS32 := -m32 -march=i686 -std=gnu11 -ffreestanding -fno-pic -fno-pie -Os \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	-ffunction-sections -fdata-sections -fno-delete-null-pointer-checks \
	-mgeneral-regs-only -mno-red-zone -Wall -Wextra -Werror -Isrc -I$(OUT) \
	-ffile-prefix-map=$(CURDIR)/= -MMD -MP
FW_SRCS := $(wildcard src/*.c src/hw/*.c src/fw/*.c src/lib/*.c \
	src/crypto/*.c src/tcgbios/*.c)
FW_OBJS := $(patsubst src/%.c,$(OUT)/fw/%.o,$(FW_SRCS)) $(OUT)/fw/entry.o \
	$(OUT)/fw/hw/longmode_switch.o

$(KCONFIG_CONFIG): Kconfig
	$(PYTHON) -m olddefconfig Kconfig >/dev/null

.PHONY: olddefconfig menuconfig
olddefconfig:
	$(PYTHON) -m olddefconfig Kconfig
menuconfig:
	$(PYTHON) -m menuconfig Kconfig

$(OUT)/autoconf.h: $(KCONFIG_CONFIG)
	@mkdir -p $(OUT)
	$(PYTHON) -m genconfig --header-path $@.tmp Kconfig >/dev/null
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo unknown)

$(OUT)/version.h: FORCE
	@mkdir -p $(OUT)
	@echo '#define MBIOS_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp

.PHONY: FORCE
FORCE:

Q := $(if $(V),,@)

# Hashing megabytes of kernel per PCR bank dominates a measured direct
# boot; the hashes are worth their extra bytes at -O2.
$(OUT)/fw/crypto/%.o: CFLAGS32 += -O2
# Not the buffering and dispatch around the blocks: per call, not per block.
$(OUT)/fw/crypto/hash.o: CFLAGS32 += -Os

$(OUT)/fw/%.o: src/%.c $(OUT)/autoconf.h $(OUT)/version.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC32) $(CFLAGS32) -c $< -o $@

$(OUT)/fw/entry.o: src/entry.S src/layout.h
	@mkdir -p $(dir $@)
	$(CC32) -m32 -Isrc -c $< -o $@

# The 64-bit bulk hashing (src/crypto/lm64, run in long mode by
# hw/longmode.c): a position-independent flat blob with no relocations,
# included into the image by src/hw/longmode.S.
CFLAGS64 := -m64 -std=gnu11 -ffreestanding -fpie -O2 -fno-tree-ch -fno-stack-protector \
	-fno-asynchronous-unwind-tables -mgeneral-regs-only -mno-red-zone \
	-fvisibility=hidden -Wall -Wextra -Werror -Isrc -I$(OUT) \
	-ffile-prefix-map=$(CURDIR)/= -MMD -MP
$(OUT)/fw/hash64.o: src/crypto/lm64/hash_blocks64.c $(OUT)/autoconf.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC64    $<")
	$(Q)$(CC32) $(CFLAGS64) -c $< -o $@
$(OUT)/fw/hash64.bin: $(OUT)/fw/hash64.o src/crypto/lm64/hash64.ld
	ld -m elf_x86_64 -T src/crypto/lm64/hash64.ld --build-id=none -nostdlib \
		-pie --no-dynamic-linker -z norelro --no-warn-rwx-segments -o $(OUT)/fw/hash64.elf $<
	@! readelf -rW $(OUT)/fw/hash64.elf | grep -q 'R_X86_64' || \
		{ echo "hash64: the blob has relocations"; exit 1; }
	objcopy -O binary -j .text $(OUT)/fw/hash64.elf $@
$(OUT)/fw/hw/longmode_switch.o: src/hw/longmode_switch.S src/layout.h $(OUT)/fw/hash64.bin
	@mkdir -p $(dir $@)
	$(CC32) -m32 -Isrc -I$(OUT)/fw -c $< -o $@
-include $(OUT)/fw/hash64.d

# The TPM SSDT for fw/acpi_tpm.c, compiled by iasl into C arrays: one
# variant per _HID (-D TPM12 selects PNP0C31), since the two _HIDs have
# different AML sizes. iasl names each array after its -p prefix.
$(OUT)/tpm-ssdt.h: src/fw/tpm-ssdt.dsl
	@mkdir -p $(OUT)/ssdt
	@$(if $(Q),echo "  IASL    $<")
	$(Q)iasl -vs -tc -p $(OUT)/ssdt/tpm20_ssdt $< >$(OUT)/ssdt/log || \
		{ cat $(OUT)/ssdt/log; exit 1; }
	$(Q)iasl -vs -tc -D TPM12 -p $(OUT)/ssdt/tpm12_ssdt $< >$(OUT)/ssdt/log || \
		{ cat $(OUT)/ssdt/log; exit 1; }
	$(Q)cat $(OUT)/ssdt/tpm20_ssdt.hex $(OUT)/ssdt/tpm12_ssdt.hex | \
		sed 's/^unsigned char /static const unsigned char /' > $@
$(OUT)/fw/fw/acpi_tpm.o: $(OUT)/tpm-ssdt.h

$(OUT)/bios.elf: $(FW_OBJS) src/layout.ld
	ld -m elf_i386 -T src/layout.ld --gc-sections --build-id=none -nostdlib --no-warn-rwx-segments \
		-o $@ $(FW_OBJS)

IMAGE_KB = $(shell sed -n 's/^CONFIG_IMAGE_SIZE_KB=//p' $(KCONFIG_CONFIG))

$(OUT)/bios.bin: $(OUT)/bios.elf $(KCONFIG_CONFIG)
	objcopy -O binary $< $@.runnable
	@test $$(stat -c %s $@.runnable) -eq 131072 || \
		{ echo "runnable part is not 128 KiB"; exit 1; }
	head -c $$(( ($(IMAGE_KB) - 128) * 1024 )) /dev/zero | cat - $@.runnable > $@
	@rm -f $@.runnable
	@$(PYTHON) scripts/size-report.py $< $(IMAGE_KB)

# ---- VGA BIOS (vgasrc/) ------------------------------------------------------
# A PCI option ROM in real-mode C (gcc -m16; docs/design.md says why).
# Jump tables would be read through DS, which is the caller's stack
# segment here, so they are off; rom.ld rejects any other DS data.
CFLAGS16 := -m16 -march=i386 -std=gnu11 -ffreestanding -fno-pic -fno-pie -Os \
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	-fno-jump-tables -ffunction-sections -fno-delete-null-pointer-checks \
	-mgeneral-regs-only -mregparm=3 -mno-red-zone -Wall -Wextra -Werror \
	-Isrc -Ivgasrc -I$(OUT) -ffile-prefix-map=$(CURDIR)/= -MMD -MP
VGA_SRCS := $(wildcard vgasrc/*.c) src/lib/string.c
VGA_OBJS := $(patsubst %.c,$(OUT)/vga/%.o,$(VGA_SRCS)) $(OUT)/vga/font.o \
	$(OUT)/vga/romentry.o
VGA_ROM_LIMIT := 40960
FONTDIR := /usr/share/consolefonts
VGA_FONTS := font8x16=$(FONTDIR)/FullGreek-VGA16.psf.gz,$(FONTDIR)/Uni2-VGA16.psf.gz \
	font8x14=$(FONTDIR)/Uni2-VGA14.psf.gz,$(FONTDIR)/FullGreek-VGA14.psf.gz \
	font8x8=$(FONTDIR)/Uni2-VGA8.psf.gz,$(FONTDIR)/FullGreek-VGA8.psf.gz

$(OUT)/vga/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC16    $<")
	$(Q)$(CC32) $(CFLAGS16) -c $< -o $@

$(OUT)/vga/font.c: scripts/mkfont.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) scripts/mkfont.py $@ $(VGA_FONTS)

$(OUT)/vga/font.o: $(OUT)/vga/font.c
	$(Q)$(CC32) $(CFLAGS16) -c $< -o $@

$(OUT)/vga/romentry.o: vgasrc/romentry.S
	@mkdir -p $(dir $@)
	$(Q)$(CC32) -m16 -c $< -o $@

$(OUT)/vga/vgabios.elf: $(VGA_OBJS) vgasrc/rom.ld

# virtio-vga has the same VGA and Bochs VBE ports; only the PCI ids of
# the ROM's PCI data structure differ.
$(OUT)/vga/romentry-virtio.o: vgasrc/romentry.S
	@mkdir -p $(dir $@)
	$(Q)$(CC32) -m16 -DPCI_VENDOR=0x1af4 -DPCI_DEVICE=0x1050 -c $< -o $@

$(OUT)/vga/vgabios-virtio.elf: $(filter-out %/romentry.o,$(VGA_OBJS)) \
		$(OUT)/vga/romentry-virtio.o vgasrc/rom.ld
$(OUT)/vga/%.elf:
	$(Q)ld -m elf_i386 -T vgasrc/rom.ld --gc-sections --build-id=none \
		-nostdlib --no-warn-rwx-segments -o $@ $(filter %.o,$^)

$(OUT)/vgabios-stdvga.bin: $(OUT)/vga/vgabios.elf
$(OUT)/vgabios-virtio.bin: $(OUT)/vga/vgabios-virtio.elf
$(OUT)/vgabios-%.bin: scripts/vgarom.py
	$(Q)objcopy -O binary -j .rom $(filter %.elf,$^) $@.raw
	$(Q)$(PYTHON) scripts/vgarom.py $@.raw $@ $(VGA_ROM_LIMIT)
	@rm -f $@.raw

-include $(VGA_OBJS:.o=.d)

all: $(OUT)/bios.bin $(OUT)/vgabios-stdvga.bin $(OUT)/vgabios-virtio.bin

-include $(FW_OBJS:.o=.d)

# ---- host unit tests -------------------------------------------------------
UNIT_TESTS :=
include $(sort $(wildcard test/unit/*.mk))

HOST_CFLAGS := -std=gnu11 -DHOST_TEST -Isrc -I$(OUT) -Itest/unit -Wall -Wextra \
	-Werror -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all

define unit_rule
$(OUT)/unit/$(1): $$($(1)_SRCS) $$(wildcard src/*/*.h src/*.h test/unit/*.h) \
		$(OUT)/autoconf.h
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  HOSTCC  $$@")
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) -o $$@ $$($(1)_SRCS) $$($(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(addprefix $(OUT)/unit/,$(UNIT_TESTS))
	@set -e; for t in $(UNIT_TESTS); do echo "== unit: $$t"; $(OUT)/unit/$$t; done

clean:
	rm -rf $(OUT)

# ---- fuzz targets (libFuzzer) -------------------------------------------------
FUZZ_TARGETS :=
include $(sort $(wildcard test/fuzz/*.mk))
FUZZ_SECONDS ?= 10
FUZZ_CFLAGS := -std=gnu11 -DHOST_TEST -DHOST_QUIET -Isrc -I$(OUT) -Itest/unit \
	-Itest/fuzz -g -O1 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

# $(call fuzz_rule,target,output dir,flags variable,label)
define fuzz_rule
$(OUT)/$(2)/$(1): $$($(1)_SRCS) $$(wildcard src/*/*.h src/*.h test/*/*.h) \
		$(OUT)/autoconf.h
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),printf '  %-7s %s\n' $(4) $$@)
	$$(Q)clang $$($(3)) $$($(1)_CFLAGS) -o $$@ $$($(1)_SRCS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t),fuzz,FUZZ_CFLAGS,FUZZCC)))

# `make fuzz` runs every target for FUZZ_SECONDS on its committed seeds
# (test/fuzz/corpus/<target>, read only) and what earlier runs found
# (out/fuzz/corpus-<target>); make check uses FUZZ_CHECK_SECONDS each.
FUZZ_CHECK_SECONDS ?= 10
FUZZ_OPTS := -seed=1 -timeout=30 -rss_limit_mb=2048

.PHONY: fuzz fuzz-coverage
fuzz: $(addprefix $(OUT)/fuzz/,$(FUZZ_TARGETS))
	@set -e; for t in $(FUZZ_TARGETS); do echo "== fuzz: $$t ($(FUZZ_SECONDS) s)"; \
		mkdir -p $(OUT)/fuzz/corpus-$$t; \
		seeds=; [ -d test/fuzz/corpus/$$t ] && seeds=test/fuzz/corpus/$$t; \
		$(OUT)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) $(FUZZ_OPTS) \
			$(OUT)/fuzz/corpus-$$t $$seeds 2>$(OUT)/fuzz/$$t.log || \
			{ tail -30 $(OUT)/fuzz/$$t.log; exit 1; }; \
		grep -E '^#[0-9]+.*(DONE|pulse)' $(OUT)/fuzz/$$t.log | tail -1; done

# Line coverage of each target's parser (<target>_PARSER) over the seeds
# and what `make fuzz` found: the targets rebuilt with clang's source-based
# coverage, each input run once.
LLVM_VERSION ?= 14
FUZZ_COV_CFLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(FUZZ_CFLAGS)) \
	-fsanitize=fuzzer -fprofile-instr-generate -fcoverage-mapping

$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t),fuzz-cov,FUZZ_COV_CFLAGS,COVCC)))

# One target's line: its inputs (seeds and found) run once, the profile
# merged, the TOTAL line of llvm-cov's report over the parser's files.
define fuzz_cov_report
	@cd $(OUT)/fuzz-cov && mkdir -p ../fuzz/corpus-$(1) && \
	LLVM_PROFILE_FILE=$(1).profraw ./$(1) -runs=0 -rss_limit_mb=2048 \
		../fuzz/corpus-$(1) $(wildcard $(CURDIR)/test/fuzz/corpus/$(1)) \
		>$(1).log 2>&1 || { tail -20 $(1).log; exit 1; }
	@llvm-profdata-$(LLVM_VERSION) merge -sparse -o $(OUT)/fuzz-cov/$(1).profdata \
		$(OUT)/fuzz-cov/$(1).profraw
	@printf '%-18s %-56s %6s %8s\n' $(1) "$($(1)_PARSER)" \
		$$(find $(OUT)/fuzz/corpus-$(1) $(wildcard test/fuzz/corpus/$(1)) \
			-type f ! -name seeded | wc -l) \
		$$(llvm-cov-$(LLVM_VERSION) report $(OUT)/fuzz-cov/$(1) \
			-instr-profile=$(OUT)/fuzz-cov/$(1).profdata $($(1)_PARSER) | \
			awk '/^TOTAL/ { print $$10 }')

endef

fuzz-coverage: $(addprefix $(OUT)/fuzz-cov/,$(FUZZ_TARGETS)) \
		$(OUT)/fuzz/corpus-fuzz_tcglog/seeded
	@printf '%-18s %-56s %6s %8s\n' target parser inputs lines
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_cov_report,$(t)))

# ---- the commands in README.md ----------------------------------------------
deps:
	@./scripts/deps.sh

build-checks: all
	./scripts/check-build.sh

qemu-tests: all
	$(PYTHON) test/qemu/run-all.py --bios $(OUT)/bios.bin

FORMAT_SRCS = $(wildcard src/*.[ch] src/*/*.[ch] vgasrc/*.[ch] test/unit/*.[ch] \
	test/fuzz/*.c)
.PHONY: format format-check
format:
	clang-format -i $(FORMAT_SRCS)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRCS) && echo "format: ok"

check: deps
	$(MAKE) format-check
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS)
	$(MAKE) build-checks
	$(MAKE) qemu-tests

# make run [MACHINE=pc] [RUN_ARGS="--tpm crb --grub ..."]
run: deps all
	./scripts/run-qemu --bios $(OUT)/bios.bin $(if $(MACHINE),--machine $(MACHINE)) \
		$(RUN_ARGS)

bench: deps all
	$(PYTHON) scripts/bench.py --bios $(OUT)/bios.bin
