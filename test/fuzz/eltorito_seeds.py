#!/usr/bin/python3
"""Write the committed seeds of fuzz_eltorito (test/fuzz/corpus/fuzz_eltorito/)
from the test CDs of the QEMU tests (built here if missing): no emulation,
1.44 MB diskette and hard disk emulation (bootsect/cdboot), the GRUB rescue
CD, and each with the defects the cdrom-bad-* tests use. Run by hand; the
seeds are committed.

Input format (fuzz_eltorito.c): u32 medium sectors, u8 shift (0), u8
selector (0: the firmware's load window), boot record bytes 0-4Fh, catalog
bytes 0-63, the image's first 512 bytes, the rest of the boot record."""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "qemu"))
import mbtest  # noqa: E402

OUT = os.path.join(HERE, "corpus", "fuzz_eltorito")


def seed(iso):
    sectors, cat, lba, _, _ = mbtest.iso_boot_info(iso)
    with open(iso, "rb") as f:
        f.seek(17 * 2048)
        brvd = f.read(2048)
        f.seek(cat * 2048)
        catalog = bytearray(f.read(64))
        f.seek(lba * 2048)
        mbr = f.read(512)
    # The rest of the boot record is zeros in every CD here: left out.
    return sectors, brvd, catalog, mbr


def pack(sectors, brvd, catalog, mbr):
    return struct.pack("<IBB", sectors, 0, 0) + brvd[:0x50] + bytes(catalog) + mbr


def main():
    os.makedirs(OUT, exist_ok=True)
    cds = {m: mbtest.cd_iso(m) for m in ("noemu", "floppy", "hdd")}
    cds["grub"] = mbtest.grub_iso()
    for name, iso in sorted(cds.items()):
        sectors, brvd, catalog, mbr = seed(iso)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(pack(sectors, brvd, catalog, mbr))
    sectors, brvd, catalog, mbr = seed(cds["noemu"])
    bad = {"checksum": (28, 0x01), "key": (30, 0x55), "notbootable": (32, 0x88),
           "media5": (33, 0x05)}
    for name, (off, xor) in bad.items():
        c = bytearray(catalog)
        c[off] ^= xor
        with open(os.path.join(OUT, "bad-" + name), "wb") as f:
            f.write(pack(sectors, brvd, c, mbr))
    c = bytearray(catalog)
    struct.pack_into("<I", c, 40, sectors - 1)
    with open(os.path.join(OUT, "bad-beyond"), "wb") as f:
        f.write(pack(sectors, brvd, c, mbr))
    with open(os.path.join(OUT, "bad-nobrvd"), "wb") as f:
        f.write(pack(sectors, b"\xffCD001\x01" + bytes(2041), catalog, mbr))
    print("wrote %d seeds to %s" % (len(os.listdir(OUT)), OUT))


if __name__ == "__main__":
    main()
