#!/usr/bin/env python3
"""Finish the VGA ROM image: pad it to whole 512-byte blocks, write the
size into the ROM header (offset 2) and the PCI data structure (image and
maximum runtime length, PCI Firmware spec 3.0, 5.1.2), set the checksum
byte so all bytes sum to zero, print the size and enforce the limit.

usage: vgarom.py IN.bin OUT.bin LIMIT_BYTES"""
import struct
import sys


def main():
    src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rom = bytearray(open(src, "rb").read())
    rom += b"\0"  # room for the checksum byte
    rom += bytes(-len(rom) % 512)
    blocks = len(rom) // 512
    if rom[:2] != b"\x55\xaa" or blocks > 255:
        sys.exit("vgarom: bad image (%d bytes)" % len(rom))
    rom[2] = blocks
    pcir = struct.unpack_from("<H", rom, 0x18)[0]
    if rom[pcir:pcir + 4] != b"PCIR":
        sys.exit("vgarom: no PCI data structure at 0x%x" % pcir)
    struct.pack_into("<H", rom, pcir + 0x10, blocks)
    struct.pack_into("<H", rom, pcir + 0x16, blocks)
    rom[-1] = (-sum(rom[:-1])) & 0xFF
    print("  VGAROM  %s: %d bytes (%d KiB of %d KiB allowed)"
          % (dst, len(rom), (len(rom) + 1023) // 1024, limit // 1024))
    if len(rom) > limit:
        sys.exit("vgarom: %s is larger than %d bytes" % (dst, limit))
    open(dst, "wb").write(rom)


if __name__ == "__main__":
    main()
