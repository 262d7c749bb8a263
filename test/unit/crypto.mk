UNIT_TESTS += test_crypto
CRYPTO_SRCS := src/crypto/hash.c src/crypto/sha1.c src/crypto/sha256.c \
	src/crypto/sha512.c src/crypto/sm3.c
test_crypto_SRCS := test/unit/test_crypto.c $(CRYPTO_SRCS) \
	src/crypto/lm64/hash_blocks64.c
test_crypto_LIBS := -lcmocka
