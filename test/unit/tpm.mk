# TPM stack: TIS/CRB drivers, command layer and start-up sequences against a
# register-level fake backed by libtpms (TPM 1.2 and 2.0).
TPM_FAKE := test/unit/fake_tpm.c test/unit/fake_tpm_libtpms.c \
	test/unit/host_output.c test/unit/host_ports.c src/hw/tpm_drivers.c
TPM_LIBS := -lcmocka -ltpms

UNIT_TESTS += test_tpm_tis
test_tpm_tis_SRCS := test/unit/test_tpm_tis.c $(TPM_FAKE)
test_tpm_tis_LIBS := $(TPM_LIBS)
UNIT_TESTS += test_tpm_crb
test_tpm_crb_SRCS := test/unit/test_tpm_crb.c $(TPM_FAKE)
test_tpm_crb_LIBS := $(TPM_LIBS)
UNIT_TESTS += test_tpm_cmd
test_tpm_cmd_SRCS := test/unit/test_tpm_cmd.c src/tcgbios/tpm_cmd.c $(TPM_FAKE)
test_tpm_cmd_LIBS := $(TPM_LIBS)
UNIT_TESTS += test_tpm_startup
test_tpm_startup_SRCS := test/unit/test_tpm_startup.c \
	src/tcgbios/tpm_startup.c src/tcgbios/tpm_cmd.c $(CRYPTO_SRCS) \
	$(TPM_FAKE)
test_tpm_startup_LIBS := $(TPM_LIBS)

# The failure -> action table of docs/tpm.md.
UNIT_TESTS += test_tpm_failclosed
test_tpm_failclosed_SRCS := test/unit/test_tpm_failclosed.c \
	src/tcgbios/tpm_startup.c src/tcgbios/tpm_cmd.c $(CRYPTO_SRCS) \
	$(TPM_FAKE)
test_tpm_failclosed_LIBS := $(TPM_LIBS)

# Menu/PPI operations and the PPI page (tcgbios/tpm_ops.c, tpm_ppi.c).
UNIT_TESTS += test_tpm_ops
test_tpm_ops_SRCS := test/unit/test_tpm_ops.c src/tcgbios/tpm_ops.c \
	src/tcgbios/tpm_ppi.c src/tcgbios/tpm_startup.c src/tcgbios/tpm_cmd.c \
	$(CRYPTO_SRCS) $(TPM_FAKE)
test_tpm_ops_LIBS := $(TPM_LIBS)

# The extend-then-log invariant against libtpms (log replay == TPM PCRs).
UNIT_TESTS += test_tcg_measure
test_tcg_measure_SRCS := test/unit/test_tcg_measure.c test/unit/tcg_replay.c \
	src/tcgbios/tcg_measure.c src/tcgbios/tcglog.c \
	src/tcgbios/tpm_startup.c src/tcgbios/tpm_cmd.c $(CRYPTO_SRCS) \
	$(TPM_FAKE)
test_tcg_measure_LIBS := $(TPM_LIBS)
