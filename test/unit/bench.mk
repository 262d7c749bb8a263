# TPM round-trips of start-up and hand-off on the libtpms fake, for
# `make bench` (scripts/bench.py runs it with --print); as a unit test it
# checks that the counts stay within bounds. TPM_FAKE and TPM_LIBS come from
# tpm.mk, which is included after this file: hence `=`, not `:=`.
UNIT_TESTS += tpm_roundtrips
tpm_roundtrips_SRCS = test/unit/tpm_roundtrips.c src/tcgbios/tpm_startup.c \
	$(CRYPTO_SRCS) \
	src/tcgbios/tpm_cmd.c $(TPM_FAKE)
tpm_roundtrips_LIBS = $(TPM_LIBS)
