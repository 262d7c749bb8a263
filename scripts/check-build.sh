#!/bin/sh
# Build checks that need more than one build: two clean builds must give
# the same bytes (PCR0 must be predictable), and the 256 KiB image
# configuration must build too.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
# This script copies the tree: refuse to run from anywhere else.
[ -f "$top/Kconfig" ] && [ -f "$top/src/entry.S" ] || {
	echo "check-build: $top is not an mbios tree" >&2
	exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)
build() { # source-dir out-dir config-file
	make -C "$1" -s OUT="$2" KCONFIG_CONFIG="$3" VERSION="$version" \
		"$2/bios.bin" >/dev/null
}

# The second build runs from a copy of the tree at another path, so paths
# leaking into the image would show.
mkdir "$work/copy"
tar -C "$top" --exclude=./out --exclude=./.git -cf - . | tar -C "$work/copy" -xf -
cp "$top/.config" "$work/config-a" 2>/dev/null || : > "$work/config-a"
cp "$work/config-a" "$work/config-b"
build "$top" "$work/a" "$work/config-a"
build "$work/copy" "$work/b" "$work/config-b"
if ! cmp "$work/a/bios.bin" "$work/b/bios.bin"; then
	echo "FAIL: two clean builds differ" >&2
	exit 1
fi
echo "ok: reproducible build ($(sha256sum < "$work/a/bios.bin" | cut -c1-16)...)"

echo "CONFIG_IMAGE_SIZE_KB=256" > "$work/config-256"
KCONFIG_CONFIG="$work/config-256" /usr/bin/python3 -m olddefconfig \
	"$top/Kconfig" >/dev/null
build "$top" "$work/c" "$work/config-256"
size=$(stat -c %s "$work/c/bios.bin")
if [ "$size" -ne 262144 ]; then
	echo "FAIL: 256 KiB configuration gave $size bytes" >&2
	exit 1
fi
echo "ok: 256 KiB configuration builds"
