#!/bin/sh
# Install every Debian package that building, `make run`, `make check` and
# `make bench` need. As root it installs what is missing; otherwise it prints
# the exact apt-get command to run.
set -eu

PACKAGES="make gcc binutils python3 python3-kconfiglib clang clang-format libclang-rt-14-dev llvm-14 \
qemu-system-x86 qemu-utils seabios swtpm swtpm-tools libtpms-dev tpm2-tools libtss2-tcti-device0 \
linux-image-amd64 busybox-static cpio gzip kmod grub-pc-bin grub-common \
mtools dosfstools fdisk xorriso acpica-tools libcmocka-dev pkg-config xxd file kbd console-setup-linux"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "mbios: missing Debian packages:$missing" >&2
	echo "mbios: install them with: sudo apt-get install -y$missing" >&2
	exit 1
fi

echo "mbios: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends $missing; then
	apt-get update -q
	apt-get install -y --no-install-recommends $missing
fi
