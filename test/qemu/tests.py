"""The mbios integration tests (run them with test/qemu/run-all.py).

Every test is a function taking a Ctx; it records what it checked with
ctx.check(cond, message).  A test passes when it recorded at least one check
and none failed.  Groups: bootsect, linux, grub, badinput, cdrom, tpm (and
within it tpmfault, pcrdiff, tpmvariant, passthrough), s3.
"""

import base64
import datetime
import hashlib
import os
import re
import struct
import subprocess
import time

import mbtest
from mbtest import Disk, Swtpm

TESTS = []


def test(name, groups, cost=1):
    """Register a test; cost is a rough run time in boots, for scheduling."""
    def reg(fn):
        TESTS.append((name, tuple(groups), cost, fn))
        return fn
    return reg


class Ctx:
    def __init__(self, name, bios):
        self.name = name
        self.bios = bios
        self.workdir = os.path.join(mbtest.RESULTS, name)
        os.makedirs(self.workdir, exist_ok=True)
        self.checks = []      # (ok, message)
        self.notes = []

    def check(self, ok, msg):
        self.checks.append((bool(ok), msg))
        return bool(ok)

    def note(self, msg):
        self.notes.append(msg)

    @property
    def failed(self):
        return [m for ok, m in self.checks if not ok]

    def sub(self, label):
        return SubCtx(self, label)


class SubCtx:
    """One of several boots in a test: its checks are the test's, prefixed
    with [label]; its files go to <test>/<label>/."""

    def __init__(self, parent, label):
        self.parent, self.label = parent, label
        self.name, self.bios = parent.name, parent.bios
        self.workdir = os.path.join(parent.workdir, label)
        os.makedirs(self.workdir, exist_ok=True)

    def check(self, ok, msg):
        return self.parent.check(ok, "[%s] %s" % (self.label, msg))

    def note(self, msg):
        self.parent.note("[%s] %s" % (self.label, msg))

    @property
    def failed(self):
        return self.parent.failed


def _require_run(ctx, r, what):
    """QEMU must not time out; on trouble add the log tails as a note."""
    ok = ctx.check(not r.timed_out, "%s: QEMU finished (%s)" % (what, r.describe()))
    if not ok:
        ctx.note(r.tail())
    return ok


# --------------------------------------------------------------------------
# a. boot-program tests of BIOS services
# --------------------------------------------------------------------------

SVC_CHECKS = [
    "boot_drive_is_hard_disk", "bda_hard_disks", "int13_08_geometry",
    "int13_02_sector1", "int13_02_head1", "int13_02_cyl1", "int13_02_cyl1_last",
    "int13_02_cyl2_mid", "int13_02_multi", "int13_02_cyl_high",
    "int13_02_cyl_high_first", "int13_15_type", "int13_41_edd", "int13_42_low",
    "int13_42_multi", "int13_42_above_8g", "int13_42_last",
    "int13_42_past_end_fails", "int13_43_write_readback", "int13_48_params", "int12_base_memory",
    "e820_walk", "e820_types_sane", "e820_no_overlap", "e820_ram_at_0",
    "e820_ram_above_1m", "e820_no_ram_in_a0000_fffff", "e820_total_ram",
    "int15_e801", "int15_88", "int1a_00_ticks", "int1a_02_time", "int1a_04_date",
]


def _svc_disk(ram_mib):
    path = os.path.join(mbtest.OUT, "svc-%d.img" % ram_mib)
    prog = mbtest.build_bootprog("svc")
    with mbtest._build_lock:
        if not mbtest._newer(path, [prog, mbtest.__file__]):
            mbtest.make_svc_disk(path, prog, ram_mib)
    return path


def _check_bootprog(ctx, r, expected):
    bs = r.bs
    _require_run(ctx, r, "boot program")
    ctx.check(bs.started is not None, "the boot program started (BS START on COM1)")
    for name in expected:
        if name not in bs.checks:
            ctx.check(False, "%s: not reported" % name)
        else:
            ok, detail = bs.checks[name]
            ctx.check(ok, "%s: %s" % (name, detail))
    extra = [n for n in bs.checks if n not in expected]
    for name in extra:
        ok, detail = bs.checks[name]
        ctx.check(ok, "%s: %s" % (name, detail))
    ctx.check(bs.done is not None and bs.done[1] == 0,
              "boot program finished with no failures (BS DONE %s)" % (bs.done,))
    ctx.check(r.exit_code == 1, "exit through isa-debug-exit with 0 (QEMU status 1, got %s)"
              % r.exit_code)
    if ctx.failed:
        ctx.note(r.tail(40))


def _check_rtc(ctx, bs, t_host):
    d, t = bs.info.get("rtc_date", [None])[0], bs.info.get("rtc_time", [None])[0]
    try:
        rtc = datetime.datetime.strptime("%s %s" % (d, t), "%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        ctx.check(False, "RTC date/time readable (%r %r)" % (d, t))
        return
    delta = abs((rtc - t_host).total_seconds())
    ctx.check(delta < 300, "INT 1Ah RTC %s within 5 min of host UTC %s" % (
        rtc, t_host.replace(microsecond=0)))


def _svc(ctx, machine, bus, mem="512", opts=""):
    ram = int(mem[:-1]) * 1024 if mem.upper().endswith("G") else int(mem)
    disk = _svc_disk(ram)
    t_host = datetime.datetime.utcnow()
    r = mbtest.run_bootprog(ctx.workdir, [Disk(disk, bus, opts=opts)], bios=ctx.bios,
                            machine=machine, mem=mem, timeout=90)
    expected = list(SVC_CHECKS)
    if ram > 4096:
        expected.append("e820_ram_above_4g")
    _check_bootprog(ctx, r, expected)
    if r.bs.started:
        ctx.check(r.bs.info.get("boot_drive") == ["80"], "booted from drive 80h (%s)"
                  % r.bs.info.get("boot_drive"))
        _check_rtc(ctx, r.bs, t_host)


for _m, _b, _label in (("pc", "ide", "pc-ide"), ("q35", "ide", "q35-ahci"),
                       ("pc", "virtio", "pc-virtio"), ("q35", "virtio", "q35-virtio")):
    test("svc-" + _label, ["bootsect"])(
        lambda ctx, m=_m, b=_b: _svc(ctx, m, b))
for _m, _b, _label in (("pc", "vscsi", "pc-vscsi"), ("q35", "nvme", "q35-nvme")):
    test("svc-" + _label, ["bootsect"])(
        lambda ctx, m=_m, b=_b: _svc(ctx, m, b))
test("svc-q35-nvme-4k", ["bootsect"])(lambda ctx: _svc(
    ctx, "q35", "nvme", opts=",logical_block_size=4096,physical_block_size=4096"))
test("svc-q35-ahci-5G", ["bootsect"])(lambda ctx: _svc(ctx, "q35", "ide", "5G"))
test("svc-pc-ide-5G", ["bootsect"])(lambda ctx: _svc(ctx, "pc", "ide", "5G"))


# --------------------------------------------------------------------------
# b. Linux direct boot
# --------------------------------------------------------------------------

def _check_report(ctx, r, boot="direct"):
    rep = mbtest.Report(r.serial)
    _require_run(ctx, r, "Linux boot")
    if not ctx.check(rep.complete, "guest report complete (MBT begin ... MBT end)"):
        ctx.note(r.tail(40))
        return rep
    ctx.check("mbt.boot=%s" % boot in rep.get("cmdline", ""),
              "kernel command line carries mbt.boot=%s (%s)" % (boot, rep.get("cmdline")))
    e820 = rep.e820
    ctx.check(any(s == 0 and t == "usable" for s, e, t in e820),
              "kernel's e820 has usable RAM at 0")
    ctx.check(any(s <= 0x100000 <= e and t == "usable" for s, e, t in e820),
              "kernel's e820 has usable RAM at 1 MiB")
    return rep


def _linux(ctx, machine, smp=1, mem="512"):
    r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, smp=smp, mem=mem)
    rep = _check_report(ctx, r)
    if not rep.complete:
        return
    ctx.check(rep.cpus == smp, "guest sees %d CPU(s) (cpus_online %s)" % (smp, rep.cpus))
    ram = int(mem[:-1]) << 30 if mem.upper().endswith("G") else int(mem) << 20
    kb = rep.memtotal_kb
    ctx.check(ram * 0.85 <= kb * 1024 <= ram, "MemTotal %d KiB plausible for -m %s" % (kb, mem))
    if ram > (4 << 30):
        above = [(s, e) for s, e, t in rep.e820 if t == "usable" and s >= (1 << 32)]
        ctx.check(above, "kernel's e820 has usable RAM above 4 GiB (%s)" %
                  ["%#x-%#x" % x for x in above])
        size = sum(e + 1 - s for s, e, t in rep.e820 if t == "usable")
        ctx.check(size >= ram - (16 << 20), "usable e820 RAM %#x close to -m %s" % (size, mem))
    ctx.check(rep.get("tpm0") == "no", "no TPM configured, none seen")


test("linux-pc", ["linux"])(lambda ctx: _linux(ctx, "pc"))
test("linux-q35", ["linux"])(lambda ctx: _linux(ctx, "q35"))
test("linux-pc-smp2", ["linux"])(lambda ctx: _linux(ctx, "pc", smp=2))
test("linux-q35-smp2", ["linux"])(lambda ctx: _linux(ctx, "q35", smp=2))
test("linux-pc-5G", ["linux"])(lambda ctx: _linux(ctx, "pc", mem="5G"))
test("linux-q35-5G", ["linux"])(lambda ctx: _linux(ctx, "q35", mem="5G"))


# --------------------------------------------------------------------------
# c. GRUB from a disk
# --------------------------------------------------------------------------

def _grub(ctx, machine, bus):
    disk = mbtest.grub_disk()
    r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine=machine,
                        disks=[Disk(disk, bus)], timeout=180)
    ctx.check("MBT-GRUB: booting" in r.serial, "GRUB ran its grub.cfg (serial shows "
              "'MBT-GRUB: booting')")
    rep = _check_report(ctx, r, boot="grub")
    if rep.complete:
        ctx.check(rep.cpus == 1, "guest sees 1 CPU")


for _m, _b, _label in (("pc", "ide", "pc-ide"), ("q35", "ide", "q35-ahci"),
                       ("pc", "virtio", "pc-virtio"), ("q35", "virtio", "q35-virtio")):
    test("grub-" + _label, ["grub"], cost=2)(lambda ctx, m=_m, b=_b: _grub(ctx, m, b))


# --------------------------------------------------------------------------
# d. bad boot disks: the firmware reports them and goes on
# --------------------------------------------------------------------------

# What the firmware must print (debug port or serial) about an unbootable
# disk, matched case-insensitively.
BAD_DISK_MESSAGE = re.compile(
    r"not (a )?bootable|no boot signature|boot signature (missing|not found)|"
    r"missing boot signature|empty (disk|boot sector|mbr)|"
    r"invalid boot sector|bad boot signature", re.I)


def _bad_disk(ctx, kind, machine, bus):
    if kind == "nosig":
        sector = open(mbtest.build_bootprog("nosig"), "rb").read()
        assert sector[510:512] == b"\0\0"
    else:
        sector = b"\0" * 512
    bad = os.path.join(mbtest.OUT, "bad-%s.img" % kind)
    good = os.path.join(mbtest.OUT, "good.img")
    good_prog = mbtest.build_bootprog("good")
    with mbtest._build_lock:
        if not mbtest._newer(bad, [mbtest.build_bootprog("nosig"), mbtest.__file__]):
            mbtest.make_sector_disk(bad, sector)
        if not mbtest._newer(good, [good_prog, mbtest.__file__]):
            mbtest.make_sector_disk(good, open(good_prog, "rb").read())
    disks = [Disk(bad, bus, bootindex=1, unit=0), Disk(good, bus, bootindex=2, unit=1)]
    r = mbtest.run_bootprog(ctx.workdir, disks, bios=ctx.bios, machine=machine, timeout=40)
    _check_bootprog(ctx, r, ["good_disk_booted"])
    text = r.debug + "\n" + r.serial
    hits = [l for l in text.splitlines() if BAD_DISK_MESSAGE.search(l)]
    ctx.check(hits, "firmware reported the unbootable first disk (%s)" %
              (hits[0].strip() if hits else "no line matching %s" % BAD_DISK_MESSAGE.pattern))


for _k, _m, _b in (("nosig", "pc", "ide"), ("empty", "q35", "ide"),
                   ("nosig", "q35", "virtio"), ("empty", "pc", "virtio")):
    test("baddisk-%s-%s-%s" % (_k, _m, "ahci" if (_m, _b) == ("q35", "ide") else _b),
         ["badinput"])(lambda ctx, k=_k, m=_m, b=_b: _bad_disk(ctx, k, m, b))


# SCSI targets that answer errors, on one virtio-scsi controller: target 1
# (bootindex=1) fails every read (QEMU's blkdebug driver injects EIO under
# the scsi-hd), target 2 is a zero-size disk; target 0 (bootindex=2) holds
# the good boot program. The firmware must say what is wrong with each and
# boot the good one, in bootorder order (the failing target comes first).
# Targets 3 and 4 are CD-ROM drives (a disc that is no CD, and none): found,
# and after the disks in the boot order (CMOS default: disks first).
SCSI_FAULT_LINES = (
    ("the failing read of target 1", re.compile(
        r"Boot failed: could not read the boot sector of virtio-scsi 1:0: QEMU QEMU HARDDISK")),
    ("the empty target 2", re.compile(
        r"virtio-scsi 2:0: QEMU QEMU HARDDISK (is not ready|is empty|does not answer "
        r"READ CAPACITY).*skipped")),
    ("the CD-ROM drive at target 3", re.compile(r"virtio-scsi 3:0: QEMU QEMU CD-ROM, CD-ROM$")),
    ("the CD-ROM drive without a disc at target 4", re.compile(
        r"virtio-scsi 4:0: QEMU QEMU CD-ROM, CD-ROM$")),
)


def _scsi_errors(ctx):
    good = _good_disk()
    cfg = os.path.join(ctx.workdir, "eio.cfg")
    with open(cfg, "w") as f:
        f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\n')
    empty = os.path.join(ctx.workdir, "empty.img")
    open(empty, "wb").close()
    disks = [Disk(good, "vscsi", bootindex=2, unit=0),
             Disk(good, "vscsi", bootindex=1, unit=1, file="blkdebug:%s:%s" % (cfg, good)),
             Disk(empty, "vscsi", unit=2), Disk(good, "vscsi", unit=3, cdrom=True)]
    r = mbtest.run_bootprog(ctx.workdir, disks, bios=ctx.bios, machine="pc", timeout=40,
                            extra=["-device", "scsi-cd,bus=vscsi0.0,scsi-id=4"])
    _check_bootprog(ctx, r, ["good_disk_booted"])
    for what, pattern in SCSI_FAULT_LINES:
        hits = [l for l in r.serial.splitlines() if pattern.search(l)]
        ctx.check(hits, "firmware reported %s (%s)" % (
            what, hits[0].strip() if hits else "no line matching %s" % pattern.pattern))
    order = [l for l in r.serial.splitlines() if l.startswith("Booting from")]
    ctx.check(order == ["Booting from Hard Disk (virtio-scsi 1:0: QEMU QEMU HARDDISK)...",
                        "Booting from Hard Disk (virtio-scsi 0:0: QEMU QEMU HARDDISK)..."],
              "target 1 (bootindex=1) tried first, then target 0, the next boot device (%s)"
              % order)


test("baddisk-vscsi-errors-pc", ["badinput"])(_scsi_errors)


# An NVMe controller with no namespace (no drive=): the firmware says so and
# boots the next device, an AHCI disk. (A controller that never becomes
# ready cannot be made in QEMU: test_scsi_nvme covers that path.)
NVME_NO_NAMESPACE = re.compile(r"NVMe [0-9a-f]{2}:[0-9a-f]{2}\.[0-7]: no usable namespace")


def _nvme_empty(ctx):
    good = _good_disk()
    r = mbtest.run_bootprog(ctx.workdir, [Disk(good, "ide")], bios=ctx.bios, machine="q35",
                            timeout=40, extra=["-device", "nvme,serial=mbtempty"])
    _check_bootprog(ctx, r, ["good_disk_booted"])
    hits = [l for l in r.serial.splitlines() if NVME_NO_NAMESPACE.search(l)]
    ctx.check(hits, "firmware reported the NVMe controller without a namespace (%s)" % (
        hits[0].strip() if hits else "no line matching %s" % NVME_NO_NAMESPACE.pattern))


test("baddisk-nvme-nonamespace-q35", ["badinput"])(_nvme_empty)


# --------------------------------------------------------------------------
# e. measured boot
# --------------------------------------------------------------------------

def _hash(name, data):
    return hashlib.new(name, data).digest()


class Measured:
    """What check_measured_boot found: the log file, the PCR directory, the
    guest's PCRs {bank: {n: bytes}}, the parsed events and Spec ID algs."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


ERROR_SEP = b"\x01\0\0\0"


def check_measured_boot(ctx, r, tpm, rep, mbr=None, capped=None, foreign_pcrs=()):
    """Everything about the TPM, the log and the PCRs after a Linux boot.
    capped: the boot is expected to have stopped measuring (the reason the
    console gives, e.g. "event log full"): PCRs 0-7 then end with error
    separators instead of the normal ones.  Returns a Measured or None."""
    if not rep.complete:
        return None
    want_ver = 2 if tpm.version == 2 else 1
    ctx.check(rep.get("tpm0") == "yes", "guest has /sys/class/tpm/tpm0")
    ctx.check(rep.tpm_version == want_ver, "TPM version %s (want %d)" % (rep.tpm_version, want_ver))
    # The firmware tells the user which TPM it found and that it started it.
    said = re.search(r"TPM (2\.0|1\.2) \((TIS|CRB)\) started", r.serial)
    ctx.check(said and said.group(1) == ("2.0" if want_ver == 2 else "1.2"),
              "console reports the TPM and its start-up (%s)" %
              (said.group(0) if said else "no 'TPM ... started' line"))

    # The firmware started the TPM; the kernel did not have to.
    st, bad, cmds = mbtest.startup_summary(tpm.commands(), tpm.version)
    clear = 0 if tpm.version == 2 else 1
    ctx.check(len(st) == 1, "exactly one TPM Startup after reset (got %d: %s)" % (len(st), st))
    ctx.check(st and st[0] == (clear, 0), "firmware's Startup(CLEAR) succeeded (%s)" % (st[:1],))
    ctx.check(not bad, "no command found the TPM un-started (%s)" %
              ", ".join("cmd %#x rc %#x" % b for b in bad))
    how = mbtest.platform_locked(tpm.commands(), tpm.version)
    ctx.check(how, "firmware closed the platform controls before the OS (%s)" % (
        how or ("no successful HierarchyChangeAuth/HierarchyControl on RH_PLATFORM"
                if tpm.version == 2 else "no PhysicalPresence NOTPRESENT|LOCK")))
    if tpm.version == 1:
        for flag in ("enabled", "active"):
            v = rep.get("flag_" + flag)
            ctx.check(v == "1", "TPM 1.2 %s flag is 1 (%s)" % (flag, v))

    try:
        log = rep.event_log()
    except mbtest.HarnessError as e:
        ctx.check(False, str(e))
        return None
    if not ctx.check(log, "kernel exposes binary_bios_measurements"):
        return None
    log_path = os.path.join(ctx.workdir, "eventlog.bin")
    with open(log_path, "wb") as f:
        f.write(log)
    pcrs = rep.pcrs()
    pcrdir = os.path.join(ctx.workdir, "pcrs")
    mbtest.write_pcr_dir(pcrdir, pcrs)
    ctx.check(pcrs, "guest reported PCR values (%s)" % sorted(pcrs))

    # 1. scripts/eventlog.py and tpm2_eventlog
    ok, out = mbtest.verify_with_eventlog_py(log_path, pcrdir)
    last = out.strip().splitlines()[-1] if out.strip() else ""
    ctx.check(ok, "scripts/eventlog.py verify LOG PCRDIR exits 0 (%s)" % last)
    ok, out = mbtest.verify_with_tpm2_eventlog(log_path)
    with open(os.path.join(ctx.workdir, "tpm2_eventlog.txt"), "w") as f:
        f.write(out)
    ctx.check(ok, "tpm2_eventlog parses the log (exit 0, prints pcrs:)")
    complaints = mbtest.tpm2_eventlog_complaints(out)
    if foreign_pcrs and complaints:
        # Events a boot loader logged through INT 1Ah (foreign_pcrs): their
        # type and data are the loader's, not the firmware's.
        try:
            evs = mbtest.parse_event_log(log)[1]
        except ValueError:
            evs = []

        def foreign(c):
            n = re.search(r"Event (\d+)", c)
            return n and int(n.group(1)) < len(evs) and evs[int(n.group(1))].pcr in foreign_pcrs
        ignored = [c for c in complaints if foreign(c)]
        complaints = [c for c in complaints if not foreign(c)]
        if ignored:
            ctx.note("tpm2_eventlog on the loader's own events: %s" % ignored)
    ctx.check(not complaints, "tpm2_eventlog prints no warning or error (%d: %s)"
              % (len(complaints), complaints[:1]))

    # 2. independent replay of PCRs 0-7 in every bank
    try:
        fmt, events, algs = mbtest.parse_event_log(log)
    except ValueError as e:
        ctx.check(False, "event log parses: %s" % e)
        return None
    ctx.check(fmt == ("tpm2" if tpm.version == 2 else "tpm12"),
              "log format %s for TPM %s" % (fmt, want_ver))
    banks = {mbtest.ALG_NAMES.get(a, hex(a)) for a in algs}
    if tpm.version == 2:
        ctx.check(banks == set(pcrs), "Spec ID banks %s = the TPM's active banks %s"
                  % (sorted(banks), sorted(pcrs)))
        partial = [e for e in events if e.type != mbtest.EV_NO_ACTION
                   and set(e.digests) != set(algs)]
        ctx.check(not partial, "every event extends every bank (%d do not)" % len(partial))
    replayed = mbtest.replay(events, algs)
    for bank in sorted(pcrs):
        if bank not in replayed:
            ctx.check(False, "bank %s in the TPM but not in the log" % bank)
            continue
        bad_pcrs = [i for i in range(8) if pcrs[bank].get(i) != replayed[bank][i]]
        ctx.check(not bad_pcrs, "replayed %s PCRs 0-7 match the TPM (mismatch: %s)"
                  % (bank, bad_pcrs))

    # 3. the structure a BIOS log must have
    if capped:
        _check_capped_log(ctx, events)
    else:
        for i in range(8):
            seps = [e for e in events if e.pcr == i and e.type == mbtest.EV_SEPARATOR]
            good = len(seps) == 1 and seps[0].data in (b"\0" * 4, b"\xff" * 4) and all(
                d == _hash(mbtest.ALG_NAMES[a], seps[0].data) for a, d in seps[0].digests.items())
            ctx.check(good, "PCR%d has one separator, digest = hash of its data" % i)
        calling = [e for e in events if e.pcr == 4 and e.type == mbtest.EV_ACTION
                   and e.data == b"Calling INT 19h"]
        ctx.check(calling and all(d == _hash(mbtest.ALG_NAMES[a], b"Calling INT 19h")
                                  for a, d in calling[0].digests.items()),
                  "PCR4 has EV_ACTION 'Calling INT 19h' with the digest of the string")
    if mbr is not None:
        ipl = [e for e in events if e.pcr == 4 and e.type == mbtest.EV_IPL_CODE]
        ok = any(all(d == _hash(mbtest.ALG_NAMES[a], mbr[:440]) for a, d in e.digests.items())
                 for e in ipl)
        ctx.check(ok, "PCR4 has EV_COMPACT_HASH measuring MBR bytes 0-439 (%d such events)"
                  % len(ipl))
        part = [e for e in events if e.pcr == 5 and e.type == mbtest.EV_IPL_PARTITION_DATA]
        ok = any(all(d == _hash(mbtest.ALG_NAMES[a], mbr[440:512]) for a, d in e.digests.items())
                 for e in part)
        ctx.check(ok, "PCR5 has EV_IPL_PARTITION_DATA measuring MBR bytes 440-511")
    return Measured(log=log, log_path=log_path, pcrdir=pcrdir, pcrs=pcrs, events=events,
                    algs=algs)


def direct_inputs(append, tpm2_tools=False, kernel=None):
    """mbios-attest boot inputs of mbtest.boot_linux(extra_append=append)."""
    return ["--kernel", kernel or mbtest.find_kernel(),
            "--initrd", mbtest.build_initramfs(tpm2_tools),
            "--append", mbtest.KERNEL_CMDLINE + " " + append]


def prediction_args(bios, machine, version, banks, inputs, mem="512"):
    bank_args = ["--tpm12"] if version == 1 else (
        [] if banks == "all" else ["--banks", banks])
    mib = int(mem[:-1]) * 1024 if str(mem).upper().endswith("G") else int(str(mem).rstrip("Mm"))
    return ["--bios", bios, "--machine", machine, "--mem", str(mib)] + bank_args + inputs


def check_prediction(ctx, m, bios, machine, version, banks, inputs, reference=None,
                     mem="512"):
    """scripts/mbios-attest, given only the files of the boot, predicts
    every event of PCRs 0 and 2-7 (and PCR 1 from a reference log), and
    verify finds the guest's log and PCRs equal to the prediction."""
    args = prediction_args(bios, machine, version, banks, inputs, mem)
    if reference:
        args += ["--reference", reference]
    rc, out = mbtest.attest_tool("verify", "--log", m.log_path, "--pcrs", m.pcrdir, *args)
    with open(os.path.join(ctx.workdir, "attest-verify.txt"), "w") as f:
        f.write(out)
    last = out.strip().splitlines()[-1] if out.strip() else ""
    ctx.check(rc == 0, "mbios-attest verify: log = TPM = prediction, PCRs 0%s-7 (%s)"
              % (",1" if reference else ",2", last))
    return rc == 0


def _check_capped_log(ctx, events):
    """After "log full" or a failed extend (docs/measurements.md, failure
    records): each of PCRs 0-7 gets one error separator (data 01 00 00 00,
    digest = hash of the data), and nothing is measured after them: no
    normal separator, no other event."""
    errs = [n for n, e in enumerate(events)
            if e.type == mbtest.EV_SEPARATOR and e.data == ERROR_SEP]
    pcrs = sorted(events[n].pcr for n in errs)
    ctx.check(pcrs == list(range(8)), "one error separator (01 00 00 00) in each of PCRs "
              "0-7 (found on PCRs %s)" % pcrs)
    bad_digest = [events[n].pcr for n in errs if not all(
        d == _hash(mbtest.ALG_NAMES[a], ERROR_SEP) for a, d in events[n].digests.items())]
    ctx.check(errs and not bad_digest, "error separators' digests = hash of 01 00 00 00 "
              "in every bank (wrong on PCRs %s)" % bad_digest)
    if not errs:
        return
    first = errs[0]
    normal = [e for e in events if e.type == mbtest.EV_SEPARATOR and e.data != ERROR_SEP]
    after_normal = [e for e in events[first:] if e.type == mbtest.EV_SEPARATOR
                    and e.data != ERROR_SEP]
    ctx.check(not after_normal, "no normal separator after the error separators "
              "(%d after, %d before)" % (len(after_normal), len(normal) - len(after_normal)))
    tail = [e for e in events[first:] if not (e.type == mbtest.EV_SEPARATOR
                                               and e.data == ERROR_SEP)]
    ctx.check(errs == list(range(first, first + 8)) and not tail,
              "the 8 error separators are the last records (then %d more: %s)"
              % (len(tail), tail[:3]))


# --- the hand-off lock, seen from the OS (guest-init.sh, mbt.tpmcheck=1) ---

TPM2_RC_FMT1 = {0x081: "TPM_RC_ASYMMETRIC", 0x082: "TPM_RC_ATTRIBUTES", 0x084: "TPM_RC_VALUE",
                0x085: "TPM_RC_HIERARCHY", 0x08E: "TPM_RC_AUTH_FAIL", 0x09D: "TPM_RC_AUTH_UNAVAILABLE",
                0x0A2: "TPM_RC_BAD_AUTH", 0x08B: "TPM_RC_HANDLE"}
TPM2_RC_FMT0 = {0x000: "TPM_RC_SUCCESS", 0x100: "TPM_RC_INITIALIZE", 0x101: "TPM_RC_FAILURE",
                0x124: "TPM_RC_AUTH_TYPE", 0x125: "TPM_RC_AUTH_MISSING",
                0x149: "TPM_RC_AUTH_UNAVAILABLE", 0x143: "TPM_RC_COMMAND_CODE"}
TPM12_RC = {0: "TPM_SUCCESS", 1: "TPM_AUTHFAIL", 2: "TPM_BADINDEX", 3: "TPM_BAD_PARAMETER",
            6: "TPM_DEACTIVATED", 7: "TPM_DISABLED", 8: "TPM_DISABLED_CMD", 9: "TPM_FAIL",
            0xA: "TPM_BAD_ORDINAL", 0x26: "TPM_INVALID_POSTINIT"}


def rc_text(rc, version):
    """A TPM response code as text, e.g. 0x9a2 -> TPM_RC_BAD_AUTH (session 1)."""
    if rc is None:
        return "no response"
    if version == 1:
        return "%#x %s" % (rc, TPM12_RC.get(rc, ""))
    if rc & 0x80:
        base, n = 0x80 | (rc & 0x3F), (rc >> 8) & 0xF
        if rc & 0x40:
            where = "parameter %d" % n
        elif n >= 8:
            where = "session %d" % (n - 8)
        else:
            where = "handle %d" % n if n else ""
        return "%#x %s%s" % (rc, TPM2_RC_FMT1.get(base, "format-one error %#x" % base),
                             " (%s)" % where if where else "")
    return "%#x %s" % (rc, TPM2_RC_FMT0.get(rc, ""))


def _rsp_rc(rsp):
    return struct.unpack(">I", rsp[6:10])[0] if rsp and len(rsp) >= 10 else None


def check_handoff_lock(ctx, rep, version):
    """What the OS can do after the firmware's hand-off, from raw commands
    the guest sent through /dev/tpm0: TPM 2.0's platform hierarchy must be
    closed to it (while owner commands work), TPM 1.2's physical presence
    must be locked (and cannot be asserted)."""
    ctx.check(rep.get("tpmcheck") == "yes", "guest sent raw commands through /dev/tpm0 (%s)"
              % rep.get("tpmcheck"))
    rs = rep.tpm_responses()
    if version == 2:
        cap = rs.get("getcap_startup_clear")
        rc = _rsp_rc(cap)
        detail = rc_text(rc, 2)
        if rc == 0 and len(cap) >= 27 and cap[19:23] == b"\0\0\x02\x01":
            val = struct.unpack(">I", cap[23:27])[0]
            detail += "; TPMA_STARTUP_CLEAR %#x: phEnable=%d shEnable=%d ehEnable=%d " \
                      "phEnableNV=%d orderly=%d" % (val, val & 1, val >> 1 & 1, val >> 2 & 1,
                                                   val >> 3 & 1, val >> 31)
        elif rc == 0:
            rc = "wrong property"
            detail += " but not TPM_PT_STARTUP_CLEAR: %s" % cap.hex()
        ctx.check(rc == 0, "OS: TPM2_GetCapability through /dev/tpm0 works (%s)" % detail)
        rc = _rsp_rc(rs.get("hca_owner"))
        ctx.check(rc == 0, "OS: owner-authorized TPM2_HierarchyChangeAuth(TPM_RH_OWNER, "
                  "empty password) succeeds (%s)" % rc_text(rc, 2))
        rc = _rsp_rc(rs.get("hca_platform"))
        ctx.check(rc is not None and rc != 0, "OS: TPM2_HierarchyChangeAuth(TPM_RH_PLATFORM, "
                  "empty password) is refused (%s)" % rc_text(rc, 2))
    else:
        for key in ("getcap_volatile", "getcap_volatile_after"):
            g = rs.get(key)
            rc = _rsp_rc(g)
            if rc != 0 or len(g) < 21:
                ctx.check(False, "OS: TPM_GetCapability(TPM_CAP_FLAG_VOLATILE) works (%s, "
                          "%d bytes)" % (rc_text(rc, 1), len(g or b"")))
                continue
            tag, deact, dfc, pp, pplock = struct.unpack(">HBBBB", g[14:20])
            when = "before" if key == "getcap_volatile" else "after"
            ctx.check(tag == 0x0020 and pplock == 1 and pp == 0,
                      "OS, %s trying PRESENT: TPM_STCLEAR_FLAGS physicalPresenceLock=%d "
                      "physicalPresence=%d (want 1, 0; tag %#x, deactivated=%d)"
                      % (when, pplock, pp, tag, deact))
        rc = _rsp_rc(rs.get("pp_present"))
        ctx.check(rc is not None and rc != 0, "OS: TSC_PhysicalPresence(PRESENT) is refused (%s)"
                  % rc_text(rc, 1))


def _tpm(ctx, machine, iface, version, banks="all", grub_bus=None):
    tpm = Swtpm(ctx.workdir, version=version, banks=banks)
    tpm.setup()
    mbr = None
    if grub_bus:
        disk = mbtest.grub_disk()
        with open(disk, "rb") as f:
            mbr = f.read(512)
        r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine=machine,
                            disks=[Disk(disk, grub_bus)], tpm=tpm, tpm_iface=iface,
                            timeout=180)
        rep = _check_report(ctx, r, boot="grub")
    else:
        r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                              tpm_iface=iface, extra_append="mbt.boot=direct mbt.tpmcheck=1")
        rep = _check_report(ctx, r)
        if rep.complete:
            check_handoff_lock(ctx, rep, tpm.version)
    m = check_measured_boot(ctx, r, tpm, rep, mbr=mbr)
    if m is not None:
        inputs = (["--disk", mbtest.grub_disk()] if grub_bus else
                  direct_inputs("mbt.boot=direct mbt.tpmcheck=1"))
        check_prediction(ctx, m, ctx.bios, machine, version, banks, inputs)
    if not grub_bus:
        _kernel_hash_code(ctx, r, "64-bit")
    if ctx.failed:
        ctx.note("logs in %s (serial.log, debug.log, swtpm.log, eventlog.bin, pcrs/)"
                 % ctx.workdir)


for _m, _i, _v, _banks in (("pc", "tis", 2, "all"), ("pc", "tis", 2, "sha256"),
                           ("q35", "tis", 2, "all"), ("q35", "crb", 2, "all"),
                           ("q35", "crb", 2, "sha256"), ("pc", "tis", 1, "sha1")):
    test("tpm-%s-%s-tpm%s-%s" % (_m, _i, "2" if _v == 2 else "12", _banks), ["tpm"])(
        lambda ctx, m=_m, i=_i, v=_v, b=_banks: _tpm(ctx, m, i, v, b))
test("tpm-grub-q35-crb-tpm2-all", ["tpm", "grub"], cost=2)(
    lambda ctx: _tpm(ctx, "q35", "crb", 2, "all", grub_bus="ide"))
test("tpm-grub-pc-tis-tpm12", ["tpm", "grub"], cost=2)(
    lambda ctx: _tpm(ctx, "pc", "tis", 1, "sha1", grub_bus="virtio"))
test("tpm-grub-pc-tis-tpm2-vscsi", ["tpm", "grub"], cost=2)(
    lambda ctx: _tpm(ctx, "pc", "tis", 2, "all", grub_bus="vscsi"))
test("tpm-grub-q35-crb-tpm2-nvme", ["tpm", "grub"], cost=2)(
    lambda ctx: _tpm(ctx, "q35", "crb", 2, "all", grub_bus="nvme"))


# --------------------------------------------------------------------------
# f. TPM faults: swtpm dies before the first command or in the middle of the
#    boot; the guest must still boot in bounded time and the console must say
#    what happened
# --------------------------------------------------------------------------

FAULT_BOUND_S = 60      # a normal measured direct boot takes ~10 s
TPM2_CC_PCR_EXTEND = 0x182
TPM12_ORD_EXTEND = 0x14


def _since_reset(events):
    """(events since the last INIT, whether swtpm has answered that INIT)."""
    last = None
    for n, e in enumerate(events):
        if e[0] == "ctrl" and e[1] == 2:
            last = n
    if last is None:
        return events, False
    return events[last:], any(e[0] == "ctrlrsp" and e[1] == 2 for e in events[last:])


def _answered(events, code):
    """TPM commands with this code answered (rc, any) since the last reset."""
    evs, _ = _since_reset(events)
    return [e for e in evs if e[0] == "tpm" and len(e[1]) >= 10 and len(e[2]) >= 10
            and struct.unpack(">I", e[1][6:10])[0] == code]


def _fault(ctx, when, machine, iface, version):
    tpm = Swtpm(ctx.workdir, version=version)
    tpm.setup()
    extend = TPM2_CC_PCR_EXTEND if version == 2 else TPM12_ORD_EXTEND

    if when == "before-startup":
        # QEMU starts paused (-S): it has connected to swtpm and reset it
        # (control command INIT, answered) but the firmware has not run yet.
        def hook(proc, qmp):
            ev = tpm.wait_for(lambda ev: _since_reset(ev)[1], timeout=60)
            if ev is None:
                raise mbtest.HarnessError("QEMU never sent INIT to swtpm")
            tpm.kill()
            mbtest.qmp_command(qmp, "cont")
            return ev
        r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                              tpm_iface=iface, paused=True, on_start=hook, timeout=150)
        evs = [e for e in _since_reset(r.hook)[0] if e[0] == "tpm"]
        ctx.check(not evs, "swtpm killed after QEMU's reset (INIT) and before the firmware's "
                  "first TPM command (%d commands had reached it)" % len(evs))
        want = re.compile(r"TPM: .*Startup.*failed \(")
    else:
        def hook(proc, qmp):
            ev = tpm.wait_for(lambda ev: any(_rsp_rc(e[2]) == 0 for e in _answered(ev, extend)),
                              timeout=120)
            if ev is None:
                raise mbtest.HarnessError("swtpm never answered a PCR extend")
            tpm.kill()
            return ev
        r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                              tpm_iface=iface, on_start=hook, timeout=150)
        done = _answered(r.hook, extend)
        ctx.check(done and _rsp_rc(done[0][2]) == 0,
                  "swtpm killed after the firmware's first successful PCR extend (%d extends "
                  "answered before the kill)" % len(done))
        want = re.compile(r"TPM: PCR extend failed|TPM: .* failed \(.*abandoned")
    rep = _check_report(ctx, r)
    ctx.check(not r.timed_out and r.elapsed < FAULT_BOUND_S,
              "guest report within %d s of QEMU's start (%.1f s)" % (FAULT_BOUND_S, r.elapsed))
    console = [l for l in r.serial.splitlines() if want.search(l)]
    ctx.check(console, "console (COM1) carries the TPM failure: %s" % (
        console[0].strip() if console else "no line matching %r" % want.pattern))
    lines = [l for l in r.debug.splitlines() if want.search(l)]
    ctx.check(lines, "debug port carries it too (%s)" % (lines[0].strip() if lines else "none"))
    ctx.note("guest: tpm0=%s log=%s" % (rep.get("tpm0"), rep.get("log")))
    if ctx.failed:
        ctx.note(r.tail(30))


for _w, _m, _i, _v in (("before-startup", "pc", "tis", 2), ("after-extend", "q35", "crb", 2),
                       ("before-startup", "q35", "tis", 1), ("after-extend", "pc", "tis", 1)):
    test("tpmfault-%s-%s-%s-tpm%s" % (_w, _m, _i, "2" if _v == 2 else "12"), ["tpm", "tpmfault"])(
        lambda ctx, w=_w, m=_m, i=_i, v=_v: _fault(ctx, w, m, i, v))


# --------------------------------------------------------------------------
# g. Fail closed: a TPM that answers but that the firmware will not measure
#    into reaches the OS with PCRs 0-7 capped and its platform controls
#    locked (docs/tpm.md, failure policy).  The fault comes from FaultyTpm,
#    a relay in front of a real swtpm.
# --------------------------------------------------------------------------

def _cap_only(bank):
    """A PCR that took the error separator and nothing else."""
    n = len(_hash(bank, b""))
    return _hash(bank, b"\0" * n + _hash(bank, ERROR_SEP))


def _failclosed(ctx, machine, iface, version, fault, expect):
    tpm = mbtest.FaultyTpm(ctx.workdir, fault, version=version)
    tpm.setup()
    r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                          tpm_iface=iface, extra_append="mbt.boot=direct mbt.tpmcheck=1")
    rep = _check_report(ctx, r)
    code, nth, action, arg = fault
    ctx.check(tpm.injected == [(code, action)], "the relay injected %s into command %#x #%d "
              "(%s)" % (action, code, nth, tpm.injected))
    if not rep.complete:
        ctx.note(r.tail(30))
        return
    if expect == "normal":
        # A warning the firmware retries past: a fully measured boot.
        check_measured_boot(ctx, r, tpm, rep)
        check_handoff_lock(ctx, rep, version)
        return
    said = [l for l in r.serial.splitlines()
            if "the OS gets the TPM with PCRs 0-7 capped" in l]
    ctx.check(said, "console says what the OS gets (%s)" % (said[0].strip() if said
                                                           else "no such line"))
    check_handoff_lock(ctx, rep, version)
    if expect == "capped-log":
        check_measured_boot(ctx, r, tpm, rep, capped="PCR extend failed")
        return
    # Start-up failed: nothing measured, every PCR 0-7 holds the cap only.
    pcrs = rep.pcrs()
    ctx.check(pcrs, "guest reported PCR values (%s)" % sorted(pcrs))
    for bank in sorted(pcrs):
        bad = [i for i in range(8) if pcrs[bank].get(i) != _cap_only(bank)]
        ctx.check(not bad, "%s PCRs 0-7 = extend(0, H(01 00 00 00)) (not on %s)" % (bank, bad))
    try:
        log = rep.event_log()
    except mbtest.HarnessError:
        log = None
    if log:
        # Whatever log Linux exposes must not replay to these PCRs falsely.
        try:
            _, events, algs = mbtest.parse_event_log(log)
            replayed = mbtest.replay(events, algs)
        except ValueError:
            replayed = {}
        false = [b for b in replayed if b in pcrs and
                 all(replayed[b][i] == pcrs[b].get(i) for i in range(8))
                 and len(events) > 1]
        ctx.check(not false, "no exposed log replays to the capped PCRs (%s)" % false)
    ctx.note("guest log: %s" % ("%d bytes" % len(log) if log else "none"))
    if ctx.failed:
        ctx.note(r.tail(30))


# The firmware tests what it uses with IncrementalSelfTest (0x142).
TPM2_CC_SELFTEST, TPM2_CC_GETCAP, TPM12_ORD_SELFTESTFULL = 0x142, 0x17A, 0x50
for _name, _m, _i, _v, _flt, _expect in (
        ("selftest-error", "q35", "tis", 2, (TPM2_CC_SELFTEST, 1, "rc", 0x101), "capped"),
        ("selftest-testing", "q35", "crb", 2, (TPM2_CC_SELFTEST, 1, "rc", 0x90A), "normal"),
        ("getcap-garbage", "pc", "tis", 2, (TPM2_CC_GETCAP, 1, "garble", 3), "capped"),
        ("extend-error", "q35", "crb", 2, (TPM2_CC_PCR_EXTEND, 3, "rc", 0x101), "capped-log"),
        ("selftest-error", "pc", "tis", 1, (TPM12_ORD_SELFTESTFULL, 1, "rc", 9), "capped"),
        ("extend-error", "pc", "tis", 1, (TPM12_ORD_EXTEND, 3, "rc", 9), "capped-log")):
    test("failclosed-%s-%s-%s-tpm%s" % (_name, _m, _i, "2" if _v == 2 else "12"),
         ["tpm", "failclosed"])(
        lambda ctx, m=_m, i=_i, v=_v, f=_flt, e=_expect: _failclosed(ctx, m, i, v, f, e))


def _reset_between_reports(ctx):
    """run_qemu's on_start hook for two boots in one QEMU: the guest holds
    after its report (mbt.hold=1); reset it once with QMP system_reset, and
    end the run after the second report."""
    serial = os.path.join(ctx.workdir, "serial.log")

    def wait_reports(proc, n):
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and proc.poll() is None:
            if mbtest._read(serial).count("MBT end") >= n:
                return
            time.sleep(0.1)
        raise mbtest.HarnessError("boot %d never finished its report" % n)

    def hook(proc, qmp):
        mbtest.qmp_command(qmp, "cont")
        wait_reports(proc, 1)
        mbtest.qmp_command(qmp, "system_reset")
        wait_reports(proc, 2)
        mbtest.qmp_command(qmp, "quit")
        return True
    return hook


def _reboot(ctx, machine, iface, version):
    """A machine reset after a complete measured boot: QEMU resets the TPM,
    the firmware starts it again from a clean state, and the second boot
    measures to exactly the same PCRs."""
    tpm = Swtpm(ctx.workdir, version=version)
    tpm.setup()
    hook = _reset_between_reports(ctx)
    r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                          tpm_iface=iface, paused=True, on_start=hook, timeout=300,
                          no_reboot=False, extra_append="mbt.boot=direct mbt.hold=1")
    first, sep, second = r.serial.partition("MBT end\n")
    ctx.check(sep and "MBT end" in second, "two complete guest reports, one per boot")
    banners = re.findall(r"^mbios \S+ on ", r.serial, re.M)
    ctx.check(len(banners) == 2, "the firmware ran twice (%d banners)" % len(banners))
    starts = re.findall(r"TPM (?:2\.0|1\.2) \((?:TIS|CRB)\) started", r.serial)
    ctx.check(len(starts) == 2, "the TPM was started on both boots (%d)" % len(starts))
    rep1, rep2 = mbtest.Report(first + sep), mbtest.Report(second)
    # The second boot gets every measured-boot check (one Startup since the
    # reset, lock, log replay on every bank).
    m = check_measured_boot(ctx, r, tpm, rep2)
    p1, p2 = rep1.pcrs(), rep2.pcrs()
    ctx.check(p1 and sorted(p1) == sorted(p2), "both boots report the same banks (%s / %s)"
              % (sorted(p1), sorted(p2)))
    for bank in sorted(set(p1) & set(p2)):
        same = all(p1[bank].get(n) == p2[bank].get(n) for n in range(8))
        ctx.check(same, "%s PCRs 0-7 equal after the reboot (same firmware, same inputs)"
                  % bank)
    if ctx.failed or m is None:
        ctx.note(r.tail(30))


test("reboot-q35-tis-tpm2", ["tpm"], cost=2)(lambda ctx: _reboot(ctx, "q35", "tis", 2))
test("reboot-pc-tis-tpm12", ["tpm"], cost=2)(lambda ctx: _reboot(ctx, "pc", "tis", 1))


VGA_ROM = "/usr/share/seabios/vgabios-stdvga.bin"  # what QEMU loads for -device VGA
EV_EVENT_TAG, TAG_OPTION_ROM_EXEC = 0x06, 7


def _vga_rom(ctx, machine, slot, rom=VGA_ROM):
    """A PCI option ROM (the standard VGA's) is measured into PCR 2 before it
    runs, tagged with its real PCI bus/device/function, and the boot is
    still fully verified. With our ROM (vgasrc/), Linux also finds the
    VGA text console it set up."""
    tpm = Swtpm(ctx.workdir, version=2)
    tpm.setup()
    dev = "VGA,addr=0x%x" % slot + ("" if rom == VGA_ROM else ",romfile=" + rom)
    r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                          extra=["-device", dev])
    rep = _check_report(ctx, r)
    m = check_measured_boot(ctx, r, tpm, rep)
    ctx.check("VGA BIOS installed" in r.serial, "the VGA option ROM ran (console says so)")
    if rom != VGA_ROM:
        video = rep.all("video")
        ctx.check(any("colour VGA+ 80x25" in v for v in video),
                  "Linux's console is the VGA text mode the ROM set (%s)" % video)
    if m is None:
        return
    with open(rom, "rb") as f:
        rom = f.read()
    rom = rom[:rom[2] * 512]  # what the ROM header declares, as measured
    pfa = slot << 3  # bus 0, function 0
    tags = [e for e in m.events if e.pcr == 2 and e.type == EV_EVENT_TAG
            and len(e.data) == 8 + 24
            and struct.unpack("<II", e.data[:8]) == (TAG_OPTION_ROM_EXEC, 24)]
    vga = [e for e in tags if struct.unpack("<H", e.data[10:12])[0] == pfa]
    ctx.check(vga, "PCR 2 has an option ROM tag for PCI 00:%02x.0 (tags for PFAs %s)"
              % (slot, [hex(struct.unpack("<H", e.data[10:12])[0]) for e in tags]))
    if vga:
        e = vga[0]
        ctx.check(e.data[12:32] == hashlib.sha1(rom).digest(),
                  "the tag's SHA-1 is the hash of the ROM image (%d bytes)" % len(rom))
        # Conventional BIOS spec 1.21, 11.3.1: the PCR takes the hash of
        # the tagged event, which carries the image's SHA-1.
        ctx.check(all(d == _hash(mbtest.ALG_NAMES[a], e.data) for a, d in e.digests.items()),
                  "its digest in every bank is the hash of the tagged event")
    first = [ev for ev in m.events if ev.pcr == 2][:1]
    ctx.check(first and first[0].type == mbtest.EV_ACTION
              and first[0].data == b"Start Option ROM Scan",
              "PCR 2's first event is EV_ACTION 'Start Option ROM Scan' (%s)"
              % (first[0] if first else "no PCR 2 events"))
    if ctx.failed:
        ctx.note(r.tail(30))


test("tpm-vgarom-pc", ["tpm"])(lambda ctx: _vga_rom(ctx, "pc", 3))
test("tpm-vgarom-q35", ["tpm"])(lambda ctx: _vga_rom(ctx, "q35", 4))
test("tpm-vgarom-ours-q35", ["tpm", "vga"])(
    lambda ctx: _vga_rom(ctx, "q35", 4, rom=mbtest.OUR_VGA_ROM))


VGA_CHECKS = [
    "int10_0f_mode3", "bda_mode_fields", "mode3_cleared", "int10_03_cursor",
    "crtc_cursor_addr", "bda_cursor", "int10_01_shape", "int10_09_write",
    "int10_09_cursor_stays", "int10_08_read", "int10_0a_keeps_attr", "int10_0e_teletype",
    "int10_0e_crlf", "int10_0e_scrolls", "int10_13_string", "int10_06_scroll_up",
    "int10_07_scroll_down", "int10_1a_dcc", "int10_12_ega_info", "int10_1b_state",
    "int10_1130_font16", "int10_1130_font8", "int10_11_fonts", "font_in_plane2", "int10_10_dac", "int10_10_palette_reg",
    "int10_1c_state", "mode13_set", "mode13_pixel", "mode13_teletype", "mode12_set", "mode12_pixel",
    "mode12_pixel_neighbour", "mode_0d", "mode_0e", "mode_10", "mode_11", "mode01_set",
    "mode07_set",
    "vbe_4f00", "vbe_mode_list", "vbe_4f01_117", "vbe_4f01_bad_mode", "vbe_4f02_117",
    "vbe_4f03", "vbe_winfunc", "vbe_4f06", "vbe_4f08_8bit", "vbe_4f08_get", "vbe_4f09_palette",
    "vbe_4f04_state", "vbe_4f0a_clean", "vbe_4f02_bad_mode", "vbe_back_to_text",
    "vbe_4f03_vga_mode",
]
# Each mode's screen as QEMU shows it: 320-pixel and 40-column modes
# pixel-doubled, 200-line modes double-scanned to 400 lines.
VGA_MODE_SIZES = {0x12: (640, 480), 0x0D: (640, 400), 0x0E: (640, 400), 0x10: (640, 350),
                  0x11: (640, 480), 0x13: (640, 400), 0x01: (640, 400), 0x07: (720, 400),
                  0x03: (720, 400)}
VGA_EDID_CHECKS = ["vbe_4f15_caps", "vbe_4f15_edid", "vbe_4f15_bad_block"]


def _vga_int10(ctx, machine, device="VGA"):
    """bootsect/vga.c: INT 10h and VBE from a boot sector, on our VGA ROM.
    The disk is virtio-blk: under load the firmware's IDE probe sometimes
    misses the disk (status 00), with any VGA ROM or none."""
    path = os.path.join(mbtest.OUT, "vga.img")
    prog = mbtest.build_bootprog("vga")
    with mbtest._build_lock:
        if not mbtest._newer(path, [prog, mbtest.__file__]):
            mbtest.make_sector_disk(path, open(prog, "rb").read())
    dumps = {}

    def handshake(proc, qmp):
        """Follow serial.log; answer "shots?" and each "shot <mode>" (after
        its screendump) with a key press."""
        log = os.path.join(ctx.workdir, "serial.log")
        want = [None] + list(VGA_MODE_SIZES)
        pos, text = 0, ""
        deadline = time.monotonic() + 60
        while want and proc.poll() is None and time.monotonic() < deadline:
            if os.path.exists(log):
                with open(log, "rb") as f:
                    f.seek(pos)
                    chunk = f.read()
                pos += len(chunk)
                text += chunk.decode(errors="replace")
            pat = r"BS INFO shots\?" if want[0] is None else "BS INFO shot %02x" % want[0]
            m = re.search(pat, text)
            if not m:
                time.sleep(0.02)
                continue
            text = text[m.end():]
            if want[0] is not None:
                ppm = os.path.join(ctx.workdir, "mode%02x.ppm" % want[0])
                mbtest.qmp_command(qmp, "screendump", filename=ppm)
                with open(ppm, "rb") as f:
                    dumps[want[0]] = f.read()
            mbtest.qmp_command(qmp, "human-monitor-command", **{"command-line": "sendkey k"})
            want.pop(0)
        return want

    vga = device == "VGA"
    r = mbtest.run_bootprog(ctx.workdir, [Disk(path, "virtio")], bios=ctx.bios,
                            machine=machine, vga_rom="ours", vga_device=device,
                            on_start=handshake if vga else None, qmp=vga)
    if not vga:
        # virtio-vga has its EDID in virtio-gpu's config space, not BAR 2.
        _check_bootprog(ctx, r, VGA_CHECKS)
        ctx.check(r.bs.info.get("edid") == ["none"], "4F15h: no EDID, a clean failure")
        return
    _check_bootprog(ctx, r, VGA_CHECKS + VGA_EDID_CHECKS)
    ctx.check(r.hook == [], "every screendump was taken (left: %s)" % (r.hook,))
    # What QEMU displays in each mode (from the CRTC timing we programmed).
    for mode, size in VGA_MODE_SIZES.items():
        got = tuple(map(int, dumps[mode].split(b"\n")[1].split())) if mode in dumps else None
        ctx.check(got == size, "mode %02Xh is displayed at %dx%d (%s)" % (mode, size[0], size[1], got))
    lines = mbtest.screen_text(dumps[3]) if 3 in dumps else []
    ctx.check(any("mbios VGA test: INT 10h OK" in l for l in lines),
              "the last text screen reads 'mbios VGA test: INT 10h OK' (%s)"
              % [l for l in lines if l.strip()][-2:])
    vram = int((r.bs.info.get("vbe_vram_64k") or ["0"])[0], 16)
    ctx.check(vram == 256, "VBE reports QEMU's 16 MiB of VRAM (%d x 64 KiB)" % vram)
    # EISA id "RHT" (Red Hat): the EDID is QEMU's, not one of ours.
    ctx.check(r.bs.info.get("edid_mfg") == ["4914"], "the EDID's manufacturer is QEMU's "
              "RHT (%s)" % r.bs.info.get("edid_mfg"))
    # Without a ROM BAR QEMU hands the ROM over as fw_cfg "vgaroms/":
    # the ROM finds its device itself.
    sub = ctx.sub("vgaroms")
    r = mbtest.run_bootprog(sub.workdir, [Disk(path, "virtio")], bios=ctx.bios,
                            machine=machine, extra=["-device", "VGA,rombar=0,romfile="
                                                    + mbtest.OUR_VGA_ROM])
    _check_bootprog(sub, r, VGA_CHECKS + VGA_EDID_CHECKS)
    # With 4 MiB of VRAM the mode list drops what no longer fits.
    sub = ctx.sub("vgamem4")
    r = mbtest.run_bootprog(sub.workdir, [Disk(path, "virtio")], bios=ctx.bios,
                            machine=machine, vga_rom="ours",
                            extra=["-global", "VGA.vgamem_mb=4"])
    _check_bootprog(sub, r, VGA_CHECKS + VGA_EDID_CHECKS)
    modes = (r.bs.info.get("vbe_modes") or [""])[0].split()
    sub.check(r.bs.info.get("vbe_vram_64k") == ["0040"] and "0143" in modes
              and "0144" not in modes and "0146" not in modes,
              "4 MiB: 1024x768x32 listed, 1280x1024x32 and 1920x1080x32 not (%s)" % modes)


test("vga-int10-pc", ["bootsect", "vga"])(lambda ctx: _vga_int10(ctx, "pc"))
test("vga-int10-virtio-q35", ["bootsect", "vga"])(
    lambda ctx: _vga_int10(ctx, "q35", "virtio-vga"))


def _vga_menus(ctx, machine):
    """The boot menu and the TPM menu on the screen of our VGA ROM: QMP
    screendumps decoded against the font, and the text buffer."""
    tpm = Swtpm(ctx.workdir, version=2)
    tpm.setup()
    shots = {}

    def shot(name, keys):
        def take(qmp):
            time.sleep(0.5)  # the serial copy runs a little ahead
            ppm = os.path.join(ctx.workdir, name + ".ppm")
            mem = os.path.join(ctx.workdir, name + ".text")
            mbtest.qmp_command(qmp, "screendump", filename=ppm)
            mbtest.qmp_command(qmp, "pmemsave", val=0xB8000, size=4000, filename=mem)
            with open(ppm, "rb") as f, open(mem, "rb") as g:
                shots[name] = (mbtest.screen_text(f.read()), mbtest.text_buffer(g.read()))
            if name == "tpm":
                mbtest.qmp_command(qmp, "quit")
            return keys
        return take

    script = [("Press ESC for the boot menu", ESC),
              ("t\\. TPM configuration\r?\n", shot("boot", b"t")),
              ("ESC\\. Back to the boot menu\r?\n", shot("tpm", None))]
    r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                        vga_rom="ours", qmp=True, serial_script=script, extra=MENU,
                        timeout=120)
    ctx.check(r.hook is not None and len(r.hook) == len(script),
              "every console step happened (%s)" % (r.hook,))
    want = {"boot": ["Select boot device:", "t. TPM configuration"],
            "tpm": ["TPM 2.0:", "PCR banks active", "ESC. Back to the boot menu"]}
    for name, lines in want.items():
        pixels, text = shots.get(name, ([], []))
        for line in lines:
            ctx.check(any(l.strip().startswith(line) for l in pixels),
                      "%s menu: '%s' drawn on the screen (font decoded from the "
                      "screendump)" % (name, line))
            ctx.check(any(l.strip().startswith(line) for l in text),
                      "%s menu: '%s' in the VGA text buffer" % (name, line))
    if ctx.failed:
        for name, (pixels, text) in shots.items():
            ctx.note("%s screen:\n%s" % (name, "\n".join(pixels)))


test("vga-menus-q35-tpm2", ["tpm", "vga"])(lambda ctx: _vga_menus(ctx, "q35"))


def _ppm_info(path):
    """(width, height, lit pixels) of a screendump."""
    with open(path, "rb") as f:
        data = f.read()
    head = data.split(b"\n", 3)
    w, h = map(int, head[1].split())
    px = head[3]
    lit = sum(1 for i in range(0, len(px), 3) if px[i:i + 3] != b"\0\0\0")
    return w, h, lit


GRUB_VBE_CFG = """serial --unit=0 --speed=115200
terminal_input serial
terminal_output serial console
echo MBT-GRUB: on the BIOS console too
terminal_output serial
echo MBT-GRUB: vbeinfo
sleep 2
vbeinfo
loadfont /boot/grub/ascii.pf2
set gfxmode=1024x768x32
terminal_output --append gfxterm
echo MBT-GRUB: gfxterm
set timeout=60
menuentry "mbios VBE menu entry" {
  echo chosen
}
"""


def _grub_vbe(ctx, machine, device="VGA"):
    """GRUB on our VGA ROM: vbeinfo lists the ROM's VBE modes and gfxterm
    draws GRUB's menu in 1024x768x32 (the screen changes from the text
    mode to a framebuffer with the menu's pixels). bochs-display has no
    VGA: no text screen and no 8 bpp modes (no DAC), VBE through its MMIO
    dispi registers."""
    vga = device != "bochs-display"
    path = os.path.join(mbtest.OUT, "grub-vbe.img")
    kernel, initrd = mbtest.find_kernel(), mbtest.build_initramfs()
    with mbtest._build_lock:
        if not mbtest._newer(path, [kernel, initrd, mbtest.__file__, __file__]):
            mbtest.make_grub_disk(path, kernel, initrd, "", cfg_text=GRUB_VBE_CFG,
                                  modules=["vbe", "videoinfo", "gfxterm", "font", "sleep"],
                                  files=[("/usr/share/grub/ascii.pf2", "ascii.pf2")])

    def shot(name, quit_after):
        def take(qmp):
            time.sleep(1.0)
            mbtest.qmp_command(qmp, "screendump",
                               filename=os.path.join(ctx.workdir, name + ".ppm"))
            if quit_after:
                mbtest.qmp_command(qmp, "quit")
        return take

    script = [("MBT-GRUB: vbeinfo", shot("text", False)),
              ("mbios VBE menu entry", shot("menu", True))]
    r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine=machine,
                        disks=[Disk(path, "virtio")], vga_rom="ours", vga_device=device,
                        qmp=True, serial_script=script, timeout=120)
    ctx.check(r.hook is not None and len(r.hook) == len(script),
              "GRUB reached its menu (%s)" % (r.hook,))
    text = r.serial
    ctx.check(re.search(r"VBE info:\s+version: 3\.0", text),
              "vbeinfo: VBE 3.0 from our ROM")
    for mode, w, h, bpp in (("0x117", 1024, 768, 16), ("0x143", 1024, 768, 32),
                            ("0x101", 640, 480, 8)):
        listed = re.search(r"%s\s+%d\s*x\s*%d\s*x\s*%d\b" % (mode, w, h, bpp), text)
        want = vga or bpp > 8
        ctx.check(bool(listed) == want, "vbeinfo %s mode %s (%dx%dx%d)"
                  % ("lists" if want else "leaves out", mode, w, h, bpp))
    info = {}
    for name in ("text", "menu"):
        p = os.path.join(ctx.workdir, name + ".ppm")
        info[name] = _ppm_info(p) if os.path.exists(p) else (0, 0, 0)
    w, h, lit = info["menu"]
    ctx.check((w, h) == (1024, 768), "gfxterm: the screen is 1024x768 (%dx%d)" % (w, h))
    ctx.check(lit > 2000, "gfxterm drew GRUB's menu (%d lit pixels)" % lit)
    if ctx.failed:
        ctx.note(r.tail(40))
    if not vga:
        return
    ctx.check(info["text"][:2] == (720, 400), "before gfxterm: 720x400 text mode (%s)"
              % (info["text"],))
    # GRUB's "console" terminal writes through INT 10h (teletype, cursor,
    # write character): its line must be on the text screen.
    p = os.path.join(ctx.workdir, "text.ppm")
    lines = mbtest.screen_text(open(p, "rb").read()) if os.path.exists(p) else []
    ctx.check(any("MBT-GRUB: on the BIOS console too" in l for l in lines),
              "GRUB's console terminal printed on our text screen (%s)"
              % [l for l in lines if l.strip()][-3:])


test("vga-grub-gfxterm-pc", ["grub", "vga"], cost=2)(lambda ctx: _grub_vbe(ctx, "pc"))
test("vga-grub-gfxterm-bochs-q35", ["grub", "vga"], cost=2)(
    lambda ctx: _grub_vbe(ctx, "q35", "bochs-display"))


def _vesafb(ctx, machine, device="VGA"):
    """Linux's real-mode setup code picks VBE mode 0x117 (vga=0x317) from
    our ROM; vesafb then drives its linear framebuffer."""
    r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, vga_rom="ours",
                          vga_device=device, extra_append="mbt.boot=direct vga=0x317")
    rep = _check_report(ctx, r)
    video = rep.all("video")
    ctx.check(any("vesafb: mode is 1024x768x16" in v for v in video),
              "vesafb: mode is 1024x768x16 (%s)" % video)
    ctx.check(any(re.search(r"vesafb: framebuffer at 0x[0-9a-f]+, mapped", v) for v in video)
              and any("fb0: VESA VGA frame buffer device" in v for v in video),
              "vesafb reports the framebuffer as fb0")
    if ctx.failed:
        ctx.note(r.tail(30))


test("vga-vesafb-q35", ["vga"])(lambda ctx: _vesafb(ctx, "q35"))


def _boot_menu(ctx, machine, buses=("ide",), names=("HARDDISK",)):
    """-boot menu=on over the serial console: the firmware offers the menu,
    ESC opens it, a digit picks the last entry (a disk, one per bus, listed
    under names) over the first (the -kernel ROM), and that disk boots."""
    import subprocess
    good = _good_disk()
    disks = [Disk(good, b) for b in buses]
    pick = str(len(disks) + 1).encode()
    argv = mbtest.qemu_argv(ctx.bios, machine=machine, disks=disks,
                            kernel=mbtest.find_kernel(), append="console=ttyS0",
                            extra=["-boot", "menu=on,splash-time=5000"])
    argv[argv.index("-serial") + 1] = "stdio"  # keys go in on stdin
    with open(os.path.join(ctx.workdir, "cmdline"), "w") as f:
        f.write(" ".join(argv) + "\n")
    p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b""
    deadline = time.monotonic() + 60
    sent = []
    os.set_blocking(p.stdout.fileno(), False)
    while time.monotonic() < deadline and p.poll() is None:
        chunk = p.stdout.read() or b""
        out += chunk
        if b"Press ESC for the boot menu" in out and "esc" not in sent:
            p.stdin.write(b"\x1b")
            p.stdin.flush()
            sent.append("esc")
        if b"Select boot device" in out and pick + b". " in out and "pick" not in sent:
            p.stdin.write(pick)
            p.stdin.flush()
            sent.append("pick")
        time.sleep(0.05)
    if p.poll() is None:
        p.kill()
    p.wait()
    out += p.stdout.read() or b""
    text = out.decode(errors="replace").replace("\r", "")
    with open(os.path.join(ctx.workdir, "serial.log"), "w") as f:
        f.write(text)
    ctx.check("Press ESC for the boot menu" in text, "the firmware offers the boot menu")
    menu = re.findall(r"^(\d)\. (.*)$", text, re.M)
    ctx.check(len(menu) >= 1 + len(names) and "Linux loader" in menu[0][1] and
              all(n in menu[1 + i][1] for i, n in enumerate(names)),
              "the menu lists the -kernel ROM first, then the disks as %s (%s)"
              % (list(names), menu))
    booted = re.findall(r"^Booting from Hard Disk \((.*)\)\.\.\.$", text, re.M)
    ctx.check("BS PASS good_disk_booted" in text and booted and names[-1] in booted[-1],
              "choosing %s booted the last disk, not the kernel (keys sent: %s)"
              % (pick.decode(), sent))
    if ctx.failed:
        ctx.note(text[-1500:])


test("bootmenu-pc-serial", ["bootsect"])(lambda ctx: _boot_menu(ctx, "pc"))
test("bootmenu-q35-vscsi-nvme", ["bootsect"])(lambda ctx: _boot_menu(
    ctx, "q35", ("vscsi", "nvme"),
    ("virtio-scsi 0:0: QEMU QEMU HARDDISK", "NVMe: QEMU NVMe Ctrl")))


# --------------------------------------------------------------------------
# g. PCR differences: change one input, exactly the PCRs that measure it move
# --------------------------------------------------------------------------

def _measured_boot(sctx, bios, machine="pc", iface="tis", version=2, banks="all",
                   append="mbt.boot=direct", disk=None, mbr=None, **kw):
    """One measured boot (direct, or from disk) with every usual check;
    returns the Measured or None.  kw goes to run_qemu (extra, mem)."""
    tpm = Swtpm(sctx.workdir, version=version, banks=banks)
    tpm.setup()
    if disk is not None:
        r = mbtest.run_qemu(sctx.workdir, bios=bios, machine=machine, disks=[disk], tpm=tpm,
                            tpm_iface=iface, timeout=180, **kw)
        rep = _check_report(sctx, r, boot="grub")
    else:
        r = mbtest.boot_linux(sctx.workdir, bios=bios, machine=machine, tpm=tpm,
                              tpm_iface=iface, extra_append=append, **kw)
        rep = _check_report(sctx, r)
    m = check_measured_boot(sctx, r, tpm, rep, mbr=mbr)
    if m is None:
        sctx.check(False, "measured boot gave PCRs and a log to compare")
    return m


def _compare_pcrs(ctx, a, b, differ, equal):
    """PCRs in `differ` must differ in every bank, those in `equal` must not."""
    if a is None or b is None:
        return
    ctx.check(sorted(a.pcrs) == sorted(b.pcrs), "same banks in both boots (%s / %s)"
              % (sorted(a.pcrs), sorted(b.pcrs)))
    for bank in sorted(set(a.pcrs) & set(b.pcrs)):
        pa, pb = a.pcrs[bank], b.pcrs[bank]
        for i in differ:
            ctx.check(pa.get(i) is not None and pa.get(i) != pb.get(i),
                      "%s PCR%d differs (%s... / %s...)" % (
                          bank, i, (pa.get(i) or b"").hex()[:12], (pb.get(i) or b"").hex()[:12]))
        same = [i for i in equal if pa.get(i) is not None and pa.get(i) == pb.get(i)]
        ctx.check(same == list(equal), "%s PCRs %s equal (differ: %s)" % (
            bank, ",".join(map(str, equal)), [i for i in equal if i not in same]))


def _digests_of(m, pcr, etype, data_pred=None):
    return [e.digests for e in m.events if e.pcr == pcr and e.type == etype
            and (data_pred is None or data_pred(e.data))]


def _check_digest_of(ctx, m, pcr, etype, blob, what, data_pred=None):
    """An event (pcr, etype) whose digest in every bank is the hash of blob."""
    if m is None:
        return
    ok = any(all(d == _hash(mbtest.ALG_NAMES[a], blob) for a, d in digs.items())
             for digs in _digests_of(m, pcr, etype, data_pred))
    ctx.check(ok, "PCR%d event 0x%x digest = hash of %s in every bank" % (pcr, etype, what))


def _unused_fill_offset(img):
    """Offset of a byte no code reads: the start of the last all-zero 4 KiB
    page below the F-segment pool (the gap after the 32-bit part, or the
    low padding of a 256 KiB image)."""
    pool = len(img) - 0x2000     # 0xFE000 in the image's last 128 KiB
    for off in range(pool - 0x1000, -1, -0x1000):
        if not any(img[off:off + 0x1000]):
            return off
    raise mbtest.HarnessError("no unused 4 KiB page of zeros in the image")


def _pcrdiff_image(ctx):
    """PCR0 measures the whole image: flip one byte of unused fill, PCR0
    moves, PCRs 1-3 do not."""
    img = bytearray(open(ctx.bios, "rb").read())
    off = _unused_fill_offset(img)
    flipped = os.path.join(ctx.workdir, "bios-flipped.bin")
    img[off] ^= 0xFF
    with open(flipped, "wb") as f:
        f.write(img)
    orig = open(ctx.bios, "rb").read()
    diff = [i for i in range(len(img)) if img[i] != orig[i]]
    ctx.check(diff == [off], "the two images differ in byte 0x%x only (%s; %s, %s)"
              % (off, diff[:5], ctx.bios, flipped))
    a = _measured_boot(ctx.sub("original"), ctx.bios)
    b = _measured_boot(ctx.sub("flipped"), flipped)
    for label, m, path in (("original", a, ctx.bios), ("flipped", b, flipped)):
        _check_digest_of(ctx.sub(label), m, 0, 0x01, open(path, "rb").read(),
                         "the whole image file (EV_POST_CODE)")
    _compare_pcrs(ctx, a, b, differ=[0], equal=[1, 2, 3])
    if not ctx.failed:
        os.unlink(flipped)


def _pcrdiff_cmdline(ctx):
    """PCR4 measures the direct-boot command line: a different one moves
    PCR4 and nothing in PCRs 0-3."""
    app_a, app_b = "mbt.boot=direct", "mbt.boot=direct mbt.pcrdiff=1"
    a = _measured_boot(ctx.sub("cmdline-a"), ctx.bios, machine="q35", append=app_a)
    b = _measured_boot(ctx.sub("cmdline-b"), ctx.bios, machine="q35", append=app_b)
    for label, m, app in (("cmdline-a", a, app_a), ("cmdline-b", b, app_b)):
        line = (mbtest.KERNEL_CMDLINE + " " + app).encode()
        _check_digest_of(ctx.sub(label), m, 4, mbtest.EV_IPL_CODE, line, "the command line",
                         data_pred=lambda d, line=line: d.rstrip(b"\0") == line)
    _compare_pcrs(ctx, a, b, differ=[4], equal=[0, 1, 2, 3])


def _smbios_tag(m):
    tags = [e for e in m.events if e.pcr == 1 and e.type == EV_EVENT_TAG
            and struct.unpack("<I", e.data[:4])[0] == 1]
    return tags[0].data if tags else None


def _pcr1_stable(ctx):
    """PCR 1 is a function of the VM configuration, not of one start: two
    cold starts with -device vmgenid (a new generation id each start) and
    another VM of the same configuration (other -uuid and serial number)
    give the same PCR 1; a configuration change (memory size) moves it."""
    def vm(uuid, serial):
        return ["-device", "vmgenid", "-uuid", uuid,
                "-smbios", "type=1,serial=%s" % serial]
    u1, u2 = "6b2d4c1e-0f6a-4c8e-9d2b-3a1f5e7c9b01", "0c9e8f7a-5b4d-4e3c-8a2b-1f0e9d8c7b6a"
    a = _measured_boot(ctx.sub("vm1-start1"), ctx.bios, machine="q35", extra=vm(u1, "SER-A1"))
    b = _measured_boot(ctx.sub("vm1-start2"), ctx.bios, machine="q35", extra=vm(u1, "SER-A1"))
    c = _measured_boot(ctx.sub("vm2"), ctx.bios, machine="q35", extra=vm(u2, "SER-B2"))
    d = _measured_boot(ctx.sub("vm1-more-ram"), ctx.bios, machine="q35", extra=vm(u1, "SER-A1"),
                       mem="768")
    debug = mbtest._read(os.path.join(ctx.workdir, "vm1-start1", "debug.log"))
    ctx.check("etc/vmgenid_guid" in debug, "QEMU's table-loader placed etc/vmgenid_guid "
              "(the per-start blob is there to leave out)")
    _compare_pcrs(ctx, a, b, differ=[], equal=[0, 1, 2, 3])
    _compare_pcrs(ctx, a, c, differ=[], equal=[1])
    _compare_pcrs(ctx, a, d, differ=[1], equal=[0, 2, 3])
    for label, m, uuid, serial in (("vm1", a, u1, "SER-A1"), ("vm2", c, u2, "SER-B2")):
        tag = _smbios_tag(m) if m else None
        ctx.check(tag is not None, "[%s] PCR 1 has the SMBIOS tag event" % label)
        if tag:
            raw = bytes.fromhex(uuid.replace("-", ""))
            # SMBIOS stores the first three UUID fields little-endian.
            smb = raw[3::-1] + raw[5:3:-1] + raw[7:5:-1] + raw[8:]
            ctx.check(serial.encode() not in tag and smb not in tag and raw not in tag,
                      "[%s] the measured SMBIOS has neither the serial number nor the "
                      "UUID" % label)


test("pcr1-stable-vmgenid", ["tpm", "pcrdiff"], cost=4)(_pcr1_stable)


# A byte of boot.img's text that only shows on a disk error (GRUB's
# "Hard Disk" message): changing its case changes MBR code bytes 0-439
# without changing what runs on a good disk.
MBR_TEXT = b"Hard Disk"


def _pcrdiff_mbr(ctx):
    """PCR4 measures MBR bytes 0-439 (EV_IPL): change one byte of GRUB's
    boot.img message text; PCR4 moves, PCR5 (partition table) does not."""
    base = mbtest.grub_disk()
    with open(base, "rb") as f:
        mbr = f.read(512)
    pos = mbr.find(MBR_TEXT, 0, 440)
    if pos < 0:
        raise mbtest.HarnessError("no %r in the GRUB MBR" % MBR_TEXT)
    overlay = mbtest.patched_disk(os.path.join(ctx.workdir, "grub-patched.qcow2"), base,
                                  [(pos, b"h")])
    mbr2 = mbtest.read_image(overlay, "qcow2", 0, 512)
    diff = [i for i in range(512) if mbr[i] != mbr2[i]]
    ctx.check(diff == [pos], "patched MBR differs from GRUB's in byte %d only (%s)" % (pos, diff))
    a = _measured_boot(ctx.sub("grub-mbr"), ctx.bios, machine="q35", disk=Disk(base, "ide"),
                       mbr=mbr)
    b = _measured_boot(ctx.sub("grub-mbr-patched"), ctx.bios, machine="q35",
                       disk=Disk(overlay, "ide", fmt="qcow2"), mbr=mbr2)
    _compare_pcrs(ctx, a, b, differ=[4], equal=[0, 1, 2, 3, 5])
    if not ctx.failed:
        os.unlink(overlay)


test("pcrdiff-pcr0-image", ["tpm", "pcrdiff"], cost=2)(_pcrdiff_image)
test("pcrdiff-pcr4-cmdline", ["tpm", "pcrdiff"], cost=2)(_pcrdiff_cmdline)
test("pcrdiff-pcr4-mbr", ["tpm", "pcrdiff", "grub"], cost=4)(_pcrdiff_mbr)


# --------------------------------------------------------------------------
# h. firmware variants built at test time: event log full, failed extend
# --------------------------------------------------------------------------

VARIANTS = {
    # name: (Kconfig settings, what the console must say)
    "logfull": ({"CONFIG_TPM_LOG_LIMIT_KB": 1}, "event log full"),
    # four banks: 1 KiB would not even hold the reserved error separators
    "logfull2k": ({"CONFIG_TPM_LOG_LIMIT_KB": 2}, "event log full"),
    "extendfail": ({"CONFIG_TCG_TEST_FAIL_EXTEND_AT": 6}, "PCR extend failed"),
}
FAIL_EXTEND_AT = 6


def _variant(ctx, kind, machine, iface, version, banks="all"):
    """Built from this tree (not --bios): the log and the PCRs must stay in
    step after the firmware stopped measuring, and the console says why."""
    settings, why = VARIANTS[kind]
    bios = mbtest.build_variant(kind, settings)
    tpm = Swtpm(ctx.workdir, version=version, banks=banks)
    tpm.setup()
    r = mbtest.boot_linux(ctx.workdir, bios=bios, machine=machine, tpm=tpm, tpm_iface=iface)
    rep = _check_report(ctx, r)
    m = check_measured_boot(ctx, r, tpm, rep, capped=why)
    said = [l for l in r.serial.splitlines() if why in l]
    ctx.check(said, "console says why: %s" % (said[0].strip() if said else
                                              "no line with %r" % why))
    if m is None:
        return
    measured = [e for e in m.events if e.type != mbtest.EV_NO_ACTION
                and not (e.type == mbtest.EV_SEPARATOR and e.data == ERROR_SEP)]
    ctx.note("%d measured events before the cap, log %d bytes" % (len(measured), len(m.log)))
    if kind.startswith("logfull"):
        limit = settings["CONFIG_TPM_LOG_LIMIT_KB"] * 1024
        ctx.check(len(m.log) <= limit, "the log the OS sees fits the %d-byte limit (%d bytes, "
                  "%d measured events, then the error separators)"
                  % (limit, len(m.log), len(measured)))
    else:
        hit = [l for l in r.debug.splitlines() if "extend %d sent to PCR 99" % FAIL_EXTEND_AT in l]
        ctx.check(hit, "debug port: the test build sent extend %d to PCR 99 (%s)"
                  % (FAIL_EXTEND_AT, hit[0].strip() if hit else "no such line"))
        code = TPM2_CC_PCR_EXTEND if version == 2 else TPM12_ORD_EXTEND
        to99 = [e for e in _answered(tpm.commands(), code)
                if struct.unpack(">I", e[1][10:14])[0] == 99]
        rc = _rsp_rc(to99[0][2]) if to99 else None
        ctx.check(to99 and rc != 0, "the TPM rejected the extend of PCR 99 (%s)"
                  % rc_text(rc, version))
        ctx.check(len(measured) == FAIL_EXTEND_AT - 1,
                  "the log holds exactly the %d events whose extends succeeded before the "
                  "failed one (%d)" % (FAIL_EXTEND_AT - 1, len(measured)))
    if ctx.failed:
        ctx.note("logs in %s; firmware %s" % (ctx.workdir, bios))


# logfull on TPM 2.0 with one bank: with all four, 1 KiB cannot even hold the
# reserve for eight error separators and the firmware refuses the log area.
for _k, _m, _i, _v, _b in (("logfull", "q35", "crb", 2, "sha256"),
                           ("logfull2k", "pc", "tis", 2, "all"),
                           ("extendfail", "pc", "tis", 2, "all"),
                           ("logfull", "pc", "tis", 1, "sha1"),
                           ("extendfail", "q35", "tis", 1, "sha1")):
    test("tpmvariant-%s-%s-%s-tpm%s-%s" % (_k, _m, _i, "2" if _v == 2 else "12", _b),
         ["tpm", "tpmvariant"])(
        lambda ctx, k=_k, m=_m, i=_i, v=_v, b=_b: _variant(ctx, k, m, i, v, b))


KERNEL_HASHED_RE = re.compile(r"kernel and initrd measured in \d+ us \((\S+)\)")


def _kernel_hash_code(ctx, r, want):
    """The debug port says which code hashed the direct-boot kernel."""
    m = KERNEL_HASHED_RE.search(r.debug)
    ctx.check(m and m.group(1) == want, "the kernel was hashed by the %s code (%s)"
              % (want, m.group(0) if m else "no such debug line"))


def _nohash64(ctx):
    """The i386 hash code alone (CONFIG_HASH64=n, as on a CPU without long
    mode) measures a direct boot whose log replays and whose PCRs are the
    ones predicted from the files: the same values as the 64-bit code's."""
    bios = mbtest.build_variant("nohash64", {"CONFIG_HASH64": "n"})
    tpm = Swtpm(ctx.workdir, version=2, banks="all")
    tpm.setup()
    append = "mbt.boot=direct mbt.tpmcheck=1"
    r = mbtest.boot_linux(ctx.workdir, bios=bios, machine="q35", tpm=tpm, tpm_iface="tis",
                          extra_append=append)
    rep = _check_report(ctx, r)
    m = check_measured_boot(ctx, r, tpm, rep)
    if m is not None:
        check_prediction(ctx, m, bios, "q35", 2, "all", direct_inputs(append))
    _kernel_hash_code(ctx, r, "32-bit")


test("tpmvariant-nohash64-q35-tis-tpm2-all", ["tpm", "tpmvariant"])(_nohash64)


# --------------------------------------------------------------------------
# i. the INT 1Ah TCG BIOS interface (AH=BBh) from a boot loader's side
# --------------------------------------------------------------------------

TCG_CLIENT_CHECKS = [
    "tcg_status", "tcg_pass_through", "tcg_hash_all", "tcg_hlee_short", "tcg_hlee_long",
    "tcg_compact", "tcg_pass_through_extend", "tcg_hash_log_event",
    "tcg_status_after_events", "tcg_bad_ipb_short", "tcg_bad_ipb_long", "tcg_bad_event_pcr",
    "tcg_bad_event_len", "tcg_bad_pcr_24", "tcg_bad_pcr_17", "tcg_bad_hash_over_firmware",
    "tcg_bad_hash_past_memory", "tcg_bad_output_over_firmware", "tcg_bad_magic",
    "tcg_bad_hle_type", "tcg_bad_pass_cmd_len", "tcg_bad_pass_output_short",
    "tcg_bad_hash_all_alg", "tcg_bad_compact_pcr", "tcg_tss_unsupported",
    "tcg_unknown_function", "tcg_status_after_bad_input", "tcg_bad_input_logged_nothing",
    "tcg_pcr_read", "tcg_log_read", "tcg_shutdown", "tcg_shut_functions_fail",
    "tcg_status_after_shutdown",
]
TCG_COMPACT_INFO = 0x4D42494F
TCG_PARAMS_MAGIC = 0x4354424D  # "MBTC"
EV_COMPACT_HASH = 0x0C


def tcg_pattern(seed, n):
    """The data bootsect/tcg.c hashes (its pattern())."""
    return bytes((i * 31 + seed) & 0xFF for i in range(n))


def _tcg_disk(chain):
    """The tcg client at LBA 0, its parameter sector at LBA 48."""
    prog_path = mbtest.build_bootprog("tcg")
    path = os.path.join(mbtest.OUT, "tcg-%s.img" % ("chain" if chain else "exit"))
    with mbtest._build_lock:
        if not mbtest._newer(path, [prog_path, __file__]):
            prog = open(prog_path, "rb").read()
            params = struct.pack("<II", TCG_PARAMS_MAGIC, 1 if chain else 0)
            img = prog + b"\0" * (mbtest.PARAMS_LBA * 512 - len(prog)) + params
            mbtest.make_sector_disk(path, img.ljust((mbtest.PARAMS_LBA + 1) * 512, b"\0"))
    return path


def _walk_log(data, last_off):
    """Records of a log (SHA-1 or crypto-agile) up to and including the one
    at offset last_off: ([(offset, Event)], specid_algs or None). The Spec
    ID event is record 1, as the firmware counts event numbers."""
    out, off, algs = [], 0, None
    while off <= last_off:
        if algs is None:
            pcr, etype = struct.unpack_from("<II", data, off)
            digest = data[off + 8:off + 28]
            size = struct.unpack_from("<I", data, off + 28)[0]
            body = data[off + 32:off + 32 + size]
            ev = mbtest.Event(pcr, etype, {0x0004: digest}, body)
            if off == 0 and etype == mbtest.EV_NO_ACTION and body.startswith(b"Spec ID Event03\0"):
                n = struct.unpack_from("<I", body, 24)[0]
                algs = dict(struct.unpack_from("<HH", body, 28 + 4 * i) for i in range(n))
            out.append((off, ev))
            off += 32 + size
            continue
        pcr, etype, count = struct.unpack_from("<III", data, off)
        pos, digests = off + 12, {}
        for _ in range(count):
            alg = struct.unpack_from("<H", data, pos)[0]
            digests[alg] = data[pos + 2:pos + 2 + algs[alg]]
            pos += 2 + algs[alg]
        size = struct.unpack_from("<I", data, pos)[0]
        out.append((off, mbtest.Event(pcr, etype, digests, data[pos + 4:pos + 4 + size])))
        off = pos + 4 + size
    if not out or out[-1][0] != last_off:
        raise ValueError("no record starts at EDI (offset %#x)" % last_off)
    return out, algs


def _client_pcrs(bs, tpm2):
    """{bank name: {pcr: value}} from the client's PassThroughToTPM reads."""
    pcrs = {}
    for line in bs.info.get("tcg_pcr", []):
        n, alg, hexrsp = line.split()
        rsp, alg = bytes.fromhex(hexrsp), int(alg, 16)
        if len(rsp) < 10 or struct.unpack(">I", rsp[6:10])[0] != 0:
            continue
        if not tpm2:
            pcrs.setdefault("sha1", {})[int(n)] = rsp[10:30]
            continue
        off = 14                                           # header, update counter
        nsel = struct.unpack_from(">I", rsp, off)[0]
        off += 4
        for _ in range(nsel):
            off += 3 + rsp[off + 2]
        if struct.unpack_from(">I", rsp, off)[0] != 1:
            continue                                       # bank not allocated
        size = struct.unpack_from(">H", rsp, off + 4)[0]
        name = mbtest.ALG_NAMES.get(alg)
        if name:
            pcrs.setdefault(name, {})[int(n)] = rsp[off + 6:off + 6 + size]
    return pcrs


def _check_int1a_client(ctx, bs, version):
    """What the tcg client reported: digests, event numbers, the log read
    back through StatusCheck's pointers replayed against PCRs 0-9 read
    through PassThroughToTPM. Returns the client's records (for the Linux
    log) or None."""
    def info(key, idx=0):
        v = bs.info.get(key)
        return v[idx].split() if v and len(v) > idx else None
    tpm2 = version == 2
    ctx.check(info("tcg_tpm") == ["2" if tpm2 else "12"], "client detected TPM %s through "
              "PassThroughToTPM (%s)" % ("2.0" if tpm2 else "1.2", info("tcg_tpm")))
    hall = info("tcg_hashall")
    ctx.check(hall and bytes.fromhex(hall[0]) == hashlib.sha1(tcg_pattern(5, 333)).digest(),
              "HashAll gives the SHA-1 of the data (%s)" % hall)
    need = ["tcg_status", "tcg_status_after_bad_input", "tcg_hlee_short", "tcg_hlee_long",
            "tcg_compact", "tcg_hle", "tcg_digest_only"]
    if not ctx.check(all(info(k) for k in need), "client reported %s" % need):
        return None
    esi, edi = (int(x, 16) for x in info("tcg_status_after_bad_input")[:2])
    ctx.check(int(info("tcg_status")[0], 16) == esi, "StatusCheck's ESI (log base) is stable")
    raw = bytearray()
    for line in bs.info.get("tcg_log", []):
        off, hexdata = line.split()
        if int(off, 16) != len(raw):
            ctx.check(False, "log chunk at %s follows the one before" % off)
        raw += bytes.fromhex(hexdata)
    try:
        recs, algs = _walk_log(bytes(raw), edi - esi)
    except (ValueError, struct.error, KeyError) as e:
        ctx.check(False, "log from ESI to EDI parses: %s" % e)
        return None
    ctx.check((algs is not None) == tpm2, "log format: %s" % ("crypto-agile" if algs else "SHA-1"))
    algs = algs or {0x0004: 20}
    with open(os.path.join(ctx.workdir, "client-eventlog.bin"), "wb") as f:
        f.write(raw[:recs[-1][0] + 4096])
    events = [e for _, e in recs]

    def record(key, pcr, etype, data, hashed, what):
        num = int(info(key)[0])
        ok = 1 <= num <= len(events)
        e = events[num - 1] if ok else None
        ctx.check(ok and e.pcr == pcr and e.type == etype and e.data == data,
                  "%s: event number %d is its record in the log (PCR %d, type %#x, data %r)"
                  % (what, num, pcr, etype, data))
        if e is not None:
            ctx.check(set(e.digests) == set(algs) and all(
                d == _hash(mbtest.ALG_NAMES[a], hashed) for a, d in e.digests.items()),
                "%s: the record's digest in every bank (%s) is the hash of the data"
                % (what, sorted(mbtest.ALG_NAMES.get(a) for a in e.digests)))
        return num

    n1 = record("tcg_hlee_short", 8, mbtest.EV_IPL, b"mbios int1a short", tcg_pattern(1, 300),
                "HashLogExtendEvent (short block)")
    n2 = record("tcg_hlee_long", 9, mbtest.EV_IPL, b"mbios int1a long", tcg_pattern(2, 517),
                "HashLogExtendEvent (long block)")
    n3 = record("tcg_compact", 8, EV_COMPACT_HASH, struct.pack("<I", TCG_COMPACT_INFO),
                tcg_pattern(3, 100), "CompactHashLogExtendEvent (ESI logged as the event data)")
    n4 = record("tcg_hle", 9, mbtest.EV_IPL, b"mbios int1a HashLogEvent", tcg_pattern(4, 64),
                "HashLogEvent")
    ctx.check([n2, n3, n4] == [n1 + 1, n1 + 2, n1 + 3],
              "event numbers are consecutive (%s)" % [n1, n2, n3, n4])
    for key, seed, n in (("tcg_hlee_short", 1, 300), ("tcg_hlee_long", 2, 517)):
        got = bytes.fromhex(info(key)[1])
        ctx.check(got == hashlib.sha1(tcg_pattern(seed, n)).digest(),
                  "%s: the output block's digest is the SHA-1 of the data (%s)" % (key, got.hex()))
    rc, num = info("tcg_digest_only")
    if set(algs) == {0x0004}:
        ok = rc == "00000000" and int(num) == n4 + 1 and events[n4].digests[4] == bytes(
            range(0xA0, 0xB4)) if len(events) > n4 else False
        ctx.check(ok, "SHA-1-only log: a caller-computed digest is extended and logged as "
                  "given (eax %s, event %s)" % (rc, num))
    else:
        ctx.check(rc == "%08x" % 0x19 and int(num) == 0,
                  "log with banks besides SHA-1: a caller-computed SHA-1 is refused with 19h "
                  "(eax %s)" % rc)
    ctx.check(recs[-1][1] is events[-1] and len(events) == (n4 + 1 if set(algs) == {4} else n4),
              "EDI points at the client's last record (%d records)" % len(events))

    pcrs = _client_pcrs(bs, tpm2)
    banks = {mbtest.ALG_NAMES[a] for a in algs}
    ctx.check(set(pcrs) == banks, "PassThroughToTPM PCR reads cover exactly the log's banks "
              "(%s / %s)" % (sorted(pcrs), sorted(banks)))
    replayed = mbtest.replay(events[1:] if tpm2 else events, algs)
    for bank in sorted(banks & set(pcrs)):
        bad = [i for i in range(10) if pcrs[bank].get(i) != replayed[bank][i]]
        ctx.check(not bad, "log replayed in %s = PCRs 0-9 read through PassThroughToTPM "
                  "(mismatch: %s)" % (bank, bad))
    shut = bs.info.get("tcg_after_shutdown", [])
    ctx.check(len(shut) == 6 and all(l.split()[1] == "%08x" % 0x21 for l in shut),
              "after ShutdownPreBootInterface functions 1, 2, 4-7 return 21h (%s)" % shut)
    return events[n1 - 1:]


def _int1a(ctx, machine, iface, version, banks, linux):
    """The tcg boot-sector client on this TPM; with linux=True it then
    boots GRUB from a second disk through INT 18h, and the OS's log must
    still replay and parse, with the client's events in it."""
    tpm = Swtpm(ctx.workdir, version=version, banks=banks)
    tpm.setup()
    bus = "ide"
    disks = [Disk(_tcg_disk(linux), bus, bootindex=1, unit=0)]
    mbr = None
    if linux:
        grub = mbtest.grub_disk()
        with open(grub, "rb") as f:
            mbr = f.read(512)
        disks.append(Disk(grub, bus, bootindex=2, unit=1))
    r = mbtest.run_bootprog(ctx.workdir, disks, bios=ctx.bios, machine=machine, tpm=tpm,
                            tpm_iface=iface, timeout=180 if linux else 90)
    bs = r.bs
    _require_run(ctx, r, "tcg client")
    ctx.check(bs.started == "tcg", "the tcg client started (BS START on COM1)")
    for name in TCG_CLIENT_CHECKS:
        ok, detail = bs.checks.get(name, (False, "not reported"))
        ctx.check(ok, "%s: %s" % (name, detail))
    for name in [n for n in bs.checks if n not in TCG_CLIENT_CHECKS]:
        ok, detail = bs.checks[name]
        ctx.check(ok, "%s: %s" % (name, detail))
    ctx.check(bs.done is not None and bs.done[1] == 0, "client finished with no failures "
              "(BS DONE %s)" % (bs.done,))
    client = _check_int1a_client(ctx, bs, version)
    if not linux:
        ctx.check(r.exit_code == 1, "exit through isa-debug-exit with 0 (QEMU status 1, got %s)"
                  % r.exit_code)
    else:
        ctx.check("BS CHAIN INT 18h" in r.serial, "the client went on with INT 18h")
        ctx.check("MBT-GRUB: booting" in r.serial, "the next disk's GRUB ran")
        rep = _check_report(ctx, r, boot="grub")
        m = check_measured_boot(ctx, r, tpm, rep, mbr=mbr, foreign_pcrs=(8, 9))
        if m is not None and client:
            got = [(e.pcr, e.type, e.data, e.digests) for e in m.events]
            want = [(e.pcr, e.type, e.data, e.digests) for e in client]
            ctx.check(any(got[i:i + len(want)] == want for i in range(len(got))),
                      "the OS's log holds the client's %d records unchanged" % len(want))
            replayed = mbtest.replay(m.events, m.algs)
            for bank in sorted(m.pcrs):
                bad = [i for i in (8, 9) if m.pcrs[bank].get(i) != replayed[bank][i]]
                ctx.check(not bad, "OS: replayed %s PCRs 8-9 match the TPM (mismatch: %s)"
                          % (bank, bad))
    if ctx.failed:
        ctx.note(r.tail(40))


for _m, _i, _v, _b, _lx in (("pc", "tis", 1, "sha1", True), ("q35", "tis", 2, "all", False),
                               ("q35", "crb", 2, "sha256", True), ("pc", "tis", 2, "all", True)):
    test("int1a-%s-%s-tpm%s-%s" % (_m, _i, "2" if _v == 2 else "12", _b),
         ["tpm", "int1a", "bootsect"], cost=2 if _lx else 1)(
        lambda ctx, m=_m, i=_i, v=_v, b=_b, lx=_lx: _int1a(ctx, m, i, v, b, lx))


# --------------------------------------------------------------------------
# h. TPM configuration: the boot menu's TPM entry (keys over the serial
#    console) and the Physical Presence Interface (a request from the
#    guest, answered over serial at the next boot), each seen from outside
#    the firmware.
# --------------------------------------------------------------------------

ESC = b"\x1b"
EV_PLATFORM_CONFIG_FLAGS = 0x0A
MENU = ["-boot", "menu=on,splash-time=2500"]


def _reports(r):
    """Every guest report in a run's console (one per boot that got there)."""
    parts = r.serial.split("MBT begin")
    return [mbtest.Report("MBT begin" + p) for p in parts[1:]]


def _tpm_config_event(m, how, name):
    """PCR 1's record of a configuration change."""
    want = ("TPM configuration (%s): %s, result 0x0" % (how, name)).encode()
    return [e for e in m.events if e.pcr == 1 and e.type == EV_PLATFORM_CONFIG_FLAGS
            and e.data == want]


def _config_boot(sctx, tpm, machine, iface, script=None, append="", extra=(), reboot=False):
    r = mbtest.boot_linux(sctx.workdir, bios=sctx.bios, machine=machine, tpm=tpm,
                          tpm_iface=iface, serial_script=script,
                          extra=(MENU if script else []) + list(extra),
                          extra_append="mbt.boot=direct " + append, no_reboot=not reboot,
                          timeout=240)
    _require_run(sctx, r, "QEMU")
    if script is not None:
        sctx.check(r.hook is not None and len(r.hook) == len(script),
                   "every console step happened (%d of %d: %s)"
                   % (len(r.hook or []), len(script), (r.hook or [])[-1:]))
    reps = _reports(r)
    rep = reps[-1] if reps else mbtest.Report("")
    sctx.check(rep.complete, "the last boot's guest report is complete")
    return r, rep


def _owner_auth_set(sctx, rep):
    rs = rep.tpm_responses()
    sctx.check(_rsp_rc(rs.get("set_owner_auth")) == 0 and _rsp_rc(rs.get("owner_empty_after_set")),
               "the guest set an owner auth: the empty auth fails afterwards (%s, %s)"
               % (rc_text(_rsp_rc(rs.get("set_owner_auth")), 2),
                  rc_text(_rsp_rc(rs.get("owner_empty_after_set")), 2)))


def _menu_clear20(ctx, machine, iface, vga=False):
    """Boot menu, TPM 2.0, Clear: an owner auth set by the OS is empty
    after it; the platform stays locked for the OS; PCR 1 records it.
    vga: on QEMU's standard VGA with our VGA BIOS, whose screen shows the
    result too."""
    tpm = Swtpm(ctx.workdir, version=2)
    tpm.setup()
    extra = ["-device", "VGA,romfile=" + mbtest.OUR_VGA_ROM] if vga else []
    a = ctx.sub("set-owner-auth")
    _, rep = _config_boot(a, tpm, machine, iface, append="mbt.ownerauth=set", extra=extra)
    _owner_auth_set(a, rep)
    b = ctx.sub("menu-clear")
    screen = []

    qmp = os.path.join(b.workdir, "qmp.sock")

    def shot(_):
        time.sleep(0.5)
        ppm = os.path.join(b.workdir, "done.ppm")
        mbtest.qmp_command(qmp, "screendump", filename=ppm)
        with open(ppm, "rb") as f:
            screen.extend(mbtest.screen_text(f.read()))
        return ESC

    script = [("Press ESC", ESC), (r"t\. TPM configuration", b"t"),
              ("owner auth set: yes", None), (r"1\. Clear", b"1"),
              ("press Y to confirm", b"y"), ("Clear: done", shot if vga else ESC),
              ("Select boot device", b"1")]
    if vga:
        extra = extra + ["-qmp", "unix:%s,server=on,wait=off" % qmp]
    r, rep = _config_boot(b, tpm, machine, iface, script, append="mbt.tpmcheck=1", extra=extra)
    if vga:
        b.check(any(l.startswith("TPM: Clear: done") for l in screen),
                "the screen shows 'TPM: Clear: done' (%s)" % [l for l in screen if l][-3:])
    check_handoff_lock(b, rep, 2)  # owner HierarchyChangeAuth with the empty auth works
    m = check_measured_boot(b, r, tpm, rep)
    if m:
        b.check(_tpm_config_event(m, "boot menu", "Clear"), "PCR 1 records the clear")


def _menu_banks20(ctx, machine, iface):
    """Boot menu, TPM 2.0, PCR banks: sha1 off; the firmware resets; the
    next boot has exactly the other banks, in the TPM and the Spec ID."""
    tpm = Swtpm(ctx.workdir, version=2)
    tpm.setup()
    script = [("Press ESC", ESC), (r"t\. TPM configuration", b"t"),
              (r"2\. Change PCR banks", b"2"), (r"1\. \[x\] sha1", b"1"),
              (r"1\. \[ \] sha1", b"a"), ("press Y to confirm", b"y"),
              ("restarting the machine now", None), ("Press ESC", None)]
    r, rep = _config_boot(ctx, tpm, machine, iface, script, reboot=True)
    m = check_measured_boot(ctx, r, tpm, rep)
    if m:
        ctx.check(sorted(m.pcrs) == ["sha256", "sha384", "sha512"],
                  "the TPM's active banks after the reset: %s" % sorted(m.pcrs))


def _menu12(ctx, machine):
    """Boot menu, TPM 1.2 (owned by swtpm_setup): clear ownership leaves it
    enabled, active, not owned; deactivate (with a reset) leaves it
    inactive; activate brings it back -- each seen in the guest's sysfs."""
    tpm = Swtpm(ctx.workdir, version=1, owned=True)
    tpm.setup()
    # (label, state shown first, item, its digit, needs a yes, sysfs after)
    steps = (
        ("clear", "owned yes", "Clear ownership", b"4", True, ("1", "1", "0")),
        ("deactivate", "active yes", "Deactivate", b"2", True, ("1", "0", "0")),
        ("activate", "active no", "Activate", b"2", False, ("1", "1", "0")))
    for label, state, item, digit, confirm, flags in steps:
        sub = ctx.sub(label)
        script = [("Press ESC", ESC), (r"t\. TPM configuration", b"t"), (state, None),
                  (r"\d\. %s" % item, digit)]
        if confirm:
            script.append(("press Y to confirm", b"y"))
        script += [("restarting the machine now", None), ("Press ESC", None)]
        r, rep = _config_boot(sub, tpm, machine, "tis", script, append="mbt.tpmcheck=1",
                              reboot=True)
        got = tuple(rep.get("flag_" + f) for f in ("enabled", "active", "owned"))
        sub.check(got == flags, "guest sysfs enabled/active/owned = %s (want %s)" % (got, flags))
        check_handoff_lock(sub, rep, 1)
        if flags[1] == "1":
            check_measured_boot(sub, r, tpm, rep)


test("tpmmenu-clear-q35-tis-tpm2", ["tpm", "tpmconfig"], cost=2)(
    lambda ctx: _menu_clear20(ctx, "q35", "tis"))
test("tpmmenu-clear-vga-q35-tis-tpm2", ["tpm", "tpmconfig", "vga"], cost=2)(
    lambda ctx: _menu_clear20(ctx, "q35", "tis", vga=True))
test("tpmmenu-banks-q35-crb-tpm2", ["tpm", "tpmconfig"], cost=2)(
    lambda ctx: _menu_banks20(ctx, "q35", "crb"))
test("tpmmenu-pc-tis-tpm12", ["tpm", "tpmconfig"], cost=6)(lambda ctx: _menu12(ctx, "pc"))


def _ppi(ctx, machine, iface, version, op, answer, expect, arg=None, raw=False, extra=()):
    """An OS request through the PPI, then a reboot; `answer` is typed at
    the firmware's prompt (None: no answer).  expect: "done", "refused"
    (by the person or the clock), "unsupported" (the _DSM refuses it; no
    reboot) or "bios-failure" (the firmware refuses it)."""
    tpm = Swtpm(ctx.workdir, version=version)
    tpm.setup()
    req = "%d%s" % (op, ":%d" % arg if arg is not None else "")
    # An owner auth set before the request shows whether a clear happened.
    owner = version == 2 and op in (5, 200)
    append = "mbt.tpmcheck=1 %s=%s%s" % ("mbt.ppiraw" if raw else "mbt.ppi", req,
                                          " mbt.ownerauth=set" if owner else "")
    script = None
    if expect in ("done", "refused"):
        script = [("The operating system asks to change the TPM", answer)]
    r, rep = _config_boot(ctx, tpm, machine, iface, script, append=append, extra=extra,
                          reboot=expect != "unsupported")
    reps = _reports(r)
    first = reps[0] if reps else rep
    ctx.check(first.get("ppi_version") == "1.3", "Linux sees PPI 1.3 (%s)" % first.get("ppi_version"))
    ops = dict(l.split(None, 1) for l in first.all("ppi_op_status"))
    want_ops = ("5", "14", "21", "22", "23") if version == 2 else ("1", "2", "3", "4", "5")
    ctx.check(all(ops.get(o, "").startswith("3") for o in want_ops),
              "tcg_operations: operations %s need a present user (%s)" % (want_ops, ops))
    ctx.check(ops.get("0", "").startswith("4"), "tcg_operations: 0 needs nobody (%s)" % ops.get("0"))
    if owner and expect != "unsupported":
        _owner_auth_set(ctx, first)
    resp = rep.get("ppi_response") or ""
    if expect == "unsupported":
        ctx.check(first.get("ppi_request") == "refused %d" % op,
                  "the OS cannot request operation %d (%s)" % (op, first.get("ppi_request")))
        ctx.check(len(reps) == 1, "no reboot")
        return
    ctx.check(len(reps) == 2, "two boots: the request, then its result (%d)" % len(reps))
    want_code = {"done": "0", "refused": "0xFFFFFFF0", "bios-failure": "0xFFFFFFF1"}[expect]
    ctx.check(resp.startswith("%d " % op) and want_code in resp.split(":")[0] + resp,
              "ppi/response is operation %d with result %s (%s)" % (op, want_code, resp))
    line = {"done": "done", "refused": "nothing changed", "bios-failure": "does not offer"}[expect]
    said = [l for l in r.serial.splitlines() if l.startswith("TPM") and line in l]
    ctx.check(said, "the console says it (%s)" % (said[:1] or "no line with %r" % line))
    if owner and expect != "done":
        # The owner auth stays: only the platform half of the lock check.
        rc = _rsp_rc(rep.tpm_responses().get("hca_platform"))
        ctx.check(rc is not None and rc != 0, "OS: TPM2_HierarchyChangeAuth(TPM_RH_PLATFORM, "
                  "empty password) is refused (%s)" % rc_text(rc, 2))
    else:
        check_handoff_lock(ctx, rep, version)
    if owner:
        rc = _rsp_rc(rep.tpm_responses().get("hca_owner"))
        cleared = rc == 0
        ctx.check(cleared == (expect == "done"), "owner auth %s (empty-auth HierarchyChangeAuth: %s)"
                  % ("cleared" if expect == "done" else "kept", rc_text(rc, 2)))
    if expect == "done" and (version, op) == (2, 5):
        # (A disabled or deactivated TPM 1.2 has no log to look at.)
        m = check_measured_boot(ctx, r, tpm, rep)
        if m:
            ctx.check(_tpm_config_event(m, "OS request", "Clear"), "PCR 1 records the clear")
    return r, rep, tpm


def _ppi_banks(ctx, machine, iface):
    r, rep, tpm = _ppi(ctx, machine, iface, 2, 23, b"y", "done", arg=0x2)
    m = check_measured_boot(ctx, r, tpm, rep)
    if m:
        ctx.check(sorted(m.pcrs) == ["sha256"], "only sha256 active now (%s)" % sorted(m.pcrs))


def _ppi12(ctx, machine, op, flags):
    res = _ppi(ctx, machine, "tis", 1, op, b"y", "done")
    if res:
        rep = res[1]
        got = tuple(rep.get("flag_" + f) for f in ("enabled", "active"))
        ctx.check(got == flags, "guest sysfs enabled/active = %s (want %s)" % (got, flags))


def _confirm_ms(ctx, ms):
    path = os.path.join(ctx.workdir, "ppi-confirm-ms")
    with open(path, "wb") as f:
        f.write(struct.pack("<I", ms))
    return ["-fw_cfg", "name=opt/org.mbios/ppi-confirm-ms,file=" + path]


test("ppi-clear-q35-tis-tpm2", ["tpm", "tpmconfig"], cost=2)(
    lambda ctx: _ppi(ctx, "q35", "tis", 2, 5, b"y", "done"))
test("ppi-refuse-pc-crb-tpm2", ["tpm", "tpmconfig"], cost=2)(
    lambda ctx: _ppi(ctx, "pc", "crb", 2, 5, b"n", "refused"))
test("ppi-timeout-q35-crb-tpm2", ["tpm", "tpmconfig"], cost=2)(
    lambda ctx: _ppi(ctx, "q35", "crb", 2, 5, None, "refused", extra=_confirm_ms(ctx, 1500)))
test("ppi-unsupported-pc-tis-tpm2", ["tpm", "tpmconfig"])(
    lambda ctx: _ppi(ctx, "pc", "tis", 2, 34, None, "unsupported"))
test("ppi-garbage-pc-tis-tpm2", ["tpm", "tpmconfig"], cost=2)(
    lambda ctx: _ppi(ctx, "pc", "tis", 2, 200, None, "bios-failure", raw=True))
test("ppi-banks-q35-crb-tpm2", ["tpm", "tpmconfig"], cost=3)(
    lambda ctx: _ppi_banks(ctx, "q35", "crb"))
test("ppi-disable-q35-tis-tpm12", ["tpm", "tpmconfig"], cost=2)(
    lambda ctx: _ppi12(ctx, "q35", 2, ("0", "1")))
test("ppi-deactivate-pc-tis-tpm12", ["tpm", "tpmconfig"], cost=3)(
    lambda ctx: _ppi12(ctx, "pc", 4, ("1", "0")))

# --------------------------------------------------------------------------
# j. attestation and sealing end to end (scripts/mbios-attest): the host
#    predicts the PCRs, the guest (tpm2-tools in the initramfs) seals to the
#    prediction, unseals in later boots and quotes its PCRs
# --------------------------------------------------------------------------

SEAL_SEL = "sha256:0,2,4,5"
QUOTE_SEL = "sha256:0,1,2,3,4,5,6,7"
SEAL_HANDLES = {"one": "0x81000011", "two": "0x81000012"}


def _predicted_policy(ctx, args, label):
    """The policy digest mbios-attest predict prints for SEAL_SEL."""
    rc, out = mbtest.attest_tool("predict", *(args + ["--policy", SEAL_SEL]))
    with open(os.path.join(ctx.workdir, "predict-%s.txt" % label), "w") as f:
        f.write(out)
    m = re.search(r"^policy %s \(sha256 session\): ([0-9a-f]{64})$" % re.escape(SEAL_SEL),
                  out, re.M)
    ctx.check(rc == 0 and m, "mbios-attest predict gives the %s policy digest for %s (%s)"
              % (label, SEAL_SEL, m.group(1)[:16] if m else out.strip()[-200:]))
    return m.group(1) if m else "00" * 32


def _attest_boot(sctx, tpm, machine, lines, append=None, disk=None, mbr=None):
    """One boot of the tpm2-tools guest running the attest instructions
    (guest-init.sh) given in fw_cfg opt/mbt/attest; returns (report,
    Measured)."""
    path = os.path.join(sctx.workdir, "attest.txt")
    with open(path, "w") as f:
        f.write("".join(l + "\n" for l in lines))
    extra = ["-fw_cfg", "name=opt/mbt/attest,file=" + path]
    if disk is not None:
        r = mbtest.run_qemu(sctx.workdir, bios=sctx.bios, machine=machine, disks=[disk],
                            tpm=tpm, tpm_iface="crb", timeout=300, extra=extra)
        rep = _check_report(sctx, r, boot="grub")
    else:
        r = mbtest.run_qemu(sctx.workdir, bios=sctx.bios, machine=machine,
                            kernel=mbtest.find_kernel(),
                            initrd=mbtest.build_initramfs(tpm2_tools=True),
                            append=mbtest.KERNEL_CMDLINE + " " + append, tpm=tpm,
                            tpm_iface="crb", timeout=240, extra=extra)
        rep = _check_report(sctx, r)
    m = check_measured_boot(sctx, r, tpm, rep, mbr=mbr)
    sctx.check(rep.get("attest") == "yes", "guest read its instructions from fw_cfg (%s)"
               % rep.get("attest"))
    for err in rep.all("attest_err"):
        sctx.note("guest tool error: " + err)
    return rep, m


def _unsealed(rep, name):
    for v in rep.all("attest_unseal"):
        parts = v.split(" ", 2)
        if parts[0] == name:
            return parts[2] if parts[1] == "ok" and len(parts) > 2 else None
    return None


def _check_unseal(sctx, rep, name, secret, expect):
    got = _unsealed(rep, name)
    if expect:
        sctx.check(got == secret, "secret '%s' unseals (%r)" % (name, got))
    else:
        sctx.check(got is None and any(v.startswith(name + " fail")
                                       for v in rep.all("attest_unseal")),
                   "secret '%s' does not unseal (%r)" % (name, got))


def _seal_lines(pol_one, pol_two, secrets):
    return ["policy " + SEAL_SEL, "pcrread " + SEAL_SEL,
            "seal one %s %s %s" % (SEAL_HANDLES["one"], pol_one, secrets["one"]),
            "seal two %s %s %s" % (SEAL_HANDLES["two"], pol_two, secrets["two"])]


def _unseal_lines():
    return ["unseal %s %s %s" % (n, h, SEAL_SEL) for n, h in sorted(SEAL_HANDLES.items())]


def _check_sealed(sctx, rep, pol_one):
    got = [v.split()[1] for v in rep.all("attest_policy") if v.startswith(SEAL_SEL)]
    sctx.check(got == [pol_one], "the TPM's own PolicyPCR digest of its PCRs now (trial "
               "session) = the prediction (%s)" % (got[0][:16] if got else "none"))
    # mbios-attest policy reads tpm2_pcrread's own YAML
    yaml = os.path.join(sctx.workdir, "tpm2_pcrread.yaml")
    with open(yaml, "w") as f:
        f.write("".join(l + "\n" for l in rep.all("attest_pcrread")))
    rc, out = mbtest.attest_tool("policy", "--policy", SEAL_SEL, yaml)
    sctx.check(rc == 0 and pol_one in out, "mbios-attest policy on the guest's tpm2_pcrread "
               "output gives the same digest (%s)" % out.strip()[-80:])
    sctx.check(sorted(rep.all("attest_seal")) == ["one ok", "two ok"],
               "guest sealed both secrets to the predicted digests (%s)"
               % rep.all("attest_seal"))


def _attest_quote(ctx, rep, m, nonce, args, kernel):
    """The quote of a boot: tpm2_checkquote and mbios-attest verify accept
    it; a kernel with one changed byte makes the tool name that event."""
    files = {}
    for v in rep.all("attest_file"):
        name, _, data = v.partition(" ")
        files[name] = os.path.join(ctx.workdir, name)
        with open(files[name], "wb") as f:
            f.write(base64.b64decode(data))
    if not ctx.check(rep.get("attest_quote") == "ok" and len(files) == 5,
                     "guest quoted %s with a new AK (%s)" % (QUOTE_SEL, sorted(files))):
        return
    r = subprocess.run(["tpm2_checkquote", "-u", files["ak.pem"], "-m", files["q.msg"],
                        "-s", files["q.sig"], "-f", files["q.pcrs"], "-g", "sha256",
                        "-q", nonce], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    ctx.check(r.returncode == 0, "tpm2_checkquote: signature, nonce and PCR digest good "
              "(exit %d%s)" % (r.returncode, "" if r.returncode == 0 else
                               ": " + r.stdout.decode(errors="replace")[-200:]))
    quote = ["--log", m.log_path, "--quote", files["q.msg"], "--sig", files["q.sig"],
             "--nonce", nonce]
    for ak in ("ak.pub", "ak.pem"):
        rc, out = mbtest.attest_tool("verify", "--ak", files[ak], *(quote + args))
        with open(os.path.join(ctx.workdir, "verify-quote-%s.txt" % ak), "w") as f:
            f.write(out)
        ctx.check(rc == 0 and "signature (RSASSA sha256) by the AK: good" in out
                  and "= the log's replay" in out,
                  "mbios-attest verify (AK %s): quote signature, nonce, PCR digest = log "
                  "replay, every event of PCRs 0-7 = prediction (exit %d, %s)"
                  % (ak, rc, out.strip().splitlines()[-1]))
    rc, out = mbtest.attest_tool("verify", "--ak", files["ak.pub"], *(
        quote[:-1] + ["00" + nonce[2:]] + args))
    ctx.check(rc == 1 and "NOT the one given" in out, "another nonce: verify exits 1 "
              "(exit %d)" % rc)
    # one byte of the protected-mode kernel changed: only that event differs
    bad = bytearray(open(kernel, "rb").read())
    bad[-100] ^= 1
    bad_path = os.path.join(ctx.workdir, "vmlinuz-1-byte-changed")
    with open(bad_path, "wb") as f:
        f.write(bad)
    args_bad = [bad_path if x == kernel else x for x in args]
    rc, out = mbtest.attest_tool("verify", "--ak", files["ak.pub"], *(quote + args_bad))
    with open(os.path.join(ctx.workdir, "verify-changed-kernel.txt"), "w") as f:
        f.write(out)
    events = [l for l in out.splitlines() if re.match(r"PCR \d+ event", l)]
    ctx.check(rc == 1 and len(events) == 1 and
              events[0].startswith('PCR 4 event 4: EV_COMPACT_HASH "Linux kernel": digest '
                                   'differs'),
              "kernel with one byte changed: verify exits 1 and names exactly the PCR 4 "
              "'Linux kernel' event (exit %d, %s)" % (rc, events))
    mism = sorted(set(re.findall(r"^\S+\s+(\d)\s.*MISMATCH", out, re.M)))
    ctx.check(mism == ["4"], "... and only PCR 4 differs from the prediction (%s)" % mism)
    os.unlink(bad_path)


def _attest_direct(ctx):
    """Seal/unseal across direct boots and a quote: boot 1 seals 'one' to
    the predicted policy of this command line and 'two' to the predicted
    policy of another one; boot 2 (same) unseals 'one' only and quotes;
    boot 3 (the other command line) unseals 'two' only."""
    machine, c1, c2 = "q35", "mbt.boot=direct", "mbt.boot=direct mbt.cmdline=2"
    kernel = mbtest.find_kernel()
    args1 = prediction_args(ctx.bios, machine, 2, "all", direct_inputs(c1, True, kernel))
    args2 = prediction_args(ctx.bios, machine, 2, "all", direct_inputs(c2, True, kernel))
    pol1 = _predicted_policy(ctx, args1, "cmdline-1")
    pol2 = _predicted_policy(ctx, args2, "cmdline-2")
    ctx.check(pol1 != pol2, "the two command lines give different policies")
    secrets = {"one": "secret-one-%d" % os.getpid(), "two": "secret-two-%d" % os.getpid()}
    tpm = Swtpm(ctx.workdir)
    tpm.setup()
    s1 = ctx.sub("boot1-seal")
    rep, m1 = _attest_boot(s1, tpm, machine, _seal_lines(pol1, pol2, secrets), append=c1)
    _check_sealed(s1, rep, pol1)
    if m1:
        check_prediction(s1, m1, ctx.bios, machine, 2, "all", direct_inputs(c1, True, kernel))
    nonce = hashlib.sha256(b"mbios quote %d" % os.getpid()).hexdigest()[:40]
    s2 = ctx.sub("boot2-same")
    rep, m2 = _attest_boot(s2, tpm, machine, _unseal_lines() + ["quote %s %s" % (nonce, QUOTE_SEL)],
                           append=c1)
    _check_unseal(s2, rep, "one", secrets["one"], True)
    _check_unseal(s2, rep, "two", secrets["two"], False)
    if m1 and m2:
        # PCR 1 too: predicted from boot 1's log
        check_prediction(s2, m2, ctx.bios, machine, 2, "all", direct_inputs(c1, True, kernel),
                         reference=m1.log_path)
        _attest_quote(s2, rep, m2, nonce, args1 + ["--reference", m1.log_path], kernel)
    s3 = ctx.sub("boot3-cmdline-2")
    rep, m3 = _attest_boot(s3, tpm, machine, _unseal_lines(), append=c2)
    _check_unseal(s3, rep, "one", secrets["one"], False)
    _check_unseal(s3, rep, "two", secrets["two"], True)
    if m3:
        check_prediction(s3, m3, ctx.bios, machine, 2, "all", direct_inputs(c2, True, kernel))


def _attest_grub(ctx):
    """Seal/unseal across GRUB disk boots.  The firmware measures the MBR
    (PCRs 4, 5); GRUB i386-pc measures nothing.  Boot 1 seals 'one' to the
    predicted policy of this disk and 'two' to that of the disk with one
    byte of boot.img's message text changed; boot 2 (that disk) unseals
    'two' only; boot 3 (the first disk with another kernel command line in
    grub.cfg) unseals 'one': what GRUB loads is outside PCRs 0-7."""
    machine = "q35"
    base = mbtest.grub_disk(tpm2_tools=True)
    with open(base, "rb") as f:
        mbr = f.read(512)
    pos = mbr.find(MBR_TEXT, 0, 440)
    mbr2 = mbr[:pos] + b"h" + mbr[pos + 1:]
    mbr2_path = os.path.join(ctx.workdir, "mbr-patched.bin")
    with open(mbr2_path, "wb") as f:
        f.write(mbr2)
    with open(base, "rb") as f:
        image = f.read()
    cfg = image.find(b"linux /boot/vmlinuz " + mbtest.KERNEL_CMDLINE.encode())
    ctx.check(cfg > 0 and image.count(b"linux /boot/vmlinuz ") == 1,
              "grub.cfg found once in the disk image (offset %d)" % cfg)
    panic = cfg + image[cfg:].find(b"panic=-1") + len("panic=-")
    disk2 = mbtest.patched_disk(os.path.join(ctx.workdir, "mbr-patched.qcow2"), base,
                                [(pos, b"h")])
    disk3 = mbtest.patched_disk(os.path.join(ctx.workdir, "cmdline-patched.qcow2"), base,
                                [(panic, b"2")])
    del image
    args1 = prediction_args(ctx.bios, machine, 2, "all", ["--disk", base])
    args2 = prediction_args(ctx.bios, machine, 2, "all", ["--disk", mbr2_path])
    pol1 = _predicted_policy(ctx, args1, "disk")
    pol2 = _predicted_policy(ctx, args2, "disk-mbr-patched")
    secrets = {"one": "grub-one-%d" % os.getpid(), "two": "grub-two-%d" % os.getpid()}
    tpm = Swtpm(ctx.workdir)
    tpm.setup()
    s1 = ctx.sub("boot1-seal")
    rep, m1 = _attest_boot(s1, tpm, machine, _seal_lines(pol1, pol2, secrets),
                           disk=Disk(base, "ide"), mbr=mbr)
    _check_sealed(s1, rep, pol1)
    if m1:
        check_prediction(s1, m1, ctx.bios, machine, 2, "all", ["--disk", base])
    s2 = ctx.sub("boot2-mbr-patched")
    rep, m2 = _attest_boot(s2, tpm, machine, _unseal_lines(),
                           disk=Disk(disk2, "ide", fmt="qcow2"), mbr=mbr2)
    _check_unseal(s2, rep, "one", secrets["one"], False)
    _check_unseal(s2, rep, "two", secrets["two"], True)
    if m1 and m2:
        check_prediction(s2, m2, ctx.bios, machine, 2, "all", ["--disk", mbr2_path],
                         reference=m1.log_path)
    s3 = ctx.sub("boot3-grub-cmdline")
    rep, m3 = _attest_boot(s3, tpm, machine, _unseal_lines(),
                           disk=Disk(disk3, "ide", fmt="qcow2"), mbr=mbr)
    s3.check("panic=-2" in rep.get("cmdline", ""), "the kernel got grub.cfg's other command "
             "line (%s)" % rep.get("cmdline"))
    _check_unseal(s3, rep, "one", secrets["one"], True)
    _check_unseal(s3, rep, "two", secrets["two"], False)
    if m1 and m3:
        _compare_pcrs(s3, m1, m3, differ=[], equal=[0, 1, 2, 3, 4, 5, 6, 7])
    if not ctx.failed:
        for p in (disk2, disk3):
            os.unlink(p)


test("attest-direct-seal-quote", ["tpm", "attest"], cost=4)(_attest_direct)
test("attest-grub-seal", ["tpm", "attest", "grub"], cost=6)(_attest_grub)

# --------------------------------------------------------------------------
# s3. Suspend to RAM and wake through QMP (docs/tpm.md, "S3 resume")
# --------------------------------------------------------------------------

S3_ENABLE = {"pc": "PIIX4_PM.disable_s3=0", "q35": "ICH9-LPC.disable_s3=0"}
TPM2_CC_STARTUP, TPM2_CC_SHUTDOWN = 0x144, 0x145
TPM12_ORD_SAVESTATE = 0x98
TPM2_RC_VALUE_P1 = 0x1C4  # TPM_RC_VALUE for parameter 1: "not the shutdown's type"


def _replays(log, pcrs):
    """Banks whose PCRs 0-7 the log replays to exactly (a log of one record
    or none replays to nothing)."""
    try:
        _, events, algs = mbtest.parse_event_log(log)
        replayed = mbtest.replay(events, algs)
    except ValueError:
        return []
    if len(events) <= 1:
        return []
    return [b for b in replayed if b in pcrs and
            all(replayed[b][i] == pcrs[b].get(i) for i in range(8))]


def _s3_run(ctx, machine, tpm=None, iface="tis"):
    """Boot Linux (mbt.s3=1), wait for its suspend, wake it with QMP
    system_wakeup. Returns (run, report before, report after) or None."""
    serial = os.path.join(ctx.workdir, "serial.log")

    def wait_text(proc, pred, what, timeout=150):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            if pred(mbtest._read(serial)):
                return
            time.sleep(0.1)
        if not pred(mbtest._read(serial)):  # the guest may be gone already
            raise mbtest.HarnessError("never saw %s" % what)

    def hook(proc, qmp):
        mbtest.qmp_command(qmp, "cont")
        wait_text(proc, lambda s: "MBT s3 suspending" in s, "the guest suspend")
        deadline = time.monotonic() + 30
        while mbtest.qmp_command(qmp, "query-status").get("status") != "suspended":
            if time.monotonic() > deadline:
                raise mbtest.HarnessError("QEMU never reported 'suspended'")
            time.sleep(0.1)
        mbtest.qmp_command(qmp, "system_wakeup")
        wait_text(proc, lambda s: s.count("MBT end") >= 2, "the report after the wake")
        return True  # the guest powers off after its second report
    append = "mbt.boot=direct mbt.s3=1" + (" mbt.tpmcheck=1" if tpm else "")
    r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                          tpm_iface=iface, paused=True, on_start=hook, timeout=300,
                          extra=["-global", S3_ENABLE[machine]], extra_append=append)
    before, woke, after = r.serial.partition("MBT s3 woke")
    rep1, rep2 = mbtest.Report(before), mbtest.Report(after)
    ctx.check(rep1.complete, "guest report before the suspend")
    ctx.check("MBT s3 suspending" in before, "the guest suspended to RAM (%s)" %
              re.findall(r"MBT s3 mem_sleep (.*)", before))
    token = re.findall(r"MBT s3 token (\w+)", before)
    again = re.match(r" (\w+)", after)
    ctx.check(woke and token and again and again.group(1) == token[0],
              "the guest woke with its memory intact (token %s before, %s after)"
              % (token[:1], again.group(1) if again else None))
    ctx.check(rep2.complete, "guest report after the wake")
    banners = re.findall(r"^mbios \S+ on ", r.serial, re.M)
    ctx.check(len(banners) == 1, "no second POST on the wake (%d banners)" % len(banners))
    ctx.check("S3 resume: waking the OS at" in r.serial,
              "console: 'S3 resume: waking the OS at ...'")
    if not (rep1.complete and rep2.complete):
        ctx.note(r.tail(40))
        return None
    return r, rep1, rep2


def _s3(ctx, machine, iface=None, version=None, lose_state=False):
    """Without a TPM the guest must simply resume. With one: Startup(STATE)
    on the wake, the same PCRs before and after, the log still replaying,
    the hand-off lock still in force. lose_state: the TPM refuses
    Startup(STATE) (a relay answers TPM_RC_VALUE), so the firmware must
    start it clean, cap PCRs 0-7 and lock it again."""
    tpm = None
    if version:
        if lose_state:
            tpm = mbtest.FaultyTpm(ctx.workdir, (TPM2_CC_STARTUP, 2, "rc", TPM2_RC_VALUE_P1),
                                   version=version)
        else:
            tpm = Swtpm(ctx.workdir, version=version)
        tpm.setup()
    got = _s3_run(ctx, machine, tpm, iface or "tis")
    if got is None or not tpm:
        ctx.check(got is not None, "suspend and resume completed")
        return
    r, rep1, rep2 = got
    events = tpm.commands()
    inits = [n for n, e in enumerate(events) if e[0] == "ctrl" and e[1] == 2]
    saved = [e for e in events[:inits[-1]] if e[0] == "tpm" and len(e[1]) >= 10 and
             mbtest._code(e[1]) == (TPM2_CC_SHUTDOWN if version == 2 else TPM12_ORD_SAVESTATE)]
    ctx.check(len(inits) >= 2 and saved, "QEMU reset the TPM on the wake (%d INITs) after "
              "the OS saved its state (%d Shutdown/SaveState)" % (len(inits), len(saved)))
    st, _, _ = mbtest.startup_summary(events, version)
    p1, p2 = rep1.pcrs(), rep2.pcrs()
    ctx.check(p1 and sorted(p1) == sorted(p2), "PCR banks before and after (%s / %s)"
              % (sorted(p1), sorted(p2)))
    check_handoff_lock(ctx, rep2, version)
    log = rep2.event_log()
    ctx.check(log == rep1.event_log(), "the OS's event log is unchanged (nothing new logged)")
    if lose_state:
        ctx.check(tpm.injected == [(TPM2_CC_STARTUP, "rc")],
                  "the relay refused Startup(STATE) (%s)" % tpm.injected)
        ctx.check(st == [(0, 0)], "after the refusal the firmware's Startup(CLEAR) worked (%s)"
                  % st)
        said = [l for l in r.serial.splitlines() if "lost its state over the suspend" in l]
        ctx.check(said and "capped" in said[0], "console says the state was lost and PCRs "
                  "capped (%s)" % (said[0].strip() if said else "no such line"))
        for bank in sorted(p2):
            bad = [i for i in range(8) if p2[bank].get(i) != _cap_only(bank)]
            ctx.check(not bad, "%s PCRs 0-7 = extend(0, H(01 00 00 00)) after the wake "
                      "(not on %s)" % (bank, bad))
        false = _replays(log, p2)
        ctx.check(not false, "the boot's log no longer replays (%s)" % false)
    else:
        state = 1 if version == 2 else 2
        ctx.check(st == [(state, 0)], "one Startup(STATE) on the wake, successful (%s)" % st)
        for bank in sorted(set(p1) & set(p2)):
            diff = [i for i in range(24) if p1[bank].get(i) != p2[bank].get(i)]
            ctx.check(not diff, "%s PCRs equal before and after the suspend (differ: %s)"
                      % (bank, diff))
        good = _replays(log, p2)
        ctx.check(sorted(good) == sorted(p2), "the log still replays to the PCRs after the "
                  "wake (banks %s of %s)" % (sorted(good), sorted(p2)))
        ctx.check("TPM: resumed with its saved state" in r.serial,
                  "console: 'TPM: resumed with its saved state'")
    if ctx.failed:
        ctx.note(r.tail(30))


test("s3-pc", ["linux", "s3"], cost=2)(lambda ctx: _s3(ctx, "pc"))
test("s3-q35", ["linux", "s3"], cost=2)(lambda ctx: _s3(ctx, "q35"))
test("s3-q35-tis-tpm2", ["tpm", "s3"], cost=2)(lambda ctx: _s3(ctx, "q35", "tis", 2))
test("s3-q35-crb-tpm2", ["tpm", "s3"], cost=2)(lambda ctx: _s3(ctx, "q35", "crb", 2))
test("s3-pc-tis-tpm12", ["tpm", "s3"], cost=2)(lambda ctx: _s3(ctx, "pc", "tis", 1))
test("s3-lost-pc-tis-tpm2", ["tpm", "s3"], cost=2)(
    lambda ctx: _s3(ctx, "pc", "tis", 2, lose_state=True))


# --------------------------------------------------------------------------
# w. The wait bound: a TPM that stops answering mid-boot costs at most 10 s
#    of firmware time in total, whatever durations it reported
# --------------------------------------------------------------------------

WAIT_BOUND_MS = 10000
HEALTHY_FIRMWARE_MS = 1500  # a measured boot reaches its boot device in < 1 s


def _waitbound(ctx, machine, iface, version, huge_durations, code, nth):
    """The TPM stops answering at the nth command `code`: a TPM 1.2 at an
    extend (which it reports as a 100 s "medium" command), a TPM 2.0 at
    its IncrementalSelfTest (the 30 s "long" class)."""
    tpm = mbtest.FaultyTpm(ctx.workdir, (code, nth, "hang", 0), version=version,
                           huge_durations=huge_durations)
    tpm.setup()
    debug = os.path.join(ctx.workdir, "debug.log")

    def hook(proc, qmp):
        # Only the firmware's time matters: stop once it hands over.
        deadline = time.monotonic() + 200
        while time.monotonic() < deadline and proc.poll() is None:
            if "Booting from" in mbtest._read(debug):
                break
            time.sleep(0.1)
        proc.kill()
        return True
    r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                          tpm_iface=iface, on_start=hook, timeout=240)
    ctx.check(tpm.injected == [(code, "hang")], "the TPM stopped answering at command %#x "
              "#%d (%s)" % (code, nth, tpm.injected))
    boot = re.search(r"^\[\s*(\d+)\.\d+\] .*\n(?:.*\n)*?Booting from", r.debug, re.M)
    stamps = [int(x) for x in re.findall(r"^\[\s*(\d+)\.\d+\]", r.debug, re.M)]
    ms = stamps[-1] if stamps else None
    ctx.check(boot and ms is not None and ms < WAIT_BOUND_MS + HEALTHY_FIRMWARE_MS,
              "firmware reached its boot device within %d ms + %d ms of a healthy boot "
              "(%s ms)" % (WAIT_BOUND_MS, HEALTHY_FIRMWARE_MS, ms))
    said = [l for l in r.serial.splitlines() if "abandoned" in l]
    ctx.check(said, "console: the TPM is abandoned (%s)" % (said[0].strip() if said else "none"))
    if huge_durations:
        d = re.search(r"tpm12: timeouts .* durations (\d+) (\d+) (\d+) us", r.debug)
        ctx.check(d and [int(x) for x in d.groups()] == [2000000, 20000000, 60000000],
                  "FFFFFFFFh durations capped at the class defaults (%s)" %
                  (d.group(0) if d else "no durations line"))
    if ctx.failed:
        ctx.note(r.tail(30))


test("waitbound-hang-selftest-q35-crb-tpm2", ["tpm", "tpmfault"])(
    lambda ctx: _waitbound(ctx, "q35", "crb", 2, False, TPM2_CC_SELFTEST, 1))
test("waitbound-hang-extend-pc-tis-tpm12", ["tpm", "tpmfault"])(
    lambda ctx: _waitbound(ctx, "pc", "tis", 1, False, TPM12_ORD_EXTEND, 3))
test("waitbound-hang-hugedur-pc-tis-tpm12", ["tpm", "tpmfault"])(
    lambda ctx: _waitbound(ctx, "pc", "tis", 1, True, TPM12_ORD_EXTEND, 3))


# --------------------------------------------------------------------------
# p. A passed-through TPM (no host TPM needed: mbtest.PassthroughTpm, a pty
#    relay to swtpm) that was started before this boot
# --------------------------------------------------------------------------

def _passthrough(ctx, machine, iface, case):
    """case "prestarted": the relay started the TPM and extended PCR 0
    before QEMU ran, as a host's firmware would. case "reboot": the first
    boot starts the fresh TPM and measures normally; after a VM reset
    (which a passed-through TPM does not see) the second boot finds it
    started, with the first boot's random platform auth. Either way: Linux
    boots, the console says what happened, the OS gets the TPM locked, and
    no log Linux exposes replays to the PCRs."""
    tpm = mbtest.PassthroughTpm(ctx.workdir, iface=iface, prestart=case == "prestarted")
    tpm.setup()
    append = "mbt.boot=direct mbt.tpmcheck=1"
    if case == "prestarted":
        r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                              tpm_iface=iface, extra_append=append)
        ctx.check(tpm.prestart_rcs == [0, 0], "the relay started the TPM and extended PCR 0 "
                  "before the VM (%s)" % tpm.prestart_rcs)
        boots = [r.serial]
    else:
        r = mbtest.boot_linux(ctx.workdir, bios=ctx.bios, machine=machine, tpm=tpm,
                              tpm_iface=iface, paused=True,
                              on_start=_reset_between_reports(ctx), timeout=300,
                              no_reboot=False, extra_append=append + " mbt.hold=1")
        first, sep, second = r.serial.partition("MBT end\n")
        boots = [first + sep, second]
        ctx.check(re.search(r"TPM 2\.0 \((TIS|CRB)\) started", boots[0]) and
                  "already started" not in boots[0],
                  "the first boot started the fresh TPM and measured normally")
        ctx.check(mbtest.Report(boots[0]).get("log") == "yes", "first boot: Linux has its log")
    rep = mbtest.Report(boots[-1])
    _require_run(ctx, r, "Linux boot")
    if not ctx.check(rep.complete, "Linux boots and reports (last boot)"):
        ctx.note(r.tail(40))
        return
    said = [l for l in boots[-1].splitlines() if "already started before this boot" in l]
    ctx.check(said, "console says the TPM was already started (%s)" %
              (said[0].strip() if said else "no such line"))
    got = [l for l in boots[-1].splitlines() if "the OS gets the TPM with PCRs 0-7 capped" in l]
    ctx.check(got, "console says what the OS gets (%s)" % (got[0].strip() if got else "none"))
    ctx.check(rep.get("tpm0") == "yes", "the OS still gets the TPM")
    ctx.check("TPM2" in " ".join(rep.all("dmesg_tpm")), "and its ACPI TPM2 table")
    check_handoff_lock(ctx, rep, 2)
    pcrs = rep.pcrs()
    try:
        log = rep.event_log()
    except mbtest.HarnessError:
        log = None
    false = _replays(log, pcrs) if log else []
    ctx.check(not false, "no log Linux exposes replays to the PCRs (log: %s; replays on %s)"
              % ("%d bytes" % len(log) if log else "none", false))
    ctx.check(not log, "no event log published for this boot (docs/tpm.md)")
    for bank in sorted(pcrs):
        zero = [i for i in range(8) if pcrs[bank].get(i) == b"\0" * len(pcrs[bank][i])]
        ctx.check(not zero, "%s PCRs 0-7 are not at their reset value (zero: %s)" % (bank, zero))
    if ctx.failed:
        ctx.note(r.tail(30))


# tpm-crb needs the TPM started before QEMU: QEMU reads its buffer size
# with GetCapability, which a fresh TPM answers with TPM_RC_INITIALIZE.
test("passthrough-prestarted-q35-crb-tpm2", ["tpm", "passthrough"])(
    lambda ctx: _passthrough(ctx, "q35", "crb", "prestarted"))
test("passthrough-reboot-q35-tis-tpm2", ["tpm", "passthrough"], cost=2)(
    lambda ctx: _passthrough(ctx, "q35", "tis", "reboot"))


# --------------------------------------------------------------------------
# m. CD-ROM drives (ATAPI on PIIX IDE and AHCI) and El Torito boot
# --------------------------------------------------------------------------

CD_CHECKS = ["cd_boot_drive", "cd_4b01_status", "cd_41_edd", "cd_48_params", "cd_42_pvd",
             "cd_42_brvd_two_sectors", "cd_42_catalog", "cd_42_image",
             "cd_42_past_end_fails", "cd_43_write_protected", "cd_02_refused"]
EMU_CHECKS = ["emu_08_geometry", "emu_02_read", "emu_02_last_sector",
              "emu_03_write_protected", "emu_4b00_terminate"]
FLOPPY_CHECKS = ["emu_11_floppy", "emu_15_floppy"]
# The drive's name in the boot list and messages, by machine, for a CD
# at Disk unit 2 (pc: secondary master; q35: AHCI port 2).
CD_NAME = {"pc": "DVD/CD [ata1-0]: QEMU DVD-ROM", "q35": "DVD/CD [AHCI port 2]: QEMU DVD-ROM"}
CD_UNIT = 2


def _cd(path, bootindex=None, unit=CD_UNIT):
    return Disk(path, "ide", bootindex=bootindex, unit=unit, cdrom=True)


def _good_disk():
    good = os.path.join(mbtest.OUT, "good.img")
    prog = mbtest.build_bootprog("good")
    with mbtest._build_lock:
        if not mbtest._newer(good, [prog, mbtest.__file__]):
            mbtest.make_sector_disk(good, open(prog, "rb").read())
    return good


def _cd_checks(mode):
    return CD_CHECKS + (EMU_CHECKS if mode != "noemu" else []) + (
        FLOPPY_CHECKS if mode == "floppy" else [])


def _check_booting_line(ctx, r, machine):
    want = "Booting from %s..." % CD_NAME[machine]
    ctx.check(want in r.serial, "console: %r" % want)


def _cdboot(ctx, machine, mode):
    """The El Torito test program (bootsect/cdboot.c) booted from a CD:
    no emulation, a 1.44 MB diskette or a hard disk image."""
    iso = mbtest.cd_iso(mode)
    r = mbtest.run_bootprog(ctx.workdir, [_cd(iso)], bios=ctx.bios, machine=machine,
                            timeout=60)
    _check_bootprog(ctx, r, _cd_checks(mode))
    _check_booting_line(ctx, r, machine)
    want = "%02x" % mbtest.CD_BOOT_DRIVE[mode]
    ctx.check(r.bs.info.get("boot_drive") == [want], "booted with DL=%sh (%s)"
              % (want, r.bs.info.get("boot_drive")))


for _m, _l in (("pc", "pc-ide"), ("q35", "q35-ahci")):
    for _mode in ("noemu", "floppy", "hdd"):
        test("cdrom-%s-%s" % (_mode, _l), ["cdrom", "bootsect"])(
            lambda ctx, m=_m, mode=_mode: _cdboot(ctx, m, mode))


def _cd_grub(ctx, machine):
    """A GRUB rescue CD (grub-mkrescue) boots Linux from the CD."""
    iso = mbtest.grub_iso()
    r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine=machine, disks=[_cd(iso)],
                        timeout=180)
    _check_booting_line(ctx, r, machine)
    ctx.check("MBT-GRUB: booting" in r.serial, "GRUB ran the CD's grub.cfg")
    rep = _check_report(ctx, r, boot="cdrom")
    if rep.complete:
        ctx.check(rep.cpus == 1, "guest sees 1 CPU")


test("cdrom-grub-pc-ide", ["cdrom", "grub"], cost=2)(lambda ctx: _cd_grub(ctx, "pc"))
test("cdrom-grub-q35-ahci", ["cdrom", "grub"], cost=2)(lambda ctx: _cd_grub(ctx, "q35"))


VSCSI_CD_NAME = "virtio-scsi 0:0: QEMU QEMU CD-ROM"


def _cd_grub_vscsi(ctx):
    """The GRUB rescue CD from a scsi-cd on virtio-scsi (bootindex=1, a good
    disk on AHCI with bootindex=2 that must not run)."""
    iso = mbtest.grub_iso()
    disks = [Disk(iso, "vscsi", bootindex=1, cdrom=True),
             Disk(_good_disk(), "ide", bootindex=2)]
    r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine="q35", disks=disks, timeout=180)
    want = "Booting from %s..." % VSCSI_CD_NAME
    ctx.check(want in r.serial, "console: %r" % want)
    ctx.check("MBT-GRUB: booting" in r.serial, "GRUB ran the CD's grub.cfg")
    rep = _check_report(ctx, r, boot="cdrom")
    if rep.complete:
        ctx.check(rep.cpus == 1, "guest sees 1 CPU")


test("cdrom-grub-q35-vscsi", ["cdrom", "grub"], cost=2)(_cd_grub_vscsi)


def _hybrid_as_disk_vscsi(ctx):
    """The same GRUB rescue image as a hard disk (scsi-hd): grub-mkrescue
    makes a hybrid image whose MBR boots GRUB; bootindex puts it before a
    good disk on AHCI that must not run."""
    iso = mbtest.grub_iso()
    disks = [Disk(iso, "vscsi", bootindex=1), Disk(_good_disk(), "ide", bootindex=2)]
    r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine="q35", disks=disks, timeout=180)
    want = "Booting from Hard Disk (virtio-scsi 0:0: QEMU QEMU HARDDISK)..."
    ctx.check(want in r.serial, "console: %r" % want)
    ctx.check("MBT-GRUB: booting" in r.serial, "GRUB ran the image's grub.cfg")
    _check_report(ctx, r, boot="cdrom")


test("hybrid-as-disk-q35-vscsi", ["cdrom", "grub"], cost=2)(_hybrid_as_disk_vscsi)


def _cd_nomedium_vscsi(ctx):
    """An empty scsi-cd first (bootindex=1), a good disk second: one
    "Boot failed" line names the drive and says why, the disk boots."""
    disks = [Disk(None, "vscsi", bootindex=1, cdrom=True),
             Disk(_good_disk(), "ide", bootindex=2)]
    r = mbtest.run_bootprog(ctx.workdir, disks, bios=ctx.bios, machine="q35", timeout=60)
    _check_bootprog(ctx, r, ["good_disk_booted"])
    pat = re.compile(r"Boot failed: %s: .*no medium" % re.escape(VSCSI_CD_NAME))
    hits = [l for l in r.serial.splitlines() if pat.search(l)]
    ctx.check(hits, "console says why: %s" % (hits[0] if hits else
                                              "no line matching %r" % pat.pattern))


test("cdrom-nomedium-q35-vscsi", ["cdrom", "badinput"])(_cd_nomedium_vscsi)


def _which_booted(r):
    """"cd" (cdboot ran), "disk" (good ran), both in boot order, or []."""
    out = []
    for line in r.serial.splitlines():
        if "BS START cdboot" in line:
            out.append("cd")
        elif "BS START good" in line:
            out.append("disk")
    return out


def _order_boot(sctx, machine, cd_index=None, disk_index=None, extra=(), iso="noemu",
                no_reboot=True, timeout=60):
    """The disk with bootsect/good (unit 0) and a CD (iso: a path, None for
    a drive without medium, default the no-emulation cdboot CD)."""
    if iso == "noemu":
        iso = mbtest.cd_iso("noemu")
    disks = [Disk(_good_disk(), "ide", bootindex=disk_index, unit=0),
             _cd(iso, bootindex=cd_index)]
    r = mbtest.run_bootprog(sctx.workdir, disks, bios=sctx.bios, machine=machine,
                            extra=list(extra), no_reboot=no_reboot, timeout=timeout)
    _require_run(sctx, r, "boot")
    return r


def _cd_bootorder(ctx, machine):
    """bootindex= (fw_cfg bootorder) and -boot order= (CMOS) choose
    between a disk and a CD; without either the disk boots first (QEMU's
    default order "cad")."""
    for label, kw, want in (
            ("default", {}, "disk"),
            ("bootindex-cd-first", dict(cd_index=1, disk_index=2), "cd"),
            ("bootindex-disk-first", dict(cd_index=2, disk_index=1), "disk"),
            ("order-d", dict(extra=["-boot", "order=d"]), "cd"),
            ("order-dc", dict(extra=["-boot", "order=dc"]), "cd"),
            ("order-cd", dict(extra=["-boot", "order=cd"]), "disk")):
        sctx = ctx.sub(label)
        r = _order_boot(sctx, machine, **kw)
        got = _which_booted(r)
        sctx.check(got == [want], "%s boots (%s)" % (want, got))
        if want == "cd":
            sctx.check(r.bs.done is not None and r.bs.done[1] == 0,
                       "the CD's program passed its checks (%s)" % (r.bs.done,))


test("cdrom-bootorder-pc", ["cdrom", "bootsect"], cost=3)(lambda ctx: _cd_bootorder(ctx, "pc"))
test("cdrom-bootorder-q35", ["cdrom", "bootsect"], cost=3)(lambda ctx: _cd_bootorder(ctx, "q35"))


def _cd_bootonce(ctx):
    """-boot once=d: the CD boots first; its program resets the machine;
    the next boot is from the disk (QEMU put the CMOS order back)."""
    r = _order_boot(ctx, "pc", extra=["-boot", "once=d"], iso=mbtest.cd_iso("noemu", reboot=True),
                    no_reboot=False)
    got = _which_booted(r)
    ctx.check(got == ["cd", "disk"], "CD first, disk after the reset (%s)" % got)
    ctx.check(r.exit_code == 1, "the disk's program exited through isa-debug-exit (%s)"
              % r.exit_code)
    if ctx.failed:
        ctx.note(r.tail(30))


test("cdrom-bootonce-pc", ["cdrom", "bootsect"])(_cd_bootonce)


def _cd_menu(ctx, machine):
    """-boot menu=on: the menu lists the CD by a name a person knows,
    choosing it boots it over the disk that is first."""
    disks = [Disk(_good_disk(), "ide", unit=0), _cd(mbtest.cd_iso("noemu"))]
    script = [("Press ESC for the boot menu", ESC), (r"2\. DVD/CD", b"2")]
    r = mbtest.run_bootprog(ctx.workdir, disks, bios=ctx.bios, machine=machine,
                            extra=MENU, serial_script=script, timeout=60)
    _require_run(ctx, r, "boot")
    menu = re.findall(r"^(\d)\. (.*)$", r.serial, re.M)
    ctx.check(("2", CD_NAME[machine]) in menu, "the menu lists '2. %s' (%s)"
              % (CD_NAME[machine], menu))
    ctx.check(_which_booted(r) == ["cd"], "choosing 2 booted the CD (%s; steps %s)"
              % (_which_booted(r), r.hook))


test("bootmenu-cdrom-pc-serial", ["cdrom", "bootsect"])(lambda ctx: _cd_menu(ctx, "pc"))
test("bootmenu-cdrom-q35-serial", ["cdrom", "bootsect"])(lambda ctx: _cd_menu(ctx, "q35"))


# A CD that cannot boot: the console and the debug port say why, in one
# line, and the disk after it boots, well within the bound.
CD_FAIL_BOUND_S = 30


def _cd_fallback(ctx, machine, iso, why):
    t0 = time.monotonic()
    r = _order_boot(ctx, machine, cd_index=1, disk_index=2, iso=iso, timeout=90)
    secs = time.monotonic() - t0
    ctx.check(_which_booted(r) == ["disk"], "the disk boots after the CD (%s)"
              % _which_booted(r))
    pat = re.compile(r"Boot failed: %s: .*%s" % (re.escape(CD_NAME[machine]), why))
    for label, text in (("console", r.serial), ("debug port", r.debug)):
        hits = [l for l in text.splitlines() if pat.search(l)]
        ctx.check(hits, "%s says why: %s" % (label, hits[0] if hits else
                                            "no line matching %r" % pat.pattern))
    ctx.check(secs < CD_FAIL_BOUND_S, "bounded: the run took %.1f s (< %d s)"
              % (secs, CD_FAIL_BOUND_S))
    if ctx.failed:
        ctx.note(r.tail(20))


def _bad_iso(kind):
    """out/test/cd-bad-<kind>.iso: the no-emulation CD with one defect."""
    base = mbtest.cd_iso("noemu")
    out = os.path.join(mbtest.OUT, "cd-bad-%s.iso" % kind)
    with mbtest._build_lock:
        if mbtest._newer(out, [base, __file__]):
            return out
        img = bytearray(open(base, "rb").read())
        sectors, cat, lba, count, _ = mbtest.iso_boot_info(base)
        c = cat * mbtest.CD_SECTOR
        if kind == "nobrvd":          # sector 17: the set terminator instead
            img[17 * 2048:18 * 2048] = b"\xffCD001\x01" + b"\0" * 2041
        elif kind == "checksum":      # validation entry checksum off by one
            img[c + 28] ^= 0x01
        elif kind == "key":           # 55 AA key bytes missing
            img[c + 30:c + 32] = b"\0\0"
        elif kind == "notbootable":   # default entry indicator 00h
            img[c + 32] = 0
        elif kind == "beyond":        # image starts on the last sector
            struct.pack_into("<I", img, c + 40, sectors - 1)
        else:
            raise mbtest.HarnessError("unknown bad CD %s" % kind)
        with open(out + ".tmp", "wb") as f:
            f.write(img)
        os.replace(out + ".tmp", out)
    return out


BAD_CD = {"nobrvd": "no El Torito boot record", "checksum": "validation entry.*checksum",
          "key": "validation entry.*55 AA", "notbootable": "not bootable",
          "beyond": "beyond the end of the medium"}
for _k, _m in (("nobrvd", "pc"), ("checksum", "q35"), ("key", "pc"), ("notbootable", "q35"),
               ("beyond", "pc"), ("beyond", "q35")):
    test("cdrom-bad-%s-%s" % (_k, _m), ["cdrom", "badinput"])(
        lambda ctx, k=_k, m=_m: _cd_fallback(ctx, m, _bad_iso(k), BAD_CD[k]))
test("cdrom-nomedium-pc-ide", ["cdrom", "badinput"])(
    lambda ctx: _cd_fallback(ctx, "pc", None, "no medium"))
test("cdrom-nomedium-q35-ahci", ["cdrom", "badinput"])(
    lambda ctx: _cd_fallback(ctx, "q35", None, "no medium"))


def _cd_insert_later(ctx, machine):
    """A drive without medium is checked when it is booted, not in POST: the
    only device is an empty CD; once the firmware has said so and is
    waiting to retry, the test inserts the disc (QMP
    blockdev-change-medium) and the next round boots it."""
    iso = mbtest.cd_iso("noemu")
    serial = os.path.join(ctx.workdir, "serial.log")

    def insert(proc, qmp):
        mbtest.qmp_command(qmp, "cont")
        deadline = time.monotonic() + 30
        while "No bootable device" not in mbtest._read(serial):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise mbtest.HarnessError("the firmware never gave up on the empty drive")
            time.sleep(0.05)
        mbtest.qmp_command(qmp, "blockdev-change-medium", arguments={
            "device": "d0", "filename": iso, "format": "raw",
            "read-only-mode": "read-only"})
        return True
    r = mbtest.run_bootprog(ctx.workdir, [_cd(None)], bios=ctx.bios, machine=machine,
                            paused=True, on_start=insert, timeout=60)
    _require_run(ctx, r, "boot")
    ctx.check(r.hook, "the disc was inserted after the first round failed")
    text = r.serial
    first = text.find("no medium in the drive")
    ctx.check(first >= 0, "first round: 'no medium in the drive'")
    ctx.check("BS START cdboot" in text[first:], "after the insertion the CD boots")
    ctx.check(r.bs.done is not None and r.bs.done[1] == 0 and r.exit_code == 1,
              "the CD's program passed its checks (%s, exit %s)" % (r.bs.done, r.exit_code))
    if ctx.failed:
        ctx.note(r.tail(20))


test("cdrom-insert-later-pc-ide", ["cdrom", "bootsect"], cost=2)(
    lambda ctx: _cd_insert_later(ctx, "pc"))
test("cdrom-insert-later-q35-ahci", ["cdrom", "bootsect"], cost=2)(
    lambda ctx: _cd_insert_later(ctx, "q35"))


def _cd_measured(ctx, machine, iface, version, banks="all"):
    """A measured boot from the GRUB rescue CD: the log replays in every
    bank, and PCR 4/5 hold the El Torito events (docs/measurements.md):
    the action naming the drive, the boot catalog sector (PCR 5) and the
    whole boot image as loaded (PCR 4)."""
    tpm = Swtpm(ctx.workdir, version=version, banks=banks)
    tpm.setup()
    iso = mbtest.grub_iso()
    r = mbtest.run_qemu(ctx.workdir, bios=ctx.bios, machine=machine, disks=[_cd(iso)],
                        tpm=tpm, tpm_iface=iface, timeout=180)
    rep = _check_report(ctx, r, boot="cdrom")
    m = check_measured_boot(ctx, r, tpm, rep)
    if m is None:
        ctx.note("logs in %s" % ctx.workdir)
        return
    sectors, cat, lba, count, media = mbtest.iso_boot_info(iso)
    with open(iso, "rb") as f:
        f.seek(cat * mbtest.CD_SECTOR)
        catalog = f.read(mbtest.CD_SECTOR)
        f.seek(lba * mbtest.CD_SECTOR)
        image = f.read(count * 512)
    action = ("Booting from CD ROM device %s" % CD_NAME[machine]).encode()
    _check_digest_of(ctx, m, 4, mbtest.EV_ACTION, action, "'%s'" % action.decode(),
                     lambda d: d == action)
    _check_digest_of(ctx, m, 5, mbtest.EV_IPL_PARTITION_DATA, catalog,
                     "the boot catalog sector (LBA %d), data 'BOOT CATALOG'" % cat,
                     lambda d: d == b"BOOT CATALOG")
    _check_digest_of(ctx, m, 4, mbtest.EV_IPL_CODE, image,
                     "the whole boot image (%d bytes at LBA %d), data 'EL TORITO IPL'"
                     % (len(image), lba), lambda d: d == b"EL TORITO IPL")
    # Order in PCR 4: separator, the action, then the image.
    p4 = [(e.type, e.data) for e in m.events if e.pcr == 4]
    want = [(mbtest.EV_ACTION, b"Calling INT 19h"), (mbtest.EV_SEPARATOR, b"\0" * 4),
            (mbtest.EV_ACTION, action), (mbtest.EV_IPL_CODE, b"EL TORITO IPL")]
    ctx.check(p4 == want, "PCR 4 events in order: INT 19h, separator, CD action, boot "
              "image (%s)" % [(hex(t), d[:32]) for t, d in p4])
    p5 = [(e.type, e.data) for e in m.events if e.pcr == 5]
    ctx.check(p5 == [(mbtest.EV_SEPARATOR, b"\0" * 4),
                     (mbtest.EV_IPL_PARTITION_DATA, b"BOOT CATALOG")],
              "PCR 5: separator, then the boot catalog (%s)" % [(hex(t), d[:32]) for t, d in p5])
    if ctx.failed:
        ctx.note("logs in %s (serial.log, debug.log, eventlog.bin, pcrs/)" % ctx.workdir)


test("tpm-cdrom-q35-crb-tpm2-all", ["tpm", "cdrom", "grub"], cost=2)(
    lambda ctx: _cd_measured(ctx, "q35", "crb", 2))
test("tpm-cdrom-pc-tis-tpm12", ["tpm", "cdrom", "grub"], cost=2)(
    lambda ctx: _cd_measured(ctx, "pc", "tis", 1, "sha1"))


def _check_no_shadowing():
    """A loop variable named like a test helper rebinds it and breaks
    every test that calls it (seen with _linux): refuse to load then."""
    import ast
    with open(__file__) as f:
        tree = ast.parse(f.read())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not callable(globals().get(node.name)):
            raise RuntimeError("tests.py: %s was rebound at module level" % node.name)


_check_no_shadowing()
