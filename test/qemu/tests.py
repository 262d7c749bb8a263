"""The mbios integration tests (run them with test/qemu/run-all.py).

Every test is a function taking a Ctx; it records what it checked with
ctx.check(cond, message).  A test passes when it recorded at least one check
and none failed.  Groups: bootsect, linux, grub, badinput, tpm.
"""

import datetime
import hashlib
import os
import re
import struct

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
    "int13_42_past_end_fails", "int13_48_params", "int12_base_memory",
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


def _svc(ctx, machine, bus, mem="512"):
    ram = int(mem[:-1]) * 1024 if mem.upper().endswith("G") else int(mem)
    disk = _svc_disk(ram)
    t_host = datetime.datetime.utcnow()
    r = mbtest.run_bootprog(ctx.workdir, [Disk(disk, bus)], bios=ctx.bios,
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


# --------------------------------------------------------------------------
# e. measured boot
# --------------------------------------------------------------------------

def _hash(name, data):
    return hashlib.new(name, data).digest()


def check_measured_boot(ctx, r, tpm, rep, mbr=None):
    """Everything about the TPM, the log and the PCRs after a Linux boot.
    Returns (log_path, pcrdir) or None."""
    if not rep.complete:
        return None
    want_ver = 2 if tpm.version == 2 else 1
    ctx.check(rep.get("tpm0") == "yes", "guest has /sys/class/tpm/tpm0")
    ctx.check(rep.tpm_version == want_ver, "TPM version %s (want %d)" % (rep.tpm_version, want_ver))

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

    # 2. independent replay of PCRs 0-7 in every bank
    try:
        fmt, events, algs = mbtest.parse_event_log(log)
    except ValueError as e:
        ctx.check(False, "event log parses: %s" % e)
        return log_path, pcrdir
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
        ipl = [e for e in events if e.pcr == 4 and e.type == mbtest.EV_IPL]
        ok = any(all(d == _hash(mbtest.ALG_NAMES[a], mbr[:440]) for a, d in e.digests.items())
                 for e in ipl)
        ctx.check(ok, "PCR4 has EV_IPL measuring MBR bytes 0-439 (%d EV_IPL events)" % len(ipl))
        part = [e for e in events if e.pcr == 5 and e.type == mbtest.EV_IPL_PARTITION_DATA]
        ok = any(all(d == _hash(mbtest.ALG_NAMES[a], mbr[440:512]) for a, d in e.digests.items())
                 for e in part)
        ctx.check(ok, "PCR5 has EV_IPL_PARTITION_DATA measuring MBR bytes 440-511")
    return log_path, pcrdir


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
                              tpm_iface=iface)
        rep = _check_report(ctx, r)
    check_measured_boot(ctx, r, tpm, rep, mbr=mbr)
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
