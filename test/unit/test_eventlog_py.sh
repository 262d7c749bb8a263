#!/bin/sh
# eventlog.py against the C log writer and replay (mklog), and
# tpm2_eventlog against the C writer's TPM 2.0 logs.
# usage: test_eventlog_py.sh MKLOG OUTDIR
# Works in a fresh OUTDIR.XXXXXX (several people may run make unit in one
# tree at once), removed on success and kept for inspection on failure.
set -eu
MKLOG=$1
mkdir -p "$(dirname "$2")"
OUT=$(mktemp -d "$2.XXXXXX")
PY=/usr/bin/python3
EL="$PY scripts/eventlog.py"
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

"$MKLOG" "$OUT"

# status CMD...: runs CMD, prints its exit status (output to $OUT/last).
status() {
	set +e
	"$@" >"$OUT/last" 2>&1
	echo $?
	set -e
}

for log in tpm12 tpm2-sha256 tpm2-all tpm2-loc3 tpm2-full; do
	for f in "$OUT/$log.log" "$OUT/$log.area"; do
		if ! $EL replay "$f" >"$f.replay" 2>"$f.err"; then
			fail "eventlog.py replay $f: $(cat "$f.err")"
		elif ! cmp -s "$f.replay" "$OUT/$log.expect"; then
			fail "eventlog.py replay $f differs from the C replay"
			diff "$OUT/$log.expect" "$f.replay" | head -5
		fi
	done
	[ "$(status $EL parse "$OUT/$log.log")" = 0 ] ||
		fail "eventlog.py parse $log: $(cat "$OUT/last")"

	# A sysfs-like tree from the C replay: verify must pass.
	sys="$OUT/$log.sys"
	mkdir -p "$sys"
	while IFS='=' read -r key hex; do
		bank=${key%%:*}
		[ "$bank" = sm3_256 ] && bank=sm3 # Linux's name for the bank
		mkdir -p "$sys/pcr-$bank"
		echo "$hex" >"$sys/pcr-$bank/${key#*:}"
	done <"$OUT/$log.expect"
	[ "$(status $EL verify "$OUT/$log.log" "$sys")" = 0 ] ||
		fail "verify $log: $(cat "$OUT/last")"
done

# verify must fail, with a diff, on one changed PCR or a missing bank.
sys="$OUT/tpm2-all.sys"
cp "$sys/pcr-sha256/4" "$OUT/saved"
echo 0000000000000000000000000000000000000000000000000000000000000000 \
	>"$sys/pcr-sha256/4"
[ "$(status $EL verify "$OUT/tpm2-all.log" "$sys")" = 1 ] ||
	fail "verify accepted a wrong sha256 PCR 4"
grep -q "FAIL sha256 PCR 4" "$OUT/last" || fail "no diff line: $(cat "$OUT/last")"
cp "$OUT/saved" "$sys/pcr-sha256/4"
mv "$sys/pcr-sm3" "$OUT/sm3.saved"
[ "$(status $EL verify "$OUT/tpm2-all.log" "$sys")" = 1 ] ||
	fail "verify accepted a missing sm3 bank"
mv "$OUT/sm3.saved" "$sys/pcr-sm3"
[ "$(status $EL verify "$OUT/tpm2-all.log" "$sys")" = 0 ] ||
	fail "verify after restore: $(cat "$OUT/last")"

# TPM 1.2 "pcrs" file (PCR-00: 3A 3F ...), as a file and inside a dir.
grep '^sha1:' "$OUT/tpm12.expect" | while IFS='=' read -r key hex; do
	n=${key#sha1:}
	printf 'PCR-%02d: %s \n' "$n" "$(echo "$hex" | sed 's/../& /g;s/ $//')"
done >"$OUT/pcrs"
[ "$(status $EL verify "$OUT/tpm12.log" "$OUT/pcrs")" = 0 ] ||
	fail "verify tpm12 pcrs: $(cat "$OUT/last")"
mkdir -p "$OUT/tpm12dev/device"
cp "$OUT/pcrs" "$OUT/tpm12dev/device/pcrs"
[ "$(status $EL verify "$OUT/tpm12.log" "$OUT/tpm12dev")" = 0 ] ||
	fail "verify tpm12 device/pcrs: $(cat "$OUT/last")"
sed -i 's/^PCR-07: ../PCR-07: 00/' "$OUT/pcrs"
[ "$(status $EL verify "$OUT/tpm12.log" "$OUT/pcrs")" = 1 ] ||
	fail "verify accepted a wrong TPM 1.2 PCR 7"

# Malformed logs are refused (exit 2).
size=$(stat -c %s "$OUT/tpm2-all.log")
head -c $((size - 1)) "$OUT/tpm2-all.log" >"$OUT/cut.log"
[ "$(status $EL replay "$OUT/cut.log")" = 2 ] ||
	fail "replay accepted a log cut short"
# Spec ID: SHA-256 (second bank, at 32 + 28 + 4 + 2) claims 20 bytes.
cp "$OUT/tpm2-all.log" "$OUT/badsize.log"
printf '\024' | dd of="$OUT/badsize.log" bs=1 seek=66 conv=notrunc 2>/dev/null
[ "$(status $EL replay "$OUT/badsize.log")" = 2 ] ||
	fail "replay accepted a wrong Spec ID digest size"
grep -q "sha256 a 20-byte digest" "$OUT/last" ||
	fail "unexpected message: $(cat "$OUT/last")"

# tpm2_eventlog (tpm2-tools) must accept every TPM 2.0 log the writer makes.
if command -v tpm2_eventlog >/dev/null; then
	for log in tpm2-sha256 tpm2-all tpm2-loc3 tpm2-full; do
		[ "$(status tpm2_eventlog "$OUT/$log.log")" = 0 ] ||
			fail "tpm2_eventlog $log: $(tail -3 "$OUT/last")"
	done
	# Its replay agrees with ours where it is known to be right (it
	# mishandles StartupLocality, see docs): compare sha256 PCR 0-7.
	tpm2_eventlog "$OUT/tpm2-sha256.log" 2>/dev/null |
		sed -n '/^pcrs:/,$p' | grep -E '^ +[0-7] *: 0x' |
		sed 's/^ *\([0-7]\) *: 0x/\1=/' | tr a-f A-F |
		sed 's/^/sha256:/' >"$OUT/tpm2tools.replay"
	grep -E '^sha256:[0-7]=' "$OUT/tpm2-sha256.expect" >"$OUT/c.replay"
	cmp -s "$OUT/tpm2tools.replay" "$OUT/c.replay" ||
		fail "tpm2_eventlog replay differs: $(diff "$OUT/c.replay" "$OUT/tpm2tools.replay" | head -4)"
else
	fail "tpm2_eventlog not installed (scripts/deps.sh installs tpm2-tools)"
fi

if [ $fails -ne 0 ]; then
	echo "test_eventlog_py: $fails failure(s), files in $OUT"
	exit 1
fi
rm -rf "$OUT"
echo "test_eventlog_py: OK"
