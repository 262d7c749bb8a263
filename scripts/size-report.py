#!/usr/bin/python3
"""Print how much of each image region a build uses (from the ELF symbols)."""
import subprocess
import sys

elf, image_kb = sys.argv[1], int(sys.argv[2])
syms = {}
for line in subprocess.run(["nm", elf], capture_output=True, text=True,
                           check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3:
        syms[parts[2]] = int(parts[0], 16)

regions = [
    ("32-bit code+data (0xE0000-0xFDFFF)", 0xE0000, syms["_image32_end"], 0xFE000),
    ("16-bit entry (0xFF000-0xFFFEF)", 0xFF000, syms["_text16_end"], 0xFFFF0),
]
print(f"mbios image: {image_kb} KiB ({elf})")
total_used = 0
for name, start, end, limit in regions:
    used, size = end - start, limit - start
    total_used += used
    print(f"  {name:38s} used {used:6d}  free {size - used:6d}  ({100 * used // size}%)")
print(f"  {'F-segment pool (0xFE000-0xFEFFF)':38s} reserved {syms['_fsegpool_end'] - 0xFE000} (filled at run time)")
total_used += syms['_fsegpool_end'] - 0xFE000
print(f"  {'reset vector':38s} used     16")
unused_low = (image_kb - 128) * 1024
print(f"  {'runnable 128 KiB total':38s} used {total_used + 16:6d}  free {131072 - total_used - 16:6d}")
if unused_low:
    print(f"  {'low part of image (unused padding)':38s} free {unused_low:6d}")
