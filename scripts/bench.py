#!/usr/bin/python3
"""Boot-time benchmark: QEMU launch to boot-sector hand-off, under TCG.

For each machine (pc, q35) and firmware (mbios = out/bios.bin, Debian's
SeaBIOS, and an "empty firmware" floor whose reset vector exits at once) it
boots a disk whose boot sector's first instruction writes to isa-debug-exit,
and takes the wall time from starting QEMU to QEMU's exit.  Runs are
interleaved (round-robin over all configurations, N rounds) so that a busy
moment on the host hits every configuration alike.  Prints medians and the
ratios mbios/SeaBIOS and mbios/floor.

  scripts/bench.py [-n 7] [--bios out/bios.bin] [--seabios FILE]
                   [--machine pc --machine q35] [--markdown FILE]

This is a benchmark, not a test: nothing fails because it is slow.  It
fails only if a run does not reach the hand-off (wrong exit status).
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "test", "qemu"))
import mbtest  # noqa: E402


def one_run(bios, machine, disk, timeout=60):
    argv = [mbtest.QEMU, "-accel", "tcg", "-machine", machine, "-m", "512",
            "-nodefaults", "-display", "none", "-no-reboot", "-serial", "none",
            "-bios", bios,
            "-device", "isa-debug-exit,iobase=0x%x,iosize=1" % mbtest.EXIT_PORT]
    argv += mbtest.Disk(disk, "ide").args(0, machine)
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=timeout)
    dt = time.perf_counter() - t0
    # isa-debug-exit makes QEMU exit with (value << 1) | 1: always odd.
    if p.returncode % 2 != 1:
        raise SystemExit("bench: %s on %s did not reach the boot sector (exit %d)\n%s"
                         % (bios, machine, p.returncode, p.stderr.decode(errors="replace")))
    return dt


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=7, help="runs per configuration (7)")
    ap.add_argument("--bios", default=None, help="mbios image (default $MBIOS_BIOS or out/bios.bin)")
    ap.add_argument("--seabios", default=mbtest.SEABIOS)
    ap.add_argument("--machine", action="append", choices=["pc", "q35"])
    ap.add_argument("--markdown", metavar="FILE", help="also write the table as markdown")
    a = ap.parse_args()
    machines = a.machine or ["pc", "q35"]
    mbios = os.path.abspath(a.bios or mbtest.default_bios())
    for f in (mbios, a.seabios):
        if not os.path.exists(f):
            print("bench: %s not found" % f, file=sys.stderr)
            return 1
    floor = mbtest.build_floor()
    disk = os.path.join(mbtest.OUT, "bench-exit.img")
    sector = open(mbtest.build_bootprog("exit"), "rb").read()
    with mbtest._build_lock:
        mbtest.make_sector_disk(disk, sector, size_bytes=1 << 20)

    firmwares = [("mbios", mbios), ("SeaBIOS", a.seabios), ("floor", floor)]
    times = {(m, n): [] for m in machines for n, _ in firmwares}
    for _ in range(2):      # warm the page cache; not counted
        for m in machines:
            for n, f in firmwares:
                one_run(f, m, disk)
    for i in range(a.runs):
        for m in machines:
            for n, f in firmwares:
                times[(m, n)].append(one_run(f, m, disk))
        print("bench: round %d/%d done" % (i + 1, a.runs), file=sys.stderr)

    med = {k: statistics.median(v) for k, v in times.items()}
    head = ["machine", "mbios (ms)", "SeaBIOS (ms)", "floor (ms)",
            "mbios/SeaBIOS", "mbios/floor", "mbios-floor (ms)", "SeaBIOS-floor (ms)"]
    rows = []
    for m in machines:
        mb, sb, fl = med[(m, "mbios")], med[(m, "SeaBIOS")], med[(m, "floor")]
        rows.append([m, "%.1f" % (mb * 1e3), "%.1f" % (sb * 1e3), "%.1f" % (fl * 1e3),
                     "%.2f" % (mb / sb), "%.2f" % (mb / fl),
                     "%.1f" % ((mb - fl) * 1e3), "%.1f" % ((sb - fl) * 1e3)])
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    fmt = "  ".join("%%%ds" % w for w in widths)
    print("Time from QEMU launch to boot-sector hand-off (TCG, median of %d runs, "
          "interleaved)" % a.runs)
    print(fmt % tuple(head))
    for r in rows:
        print(fmt % tuple(r))
    print("mbios: %s\nSeaBIOS: %s\nfloor: empty 64 KiB firmware (reset vector exits)"
          % (mbios, a.seabios))
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("# Boot-time benchmark\n\n")
            f.write("QEMU launch to boot-sector hand-off under TCG, median of %d "
                    "interleaved runs, %s.\n\n" % (
                        a.runs, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")))
            f.write("| " + " | ".join(head) + " |\n")
            f.write("|" + "|".join("---" for _ in head) + "|\n")
            for r in rows:
                f.write("| " + " | ".join(r) + " |\n")
            f.write("\nfloor: an empty 64 KiB firmware whose reset vector writes to "
                    "isa-debug-exit, i.e. QEMU's own start-up and exit cost.\n")
        print("bench: wrote %s" % a.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
