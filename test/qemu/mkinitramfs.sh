#!/bin/sh
# Build the integration-test initramfs: a static busybox and /init
# (test/qemu/guest-init.sh), gzip-compressed newc cpio.
#
#   test/qemu/mkinitramfs.sh [OUTPUT]   (default: out/test/initramfs.cpio.gz)
#
# MBT_TPM2_TOOLS=KVER also puts in tpm2-tools (/usr/bin/tpm2 and the tpm2_*
# names the guest uses), every library ldd lists for it, the tpm2-tss
# device TCTI (dlopened, so ldd does not list it) and the qemu_fw_cfg
# module of kernel KVER (the attest tests pass their instructions in a
# fw_cfg file).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-out/test/initramfs.cpio.gz}
busybox=${BUSYBOX:-/bin/busybox}

if ! [ -x "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
	echo "mkinitramfs: $busybox is not a static busybox (install busybox-static)" >&2
	exit 1
fi
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root/bin" "$tmp/root/proc" "$tmp/root/sys" "$tmp/root/dev" \
	"$tmp/root/tmp"
cp "$busybox" "$tmp/root/bin/busybox"
cp "$here/guest-init.sh" "$tmp/root/init"
chmod 755 "$tmp/root/init" "$tmp/root/bin/busybox"
if [ -n "${MBT_TPM2_TOOLS:-}" ]; then
	tools="createprimary create load unseal evictcontrol startauthsession
		policypcr flushcontext createek createak quote pcrread readpublic"
	tcti=/usr/lib/x86_64-linux-gnu/libtss2-tcti-device.so.0
	for f in /usr/bin/tpm2 $tcti $(ldd /usr/bin/tpm2 $tcti |
		sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^\s*\(\/[^ ]*\) .*/\1/p' |
		sort -u); do
		mkdir -p "$tmp/root$(dirname "$f")"
		cp -L "$f" "$tmp/root$f"
	done
	for t in $tools; do ln -s tpm2 "$tmp/root/usr/bin/tpm2_$t"; done
	mod=$(find "/lib/modules/$MBT_TPM2_TOOLS" -name qemu_fw_cfg.ko | head -1)
	[ -n "$mod" ] || { echo "mkinitramfs: no qemu_fw_cfg.ko for $MBT_TPM2_TOOLS" >&2; exit 1; }
	mkdir -p "$tmp/root/lib/modules"
	cp "$mod" "$tmp/root/lib/modules/"
fi
# The kernel needs /dev/console before /init runs.
(
	cd "$tmp/root"
	find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0
) > "$tmp/root.cpio"
# /dev/console as a device node cannot be created without root; a cpio
# entry can.  Append it with a tiny newc record of our own.
/usr/bin/python3 - "$tmp/root.cpio" <<'PY'
import sys
path = sys.argv[1]
data = open(path, 'rb').read()
trailer = data.rfind(b'070701')          # start of the TRAILER!!! record
body = data[:trailer]
def rec(name, mode, rmaj=0, rmin=0):
    name = name.encode() + b'\0'
    hdr = b'070701' + b''.join(b'%08X' % v for v in (
        0, mode, 0, 0, 1, 0, 0, 0, 0, rmaj, rmin, len(name), 0))
    out = hdr + name
    out += b'\0' * ((4 - len(out) % 4) % 4)
    return out
body += rec('dev/console', 0o020600, 5, 1)
body += rec('TRAILER!!!', 0)
body += b'\0' * ((512 - len(body) % 512) % 512)
open(path, 'wb').write(body)
PY
gzip -9n < "$tmp/root.cpio" > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "mkinitramfs: wrote $out"
