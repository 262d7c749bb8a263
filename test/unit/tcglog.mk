UNIT_TESTS += test_tcglog
TCGLOG_SRCS := src/tcgbios/tcglog.c $(CRYPTO_SRCS)
test_tcglog_SRCS := test/unit/test_tcglog.c test/unit/tcg_replay.c \
	$(TCGLOG_SRCS)
test_tcglog_LIBS := -lcmocka

# eventlog.py and tpm2_eventlog checked against logs from the C writer.
$(OUT)/unit/mklog: test/unit/mklog.c test/unit/tcg_replay.c $(TCGLOG_SRCS) \
		$(wildcard src/*/*.h test/unit/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

.PHONY: unit-eventlog-py
unit-eventlog-py: $(OUT)/unit/mklog
	@echo "== unit: test_eventlog_py"
	@sh test/unit/test_eventlog_py.sh $(OUT)/unit/mklog $(OUT)/unit/eventlog
unit: unit-eventlog-py
