FUZZ_TARGETS += fuzz_tcglog
fuzz_tcglog_SRCS := test/fuzz/fuzz_tcglog.c src/tcgbios/tcglog.c \
	src/crypto/hash.c src/crypto/sha1.c src/crypto/sha256.c \
	src/crypto/sha512.c src/crypto/sm3.c
fuzz_tcglog_PARSER := src/tcgbios/tcglog.c

# Seed the corpus with the sample logs mklog writes (trimmed .log files
# only: the 64 KiB padded areas would slow every run down).
$(OUT)/fuzz/fuzz_tcglog: | $(OUT)/fuzz/corpus-fuzz_tcglog/seeded
$(OUT)/fuzz/corpus-fuzz_tcglog/seeded: $(OUT)/unit/mklog
	@mkdir -p $(OUT)/fuzz/seeds-tcglog $(dir $@)
	$(OUT)/unit/mklog $(OUT)/fuzz/seeds-tcglog
	cp $(OUT)/fuzz/seeds-tcglog/*.log $(dir $@)
	@touch $@
