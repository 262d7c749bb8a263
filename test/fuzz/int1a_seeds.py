#!/usr/bin/python3
"""Seed inputs for fuzz_int1a: one valid call of each TCG BIOS function
(the fuzzer's header, then the caller's RAM with the blocks in it)."""
import os
import struct
import sys

IPB, OPB, EVENT, DATA = 0x100, 0x200, 0x300, 0x400


def seed(fn, flags, ram, ecx=0, edx=0, esi=0):
    # fuzz_int1a reads: AL, flags, EBX selector (bit 0 clear: 'TCPA'),
    # ECX, EDX, ESI; SI at 16 (the top half of ESI), DI at 18
    hdr = bytearray(struct.pack("<BBIIII", fn, flags, 0, ecx, edx, esi))
    hdr[16:18] = struct.pack("<H", OPB)
    hdr += struct.pack("<H", IPB)
    return bytes(hdr[:20]) + bytes(ram)


def ram():
    return bytearray(0x800)


def event(r, pcr, etype, text):
    struct.pack_into("<II20sI", r, EVENT, pcr, etype, b"", len(text))
    r[EVENT + 32:EVENT + 32 + len(text)] = text
    return 32 + len(text)


def main(out):
    os.makedirs(out, exist_ok=True)
    seeds = {}
    for flags in (0, 1, 2):
        r = ram()
        n = event(r, 8, 0x0D, b"loader")
        struct.pack_into("<HHIIIII", r, IPB, 0x18, 0, DATA, 64, 8, EVENT, n)
        seeds["hlee-short-%d" % flags] = seed(1, flags, r)
        r2 = ram()
        event(r2, 8, 0x0D, b"loader")
        struct.pack_into("<HHIIIIII", r2, IPB, 0x1C, 0, DATA, 64, 8, 0, EVENT, n)
        seeds["hlee-long-%d" % flags] = seed(1, flags, r2)
        r3 = ram()
        event(r3, 9, 0x0D, b"logged")
        struct.pack_into("<HHIIIIII", r3, IPB, 0x1C, 0, DATA, 64, 9, 0x0D, EVENT, n)
        seeds["hle-%d" % flags] = seed(4, flags, r3)
        seeds["compact-%d" % flags] = seed(7, flags, ram(), ecx=64, edx=8, esi=0x1234)
    r = ram()
    struct.pack_into("<HHIII", r, IPB, 0x10, 0, DATA, 100, 4)
    seeds["hashall"] = seed(5, 0, r)
    r = ram()
    struct.pack_into("<HHHH", r, IPB, 8 + 14, 0, 64, 0)
    r[IPB + 8:IPB + 22] = bytes.fromhex("00c10000000e000000150000000a")
    seeds["pass"] = seed(2, 1, r)
    seeds["status"] = seed(0, 0, ram())
    seeds["shut"] = seed(3, 4, ram())
    for name, data in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
