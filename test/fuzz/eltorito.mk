# The El Torito boot record, catalog and hard disk image MBR (eltorito.c);
# seeds: the sectors of test CDs (no emulation, diskette, hard disk, GRUB).
FUZZ_TARGETS += fuzz_eltorito
fuzz_eltorito_SRCS := test/fuzz/fuzz_eltorito.c src/eltorito.c
fuzz_eltorito_PARSER := src/eltorito.c
