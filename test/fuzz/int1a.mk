FUZZ_TARGETS += fuzz_int1a
fuzz_int1a_SRCS := test/fuzz/fuzz_int1a.c src/tcgbios/tcg_int1a.c \
	src/tcgbios/tcg_measure.c src/tcgbios/tcglog.c test/unit/host_output.c \
	src/crypto/hash.c src/crypto/sha1.c src/crypto/sha256.c \
	src/crypto/sha512.c src/crypto/sm3.c

# Seed the corpus with one valid call of each function.
$(OUT)/fuzz/fuzz_int1a: | $(OUT)/fuzz/corpus-fuzz_int1a/seeded
$(OUT)/fuzz/corpus-fuzz_int1a/seeded: test/fuzz/int1a_seeds.py
	@mkdir -p $(dir $@)
	$(PYTHON) test/fuzz/int1a_seeds.py $(dir $@)
	@touch $@
