UNIT_TESTS += test_tcglog
TCGLOG_SRCS := src/tcgbios/tcglog.c $(CRYPTO_SRCS)
test_tcglog_SRCS := test/unit/test_tcglog.c test/unit/tcg_replay.c \
	$(TCGLOG_SRCS)
test_tcglog_LIBS := -lcmocka
