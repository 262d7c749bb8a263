#!/usr/bin/python3
"""mbtest: boot real guests under QEMU (TCG) with swtpm, for mbios.

Library used by test/qemu/run-all.py, scripts/run-qemu and scripts/bench.py,
and a small CLI (run `test/qemu/mbtest.py -h`).  Python 3 standard library
only.  Build products go to out/test/.

Firmware under test: --bios FILE, else $MBIOS_BIOS, else out/bios.bin.
"""

import argparse
import base64
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "out", "test")
# Where per-test logs go (out/test/<test name>/); run-all.py moves this to
# out/test/run-<pid>/ when another run in the same tree holds out/test.
RESULTS = OUT
SEABIOS = "/usr/share/seabios/bios-256k.bin"
QEMU = os.environ.get("MBIOS_QEMU", "qemu-system-x86_64")
# Our VGA BIOS (vgasrc/), built by make next to bios.bin.
OUR_VGA_ROM = os.environ.get("MBIOS_VGA_ROM", os.path.join(REPO, "out", "vgabios-stdvga.bin"))
PYTHON = "/usr/bin/python3"

# Kernel command line for the test guest: serial console, no reboot loop on
# panic, and quiet so that TCG boots stay fast.
KERNEL_CMDLINE = "console=ttyS0,115200 panic=-1 quiet loglevel=3 mitigations=off"

DEBUG_PORT = 0x402      # isa-debugcon: the firmware's debug log
EXIT_PORT = 0xF4        # isa-debug-exit: QEMU exits with (value << 1) | 1

class _BuildLock:
    """`with _build_lock:` serialises building the shared products
    (initramfs, boot programs, disk images) between threads and between
    processes, since several people may run the tests in one tree at once.
    Reentrant within a thread."""

    def __init__(self):
        self._rlock = threading.RLock()
        self._depth = 0
        self._file = None

    def __enter__(self):
        self._rlock.acquire()
        if self._depth == 0:
            os.makedirs(OUT, exist_ok=True)
            self._file = open(os.path.join(OUT, ".build.lock"), "a")
            fcntl.flock(self._file, fcntl.LOCK_EX)
        self._depth += 1
        return self

    def __exit__(self, *exc):
        self._depth -= 1
        if self._depth == 0:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self._rlock.release()
        return False


_build_lock = _BuildLock()


class HarnessError(Exception):
    """The harness itself could not do its job (missing tool, bad input)."""


# --------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------

def default_bios():
    return os.environ.get("MBIOS_BIOS") or os.path.join(REPO, "out", "bios.bin")


def find_kernel():
    k = os.environ.get("MBIOS_KERNEL")
    if k:
        return k
    cands = sorted(glob.glob("/boot/vmlinuz-*-amd64"), key=_version_key)
    if not cands:
        raise HarnessError("no /boot/vmlinuz-*-amd64 (install linux-image-amd64)")
    return cands[-1]


def _version_key(path):
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", path)]


def _newer(target, sources):
    if not os.path.exists(target):
        return False
    t = os.path.getmtime(target)
    return all(os.path.getmtime(s) <= t for s in sources)


def _run(argv, **kw):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       **kw)
    if r.returncode != 0:
        raise HarnessError("command failed (%d): %s\n%s" % (
            r.returncode, " ".join(argv), r.stdout.decode(errors="replace")))
    return r.stdout.decode(errors="replace")


# --------------------------------------------------------------------------
# Build products: initramfs, boot programs, floor firmware, disks
# --------------------------------------------------------------------------

def build_initramfs(tpm2_tools=False):
    """out/test/initramfs.cpio.gz; with tpm2_tools, the bigger
    initramfs-tpm2.cpio.gz that also holds tpm2-tools and the qemu_fw_cfg
    module of find_kernel()'s kernel (only the attest tests use it)."""
    name = "initramfs-tpm2.cpio.gz" if tpm2_tools else "initramfs.cpio.gz"
    out = os.path.join(OUT, name)
    srcs = [os.path.join(HERE, "mkinitramfs.sh"), os.path.join(HERE, "guest-init.sh")]
    env = dict(os.environ)
    if tpm2_tools:
        env["MBT_TPM2_TOOLS"] = kernel_version(find_kernel())
    with _build_lock:
        if not _newer(out, srcs):
            _run(["sh", os.path.join(HERE, "mkinitramfs.sh"), out], env=env)
    return out


def kernel_version(kernel):
    """6.1.0-57-amd64 for /boot/vmlinuz-6.1.0-57-amd64."""
    return os.path.basename(kernel).split("-", 1)[1]


BS_CFLAGS = ["-m16", "-march=i386", "-ffreestanding", "-fno-pic", "-fno-pie",
             "-Os", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
             "-fno-builtin", "-nostdlib", "--param=min-pagesize=0",
             "-Wall", "-Wextra", "-Werror"]


def build_bootprog(name, preloaded=False):
    """Build test/qemu/bootsect/<name>.c (with start.S and lib.c) or the
    single-sector <name>.S; return the path of the flat binary.
    preloaded: start.S without its INT 13h load (an El Torito
    no-emulation image the firmware loads whole): <name>-preloaded.bin."""
    src_dir = os.path.join(HERE, "bootsect")
    bdir = os.path.join(OUT, "bootsect")
    tag = name + ("-preloaded" if preloaded else "")
    out = os.path.join(bdir, tag + ".bin")
    c_src = os.path.join(src_dir, name + ".c")
    s_src = os.path.join(src_dir, name + ".S")
    with _build_lock:
        os.makedirs(bdir, exist_ok=True)
        if os.path.exists(c_src):
            parts = [os.path.join(src_dir, f) for f in ("start.S", "lib.c")] + [c_src]
            deps = parts + [os.path.join(src_dir, "bs.h"), os.path.join(src_dir, "link.ld")]
            if _newer(out, deps):
                return out
            objs = []
            defs = ["-DBS_PRELOADED"] if preloaded else []
            for p in parts:
                o = os.path.join(bdir, "%s-%s.o" % (tag, os.path.basename(p).replace(".", "_")))
                _run(["gcc"] + BS_CFLAGS + defs + ["-I", src_dir, "-c", p, "-o", o])
                objs.append(o)
            elf = os.path.join(bdir, tag + ".elf")
            _run(["ld", "-m", "elf_i386", "-z", "noexecstack", "-T",
                  os.path.join(src_dir, "link.ld"), "-o", elf] + objs)
            _run(["objcopy", "-O", "binary", elf, out])
        elif os.path.exists(s_src):
            if _newer(out, [s_src]):
                return out
            o = os.path.join(bdir, name + ".o")
            _run(["as", "--32", "-o", o, s_src])
            _run(["ld", "-m", "elf_i386", "-z", "noexecstack", "--oformat", "binary",
                  "-Ttext", "0x7c00", "-e", "_start", "-o", out, o])
        else:
            raise HarnessError("no boot program %s" % name)
        size = os.path.getsize(out)
        if size < 512:
            raise HarnessError("%s: %d bytes, shorter than a sector" % (out, size))
    return out


def build_floor():
    """The benchmark's empty firmware: 64 KiB, reset vector -> debug exit."""
    src = os.path.join(HERE, "floor", "floor.S")
    out = os.path.join(OUT, "floor.bin")
    with _build_lock:
        if not _newer(out, [src]):
            os.makedirs(OUT, exist_ok=True)
            o = os.path.join(OUT, "floor.o")
            _run(["as", "--32", "-o", o, src])
            _run(["ld", "-m", "elf_i386", "-z", "noexecstack", "--oformat", "binary",
                  "-Ttext", "0", "-e", "_start", "-o", out, o])
            if os.path.getsize(out) != 65536:
                raise HarnessError("floor.bin is not 64 KiB")
    return out


VARIANTS = os.path.join(REPO, "out", "variants")


def _kconfig_line(key, value):
    """A .config line as Kconfig writes it (a bool set to n is a comment)."""
    return "# %s is not set\n" % key if value == "n" else "%s=%s\n" % (key, value)


def build_variant(name, settings):
    """Build a firmware variant from this tree with Kconfig settings
    changed (e.g. {"CONFIG_TPM_LOG_LIMIT_KB": 1}) the way
    scripts/check-build.sh does: the settings are completed by
    olddefconfig into out/variants/<name>/config, then
    `make OUT=out/variants/<name> KCONFIG_CONFIG=... bios.bin` (incremental).
    Returns the image path."""
    outdir = os.path.join(VARIANTS, name)
    cfg = os.path.join(outdir, "config")
    rel_out = os.path.relpath(outdir, REPO)
    with _build_lock:
        os.makedirs(outdir, exist_ok=True)
        seed = cfg + ".new"
        with open(seed, "w") as f:
            for k, v in sorted(settings.items()):
                f.write(_kconfig_line(k, v))
        _run([PYTHON, "-m", "olddefconfig", "Kconfig"], cwd=REPO,
             env=dict(os.environ, KCONFIG_CONFIG=seed))
        for k, v in settings.items():
            if _kconfig_line(k, v) not in open(seed).read():
                raise HarnessError("variant %s: Kconfig dropped %s=%s" % (name, k, v))
        if os.path.exists(cfg) and open(cfg).read() == open(seed).read():
            os.unlink(seed)        # unchanged: keep the mtime, build incrementally
        else:
            os.replace(seed, cfg)
        for old in (seed + ".old", cfg + ".old"):
            if os.path.exists(old):
                os.unlink(old)
        _run(["make", "-s", "-j2", "OUT=" + rel_out, "KCONFIG_CONFIG=" + cfg,
              rel_out + "/bios.bin"], cwd=REPO)
    return os.path.join(outdir, "bios.bin")


# Disk pattern for the boot-program tests (must match bootsect/svc.c).
PARAMS_LBA = 48
FILL_START = 49
_BODIES = [bytes((i + lo) & 0xFF for i in range(12, 508)) for lo in range(256)]


def pattern_sector(lba):
    lo = lba & 0xFFFFFFFF
    return (b"MBTS" + struct.pack("<Q", lba) + _BODIES[lo & 0xFF] +
            struct.pack("<I", ~lo & 0xFFFFFFFF))


def high_cylinder_lbas():
    """LBAs of the first and last sector of cylinders 256/511/1023 under the
    usual BIOS translations (heads x 63 or 32 sectors)."""
    lbas = set()
    for heads in (15, 16, 32, 64, 128, 240, 255):
        for spt in (63, 32):
            for c in (256, 511, 1023):
                lbas.add(c * heads * spt)
                lbas.add((c * heads + heads - 1) * spt + spt - 1)
    return sorted(lbas)


def make_svc_disk(path, program, ram_mib, size_bytes=10 << 30, fill_end=65536):
    """Sparse raw disk for bootsect/svc: the program at LBA 0, the
    parameter sector at LBA 48, the pattern on LBA 49..fill_end-1, at the
    high-cylinder candidates, just beyond 8 GiB and on the last sector."""
    total = size_bytes // 512
    hi = [(8 << 30) // 512 + 5, total - 1]
    prog = open(program, "rb").read()
    if len(prog) > PARAMS_LBA * 512:
        raise HarnessError("boot program larger than 48 sectors")
    params = struct.pack("<IIQII2Q", 0x5054424D, 1, total, ram_mib, fill_end, *hi)
    params += b"\0" * (512 - len(params))
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.truncate(size_bytes)
        f.seek(0)
        f.write(prog)
        f.seek(PARAMS_LBA * 512)
        f.write(params)
        f.write(b"".join(pattern_sector(l) for l in range(FILL_START, fill_end)))
        for lba in high_cylinder_lbas() + hi:
            f.seek(lba * 512)
            f.write(pattern_sector(lba))
    os.replace(tmp, path)
    return path


def make_sector_disk(path, sector0, size_bytes=16 << 20):
    """A small raw disk with the given bytes at LBA 0 (may be all zero)."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.truncate(size_bytes)
        f.write(sector0)
    os.replace(tmp, path)
    return path


# --- GRUB disk, built without root or loop devices ------------------------
# Facts from GRUB's i386-pc boot.img/diskboot.img layout:
#   boot.img 0x5C: u64 LBA of core.img's first sector
#   boot.img 0x66: 2-byte jump of the boot-drive check (NOPs for hard disks)
#   diskboot.img (core.img's first sector) ends in a 12-byte blocklist at
#   0x1F4: u64 start LBA, u16 sector count, u16 load segment
#   MBR bytes 440-511: disk signature, partition table, 55 AA
GRUB_DIR = "/usr/lib/grub/i386-pc"
GRUB_MODULES = ["biosdisk", "part_msdos", "fat", "normal", "linux", "echo",
                "serial", "terminal", "configfile", "test"]
PART_START = 2048


def grub_cfg_text(cmdline):
    """The grub.cfg of the test disk and CD: serial console, no menu, the
    kernel and initramfs from /boot with `cmdline`, progress on the serial
    line (MBT-GRUB: ...)."""
    return ("serial --unit=0 --speed=115200\n"
            "terminal_output serial\n"
            "set timeout=0\n"
            "echo MBT-GRUB: loading kernel\n"
            "linux /boot/vmlinuz %s\n"
            "echo MBT-GRUB: loading initrd\n"
            "initrd /boot/initrd.gz\n"
            "echo MBT-GRUB: booting\n"
            "boot\n" % cmdline)


def make_grub_disk(path, kernel, initrd, cmdline, part_mib=64, cfg_text=None,
                   modules=(), files=()):
    """A GRUB (i386-pc) disk booting kernel/initrd with cmdline; cfg_text
    replaces the grub.cfg, modules are added to core.img and files (host
    path, name) copied to /boot/grub."""
    tools = ["grub-mkimage", "mkfs.fat", "mcopy", "mmd"]
    for t in tools:
        if not shutil.which(t):
            raise HarnessError("%s not found (grub-common, dosfstools, mtools)" % t)
    work = path + ".d"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cfg = os.path.join(work, "grub.cfg")
    with open(cfg, "w") as f:
        f.write(cfg_text or grub_cfg_text(cmdline))
    core = os.path.join(work, "core.img")
    _run(["grub-mkimage", "-O", "i386-pc", "-o", core, "-p",
          "(hd0,msdos1)/boot/grub", "-d", GRUB_DIR] + GRUB_MODULES + list(modules))
    part = os.path.join(work, "part.img")
    part_sectors = part_mib * 2048
    with open(part, "wb") as f:
        f.truncate(part_sectors * 512)
    _run(["mkfs.fat", "-F", "32", "-n", "MBTEST", part])
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    _run(["mmd", "-i", part, "::/boot", "::/boot/grub"], env=env)
    _run(["mcopy", "-i", part, cfg, "::/boot/grub/grub.cfg"], env=env)
    _run(["mcopy", "-i", part, kernel, "::/boot/vmlinuz"], env=env)
    _run(["mcopy", "-i", part, initrd, "::/boot/initrd.gz"], env=env)
    for host, name in files:
        _run(["mcopy", "-i", part, host, "::/boot/grub/" + name], env=env)

    boot = bytearray(open(os.path.join(GRUB_DIR, "boot.img"), "rb").read())
    core_img = bytearray(open(core, "rb").read())
    if len(boot) != 512:
        raise HarnessError("unexpected boot.img size")
    core_sectors = (len(core_img) + 511) // 512
    core_img += b"\0" * (core_sectors * 512 - len(core_img))
    if 1 + core_sectors > PART_START:
        raise HarnessError("core.img does not fit before the partition")
    core_lba = 1
    struct.pack_into("<Q", boot, 0x5C, core_lba)
    boot[0x66:0x68] = b"\x90\x90"
    struct.pack_into("<QHH", core_img, 0x1F4, core_lba + 1, core_sectors - 1, 0x820)

    mbr = bytearray(boot[:440])
    mbr += struct.pack("<IH", 0x4D425431, 0)          # disk signature
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x0C,
                        b"\xfe\xff\xff", PART_START, part_sectors)
    mbr += entry + b"\0" * 48 + b"\x55\xaa"
    assert len(mbr) == 512
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.truncate((PART_START + part_sectors) * 512)
        f.write(mbr)
        f.seek(core_lba * 512)
        f.write(core_img)
        f.seek(PART_START * 512)
        with open(part, "rb") as p:
            shutil.copyfileobj(p, f, 1 << 20)
    os.replace(tmp, path)
    shutil.rmtree(work, ignore_errors=True)
    return path


def patched_disk(path, base, patches):
    """A qcow2 overlay at path on the raw image base with bytes replaced:
    patches is [(offset, bytes)].  The base is not touched or copied (the
    overlay holds only the changed clusters).  Returns a Disk-ready path."""
    for t in ("qemu-img", "qemu-io"):
        if not shutil.which(t):
            raise HarnessError("%s not found (qemu-utils)" % t)
    if os.path.exists(path):
        os.unlink(path)
    _run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
          os.path.abspath(base), path])
    for off, data in patches:
        # qemu-io writes a pattern byte; one command per byte keeps it exact
        for i, b in enumerate(data):
            _run(["qemu-io", "-f", "qcow2", "-c", "write -q -P 0x%02x %d 1" % (b, off + i),
                  path])
    return path


# --- El Torito CDs, built with xorriso / grub-mkrescue ----------------------
# Facts from the El Torito 1.0 spec: the boot record volume descriptor at
# sector 17 holds the catalog's LBA at 47h; the catalog's default entry
# (bytes 32-63) holds the sector count at 38 and the image's LBA at 40.
CD_SECTOR = 2048
CD_PARAMS_MAGIC = 0x4354424D      # "MBTC", bootsect/cdboot.c struct cd_params
CD_MEDIA = {"noemu": 0, "floppy": 2, "hdd": 4}
CD_HDD_GEOMETRY = (4, 16, 63)     # cylinders, heads, sectors per track
CD_BOOT_DRIVE = {"noemu": 0xE0, "floppy": 0x00, "hdd": 0x80}


def iso_boot_info(path):
    """(cd_sectors, catalog_lba, image_lba, sector_count, media) of an
    El Torito ISO file, from its boot record and default entry."""
    with open(path, "rb") as f:
        f.seek(17 * CD_SECTOR)
        brvd = f.read(CD_SECTOR)
        if brvd[1:6] != b"CD001" or not brvd[7:30] == b"EL TORITO SPECIFICATION":
            raise HarnessError("%s: no El Torito boot record" % path)
        cat = struct.unpack_from("<I", brvd, 0x47)[0]
        f.seek(cat * CD_SECTOR)
        catalog = f.read(64)
        size = os.fstat(f.fileno()).st_size
    count, lba = struct.unpack_from("<HI", catalog, 38)
    return size // CD_SECTOR, cat, lba, count, catalog[33] & 0x0F


def _xorriso(iso, root, boot_args):
    if not shutil.which("xorriso"):
        raise HarnessError("xorriso not found (apt-get install xorriso)")
    _run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso, "-V", "MBTCD",
          "-c", "boot/boot.cat"] + boot_args + [root])


def make_cd_iso(path, mode, reboot=False):
    """An El Torito CD whose boot image is bootsect/cdboot: mode "noemu"
    (the program, loaded whole: 49 sectors), "floppy" (a 1.44 MB diskette
    image) or "hdd" (a hard disk image with one partition, geometry
    CD_HDD_GEOMETRY). Diskette and disk images carry pattern sectors from
    sector 49 to their end. The parameter sector (image sector 48) is
    written into the ISO after xorriso placed the image. Returns path."""
    prog = open(build_bootprog("cdboot", preloaded=mode == "noemu"), "rb").read()
    if len(prog) > PARAMS_LBA * 512:
        raise HarnessError("cdboot larger than 48 sectors")
    if mode == "noemu":
        nsect = PARAMS_LBA + 1
        geom = (0, 0, 0)
    elif mode == "floppy":
        nsect, geom = 2880, (80, 2, 18)
    else:
        geom = CD_HDD_GEOMETRY
        nsect = geom[0] * geom[1] * geom[2]
    img = bytearray(prog + b"\0" * (nsect * 512 - len(prog)))
    for lba in range(FILL_START, nsect):
        img[lba * 512:(lba + 1) * 512] = pattern_sector(lba)
    if mode == "hdd":
        # One partition from sector 63 to the end; its ending CHS is the
        # disk's last sector (El Torito 3.0, hard disk emulation).
        c, h, s = geom
        if any(prog[446:510]):
            raise HarnessError("cdboot's first sector overlaps the partition table")
        end = bytes([h - 1, s | (((c - 1) >> 2) & 0xC0), (c - 1) & 0xFF])
        img[446:462] = struct.pack("<B3sB3sII", 0x80, b"\x01\x01\x00", 0x01, end,
                                   63, nsect - 63)
        img[510:512] = b"\x55\xaa"
    work = path + ".d"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "boot"))
    with open(os.path.join(work, "boot", "cd.img"), "wb") as f:
        f.write(img)
    with open(os.path.join(work, "README"), "w") as f:
        f.write("mbios El Torito test CD (%s)\n" % mode)
    boot = {"noemu": ["-no-emul-boot", "-boot-load-size", str(nsect)],
            "floppy": [], "hdd": ["-hard-disk-boot"]}[mode]
    tmp = "%s.tmp.%d" % (path, os.getpid())
    _xorriso(tmp, work, ["-b", "boot/cd.img"] + boot)
    shutil.rmtree(work, ignore_errors=True)
    sectors, cat, lba, count, media = iso_boot_info(tmp)
    if media != CD_MEDIA[mode]:
        raise HarnessError("xorriso made media type %d for %s" % (media, mode))
    params = struct.pack("<IIIIIBBHIHBBI", CD_PARAMS_MAGIC, 1, sectors, lba, cat,
                         media, CD_BOOT_DRIVE[mode], count, nsect if mode != "noemu" else 0,
                         geom[0], geom[1], geom[2], 1 if reboot else 0)
    with open(tmp, "r+b") as f:
        f.seek(lba * CD_SECTOR + PARAMS_LBA * 512)
        f.write(params + b"\0" * (512 - len(params)))
    os.replace(tmp, path)
    return path


def cd_iso(mode, reboot=False):
    """Build (once) and return out/test/cd-<mode>[-reboot].iso."""
    prog = build_bootprog("cdboot", preloaded=mode == "noemu")
    out = os.path.join(OUT, "cd-%s%s.iso" % (mode, "-reboot" if reboot else ""))
    with _build_lock:
        if not _newer(out, [prog, os.path.abspath(__file__)]):
            make_cd_iso(out, mode, reboot)
    return out


def boot_sector_iso(path, sector):
    """An El Torito CD whose no-emulation boot image is one 512-byte
    sector (the benchmark's exit.S)."""
    work = path + ".d"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "boot"))
    with open(os.path.join(work, "boot", "cd.img"), "wb") as f:
        f.write(sector)
    tmp = "%s.tmp.%d" % (path, os.getpid())
    _xorriso(tmp, work, ["-b", "boot/cd.img", "-no-emul-boot", "-boot-load-size", "1"])
    shutil.rmtree(work, ignore_errors=True)
    os.replace(tmp, path)
    return path


def make_grub_iso(path, kernel, initrd, cmdline):
    """A GRUB rescue CD (grub-mkrescue, i386-pc: El Torito no emulation)
    whose grub.cfg boots the kernel and initramfs from the CD."""
    if not shutil.which("grub-mkrescue"):
        raise HarnessError("grub-mkrescue not found (grub-common, grub-pc-bin)")
    work = path + ".d"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "boot", "grub"))
    with open(os.path.join(work, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(grub_cfg_text(cmdline))
    shutil.copyfile(kernel, os.path.join(work, "boot", "vmlinuz"))
    shutil.copyfile(initrd, os.path.join(work, "boot", "initrd.gz"))
    tmp = "%s.tmp.%d" % (path, os.getpid())
    _run(["grub-mkrescue", "-o", tmp, work])
    shutil.rmtree(work, ignore_errors=True)
    os.replace(tmp, path)
    return path


def grub_iso(cmdline_extra="mbt.boot=cdrom"):
    """Build (once) and return out/test/grub-rescue.iso."""
    kernel = find_kernel()
    initrd = build_initramfs()
    out = os.path.join(OUT, "grub-rescue.iso")
    with _build_lock:
        if not _newer(out, [kernel, initrd, os.path.abspath(__file__)]):
            make_grub_iso(out, kernel, initrd, KERNEL_CMDLINE + " " + cmdline_extra)
    return out


def read_image(path, fmt, offset, length):
    """Bytes of a disk image (raw or qcow2) as the guest sees them."""
    if fmt == "raw":
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read(length)
    with tempfile.NamedTemporaryFile() as tmp:
        _run(["qemu-img", "dd", "-f", fmt, "-O", "raw", "if=" + path, "of=" + tmp.name,
              "bs=%d" % length, "count=1", "skip=%d" % (offset // length)])
        return open(tmp.name, "rb").read()[offset % length:][:length]


def grub_disk(cmdline_extra="mbt.boot=grub", tpm2_tools=False):
    """Build (once) and return out/test/grub.img (grub-tpm2.img: with the
    tpm2-tools initramfs)."""
    kernel = find_kernel()
    initrd = build_initramfs(tpm2_tools)
    out = os.path.join(OUT, "grub-tpm2.img" if tpm2_tools else "grub.img")
    with _build_lock:
        if not _newer(out, [kernel, initrd, os.path.abspath(__file__)]):
            make_grub_disk(out, kernel, initrd, KERNEL_CMDLINE + " " + cmdline_extra)
    return out


# --------------------------------------------------------------------------
# swtpm
# --------------------------------------------------------------------------

class Swtpm:
    """A swtpm instance in socket mode with a control channel for QEMU.

    version: 2 or 1 (TPM 1.2); banks: "all" or a comma list like "sha256"
    (TPM 2.0 only).  The state is created with swtpm_setup in workdir."""

    def __init__(self, workdir, version=2, banks="all", loglevel=20, owned=False):
        self.workdir = workdir
        self.version = version
        self.banks = banks
        self.owned = owned  # TPM 1.2: take ownership at set-up
        self.loglevel = loglevel
        self.state = os.path.join(workdir, "tpmstate")
        self.sock = os.path.join(workdir, "swtpm.sock")
        self.log = os.path.join(workdir, "swtpm.log")
        self.proc = None

    def setup(self):
        shutil.rmtree(self.state, ignore_errors=True)
        os.makedirs(self.state)
        argv = ["swtpm_setup", "--tpm-state", self.state, "--overwrite",
                "--logfile", os.path.join(self.workdir, "swtpm_setup.log")]
        if self.version == 2:
            argv += ["--tpm2", "--pcr-banks", "-" if self.banks == "all" else self.banks]
        elif self.owned:
            argv += ["--take-ownership", "--ownerpass", "mbt", "--srkpass", "mbt"]
        _run(argv)

    def start(self):
        for p in (self.sock, self.log):
            if os.path.exists(p):
                os.unlink(p)
        argv = ["swtpm", "socket", "--tpmstate", "dir=" + self.state,
                "--ctrl", "type=unixio,path=" + self.sock,
                "--log", "file=%s,level=%d" % (self.log, self.loglevel), "--terminate"]
        if self.version == 2:
            argv.append("--tpm2")
        # No --flags startup-*: the firmware must send TPM Startup itself.
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not os.path.exists(self.sock):
            if self.proc.poll() is not None or time.time() > deadline:
                raise HarnessError("swtpm did not start (see %s)" % self.log)
            time.sleep(0.02)

    def kill(self):
        """SIGKILL swtpm now (fault injection); waits until it is gone."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def qemu_args(self, iface):
        return ["-chardev", "socket,id=chrtpm,path=" + self.sock,
                "-tpmdev", "emulator,id=tpm0,chardev=chrtpm",
                "-device", "%s,tpmdev=tpm0" % {"tis": "tpm-tis", "crb": "tpm-crb"}[iface]]

    def commands(self):
        return parse_swtpm_log(open(self.log, errors="replace").read())

    def wait_for(self, pred, timeout=60, poll=0.002):
        """Poll the swtpm log until pred(events) is true; returns the events
        then, or None on timeout or when swtpm has exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                ev = parse_swtpm_log(open(self.log, errors="replace").read())
            except FileNotFoundError:
                ev = []
            if pred(ev):
                return ev
            if self.proc is None or self.proc.poll() is not None:
                return None
            time.sleep(poll)
        return None


class FaultyTpm(Swtpm):
    """A swtpm behind a relay that speaks swtpm's control protocol to QEMU
    (QEMU's backends/tpm/tpm_ioctl.h) and forwards everything to a real
    swtpm, except for one chosen fault on the data channel.

    The control channel is relayed byte for byte; CMD_SET_DATAFD, which
    carries QEMU's end of the data socketpair as SCM_RIGHTS, is answered by
    handing swtpm the relay's own socketpair, so the relay sits between
    QEMU and swtpm on the data channel too.  TPM commands are framed by the
    header's size field.

    fault: (command code, n, action, arg) -- the n-th command (1-based)
    with that code gets the action:
      "rc":      not forwarded; answered with a 10-byte error response arg;
      "garble":  forwarded; the answer replaced by a well-framed success
                 whose body (arg bytes of 0xFF) parses as nothing;
      "hang":    the TPM stops answering: neither this command nor any
                 later one is forwarded or answered.
    huge_durations: TPM 1.2's GetCapability(TPM_CAP_PROP_DURATION) answer
    says FFFFFFFFh microseconds for every duration class.
    self.injected lists (code, action) of every fault that was applied."""

    CMD_SET_DATAFD = 16

    def __init__(self, workdir, fault, huge_durations=False, **kw):
        super().__init__(workdir, **kw)
        self.fault = fault
        self.huge_durations = huge_durations
        self._hung = threading.Event()
        self.injected = []
        self.proxy_sock = os.path.join(workdir, "tpmproxy.sock")
        self._listener = None
        self._seen = {}

    def start(self):
        super().start()
        if os.path.exists(self.proxy_sock):
            os.unlink(self.proxy_sock)
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.proxy_sock)
        self._listener.listen(1)
        threading.Thread(target=self._serve, daemon=True).start()

    def qemu_args(self, iface):
        args = super().qemu_args(iface)
        return [a.replace("path=" + self.sock, "path=" + self.proxy_sock) for a in args]

    def stop(self):
        self._hung.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        super().stop()

    def _serve(self):
        try:
            qemu, _ = self._listener.accept()
        except OSError:
            return
        tpm = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        tpm.connect(self.sock)
        threading.Thread(target=self._pump, args=(tpm, qemu), daemon=True).start()
        while True:
            try:
                data, fds, _, _ = socket.recv_fds(qemu, 4096, 4)
            except OSError:
                break
            if not data:
                break
            if fds and len(data) >= 4 and struct.unpack(">I", data[:4])[0] == self.CMD_SET_DATAFD:
                mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
                socket.send_fds(tpm, [data], [theirs.fileno()])
                theirs.close()
                qdata = socket.socket(fileno=fds[0])
                threading.Thread(target=self._data, args=(qdata, mine), daemon=True).start()
                continue
            for fd in fds:
                os.close(fd)
            tpm.sendall(data)
        tpm.close()
        qemu.close()

    @staticmethod
    def _pump(src, dst):
        while True:
            try:
                data = src.recv(4096)
            except OSError:
                break
            if not data:
                break
            try:
                dst.sendall(data)
            except OSError:
                break

    @staticmethod
    def _frame(sock):
        def exactly(n):
            buf = b""
            while len(buf) < n:
                chunk = sock.recv(n - len(buf))
                if not chunk:
                    return None
                buf += chunk
            return buf
        head = exactly(10)
        if head is None:
            return None
        rest = exactly(max(struct.unpack(">I", head[2:6])[0] - 10, 0))
        return None if rest is None else head + rest

    def _data(self, qemu, tpm):
        code_want, nth, action, arg = self.fault
        while True:
            try:
                cmd = self._frame(qemu)
            except OSError:
                break
            if cmd is None:
                break
            code = struct.unpack(">I", cmd[6:10])[0]
            self._seen[code] = self._seen.get(code, 0) + 1
            hit = code == code_want and self._seen[code] == nth
            v20 = struct.unpack(">H", cmd[:2])[0] >= 0x8000
            if hit and action == "hang":
                self.injected.append((code, action))
                self._hung.wait()
                break
            if hit and action == "rc":
                self.injected.append((code, action))
                rsp = struct.pack(">HII", 0x8001 if v20 else 0xC4, 10, arg)
            else:
                try:
                    tpm.sendall(cmd)
                    rsp = self._frame(tpm)
                except OSError:
                    rsp = None
                if rsp is None:
                    break
                # TPM_GetCapability(TPM_CAP_PROPERTY, TPM_CAP_PROP_DURATION)
                if (self.huge_durations and code == 0x65 and len(rsp) == 26 and
                        cmd[10:14] == b"\0\0\0\x05" and cmd[18:22] == b"\0\0\x01\x20"):
                    rsp = rsp[:14] + b"\xff" * 12
                if hit and action == "garble":
                    self.injected.append((code, action))
                    body = b"\xff" * arg
                    rsp = struct.pack(">HII", struct.unpack(">H", rsp[:2])[0],
                                      10 + len(body), 0) + body
            try:
                qemu.sendall(rsp)
            except OSError:
                break
        qemu.close()
        tpm.close()


class PassthroughTpm(Swtpm):
    """A TPM as QEMU's passthrough backend sees a host TPM, without one: a
    pseudo-terminal in raw mode (`-tpmdev passthrough,path=PTY`) whose other
    end a relay reads, frames by the TPM header's size field and forwards
    to `swtpm socket --server ... --ctrl ...`.  Nothing resets this TPM when
    the VM resets, as with a real passed-through TPM.

    The relay initialises swtpm itself (QEMU probes the device before the
    firmware runs): for tpm-crb it first limits swtpm's buffer to 3968
    bytes (ctrl CMD_SET_BUFFERSIZE; QEMU refuses a bigger one), then
    CMD_INIT.  prestart: the relay also sends Startup(CLEAR) and one
    PCR_Event into PCR 0, as a host firmware would have (PCRs non-zero).
    tpm-crb needs prestart: QEMU reads the TPM's buffer size with
    GetCapability, which an unstarted TPM refuses."""

    CMD_INIT, CMD_SET_BUFFERSIZE = 2, 17

    def __init__(self, workdir, iface="tis", prestart=False, **kw):
        super().__init__(workdir, **kw)
        self.iface = iface
        self.prestart = prestart
        self.data_sock = os.path.join(workdir, "swtpm-data.sock")
        self.cancel = os.path.join(workdir, "tpm-cancel")
        self.prestart_rcs = []
        self._master = self._slave = None

    def start(self):
        import tty
        for p in (self.sock, self.data_sock, self.log):
            if os.path.exists(p):
                os.unlink(p)
        argv = ["swtpm", "socket", "--tpmstate", "dir=" + self.state,
                "--server", "type=unixio,path=" + self.data_sock,
                "--ctrl", "type=unixio,path=" + self.sock,
                "--log", "file=%s,level=%d" % (self.log, self.loglevel)]
        if self.version == 2:
            argv.append("--tpm2")
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not (os.path.exists(self.sock) and os.path.exists(self.data_sock)):
            if self.proc.poll() is not None or time.time() > deadline:
                raise HarnessError("swtpm did not start (see %s)" % self.log)
            time.sleep(0.02)
        ctrl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ctrl.connect(self.sock)
        if self.iface == "crb":
            ctrl.sendall(struct.pack(">II", self.CMD_SET_BUFFERSIZE, 3968))
            ctrl.recv(16)
        ctrl.sendall(struct.pack(">II", self.CMD_INIT, 0))
        if struct.unpack(">I", ctrl.recv(4))[0] != 0:
            raise HarnessError("swtpm refused CMD_INIT")
        self._ctrl = ctrl
        self._tpm = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._tpm.connect(self.data_sock)
        if self.prestart:
            v2 = self.version == 2
            startup = (struct.pack(">HIIH", 0x8001, 12, 0x144, 0) if v2 else
                       struct.pack(">HIIH", 0xC1, 12, 0x99, 1))
            if v2:  # PCR_Event(PCR 0, password session, 4 bytes)
                body = struct.pack(">I", 0) + struct.pack(">IIHBH", 9, 0x40000009, 0, 0, 0) \
                    + struct.pack(">H", 4) + b"host"
            else:  # TPM_Extend(PCR 0, 20 bytes)
                body = struct.pack(">I", 0) + b"h" * 20
            tag, code = (0x8002, 0x13C) if v2 else (0xC1, 0x14)
            extend = struct.pack(">HII", tag, 10 + len(body), code) + body
            for cmd in (startup, extend):
                self._tpm.sendall(cmd)
                self.prestart_rcs.append(struct.unpack(">I", FaultyTpm._frame(self._tpm)[6:10])[0])
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        open(self.cancel, "w").close()
        threading.Thread(target=self._relay, daemon=True).start()

    def _relay(self):
        def exactly(n):
            buf = b""
            while len(buf) < n:
                try:
                    chunk = os.read(self._master, n - len(buf))
                except OSError:
                    return None
                if not chunk:
                    return None
                buf += chunk
            return buf
        while True:
            head = exactly(10)
            if head is None:
                break
            rest = exactly(max(struct.unpack(">I", head[2:6])[0] - 10, 0))
            if rest is None:
                break
            try:
                self._tpm.sendall(head + rest)
                rsp = FaultyTpm._frame(self._tpm)
            except OSError:
                break
            if rsp is None:
                break
            os.write(self._master, rsp)  # one write: QEMU reads it once

    def stop(self):
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None
        for s in (getattr(self, "_tpm", None), getattr(self, "_ctrl", None)):
            if s is not None:
                s.close()
        super().stop()

    def qemu_args(self, iface):
        return ["-tpmdev", "passthrough,id=tpm0,path=%s,cancel-path=%s"
                % (os.ttyname(self._slave), self.cancel),
                "-device", "%s,tpmdev=tpm0" % {"tis": "tpm-tis", "crb": "tpm-crb"}[iface]]


def parse_swtpm_log(text):
    """Parse a level-20 swtpm log into a list of events:
    ("ctrl", code) for control-channel commands (2 = INIT, i.e. reset),
    ("ctrlrsp", code, response_bytes) for their answers and
    ("tpm", command_bytes, response_bytes) for TPM commands."""
    events = []
    lines = text.splitlines()
    i = 0

    def grab(i, n):
        data = bytearray()
        while len(data) < n and i < len(lines) and re.match(r"^ ([0-9A-F]{2} ?)+\s*$", lines[i]):
            data += bytes.fromhex(lines[i].strip())
            i += 1
        return bytes(data), i

    pending = ctrl = None
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^ (Ctrl Cmd|Ctrl Rsp|SWTPM_IO_Read|SWTPM_IO_Write): length (\d+)", line)
        i += 1
        if not m:
            continue
        data, i = grab(i, int(m.group(2)))
        if m.group(1) == "Ctrl Cmd":
            if len(data) >= 4:
                ctrl = struct.unpack(">I", data[:4])[0]
                events.append(("ctrl", ctrl))
        elif m.group(1) == "Ctrl Rsp":
            if ctrl is not None:
                events.append(("ctrlrsp", ctrl, data))
            ctrl = None
        elif m.group(1) == "SWTPM_IO_Read":
            pending = data
        else:
            events.append(("tpm", pending or b"", data))
            pending = None
    return events


def commands_since_reset(events):
    """[(command, response)] of the TPM commands after the last reset."""
    last_init = 0
    for n, e in enumerate(events):
        if e[0] == "ctrl" and e[1] == 2:
            last_init = n
    return [(e[1], e[2]) for e in events[last_init:]
            if e[0] == "tpm" and len(e[1]) >= 10 and len(e[2]) >= 10]


def _rc(rsp):
    return struct.unpack(">I", rsp[6:10])[0]


def _code(cmd):
    return struct.unpack(">I", cmd[6:10])[0]


TPM2_RH_PLATFORM = 0x4000000C


def platform_locked(events, version):
    """Did the firmware close the platform controls to the OS?
    TPM 2.0: a successful HierarchyChangeAuth(RH_PLATFORM) to a non-empty
    value (an empty newAuth locks nothing; the guest's own probe sends one)
    or HierarchyControl(RH_PLATFORM, enable=RH_PLATFORM, state=NO).
    TPM 1.2: a successful TSC_PhysicalPresence(NOTPRESENT|LOCK).
    Returns a description of what did it, or None."""
    for cmd, rsp in commands_since_reset(events):
        if _rc(rsp) != 0:
            continue
        code = _code(cmd)
        if version == 2 and len(cmd) >= 14:
            auth = struct.unpack(">I", cmd[10:14])[0]
            if code == 0x129 and auth == TPM2_RH_PLATFORM:
                new_auth = _change_auth_size(cmd)
                if new_auth:
                    return "HierarchyChangeAuth(platform, %d-byte value)" % new_auth
            if (code == 0x121 and auth == TPM2_RH_PLATFORM and
                    cmd[-5:] == struct.pack(">IB", TPM2_RH_PLATFORM, 0)):
                return "HierarchyControl(platform off)"
        if version == 1 and code == 0x4000000A and len(cmd) >= 12:
            if struct.unpack(">H", cmd[10:12])[0] == 0x0014:
                return "TSC_PhysicalPresence(NOTPRESENT|LOCK)"
    return None


def _change_auth_size(cmd):
    """Size of newAuth in a TPM2_HierarchyChangeAuth command (after the
    handle and the authorization area), or None if it does not parse."""
    if len(cmd) < 18 or cmd[0:2] != b"\x80\x02":
        return None
    area = struct.unpack(">I", cmd[14:18])[0]
    off = 18 + area
    if off + 2 > len(cmd):
        return None
    return struct.unpack(">H", cmd[off:off + 2])[0]


TPM2_CC_STARTUP = 0x144
TPM12_ORD_STARTUP = 0x99


def startup_summary(events, version):
    """Commands since the last TPM reset: returns (startups, bad_init) where
    startups is a list of (param, rc) and bad_init lists commands answered
    with TPM_RC_INITIALIZE (2.0) / TPM_INVALID_POSTINIT (1.2)."""
    last_init = 0
    for n, e in enumerate(events):
        if e[0] == "ctrl" and e[1] == 2:
            last_init = n
    startups, bad, cmds = [], [], []
    want = TPM2_CC_STARTUP if version == 2 else TPM12_ORD_STARTUP
    bad_rc = 0x100 if version == 2 else 0x26
    for e in events[last_init:]:
        if e[0] != "tpm" or len(e[1]) < 10 or len(e[2]) < 10:
            continue
        code = struct.unpack(">I", e[1][6:10])[0]
        rc = struct.unpack(">I", e[2][6:10])[0]
        cmds.append((code, rc))
        if code == want:
            startups.append((struct.unpack(">H", e[1][10:12])[0] if len(e[1]) >= 12 else None, rc))
        if rc == bad_rc:
            bad.append((code, rc))
    return startups, bad, cmds


# --------------------------------------------------------------------------
# QEMU
# --------------------------------------------------------------------------

class Disk:
    """A disk for QEMU: bus is "ide" (PIIX IDE on pc, AHCI on q35),
    "virtio", "vscsi" (scsi-hd, or scsi-cd with cdrom=True, at target `unit`
    of one virtio-scsi controller that the unit-0 disk creates) or "nvme"
    (a controller of its own); bootindex None leaves the boot order to the
    firmware.
    cdrom: an ide-cd / scsi-cd drive instead (read only); path None = no
    medium.
    unit: on pc the IDE position (bus = unit // 2), on q35 the AHCI port.
    opts are appended to the -device, file= replaces the path in -drive
    (e.g. "blkdebug:CONFIG:IMAGE")."""

    def __init__(self, path, bus="ide", bootindex=None, unit=0, fmt="raw", cdrom=False,
                 opts="", file=None):
        self.path, self.bus, self.bootindex, self.unit = path, bus, bootindex, unit
        self.fmt = fmt
        self.cdrom = cdrom
        self.opts, self.file = opts, file

    def args(self, n, machine):
        drv = "d%d" % n
        if self.cdrom:
            opts = "if=none,id=%s,media=cdrom" % drv
            if self.path:
                opts = "file=%s,%s,format=%s,readonly=on" % (
                    self.file or self.path, opts, self.fmt)
            a = ["-drive", opts]
        else:
            a = ["-drive", "file=%s,if=none,id=%s,format=%s,snapshot=on" % (
                self.file or self.path, drv, self.fmt)]
        bi = ",bootindex=%d" % self.bootindex if self.bootindex is not None else ""
        bi += self.opts
        dev = "ide-cd" if self.cdrom else "ide-hd"
        if self.bus == "ide":
            if machine == "q35":      # built-in ICH9 AHCI, one port per disk
                a += ["-device", "%s,drive=%s,bus=ide.%d%s" % (dev, drv, self.unit, bi)]
            else:                    # PIIX IDE: 2 buses x 2 units
                a += ["-device", "%s,drive=%s,bus=ide.%d,unit=%d%s" % (
                    dev, drv, self.unit // 2, self.unit % 2, bi)]
        elif self.bus == "virtio":
            a += ["-device", "virtio-blk-pci,drive=%s%s" % (drv, bi)]
        elif self.bus == "vscsi":
            if self.unit == 0:
                a += ["-device", "virtio-scsi-pci,id=vscsi0"]
            a += ["-device", "%s,drive=%s,bus=vscsi0.0,scsi-id=%d,lun=0%s" % (
                "scsi-cd" if self.cdrom else "scsi-hd", drv, self.unit, bi)]
        elif self.bus == "nvme":
            a += ["-device", "nvme,drive=%s,serial=mbt%d%s" % (drv, n, bi)]
        else:
            raise HarnessError("unknown disk bus %s" % self.bus)
        return a


class RunResult:
    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def serial(self):
        return _read(self.serial_path)

    @property
    def debug(self):
        return _read(self.debug_path)

    def tail(self, n=25):
        out = []
        for label, text in (("serial", self.serial), ("debug log", self.debug)):
            lines = text.splitlines()[-n:]
            out.append("--- last %d lines of %s (%s) ---" % (len(lines), label, self.workdir))
            out += lines
        return "\n".join(out)

    def describe(self):
        if self.timed_out:
            return "QEMU timed out after %.0f s" % self.elapsed
        return "QEMU exited with %s after %.1f s" % (self.exit_code, self.elapsed)


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", errors="replace").replace("\r", "")
    except FileNotFoundError:
        return ""


def qemu_argv(bios, machine="q35", mem="512", smp=1, disks=(), kernel=None,
              initrd=None, append=None, tpm=None, tpm_iface="tis",
              serial_path=None, debug_path=None, live=False, extra=(),
              no_reboot=True, vga_rom=None, vga_device="VGA", qmp=None):
    """vga_rom: add a vga_device (QEMU's standard VGA) with this option ROM
    ("ours" is out/vgabios-stdvga.bin, also for bochs-display, or
    out/vgabios-virtio.bin for virtio-vga, built from vgasrc/); qmp: a QMP
    socket path."""
    argv = [QEMU, "-accel", "tcg", "-machine", machine, "-m", str(mem),
            "-smp", str(smp), "-nodefaults", "-display", "none"]
    if no_reboot:
        argv += ["-no-reboot"]  # a reset ends the run (reboot tests turn it off)
    argv += ["-bios", bios,
            "-device", "isa-debug-exit,iobase=0x%x,iosize=1" % EXIT_PORT]
    if serial_path and live:
        # the console on the terminal, and a copy in serial_path
        argv += ["-chardev", "stdio,id=ser0,signal=on,logfile=" + serial_path,
                 "-serial", "chardev:ser0"]
    elif serial_path:
        argv += ["-chardev", "file,id=ser0,path=" + serial_path, "-serial", "chardev:ser0"]
    else:
        argv += ["-serial", "none"]
    if debug_path:
        argv += ["-chardev", "file,id=dbg,path=" + debug_path,
                 "-device", "isa-debugcon,iobase=0x%x,chardev=dbg" % DEBUG_PORT]
    for n, d in enumerate(disks):
        argv += d.args(n, machine)
    if kernel:
        argv += ["-kernel", kernel]
        if initrd:
            argv += ["-initrd", initrd]
        if append is not None:
            argv += ["-append", append]
    if tpm:
        argv += tpm.qemu_args(tpm_iface)
    if vga_rom:
        if vga_rom == "ours":  # bochs-display has the standard VGA's ids
            vga_rom = OUR_VGA_ROM if vga_device != "virtio-vga" else OUR_VGA_ROM.replace(
                "stdvga", "virtio")
        argv += ["-device", "%s,romfile=%s" % (vga_device, vga_rom)]
    if qmp:
        argv += ["-qmp", "unix:%s,server=on,wait=off" % qmp]
    argv += list(extra)
    return argv


def qmp_connect(path, timeout=10):
    """A socket connected to QEMU's QMP socket at path, once QEMU has made
    it (within timeout seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise HarnessError("QMP socket %s did not come up" % path)
            time.sleep(0.005)


def qmp_command(path, command, timeout=10, arguments=None, **kwargs):
    """Connect to QEMU's QMP socket at path, negotiate, run one command
    (e.g. "cont", or "screendump" with filename=..., or any arguments as
    a dict in `arguments`) and return its "return" value."""
    if arguments is None and kwargs:
        arguments = kwargs
    sock = qmp_connect(path, timeout)
    with sock, sock.makefile("rwb") as f:
        def reply():
            while True:
                line = f.readline()
                if not line:
                    raise HarnessError("QMP connection closed")
                msg = json.loads(line)
                if "return" in msg:
                    return msg["return"]
                if "error" in msg:
                    raise HarnessError("QMP error: %s" % msg["error"])
        greeting = json.loads(f.readline() or b"{}")
        if "QMP" not in greeting:
            raise HarnessError("no QMP greeting")
        for cmd in ("qmp_capabilities", command):
            msg = {"execute": cmd}
            if cmd == command and arguments is not None:
                msg["arguments"] = arguments
            f.write(json.dumps(msg).encode() + b"\n")
            f.flush()
            ret = reply()
        return ret


def run_qemu(workdir, bios=None, timeout=90, tpm=None, paused=False, on_start=None, **kw):
    """Run QEMU to completion (or kill it after timeout seconds).  Logs go
    to workdir/serial.log, workdir/debug.log; the command line to
    workdir/cmdline.  swtpm, if given, is set up and started here unless it
    already runs, and stopped afterwards.

    qmp=True: a QMP socket (workdir/qmp.sock) for on_start or a serial
    script's steps.
    paused: start QEMU with -S and a QMP socket (workdir/qmp.sock): the
    machine is created and reset (QEMU has talked to swtpm) but no guest
    code runs until someone sends "cont" (qmp_command(path, "cont")).
    on_start(proc, qmp_path): called in a thread once QEMU was launched, to
    inject faults while it runs; its return value is RunResult.hook, an
    exception it raises is re-raised as HarnessError after the run."""
    os.makedirs(workdir, exist_ok=True)
    bios = bios or default_bios()
    if not os.path.exists(bios):
        raise HarnessError("firmware %s not found (build it, or use --bios / MBIOS_BIOS)" % bios)
    serial_path = os.path.join(workdir, "serial.log")
    debug_path = os.path.join(workdir, "debug.log")
    for p in (serial_path, debug_path):
        if os.path.exists(p):
            os.unlink(p)
    started_tpm = False
    if tpm is not None and tpm.proc is None:
        if not os.path.isdir(tpm.state):
            tpm.setup()
        tpm.start()
        started_tpm = True
    qmp_path = None
    if paused or kw.get("qmp"):
        qmp_path = os.path.join(workdir, "qmp.sock")
        if os.path.exists(qmp_path):
            os.unlink(qmp_path)
        kw["qmp"] = qmp_path
        if paused:
            kw["extra"] = list(kw.get("extra", ())) + ["-S"]
    script = kw.pop("serial_script", None)
    serial_sock = None
    if script is not None:
        # Keys typed on the serial console: a socket the driver thread
        # connects to (QEMU waits for it), with QEMU's own copy in serial.log.
        serial_sock = os.path.join(workdir, "serial.sock")
        if os.path.exists(serial_sock):
            os.unlink(serial_sock)
        kw["extra"] = list(kw.get("extra", ())) + [
            "-chardev", "socket,id=ser0,path=%s,server=on,wait=on,logfile=%s"
            % (serial_sock, serial_path), "-serial", "chardev:ser0"]
        argv = qemu_argv(bios, tpm=tpm, serial_path=None, debug_path=debug_path, **kw)
        i = argv.index("-serial")  # qemu_argv's "-serial none"
        del argv[i:i + 2]
    else:
        argv = qemu_argv(bios, tpm=tpm, serial_path=serial_path, debug_path=debug_path, **kw)
    with open(os.path.join(workdir, "cmdline"), "w") as f:
        f.write(" ".join(argv) + "\n")
    live = kw.get("live", False)
    t0 = time.monotonic()
    with open(os.path.join(workdir, "qemu.stderr"), "wb") as err:
        if live:
            proc = subprocess.Popen(argv, stderr=err)
        else:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                                    start_new_session=True)
        hook = {}
        thread = None
        if script is not None:
            if on_start is not None:
                raise HarnessError("serial_script and on_start exclude each other")
            on_start = _serial_driver(serial_sock, script)
        if on_start is not None:
            def run_hook():
                try:
                    hook["value"] = on_start(proc, qmp_path)
                except Exception as e:      # reported after the run
                    hook["error"] = e
            thread = threading.Thread(target=run_hook, daemon=True)
            thread.start()
        timed_out = False
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            if live:
                proc.kill()
            else:
                os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
    elapsed = time.monotonic() - t0
    if thread is not None:
        thread.join(15)
    if started_tpm:
        # swtpm --terminate exits when QEMU goes; give it a moment to flush.
        try:
            tpm.proc.wait(3)
        except subprocess.TimeoutExpired:
            pass
        tpm.stop()
    if "error" in hook:
        raise HarnessError("fault-injection hook failed: %r" % (hook["error"],))
    return RunResult(workdir=workdir, exit_code=code, timed_out=timed_out,
                     elapsed=elapsed, serial_path=serial_path, debug_path=debug_path,
                     stderr=_read(os.path.join(workdir, "qemu.stderr")), argv=argv,
                     hook=hook.get("value"))


def _serial_driver(sock_path, script):
    """An on_start hook that types on the serial console: script is a list
    of (regex, keys); each waits until its regex matches the console output
    after the previous match, then sends its keys.  A step's keys may be
    None (only wait), or a function called with the QMP socket path (for
    a screendump) that returns the keys.  Returns the list of steps done."""
    def hook(proc, qmp):
        deadline = time.monotonic() + 30
        sock = None
        while sock is None:
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(sock_path)
            except OSError:
                sock = None
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise HarnessError("serial socket never came up")
                time.sleep(0.05)
        sock.settimeout(0.2)
        out, pos, done = b"", 0, []
        steps = list(script)
        # After the last step the socket is closed: QEMU then writes the
        # console to serial.log alone, with no reader to keep up with.
        while proc.poll() is None and steps:
            try:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                out += chunk
            except socket.timeout:
                pass
            except OSError:
                break
            while steps:
                pat, keys = steps[0]
                m = re.search(pat.encode() if isinstance(pat, str) else pat, out[pos:])
                if not m:
                    break
                pos += m.end()
                if callable(keys):
                    keys = keys(qmp)
                if keys:
                    time.sleep(0.1)
                    sock.sendall(keys)
                done.append(pat)
                steps.pop(0)
        sock.close()
        return done
    return hook


def boot_linux(workdir, bios=None, machine="q35", extra_append="mbt.boot=direct",
               timeout=120, **kw):
    """Direct kernel boot (-kernel/-initrd/-append) of the test guest."""
    return run_qemu(workdir, bios=bios, machine=machine, kernel=find_kernel(),
                    initrd=build_initramfs(),
                    append=KERNEL_CMDLINE + " " + extra_append,
                    timeout=timeout, **kw)


# --------------------------------------------------------------------------
# The screen: VGA text mode read back two ways
# --------------------------------------------------------------------------

def text_buffer(data, cols=80, rows=25):
    """The characters of a VGA text page (pmemsave of 0xB8000), as lines."""
    return ["".join(chr(data[(r * cols + c) * 2]) if 32 <= data[(r * cols + c) * 2] < 127
                    else " " for c in range(cols)).rstrip() for r in range(rows)]


def _font8x16():
    sys.path.insert(0, os.path.join(REPO, "scripts"))
    import mkfont
    paths = [os.path.join("/usr/share/consolefonts", f)
             for f in ("FullGreek-VGA16.psf.gz", "Uni2-VGA16.psf.gz")]
    fonts = [mkfont.load_psf1(p) for p in paths]
    glyphs = {}
    for code in range(126, 31, -1):  # printable ASCII wins over look-alikes
        u = mkfont.cp437(code)
        found = [g[t[u]] for _, g, t in fonts if u in t]
        if found:
            glyphs[bytes(found[0])] = chr(code)
    return glyphs


def screen_text(ppm, cell_w=9, cell_h=16):
    """Decode a QMP screendump (binary PPM) of a text mode screen into
    lines: each cell's first 8 pixel columns, foreground = not the cell's
    background colour, matched against the 8x16 code page 437 glyphs that
    vgasrc's font is built from. Unknown cells read as '?'."""
    head, _, rest = ppm.partition(b"\n")
    dims, _, rest = rest.partition(b"\n")
    _, _, px = rest.partition(b"\n")
    if head != b"P6":
        raise HarnessError("screendump is not a binary PPM")
    w, h = map(int, dims.split())
    glyphs = _font8x16()
    lines = []
    for row in range(h // cell_h):
        line = ""
        for col in range(w // cell_w):
            x0, y0 = col * cell_w, row * cell_h
            bg = px[(y0 * w + x0 + 8) * 3:(y0 * w + x0 + 8) * 3 + 3]  # 9th column: background
            bits = bytearray()
            for y in range(cell_h):
                b = 0
                for x in range(8):
                    i = ((y0 + y) * w + x0 + x) * 3
                    if px[i:i + 3] != bg:
                        b |= 0x80 >> x
                bits.append(b)
            line += glyphs.get(bytes(bits), " " if not any(bits) else "?")
        lines.append(line.rstrip())
    return lines


# --------------------------------------------------------------------------
# Parsing what the guests print
# --------------------------------------------------------------------------

class Report:
    """The guest-init report (lines "MBT key value" between begin and end)."""

    def __init__(self, text):
        self.lines = []
        self.begun = self.complete = False
        for raw in text.splitlines():
            idx = raw.find("MBT ")
            if idx < 0:
                continue
            line = raw[idx + 4:].rstrip()
            key, _, val = line.partition(" ")
            if key == "begin":
                self.begun, self.complete, self.lines = True, False, []
                continue
            if not self.begun:
                continue
            if key == "end":
                self.complete = True
                break
            self.lines.append((key, val))

    def get(self, key, default=None):
        for k, v in self.lines:
            if k == key:
                return v
        return default

    def all(self, key):
        return [v for k, v in self.lines if k == key]

    @property
    def e820(self):
        """[(start, end_inclusive, type_string)]"""
        out = []
        for v in self.all("e820"):
            m = re.match(r"\[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\] (.*)", v)
            if m:
                out.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip()))
        return out

    @property
    def cpus(self):
        return int(self.get("cpus_online", "0"))

    @property
    def memtotal_kb(self):
        return int(self.get("memtotal_kb", "0") or 0)

    @property
    def tpm_version(self):
        v = self.get("tpm_version")
        return int(v) if v and v.isdigit() else None

    def pcrs(self):
        """{bank: {index: bytes}} from pcr-<bank>/<n> and, for TPM 1.2,
        device/pcrs (as bank "sha1")."""
        out = {}
        for v in self.all("pcr"):
            bank, n, val = v.split()
            out.setdefault(bank, {})[int(n)] = bytes.fromhex(val)
        for v in self.all("pcrs12"):
            m = re.match(r"PCR-(\d+):\s*(([0-9A-Fa-f]{2}\s*){20})$", v)
            if m:
                val = bytes.fromhex(m.group(2).replace(" ", ""))
                out.setdefault("sha1", {}).setdefault(int(m.group(1)), val)
        return out

    def tpm_responses(self):
        """{name: response bytes, or None when the guest got no answer}
        from the raw /dev/tpm0 commands of mbt.tpmcheck=1."""
        out = {}
        for v in self.all("tpmcmd"):
            name, _, hexrsp = v.partition(" ")
            try:
                out[name] = None if hexrsp in ("", "none") else bytes.fromhex(hexrsp)
            except ValueError:
                out[name] = None
        return out

    def event_log(self):
        """The event log bytes, or None.  Raises HarnessError if the
        transfer over the serial line was damaged."""
        if self.get("log") != "yes":
            return None
        data = base64.b64decode("".join(self.all("log_b64")))
        if len(data) != int(self.get("log_size", "-1")):
            raise HarnessError("event log size mismatch after transfer")
        if hashlib.sha256(data).hexdigest() != self.get("log_sha256"):
            raise HarnessError("event log hash mismatch after transfer")
        return data


class BootProgResult:
    """What a bootsect program printed: BS PASS/FAIL/INFO/DONE lines."""

    def __init__(self, text):
        self.checks = {}
        self.order = []
        self.info = {}
        self.done = None
        self.started = None
        for raw in text.splitlines():
            idx = raw.find("BS ")
            if idx < 0:
                continue
            parts = raw[idx + 3:].strip().split(" ", 2)
            kind = parts[0]
            if kind in ("PASS", "FAIL") and len(parts) >= 2:
                self.checks[parts[1]] = (kind == "PASS", parts[2] if len(parts) > 2 else "")
                self.order.append(parts[1])
            elif kind == "INFO" and len(parts) >= 2:
                self.info.setdefault(parts[1], []).append(parts[2] if len(parts) > 2 else "")
            elif kind == "DONE" and len(parts) >= 3:
                self.done = (int(parts[1]), int(parts[2]))
            elif kind == "START" and len(parts) >= 2:
                self.started = parts[1]


def run_bootprog(workdir, disks, bios=None, machine="pc", mem="512", timeout=60, **kw):
    r = run_qemu(workdir, bios=bios, machine=machine, mem=mem, disks=disks,
                 timeout=timeout, **kw)
    r.bs = BootProgResult(r.serial)
    return r


# --------------------------------------------------------------------------
# Event log parsing and replay (an independent cross-check of eventlog.py)
# --------------------------------------------------------------------------

ALG_SIZES = {0x0004: 20, 0x000B: 32, 0x000C: 48, 0x000D: 64, 0x0012: 32}
ALG_NAMES = {0x0004: "sha1", 0x000B: "sha256", 0x000C: "sha384", 0x000D: "sha512",
             0x0012: "sm3_256"}
EV_NO_ACTION = 3
EV_SEPARATOR = 4
EV_ACTION = 5
EV_COMPACT_HASH = 0x0C
EV_IPL = 0x0D
# What the firmware logs the PCR 4 IPL code as (docs/measurements.md).
EV_IPL_CODE = EV_COMPACT_HASH
EV_IPL_PARTITION_DATA = 0x0E


class Event:
    def __init__(self, pcr, etype, digests, data):
        self.pcr, self.type, self.digests, self.data = pcr, etype, digests, data

    def __repr__(self):
        return "Event(pcr=%d, type=0x%x, %d bytes)" % (self.pcr, self.type, len(self.data))


def parse_event_log(data):
    """Return (format, events, specid_algs): format "tpm2" (crypto agile,
    specid_algs = {alg_id: size}) or "tpm12" (SHA-1 records).  Raises
    ValueError on a malformed log."""
    events = []
    if len(data) < 32:
        raise ValueError("log shorter than one record")
    pcr, etype = struct.unpack_from("<II", data, 0)
    size = struct.unpack_from("<I", data, 28)[0]
    first = data[32:32 + size]
    if etype == EV_NO_ACTION and first.startswith(b"Spec ID Event03\0"):
        if len(first) < 28:
            raise ValueError("short Spec ID event")
        n = struct.unpack_from("<I", first, 24)[0]
        algs = {}
        for i in range(n):
            alg, sz = struct.unpack_from("<HH", first, 28 + 4 * i)
            algs[alg] = sz
        off = 32 + size
        while off < len(data):
            if off + 12 > len(data):
                raise ValueError("truncated record header at %d" % off)
            pcr, etype, count = struct.unpack_from("<III", data, off)
            off += 12
            digests = {}
            for _ in range(count):
                alg = struct.unpack_from("<H", data, off)[0]
                if alg not in algs:
                    raise ValueError("digest of alg 0x%x not in Spec ID at %d" % (alg, off))
                digests[alg] = data[off + 2:off + 2 + algs[alg]]
                off += 2 + algs[alg]
            size = struct.unpack_from("<I", data, off)[0]
            off += 4
            if off + size > len(data):
                raise ValueError("truncated event data")
            events.append(Event(pcr, etype, digests, data[off:off + size]))
            off += size
        return "tpm2", events, algs
    off = 0
    while off < len(data):
        if off + 32 > len(data):
            raise ValueError("truncated SHA-1 record at %d" % off)
        pcr, etype = struct.unpack_from("<II", data, off)
        digest = data[off + 8:off + 28]
        size = struct.unpack_from("<I", data, off + 28)[0]
        if off + 32 + size > len(data):
            raise ValueError("truncated event data")
        events.append(Event(pcr, etype, {0x0004: digest}, data[off + 32:off + 32 + size]))
        off += 32 + size
    return "tpm12", events, {0x0004: 20}


def replay(events, algs):
    """{bank_name: {pcr: value}} for PCRs 0-23 of every algorithm."""
    pcrs = {}
    for alg, size in algs.items():
        name = ALG_NAMES.get(alg)
        if not name:
            continue
        vals = {i: b"\0" * size for i in range(24)}
        for e in events:
            if e.type == EV_NO_ACTION:
                if e.data.startswith(b"StartupLocality\0") and e.pcr == 0 and len(e.data) >= 17:
                    vals[0] = b"\0" * (size - 1) + e.data[16:17]
                continue
            if alg in e.digests and e.pcr < 24:
                vals[e.pcr] = hashlib.new(name, vals[e.pcr] + e.digests[alg]).digest()
        pcrs[name] = vals
    return pcrs


def write_pcr_dir(pcrdir, pcrs):
    """Write PCR values as pcrdir/pcr-<bank>/<n> (upper-case hex and a
    newline), the layout of /sys/class/tpm/tpm0."""
    shutil.rmtree(pcrdir, ignore_errors=True)
    for bank, vals in pcrs.items():
        d = os.path.join(pcrdir, "pcr-" + bank)
        os.makedirs(d)
        for n, v in vals.items():
            with open(os.path.join(d, str(n)), "w") as f:
                f.write(v.hex().upper() + "\n")


def eventlog_py():
    return os.path.join(REPO, "scripts", "eventlog.py")


def verify_with_eventlog_py(log_path, pcrdir):
    """Run scripts/eventlog.py verify LOG PCRDIR; returns (ok, output)."""
    tool = eventlog_py()
    if not os.path.exists(tool):
        return False, "scripts/eventlog.py does not exist yet"
    r = subprocess.run([PYTHON, tool, "verify", log_path, pcrdir],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    return r.returncode == 0, r.stdout.decode(errors="replace")


def verify_with_tpm2_eventlog(log_path):
    """tpm2_eventlog LOG must exit 0 and print the replayed PCRs."""
    r = subprocess.run(["tpm2_eventlog", log_path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    out = r.stdout.decode(errors="replace")
    return r.returncode == 0 and "pcrs:" in out, out


def attest_tool(*args):
    """Run scripts/mbios-attest ARGS; returns (exit status, output)."""
    r = subprocess.run([PYTHON, os.path.join(REPO, "scripts", "mbios-attest")] +
                       [str(x) for x in args], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300)
    return r.returncode, r.stdout.decode(errors="replace")


def tpm2_eventlog_complaints(out):
    """The WARN/ERROR lines tpm2_eventlog printed (it prints them on stderr,
    merged into out by verify_with_tpm2_eventlog)."""
    return [l.strip() for l in out.splitlines() if re.match(r"\s*(WARN|ERROR)", l)]


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def _cli():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bios", default=None, help="firmware image (default: $MBIOS_BIOS or out/bios.bin)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("initramfs", help="build out/test/initramfs.cpio.gz")
    p = sub.add_parser("bootprog", help="build a test boot program")
    p.add_argument("name")
    p = sub.add_parser("grub-disk", help="build out/test/grub.img")
    p = sub.add_parser("linux", help="boot the test guest and print its report")
    p.add_argument("--machine", default="q35", choices=["pc", "q35"])
    p.add_argument("--mem", default="512")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--tpm", choices=["none", "tis", "crb"], default="tis")
    p.add_argument("--tpm-version", type=int, choices=[1, 2], default=2)
    p.add_argument("--banks", default="all")
    p.add_argument("--grub", choices=["ide", "virtio", "vscsi", "nvme"], help="boot GRUB from a disk instead")
    p.add_argument("--workdir", default=os.path.join(OUT, "cli-linux"))
    p = sub.add_parser("svc", help="run bootsect/svc and print its checks")
    p.add_argument("--machine", default="pc", choices=["pc", "q35"])
    p.add_argument("--bus", default="ide", choices=["ide", "virtio", "vscsi", "nvme"])
    p.add_argument("--mem", default="512")
    p.add_argument("--workdir", default=os.path.join(OUT, "cli-svc"))
    p = sub.add_parser("swtpm-log", help="summarise a swtpm log (level 20)")
    p.add_argument("log")
    p.add_argument("--tpm-version", type=int, choices=[1, 2], default=2)
    a = ap.parse_args()

    if a.cmd == "initramfs":
        print(build_initramfs())
    elif a.cmd == "bootprog":
        print(build_bootprog(a.name))
    elif a.cmd == "grub-disk":
        print(grub_disk())
    elif a.cmd == "svc":
        ram = int(a.mem[:-1]) * 1024 if a.mem.upper().endswith("G") else int(a.mem)
        disk = make_svc_disk(os.path.join(OUT, "svc-%d.img" % ram), build_bootprog("svc"), ram)
        r = run_bootprog(a.workdir, [Disk(disk, a.bus)], bios=a.bios,
                         machine=a.machine, mem=a.mem)
        print(r.serial)
        print(r.describe())
        return 0 if r.bs.done == (r.bs.done[0], 0) and r.exit_code == 1 else 1
    elif a.cmd == "linux":
        tpm = None
        if a.tpm != "none":
            tpm = Swtpm(a.workdir, version=a.tpm_version, banks=a.banks)
        kw = dict(bios=a.bios, machine=a.machine, mem=a.mem, smp=a.smp, tpm=tpm,
                  tpm_iface=a.tpm)
        if a.grub:
            r = run_qemu(a.workdir, disks=[Disk(grub_disk(), a.grub)], timeout=180, **kw)
        else:
            r = boot_linux(a.workdir, **kw)
        rep = Report(r.serial)
        print("\n".join("%s %s" % kv for kv in rep.lines if kv[0] != "log_b64"))
        print(r.describe(), "report complete" if rep.complete else "REPORT INCOMPLETE")
        return 0 if rep.complete else 1
    elif a.cmd == "swtpm-log":
        ev = parse_swtpm_log(open(a.log, errors="replace").read())
        st, bad, cmds = startup_summary(ev, a.tpm_version)
        for code, rc in cmds:
            print("cmd 0x%x rc 0x%x" % (code, rc))
        print("startups:", st, "post-init errors:", bad)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(_cli())
    except HarnessError as e:
        print("mbtest: %s" % e, file=sys.stderr)
        sys.exit(2)
