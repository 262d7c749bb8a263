# mbios build. `make` builds out/bios.bin; see README.md for the rest.
OUT ?= out
PYTHON := /usr/bin/python3
HOST_CC ?= gcc

.DEFAULT_GOAL := all
.PHONY: all unit check clean

# ---- host unit tests -------------------------------------------------------
UNIT_TESTS :=
include $(sort $(wildcard test/unit/*.mk))

HOST_CFLAGS := -std=gnu11 -DHOST_TEST -Isrc -Itest/unit -Wall -Wextra \
	-Werror -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all

define unit_rule
$(OUT)/unit/$(1): $$($(1)_SRCS) $$(wildcard src/*/*.h src/*.h test/unit/*.h)
	@mkdir -p $$(dir $$@)
	$$(HOST_CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) -o $$@ $$($(1)_SRCS) $$($(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

unit: $(addprefix $(OUT)/unit/,$(UNIT_TESTS))
	@set -e; for t in $(UNIT_TESTS); do echo "== unit: $$t"; $(OUT)/unit/$$t; done

clean:
	rm -rf $(OUT)
