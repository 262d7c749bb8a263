# The INT 1Ah TCG BIOS interface: block parsing, the 1.2 -> crypto-agile
# conversion and whole calls against the libtpms fake (log replay == PCRs).
UNIT_TESTS += test_tcg_int1a
# (= not :=: TPM_FAKE and TPM_LIBS come from tpm.mk, included after this.)
test_tcg_int1a_SRCS = test/unit/test_tcg_int1a.c test/unit/tcg_replay.c \
	src/tcgbios/tcg_int1a.c src/tcgbios/tcg_measure.c \
	src/tcgbios/tcglog.c src/tcgbios/tpm_startup.c src/tcgbios/tpm_cmd.c \
	$(CRYPTO_SRCS) $(TPM_FAKE)
test_tcg_int1a_LIBS = $(TPM_LIBS)
