#!/usr/bin/python3
"""Boot-time benchmark under TCG: firmware time with and without a TPM,
against SeaBIOS and an empty-firmware floor, where the time goes, hash
throughput, the cost of a measured direct boot, and memory footprint.

1. Boot-sector hand-off, three-way.  For each machine (pc, q35) and TPM
   configuration (none; TPM 2.0 over TIS and over CRB with swtpm's four
   banks; TPM 1.2 over TIS) it boots a disk whose boot sector's first
   instruction writes to isa-debug-exit with mbios (out/bios.bin), Debian's
   SeaBIOS and the "floor" (an empty firmware whose reset vector exits at
   once, with the same devices, so QEMU's and swtpm's own costs are in it),
   and takes the wall time from the machine's start (QMP "cont" to a QEMU
   started with -S) to QEMU's exit.  Firmware time =
   firmware - floor; the ratio is mbios's firmware time over SeaBIOS's.
   Medians of N interleaved rounds.  One more configuration per machine,
   "none (CD-ROM)": the same sector as the no-emulation El Torito boot
   image of a CD on an ide-cd drive (PIIX IDE on pc, AHCI on q35), no TPM.
   With a TPM, the same runs' "locked for the OS" debug line gives the
   time mbios spent polling the TPM with nothing else to do: the most
   that overlapping more work with TPM commands could save.
2. Timeline.  From mbios's own debug-port timestamps (microseconds since
   the machine started), in three more runs per configuration with fw_cfg
   opt/org.mbios/timeline (off in the timed runs: the lines cost time):
   the median time of each POST phase ("phase:" lines), of the TPM
   start-up and of every measurement; and the TPM round-trips with the
   median time each command took and the part of it spent polling.
3. Hash throughput: the firmware's hash-bench (fw_cfg
   opt/org.mbios/hash-bench) hashes 1 MiB with every algorithm, with the
   i386 code and with the 64-bit code, under TCG.
4. Measured direct boot: mbios boots the test kernel and initrd with a
   TPM 2.0 with different bank sets; the firmware's "kernel and initrd
   measured in N us" line gives the measuring time.
5. Memory footprint: the e820 map Linux prints, for mbios and SeaBIOS:
   reserved below 1 MiB (EBDA and the BIOS area) and the reserved/ACPI
   zone at the top of low RAM.
6. What QEMU's TCG charges: tiny firmwares of our own time one unit of
   each kind of work (a translated instruction, a translated block, an
   instruction run again, a port read, a memory-map change), and QEMU's
   -d in_asm log counts what each firmware makes it translate in each
   configuration of part 1, priced at those unit costs.

  scripts/bench.py [-n 7] [--bios out/bios.bin] [--seabios FILE]
                   [--machine pc --machine q35] [--no-tpm] [--quick]
                   [--baseline OLD-BIOS] [--markdown FILE]

This is a benchmark, not a test: nothing fails because it is slow.  It
fails only if a run does not reach the hand-off.
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
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "test", "qemu"))
import mbtest  # noqa: E402



def qemu_argv(machine, bios, debug_chardev):
    """QEMU under TCG with 512 MiB, no default devices, no display or
    serial port, the firmware's debug port on chardev `debug_chardev`
    (id dbg)."""
    return [mbtest.QEMU, "-accel", "tcg", "-machine", machine, "-m", "512",
            "-nodefaults", "-display", "none", "-no-reboot", "-serial", "none",
            "-bios", bios, "-chardev", debug_chardev,
            "-device", "isa-debugcon,iobase=0x%x,chardev=dbg" % mbtest.DEBUG_PORT]


TPM_SETUPS = {            # name: (version, banks, interface)
    "none": None,
    "tpm2-tis": (2, "all", "tis"),
    "tpm2-crb": (2, "all", "crb"),
    "tpm12-tis": (1, "sha1", "tis"),
}


class SectorBoot:
    """One configuration of part 1: a machine, a TPM setup, and a fresh
    swtpm started for every run (its start is not timed)."""

    def __init__(self, machine, tpm_name, disk, workdir, cdrom=False):
        self.machine, self.tpm_name, self.disk = machine, tpm_name, disk
        self.cdrom = cdrom
        self.label = tpm_name + (" (CD-ROM)" if cdrom else "")
        self.tpm = TPM_SETUPS[tpm_name]
        self.swtpm = None
        self.dbg = os.path.join(workdir, "%s-%s%s.debug" % (machine, tpm_name,
                                                            "-cd" if cdrom else ""))
        if self.tpm:
            version, banks, _ = self.tpm
            d = os.path.join(workdir, "%s-%s" % (machine, tpm_name))
            os.makedirs(d, exist_ok=True)
            # level 1: the per-command hex dumps of the tests would slow swtpm
            self.swtpm = mbtest.Swtpm(d, version=version, banks=banks, loglevel=1)
            self.swtpm.setup()

    def run(self, bios, timeout=60, retry_no_boot=False, timeline=False, extra=()):
        """(seconds from the machine's start to QEMU's exit, debug-port
        text).  QEMU starts paused (-S) and the clock starts with QMP
        "cont": QEMU's own start-up and the TPM backend's initialisation
        (hundreds of ms for a TPM 1.2 swtpm, and varying) stay out of it.
        retry_no_boot: give up at once (NoBoot) when the firmware says it
        found no boot device, for a baseline that may miss the disk.
        timeline: ask mbios for its timeline lines (fw_cfg
        opt/org.mbios/timeline), which cost time of their own."""
        if os.path.exists(self.dbg):
            os.unlink(self.dbg)
        qmp = self.dbg + ".qmp"
        argv = qemu_argv(self.machine, bios, "file,id=dbg,path=" + self.dbg) + [
            "-S", "-qmp", "unix:%s,server=on,wait=off" % qmp,
            "-device", "isa-debug-exit,iobase=0x%x,iosize=1" % mbtest.EXIT_PORT]
        argv += mbtest.Disk(self.disk, "ide", cdrom=self.cdrom).args(0, self.machine)
        if timeline:
            argv += ["-fw_cfg", "name=opt/org.mbios/timeline,string=1"]
        argv += list(extra)
        if self.swtpm:
            self.swtpm.start()
            argv += self.swtpm.qemu_args(self.tpm[2])
        p = None
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            sock = qmp_ready(qmp)
            t0 = time.perf_counter()
            sock.sendall(b'{"execute": "cont"}\n')
            if not retry_no_boot:
                # A blocking wait (Popen.wait with a timeout polls with
                # backoff, in steps of up to 50 ms); the timer ends a hang.
                watchdog = threading.Timer(timeout, p.kill)
                watchdog.start()
                p.wait()
                watchdog.cancel()
            while p.poll() is None:
                if time.perf_counter() - t0 > timeout or (
                        retry_no_boot and "No bootable device" in mbtest._read(self.dbg)):
                    p.kill()
                    p.wait()
                    keep = os.path.join(mbtest.OUT, "bench-failed.debug")
                    shutil.copyfile(self.dbg, keep)
                    raise NoBoot("bench: %s on %s (%s) did not reach the boot sector; its "
                                 "debug log: %s" % (bios, self.machine, self.tpm_name, keep))
                time.sleep(0.001)
            dt = time.perf_counter() - t0
            sock.close()
        finally:
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
            if self.swtpm:
                self.swtpm.stop()
        # isa-debug-exit makes QEMU exit with (value << 1) | 1: always odd.
        if p.returncode < 0 or p.returncode % 2 != 1:
            raise SystemExit("bench: %s on %s (%s) did not reach the boot sector (exit %d)"
                             % (bios, self.machine, self.tpm_name, p.returncode))
        return dt, mbtest._read(self.dbg)


TIMELINE_RUNS = 3


class NoBoot(Exception):
    pass


def qmp_ready(path, timeout=30):
    """A QMP connection to a paused QEMU, past the capabilities handshake."""
    sock = mbtest.qmp_connect(path, timeout)
    f = sock.makefile("rb")
    f.readline()                                    # greeting
    sock.sendall(b'{"execute": "qmp_capabilities"}\n')
    f.readline()                                    # {"return": {}}
    return sock


def timed_run(boot, name, bios, retries):
    """boot.run(bios); the baseline firmware (71c56df) sometimes misses the
    IDE disk (its reset-wait bug, fixed since): such a run is repeated, and
    counted in retries[name]."""
    for _ in range(5):
        try:
            return boot.run(bios, retry_no_boot=name == "baseline")
        except NoBoot as e:
            if name != "baseline":
                raise SystemExit(str(e))
            retries[name] = retries.get(name, 0) + 1
    raise SystemExit("bench: the baseline missed its boot disk five times in a row")


STAMP_RE = re.compile(r"^\[\s*(\d+)\.(\d+)\] (.*)$", re.M)
CMD_RE = re.compile(r"tpm: command (0x[0-9a-f]+): 0x[0-9a-f]+ in (\d+) us(?:, (\d+) waiting)?")
WAITED_RE = re.compile(r"tpm: locked for the OS after \d+ round-trips, (\d+) us waiting")
CMD_NAMES = {0x144: "Startup", 0x142: "IncrementalSelfTest", 0x143: "SelfTest",
             0x17A: "GetCapability", 0x182: "PCR_Extend", 0x13C: "PCR_Event",
             0x17B: "GetRandom", 0x129: "HierarchyChangeAuth", 0x99: "TPM_Startup",
             0x4000000A: "TSC_PhysicalPresence", 0x4000000B: "TSC_ResetEstablishmentBit",
             0x65: "TPM_GetCapability", 0x50: "TPM_SelfTestFull", 0x14: "TPM_Extend",
             0x53: "TPM_ContinueSelfTest"}


def timeline(text):
    """From a debug log: ([(step, ms)] in order, the last timestamp, and
    [(measurement, ms)]).  The time from one timestamped line to the next
    is charged to the step the last "phase:" line started; in the tpm
    phase, from "tcg: log at" on, to measuring POST (the image, SMBIOS,
    ACPI).  The first step runs from the machine's start (QEMU's reset)
    to the first line.  A measurement's time runs from the line before its
    "tcg: measured" line: hashing, the extend and the log entry."""
    steps, meas, cur, last = {}, [], "reset, platform and fw_cfg set-up", 0.0
    before = 0.0    # the last line that is not a TPM command's
    for m in STAMP_RE.finditer(text):
        t = int(m.group(1)) + int(m.group(2)) / 1000.0
        steps[cur] = steps.get(cur, 0.0) + t - last
        line = m.group(3)
        if line.startswith("tcg: measured "):
            meas.append((line[len("tcg: measured "):], t - before))
        if not line.startswith("tpm: command "):
            before = t
        last = t
        if line.startswith("phase: "):
            cur = line[7:]
        elif line.startswith("tcg: log at"):
            cur = "tpm: measuring POST (image, SMBIOS, ACPI)"
    return list(steps.items()), last, meas


def tpm_commands(text):
    """[(command name, us, us of it the firmware spent polling)] in order
    (waiting 0 from firmwares that do not print it)."""
    return [(CMD_NAMES.get(int(c, 16), c), int(us), int(w or 0))
            for c, us, w in CMD_RE.findall(text)]


def hash_bench(bios, machine, workdir, kib=1024):
    """{(mode, alg): KiB per ms} from the firmware's hash-bench."""
    arg = os.path.join(workdir, "hash-bench-kib")
    with open(arg, "w") as f:
        f.write(str(kib))
    dbg = os.path.join(workdir, "hash-bench.debug")
    argv = qemu_argv(machine, bios, "file,id=dbg,path=" + dbg) + [
        "-fw_cfg", "name=opt/org.mbios/hash-bench,file=" + arg]
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    res = {}
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = mbtest._read(dbg)
            res = {(m, a): int(k) / (int(us) / 1000.0) for m, a, k, us in re.findall(
                r"hash-bench: (\S+) (\S+) (\d+) KiB in (\d+) us", text)}
            if "phase: legacy devices" in text:
                break
            time.sleep(0.2)
    finally:
        p.kill()
        p.wait()
    return res


# Part 6: what QEMU's TCG charges for the kinds of work a firmware does,
# from tiny firmwares of our own.  Each is 64 KiB: the reset vector jumps to
# F000:0000, where the code under test runs in real mode and ends with the
# isa-debug-exit write; "empty" has no code in between.  N is the work
# count; the difference to "empty" over N is the unit cost.
ADD_EAX_1 = b"\x66\x83\xc0\x01"            # add $1, %eax
JMP_NEXT = b"\xeb\x00"                       # jmp to the next instruction
COST_N = 4000


def _loop(count, body):
    """mov $count, %ecx; 1: body; dec %ecx; jnz 1b"""
    back = -(len(body) + 4) & 0xff
    return b"\x66\xb9" + count.to_bytes(4, "little") + body + b"\x66\x49\x75" + bytes([back])


def _pci_cfg(reg, body):
    """Select host-bridge config dword `reg` at 0xcf8, DX = 0xcfc, then body."""
    return (b"\x66\xb8" + (0x80000000 | reg).to_bytes(4, "little") +
            b"\xba\xf8\x0c\x66\xef\xba\xfc\x0c" + body)


# i440FX PAM5/6 (0x5c-0x5f): 0xC8000-0xCFFFF between ROM and RAM, one
# memory-map change per write; 0x3c (interrupt line/pin/bridge control,
# unused by the host bridge) is the same write without the change.
_PAM_TOGGLE = (b"\x66\xb8\x33\x33\x33\x33\x66\xef"   # mov $0x33333333, %eax; out
               b"\x66\x31\xc0\x66\xef")                 # xor %eax, %eax; out
COST_WORK = {  # name: (code, units, what a unit is)
    "empty": (b"", 1, None),
    "straight": (ADD_EAX_1 * COST_N, COST_N,
                 "guest instruction translated (straight-line code, run once)"),
    "blocks": ((ADD_EAX_1 + JMP_NEXT) * (COST_N // 2), COST_N // 2,
               "translated block (2 instructions each, run once)"),
    "loop": (_loop(250 * COST_N, ADD_EAX_1), 250 * COST_N * 3,
             "guest instruction run again (a 3-instruction loop)"),
    "port": (_loop(COST_N, b"\xe4\x61"), COST_N, "port read (in $0x61: PIT/speaker status)"),
    "memmap": (_pci_cfg(0x5C, _loop(COST_N // 40, _PAM_TOGGLE)), COST_N // 20,
               "memory-map change (i440FX PAM write)"),
    "cfgwrite": (_pci_cfg(0x3C, _loop(COST_N // 40, _PAM_TOGGLE)), COST_N // 20,
                 "PCI config write without a memory-map change"),
}


def cost_image(code):
    img = bytearray(b"\xff" * 65536)
    code += b"\xe6" + bytes([mbtest.EXIT_PORT]) + b"\xfa\xf4"   # out %al, $EXIT; cli; hlt
    img[:len(code)] = code
    img[0xfff0:0xfff5] = b"\xea\x00\x00\x00\xf0"                # ljmp $0xf000, $0
    return bytes(img)


def cost_model(disk, workdir, runs):
    """{name: (ns per unit, what a unit is)}: medians over `runs` interleaved
    rounds on pc; the unit costs of blocks, loop and port are net of the
    instructions they also run, and memmap's of the config write itself."""
    files = {}
    for name, (code, _, _) in COST_WORK.items():
        files[name] = os.path.join(workdir, "cost-%s.bin" % name)
        with open(files[name], "wb") as f:
            f.write(cost_image(code))
    boot = SectorBoot("pc", "none", disk, workdir)
    times = {n: [] for n in files}
    for _ in range(runs):
        for n, f in files.items():
            times[n].append(boot.run(f)[0] * 1e6)
    med = {n: (statistics.median(v) - statistics.median(times["empty"])) * 1e3
           for n, v in times.items()}
    per = {n: med[n] / COST_WORK[n][1] for n in files if n != "empty"}
    insn, run = per["straight"], per["loop"]
    per["blocks"] -= 2 * insn
    per["port"] -= 2 * run                   # the loop's dec and jnz
    per["memmap"] -= per["cfgwrite"]
    return {n: (per[n], COST_WORK[n][2]) for n in per}


def translated(boot, bios):
    """(translated blocks, guest instructions) of one boot, from QEMU's
    -d in_asm log: every block TCG translated, with its instructions."""
    log = os.path.join(os.path.dirname(boot.dbg), "in_asm.log")
    if os.path.exists(log):
        os.unlink(log)
    boot.run(bios, extra=["-d", "in_asm", "-D", log])
    blocks = insns = 0
    with open(log, errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                blocks += 1
            elif line.startswith("0x"):
                insns += 1
    return blocks, insns


class DirectBoot:
    """Part 4: a direct kernel boot to the firmware's jump to the kernel,
    with a TPM 2.0 whose active banks are `banks`."""

    def __init__(self, machine, banks, workdir):
        self.machine, self.banks = machine, banks
        d = os.path.join(workdir, re.sub(r"\W+", "-", "direct-%s-%s" % (machine, banks)))
        os.makedirs(d, exist_ok=True)
        self.swtpm = mbtest.Swtpm(d, version=2, banks=banks, loglevel=1)
        self.swtpm.setup()

    def run(self, bios, timeout=120):
        """Measuring time in ms from the firmware's own line."""
        argv = qemu_argv(self.machine, bios, "stdio,id=dbg") + [
                "-kernel", mbtest.find_kernel(), "-initrd", mbtest.build_initramfs(),
                "-append", mbtest.KERNEL_CMDLINE + " mbt.boot=direct"]
        self.swtpm.start()
        argv += self.swtpm.qemu_args("tis")
        out = b""
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        try:
            deadline = time.perf_counter() + timeout
            while b"kernel and initrd measured" not in out and time.perf_counter() < deadline:
                chunk = p.stdout.read1(4096)
                if not chunk:
                    break
                out += chunk
            while b"\n" not in out.split(b"kernel and initrd measured")[-1]:
                chunk = p.stdout.read1(4096)
                if not chunk:
                    break
                out += chunk
        finally:
            p.kill()
            p.wait()
            p.stdout.close()
            self.swtpm.stop()
        m = re.search(rb"kernel and initrd measured in (\d+) us \((\S+)\)", out)
        if not m:
            raise SystemExit("bench: direct boot on %s (%s) measured no kernel\n%s"
                             % (self.machine, self.banks, out.decode(errors="replace")[-2000:]))
        return int(m.group(1)) / 1000.0, m.group(2).decode()


# The test guest prints the e820 map (test/qemu/guest-init.sh).
E820_RE = re.compile(r"MBT e820 \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (.*)")


def footprint(bios, machine, workdir):
    """(KiB reserved below 1 MiB outside the VGA/ROM hole, KiB reserved or
    ACPI at the top of low RAM, EBDA KiB) from the e820 map the guest
    prints."""
    d = os.path.join(workdir, "e820-%s-%s" % (machine, os.path.basename(bios)))
    os.makedirs(d, exist_ok=True)
    r = mbtest.boot_linux(d, bios=bios, machine=machine, timeout=180)
    low = high = ebda = 0
    for a, b, kind in E820_RE.findall(r.serial):
        a, b = int(a, 16), int(b, 16) + 1
        if kind.strip() == "usable":
            continue
        if b <= 0x100000:
            # The 0xA0000-0xBFFFF hole is not RAM with either firmware.
            size = (b - a) - max(0, min(b, 0xC0000) - max(a, 0xA0000))
            low += size
            if b <= 0xA0000:
                ebda += b - a
        elif a < 0x100000000 and b > 0x1000000 and b < 0xB0000000:
            high += b - a
    return low >> 10, high >> 10, ebda >> 10


def table(head, rows):
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    fmt = "  ".join("%%%ds" % w for w in widths)
    return "\n".join([fmt % tuple(head)] + [fmt % tuple(r) for r in rows])


def md_table(head, rows):
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
                     + ["| " + " | ".join(r) + " |" for r in rows]) + "\n"


class Report:
    """Prints each section and keeps its markdown."""

    def __init__(self):
        self.md = []

    def section(self, title, intro, head, rows, note=None):
        print("\n== %s\n%s" % (title, intro))
        print(table(head, rows))
        if note:
            print(note)
        self.md += ["\n## %s\n\n%s\n\n" % (title, intro), md_table(head, rows)]
        if note:
            self.md.append("\n%s\n" % note)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=7, help="rounds (7)")
    ap.add_argument("--bios", default=None, help="mbios image (default $MBIOS_BIOS or out/bios.bin)")
    ap.add_argument("--seabios", default=mbtest.SEABIOS)
    ap.add_argument("--baseline", metavar="FILE",
                    help="an earlier mbios image, timed alongside in part 1 (before/after)")
    ap.add_argument("--machine", action="append", choices=["pc", "q35"])
    ap.add_argument("--markdown", metavar="FILE", help="also write the tables as markdown")
    ap.add_argument("--no-tpm", action="store_true", help="part 1 without TPMs only")
    ap.add_argument("--quick", action="store_true",
                    help="skip the direct boots and the footprint (parts 4, 5)")
    a = ap.parse_args()
    machines = a.machine or ["pc", "q35"]
    mbios = os.path.abspath(a.bios or mbtest.default_bios())
    for f in (mbios, a.seabios) + ((a.baseline,) if a.baseline else ()):
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
    if a.baseline:
        firmwares.append(("baseline", os.path.abspath(a.baseline)))
    tpms = ["none"] if a.no_tpm else list(TPM_SETUPS)
    boots = [SectorBoot(m, t, disk, tmpdir) for m in machines for t in tpms]
    boots += [SectorBoot(m, "none", cd, tmpdir, cdrom=True) for m in machines]
    def runs_on(b):
        # The baseline predates CD-ROM support.
        return [(n, f) for n, f in firmwares if not (b.cdrom and n == "baseline")]
    times = {(b.machine, b.label, n): [] for b in boots for n, _ in runs_on(b)}
    logs = {(b.machine, b.label): [] for b in boots}
    waited = {(b.machine, b.label): [] for b in boots}
    retries = {}
    for b in boots:         # warm the page cache; not counted
        for n, f in runs_on(b):
            timed_run(b, n, f, retries)
    for i in range(a.runs):
        for b in boots:
            for n, f in runs_on(b):
                dt, text = timed_run(b, n, f, retries)
                times[(b.machine, b.label, n)].append(dt)
                m = WAITED_RE.search(text)
                if n == "mbios" and m:
                    waited[(b.machine, b.label)].append(int(m.group(1)) / 1000.0)
        print("bench: round %d/%d done" % (i + 1, a.runs), file=sys.stderr)
    # The timeline from runs of their own: its debug lines cost time.
    for _ in range(TIMELINE_RUNS):
        for b in boots:
            logs[(b.machine, b.label)].append(b.run(mbios, timeline=True)[1])
    rep = Report()
    # Medians, and minimums: QEMU under TCG now and then stalls a run by
    # 10-15 ms whatever the firmware (host page faults, thread scheduling),
    # so the best run of each is the firmware's own cost.
    med = {k: statistics.median(v) * 1e3 for k, v in times.items()}
    low = {k: min(v) * 1e3 for k, v in times.items()}

    def ratio(x, y):
        return "%.2f" % (x / y) if y > 0 else "-"
    head = ["machine", "TPM", "mbios (ms)", "SeaBIOS (ms)", "floor (ms)",
            "mbios firmware (ms)", "SeaBIOS firmware (ms)", "mbios/SeaBIOS",
            "mbios/SeaBIOS (best runs)"]
    rows, wrows = [], []
    if a.baseline:
        head += ["baseline firmware (ms)", "baseline/SeaBIOS", "baseline/SeaBIOS (best runs)"]
    for b in boots:
        key = lambda n: (b.machine, b.label, n)  # noqa: E731
        mb, sb, fl = (med[key(n)] for n in ("mbios", "SeaBIOS", "floor"))
        lmb, lsb, lfl = (low[key(n)] for n in ("mbios", "SeaBIOS", "floor"))
        rows.append([b.machine, b.label, "%.1f" % mb, "%.1f" % sb, "%.1f" % fl,
                     "%.1f" % (mb - fl), "%.1f" % (sb - fl), ratio(mb - fl, sb - fl),
                     ratio(lmb - lfl, lsb - lfl)])
        if waited[(b.machine, b.label)]:
            w = statistics.median(waited[(b.machine, b.label)])
            wrows.append([b.machine, b.label, "%.1f" % (mb - fl), "%.2f" % w,
                          "%.1f" % (mb - fl - w), ratio(mb - fl - w, sb - fl)])
        if a.baseline:
            if key("baseline") not in med:
                rows[-1] += ["-", "-", "-"]
            else:
                bl, lbl = med[key("baseline")], low[key("baseline")]
                rows[-1] += ["%.1f" % (bl - fl), ratio(bl - fl, sb - fl),
                             ratio(lbl - lfl, lsb - lfl)]
    stamp = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
    rep.section("Firmware time to the boot sector",
                "Machine start (QMP cont) to the boot sector's exit under TCG, median of %d interleaved "
                "rounds, %s. Firmware time = time - floor (an empty firmware with the same "
                "devices and TPM); the best-runs ratio uses each one's fastest run, free of "
                "QEMU's occasional 10-15 ms stalls. mbios: %s; SeaBIOS: %s. TPM 2.0: swtpm's four banks "
                "(SHA-1, SHA-256, SHA-384, SHA-512); TPM 1.2: SHA-1.%s"
                % (a.runs, stamp, mbios_label, a.seabios,
                   " baseline: %s (runs that missed the disk and were repeated: %d)."
                   % (a.baseline, retries.get("baseline", 0)) if a.baseline else ""),
                head, rows)

    # How much of part 1 is the firmware polling the TPM: the bound on what
    # any further overlap of work with TPM commands could save.
    if wrows:
        rep.section("Waiting for the TPM",
                    "Of the firmware time above, the time mbios spent polling the TPM for "
                    "answers with nothing else to do, from its start to the lock for the OS "
                    "(the `locked for the OS` debug line; median of the same runs). Were all "
                    "of it filled with other work, the firmware time would be what is left.",
                    ["machine", "TPM", "mbios firmware (ms)", "waiting (ms)",
                     "without the waiting (ms)", "that/SeaBIOS"], wrows)

    # Part 6 (here: it explains part 1): QEMU's unit costs, and what each
    # firmware makes TCG translate.
    cost = cost_model(disk, tmpdir, a.runs)
    rep.section("What QEMU's TCG charges",
                "Tiny firmwares of our own on pc (scripts/bench.py, COST_WORK), median of %d "
                "interleaved rounds minus the one with no work: the cost of one unit of each "
                "kind of work a firmware does." % a.runs,
                ["work", "ns per unit", "unit"],
                [[n, "%.1f" % ns, what] for n, (ns, what) in cost.items()])
    per_block, per_insn = cost["blocks"][0], cost["straight"][0]
    xrows = []
    for b in boots:
        fl = med[(b.machine, b.label, "floor")]
        for n, f in firmwares[:2]:
            blocks, insns = translated(b, f)
            est = (blocks * per_block + insns * per_insn) / 1e6
            fw_ms = med[(b.machine, b.label, n)] - fl
            xrows.append([b.machine, b.label, n, str(blocks), str(insns), "%.1f" % est,
                          "%.1f" % fw_ms, "%.0f%%" % (100.0 * est / fw_ms) if fw_ms > 0 else "-"])
    rep.section("Translation",
                "Blocks and guest instructions QEMU translated in one boot to the boot sector "
                "(-d in_asm), and what they cost at the unit costs above (a block's fixed cost "
                "plus each instruction's), next to the firmware time of part 1.",
                ["machine", "TPM", "firmware", "blocks", "instructions", "translation (ms)",
                 "firmware time (ms)", "share"], xrows)

    # Part 2: timeline and TPM commands, medians over the rounds.
    for b in boots:
        tls = [timeline(t) for t in logs[(b.machine, b.label)]]
        trows = []
        for n, _ in tls[0][0]:
            vals = [dict(tl[0]).get(n, 0.0) for tl in tls]
            trows.append([n, "%.2f" % statistics.median(vals)])
        trows.append(["total (to the last debug line)",
                      "%.2f" % statistics.median(tl[1] for tl in tls)])
        rep.section("Timeline: %s, %s" % (b.machine, b.label),
                    "mbios's own debug-port timestamps (PM timer, from the machine's start), "
                    "median ms per step over %d runs with the timeline on (its lines "
                    "included)." % TIMELINE_RUNS, ["step", "ms"], trows)
        if tls[0][2]:
            mrows = [[str(j + 1), ev, "%.2f" % statistics.median(
                tl[2][j][1] for tl in tls if len(tl[2]) > j)]
                for j, (ev, _) in enumerate(tls[0][2])]
            rep.section("Measurements: %s, %s" % (b.machine, b.label),
                        "Each measurement in order, median ms from the debug line before it "
                        "(hashing in every bank, the extend, the log entry, and any work "
                        "without a debug line in between).",
                        ["#", "measurement", "ms"], mrows)
        if b.tpm:
            cmds = [tpm_commands(t) for t in logs[(b.machine, b.label)]]
            crows = []
            for j, (name, _, _) in enumerate(cmds[0]):
                crows.append([str(j + 1), name] + [
                    "%d" % statistics.median(c[j][k] for c in cmds if len(c) > j)
                    for k in (1, 2)])
            total, waiting = (statistics.median(sum(x[k] for x in c) for c in cmds)
                              for k in (1, 2))
            rep.section("TPM round-trips: %s, %s" % (b.machine, b.label),
                        "Every command the firmware sent until the boot sector, in order, "
                        "with the median time from the first byte sent to the response "
                        "read (us), and how much of it the firmware spent polling the TPM "
                        "with nothing else to do. The start-up command and the POST "
                        "extends are sent ahead and collected later (docs/design.md): "
                        "their time includes the firmware's own work meanwhile.",
                        ["#", "command", "us", "waiting (us)"], crows,
                        "%d round-trips, %.1f ms from sending to collecting in all, "
                        "%.1f ms of it waiting: the most that overlapping more work "
                        "with the TPM could save" % (len(cmds[0]), total / 1000.0,
                                                     waiting / 1000.0))

    # Part 3: hash throughput.
    hb = hash_bench(mbios, machines[-1], tmpdir)
    algs = ["sha1", "sha256", "sha384", "sha512", "sm3_256"]
    hrows = [[alg] + ["%.0f" % hb[(m, alg)] if (m, alg) in hb else "-"
                      for m in ("32-bit", "64-bit")] for alg in algs]
    rep.section("Hash throughput under TCG",
                "The firmware's hash-bench (opt/org.mbios/hash-bench) on %s: 1 MiB per "
                "algorithm, KiB per ms, with the i386 code and with the 64-bit code in long "
                "mode (SM3 has no 64-bit code)." % machines[-1],
                ["algorithm", "i386 (KiB/ms)", "64-bit (KiB/ms)"], hrows)
    if a.no_tpm or a.quick:
        return finish(a, rep)

    # Part 4: measured direct boot per bank set.
    kernel, initrd = mbtest.find_kernel(), mbtest.build_initramfs()
    dboots = [DirectBoot(machines[-1], banks, tmpdir)
              for banks in ("sha256", "sha1,sha256", "all")]
    dres = {d.banks: [] for d in dboots}
    for _ in range(max(3, a.runs // 2)):
        for d in dboots:
            dres[d.banks].append(d.run(mbios))
    drows = [[d.banks, "%.0f" % statistics.median(ms for ms, _ in dres[d.banks]),
              dres[d.banks][0][1]] for d in dboots]
    rep.section("Measured direct boot",
                "mbios on %s with -kernel/-initrd/-append and a TPM 2.0 with these banks: "
                "the firmware's time to measure the kernel setup, kernel, initrd and command "
                "line (median of %d); kernel %s (%d KiB), initrd %d KiB."
                % (machines[-1], len(dres["all"]), os.path.basename(kernel),
                   os.path.getsize(kernel) >> 10, os.path.getsize(initrd) >> 10),
                ["banks", "measuring (ms)", "code"], drows)

    # Part 5: memory footprint.
    frows = []
    for m in machines:
        for n, f in firmwares[:2]:
            low, high, ebda = footprint(f, m, tmpdir)
            frows.append([m, n, str(ebda), str(low), str(high)])
    rep.section("Memory footprint",
                "From the e820 map Linux prints (direct boot, no TPM): KiB not usable "
                "below 1 MiB apart from the VGA hole (the EBDA below 640 KiB, and the BIOS "
                "area 0xC0000-0xFFFFF), and KiB reserved or ACPI at the top of low RAM "
                "(tables, TPM log, the firmware's high zone).",
                ["machine", "firmware", "EBDA (KiB)", "below 1 MiB (KiB)", "top of RAM (KiB)"],
                frows)
    return finish(a, rep)


def finish(a, rep):
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("# Boot-time benchmark (generated by scripts/bench.py)\n" + "".join(rep.md))
        print("bench: wrote %s" % a.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
