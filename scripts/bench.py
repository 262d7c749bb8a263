#!/usr/bin/python3
"""Boot-time benchmark under TCG: firmware start-up, the cost of measured
boot, and TPM round-trips.

1. Boot-sector hand-off.  For each machine (pc, q35) and firmware (mbios =
   out/bios.bin, Debian's SeaBIOS, and an "empty firmware" floor whose
   reset vector exits at once) it boots a disk whose boot sector's first
   instruction writes to isa-debug-exit, and takes the wall time from
   starting QEMU to QEMU's exit.  Prints medians and the ratios
   mbios/SeaBIOS and mbios/floor.  The same from a CD-ROM (ide-cd: PIIX IDE
   on pc, AHCI on q35) whose El Torito no-emulation boot image is that
   sector, for mbios and SeaBIOS.
2. Measured direct boot.  mbios boots the test kernel and initrd
   (-kernel/-initrd/-append) without a TPM, with a TPM 2.0 with the SHA-256
   bank only and with all four banks (swtpm); the time is from starting
   QEMU to the firmware's "Booting from" line on the debug port, i.e. the
   jump to the kernel, so the difference is what measuring costs (mostly
   hashing the kernel and initrd once per bank).
3. TPM round-trips (one command sent and answered) of start-up and of the
   hand-off lock: in QEMU from the firmware's debug lines "tpm: TPM x ready
   after N round-trips" and "tpm: locked for the OS after N round-trips"
   (cumulative, so the second includes the PCR extends of the boot), for
   TPM 2.0 TIS, TPM 2.0 CRB and TPM 1.2 TIS; and at unit level from
   out/unit/tpm_roundtrips --print (tpm_setup and tpm_prepare_boot alone on
   the libtpms fake; built with make).

Runs of 1 and 2 are interleaved (round-robin over all configurations, N
rounds) so that a busy moment on the host hits every configuration alike.

  scripts/bench.py [-n 7] [--bios out/bios.bin] [--seabios FILE]
                   [--machine pc --machine q35] [--no-tpm] [--markdown FILE]

This is a benchmark, not a test: nothing fails because it is slow.  It
fails only if a run does not reach the hand-off (wrong exit status, or no
"Booting from" line).
"""

import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "test", "qemu"))
import mbtest  # noqa: E402


def one_run(bios, machine, disk, timeout=60, cdrom=False):
    argv = [mbtest.QEMU, "-accel", "tcg", "-machine", machine, "-m", "512",
            "-nodefaults", "-display", "none", "-no-reboot", "-serial", "none",
            "-bios", bios,
            "-device", "isa-debug-exit,iobase=0x%x,iosize=1" % mbtest.EXIT_PORT]
    argv += mbtest.Disk(disk, "ide", cdrom=cdrom).args(0, machine)
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=timeout)
    dt = time.perf_counter() - t0
    # isa-debug-exit makes QEMU exit with (value << 1) | 1: always odd.
    if p.returncode % 2 != 1:
        raise SystemExit("bench: %s on %s did not reach the boot sector (exit %d)\n%s"
                         % (bios, machine, p.returncode, p.stderr.decode(errors="replace")))
    return dt


HANDOFF = b"Booting from"
READY_RE = re.compile(r"tpm: TPM (\S+) ready after (\d+) round-trips")
LOCKED_RE = re.compile(r"tpm: locked for the OS after (\d+) round-trips")


class DirectBoot:
    """Direct kernel boot to the firmware's jump to the kernel, with or
    without a TPM.  tpm is None or (version, banks, iface)."""

    def __init__(self, label, machine, tpm, workdir):
        self.label, self.machine, self.tpm = label, machine, tpm
        self.swtpm = None
        if tpm:
            version, banks, _ = tpm
            d = os.path.join(workdir, re.sub(r"\W+", "-", "%s-%s" % (machine, label)))
            os.makedirs(d, exist_ok=True)
            # level 1: the per-command hex dumps of the tests would slow swtpm
            self.swtpm = mbtest.Swtpm(d, version=version, banks=banks, loglevel=1)
            self.swtpm.setup()

    def run(self, bios, timeout=120):
        """Returns (seconds to the hand-off, debug-port text)."""
        argv = [mbtest.QEMU, "-accel", "tcg", "-machine", self.machine, "-m", "512",
                "-nodefaults", "-display", "none", "-no-reboot", "-serial", "none",
                "-bios", bios, "-chardev", "stdio,id=dbg",
                "-device", "isa-debugcon,iobase=0x%x,chardev=dbg" % mbtest.DEBUG_PORT,
                "-kernel", mbtest.find_kernel(), "-initrd", mbtest.build_initramfs(),
                "-append", mbtest.KERNEL_CMDLINE + " mbt.boot=direct"]
        if self.swtpm:
            self.swtpm.start()
            argv += self.swtpm.qemu_args(self.tpm[2])
        out = b""
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        try:
            deadline = t0 + timeout
            while HANDOFF not in out and time.perf_counter() < deadline:
                chunk = p.stdout.read1(4096)
                if not chunk:
                    break
                out += chunk
            dt = time.perf_counter() - t0
        finally:
            p.kill()
            p.wait()
            p.stdout.close()
            if self.swtpm:
                self.swtpm.stop()
        text = out.decode(errors="replace")
        if HANDOFF not in out:
            raise SystemExit("bench: %s on %s (%s) did not reach the kernel hand-off\n%s"
                             % (bios, self.machine, self.label, text[-2000:]))
        return dt, text


def tpm_counts(text):
    """(TPM version, start-up round-trips, round-trips at the lock) from a
    debug log, or Nones."""
    m, l = READY_RE.search(text), LOCKED_RE.search(text)
    return (m.group(1) if m else None, int(m.group(2)) if m else None,
            int(l.group(1)) if l else None)


def unit_roundtrips():
    """{config: (setup, handoff)} from out/unit/tpm_roundtrips --print,
    built with make; (None, message) when that is not possible."""
    exe = os.path.join(mbtest.REPO, "out", "unit", "tpm_roundtrips")
    r = subprocess.run(["make", "-s", "out/unit/tpm_roundtrips"], cwd=mbtest.REPO,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode != 0 or not os.path.exists(exe):
        return None, "could not build out/unit/tpm_roundtrips:\n" + r.stdout.decode(
            errors="replace")[-1500:]
    r = subprocess.run([exe, "--print"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    counts = {}
    for line in r.stdout.decode().splitlines():
        f = line.split()
        if len(f) == 7 and f[1] == "setup" and f[3] == "handoff":
            counts[f[0]] = (int(f[2]), int(f[4]))
    note = None
    if r.returncode != 0:
        note = "tpm_roundtrips: counts outside its bounds: " + r.stderr.decode().strip()
    return counts, note


def table(head, rows):
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    fmt = "  ".join("%%%ds" % w for w in widths)
    return "\n".join([fmt % tuple(head)] + [fmt % tuple(r) for r in rows])


def md_table(head, rows):
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
                     + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


TPM_CONFIGS = [("no TPM", None), ("TPM 2.0 sha256", (2, "sha256", "tis")),
               ("TPM 2.0 4 banks", (2, "all", "tis"))]
# Once each, for the round-trip counts only (TIS 2.0 comes from the timed runs).
COUNT_CONFIGS = [("tpm2-crb", "q35", (2, "all", "crb")), ("tpm12-tis", "pc", (1, "sha1", "tis"))]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=7, help="runs per configuration (7)")
    ap.add_argument("--bios", default=None, help="mbios image (default $MBIOS_BIOS or out/bios.bin)")
    ap.add_argument("--seabios", default=mbtest.SEABIOS)
    ap.add_argument("--machine", action="append", choices=["pc", "q35"])
    ap.add_argument("--markdown", metavar="FILE", help="also write the tables as markdown")
    ap.add_argument("--no-tpm", action="store_true",
                    help="only the boot-sector benchmark (no measured boot, no round-trips)")
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
        cd = mbtest.boot_sector_iso(os.path.join(mbtest.OUT, "bench-exit.iso"), sector)

    # The firmware may be rebuilt by someone else while this runs: use a copy.
    tmpdir = tempfile.mkdtemp(prefix="bench-", dir=mbtest.OUT)
    shutil.copyfile(mbios, os.path.join(tmpdir, "bios.bin"))
    mbios_label, mbios = mbios, os.path.join(tmpdir, "bios.bin")
    try:
        return run_bench(a, machines, mbios, mbios_label, floor, disk, tmpdir, cd)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def run_bench(a, machines, mbios, mbios_label, floor, disk, tmpdir, cd):
    firmwares = [("mbios", mbios), ("SeaBIOS", a.seabios), ("floor", floor)]
    times = {(m, n): [] for m in machines for n, _ in firmwares}
    cdtimes = {(m, n): [] for m in machines for n, _ in firmwares[:2]}
    direct = [] if a.no_tpm else [DirectBoot(label, m, tpm, tmpdir)
                                  for m in machines for label, tpm in TPM_CONFIGS]
    dtimes = {(d.machine, d.label): [] for d in direct}
    counts = {}
    for _ in range(2):      # warm the page cache; not counted
        for m in machines:
            for n, f in firmwares:
                one_run(f, m, disk)
        for d in direct:
            d.run(mbios)
    for i in range(a.runs):
        for m in machines:
            for n, f in firmwares:
                times[(m, n)].append(one_run(f, m, disk))
            for n, f in firmwares[:2]:
                cdtimes[(m, n)].append(one_run(f, m, cd, cdrom=True))
        for d in direct:
            dt, text = d.run(mbios)
            dtimes[(d.machine, d.label)].append(dt)
            if d.tpm and d.tpm[1] == "all":
                counts.setdefault("tpm2-tis", (d.machine, tpm_counts(text)))
        print("bench: round %d/%d done" % (i + 1, a.runs), file=sys.stderr)
    if not a.no_tpm:
        for name, machine, tpm in COUNT_CONFIGS:
            _, text = DirectBoot(name, machine, tpm, tmpdir).run(mbios)
            counts[name] = (machine, tpm_counts(text))

    med = {k: statistics.median(v) for k, v in times.items()}
    head = ["machine", "mbios (ms)", "SeaBIOS (ms)", "floor (ms)",
            "mbios/SeaBIOS", "mbios/floor", "mbios-floor (ms)", "SeaBIOS-floor (ms)"]
    rows = []
    for m in machines:
        mb, sb, fl = med[(m, "mbios")], med[(m, "SeaBIOS")], med[(m, "floor")]
        rows.append([m, "%.1f" % (mb * 1e3), "%.1f" % (sb * 1e3), "%.1f" % (fl * 1e3),
                     "%.2f" % (mb / sb), "%.2f" % (mb / fl),
                     "%.1f" % ((mb - fl) * 1e3), "%.1f" % ((sb - fl) * 1e3)])
    print("Time from QEMU launch to boot-sector hand-off (TCG, median of %d runs, "
          "interleaved)" % a.runs)
    print(table(head, rows))
    print("mbios: %s\nSeaBIOS: %s\nfloor: empty 64 KiB firmware (reset vector exits)"
          % (mbios_label, a.seabios))
    md = ["QEMU launch to boot-sector hand-off under TCG, median of %d interleaved runs, "
          "%s.\n\n" % (a.runs, datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")),
          md_table(head, rows),
          "\nfloor: an empty 64 KiB firmware whose reset vector writes to isa-debug-exit, "
          "i.e. QEMU's own start-up and exit cost.\n"]

    cmed = {k: statistics.median(v) for k, v in cdtimes.items()}
    chead = ["machine", "mbios (ms)", "SeaBIOS (ms)", "mbios/SeaBIOS", "mbios-floor (ms)",
             "SeaBIOS-floor (ms)"]
    crows = [[m, "%.1f" % (cmed[(m, "mbios")] * 1e3), "%.1f" % (cmed[(m, "SeaBIOS")] * 1e3),
              "%.2f" % (cmed[(m, "mbios")] / cmed[(m, "SeaBIOS")]),
              "%.1f" % ((cmed[(m, "mbios")] - med[(m, "floor")]) * 1e3),
              "%.1f" % ((cmed[(m, "SeaBIOS")] - med[(m, "floor")]) * 1e3)] for m in machines]
    print()
    print("Time from QEMU launch to the boot image of an El Torito CD (ide-cd, no emulation; "
          "TCG, median of %d runs, interleaved)" % a.runs)
    print(table(chead, crows))
    md += ["\n## From a CD-ROM\n\nQEMU launch to the El Torito boot image (the same sector, "
           "no emulation) on an ide-cd drive (PIIX IDE on pc, AHCI on q35), median of %d "
           "interleaved runs; floor as above.\n\n" % a.runs, md_table(chead, crows)]

    if not a.no_tpm:
        dmed = {k: statistics.median(v) for k, v in dtimes.items()}
        labels = [l for l, _ in TPM_CONFIGS]
        dhead = ["machine"] + ["%s (ms)" % l for l in labels] + [
            "cost: %s (ms)" % l for l in labels[1:]]
        drows = []
        for m in machines:
            base = dmed[(m, labels[0])]
            drows.append([m] + ["%.1f" % (dmed[(m, l)] * 1e3) for l in labels] +
                         ["+%.1f (x%.2f)" % ((dmed[(m, l)] - base) * 1e3, dmed[(m, l)] / base)
                          for l in labels[1:]])
        print()
        print("mbios direct kernel boot, QEMU launch to the jump to the kernel (TCG, median "
              "of %d runs, interleaved): the cost of measured boot" % a.runs)
        print(table(dhead, drows))
        kernel, initrd = mbtest.find_kernel(), mbtest.build_initramfs()
        sizes = "kernel %s (%d KiB), initrd %d KiB, measured once per PCR bank" % (
            kernel, os.path.getsize(kernel) >> 10, os.path.getsize(initrd) >> 10)
        print(sizes)

        unit, unit_note = unit_roundtrips()
        rhead = ["TPM", "QEMU: machine", "QEMU: start-up", "QEMU: at hand-off (cumulative)",
                 "unit: start-up", "unit: hand-off", "PCR extends (derived)"]
        rrows = []
        for name in ("tpm2-tis", "tpm2-crb", "tpm12-tis"):
            machine, (ver, ready, locked) = counts.get(name, ("-", (None, None, None)))
            u = (unit or {}).get(name, (None, None))
            ext = None if None in (ready, locked, u[1]) else locked - ready - u[1]
            rrows.append([name, machine] + ["-" if v is None else str(v)
                                            for v in (ready, locked, u[0], u[1], ext)])
        print()
        print("TPM round-trips (commands sent and answered): QEMU from the firmware's debug "
              "port (the hand-off count includes the boot's PCR extends), unit from "
              "out/unit/tpm_roundtrips (tpm_setup, tpm_prepare_boot alone); PCR extends = "
              "QEMU at hand-off - QEMU start-up - unit hand-off")
        print(table(rhead, rrows))
        if unit_note:
            print("bench: " + unit_note)
        md += ["\n## The cost of measured boot\n\n",
               "mbios direct kernel boot, QEMU launch to the jump to the kernel, median of "
               "%d interleaved runs; %s.\n\n" % (a.runs, sizes), md_table(dhead, drows),
               "\n## TPM round-trips\n\n",
               "Commands sent and answered. QEMU: from the firmware's debug port (the count "
               "at hand-off is cumulative and includes the boot's PCR extends); unit: "
               "`out/unit/tpm_roundtrips --print` (tpm_setup and tpm_prepare_boot alone, on "
               "the libtpms fake); PCR extends = QEMU at hand-off - QEMU start-up - unit "
               "hand-off.\n\n", md_table(rhead, rrows)]
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("# Boot-time benchmark\n\n" + "".join(md))
        print("bench: wrote %s" % a.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
