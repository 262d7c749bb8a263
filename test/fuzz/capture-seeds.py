#!/usr/bin/python3
"""Capture real inputs for the fuzz corpora (test/fuzz/corpus/<target>/).

Boots the firmware (out/bios.bin) with the test kernel three times --
q35 + TPM 2.0 TIS, q35 + TPM 2.0 CRB, pc + TPM 1.2 TIS, with disks that
carry a bootindex -- and an extra initramfs whose /init loads qemu_fw_cfg
and prints every fw_cfg file on the serial console. The swtpm log of the
same runs gives the TPM's responses to the firmware's commands. Each is
written in the input format of its target. Run by hand (it takes about a
minute); the corpora are committed.

    test/fuzz/capture-seeds.py [--bios out/bios.bin] [--keep WORKDIR]
"""
import argparse
import base64
import glob
import gzip
import io
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "test", "qemu"))
import mbtest  # noqa: E402

CORPUS = os.path.join(HERE, "corpus")

DUMP_INIT = r"""#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
insmod /qemu_fw_cfg.ko
cd /sys/firmware/qemu_fw_cfg/by_key
for k in *; do
	echo "FWCFG-FILE $(cat $k/key) $(cat $k/size) $(cat $k/name)"
	base64 $k/raw
	echo "FWCFG-END"
done
echo "FWCFG-DONE"
poweroff -f
"""


def newc(files):
    """A newc cpio archive of {path: (mode, bytes)}."""
    out = io.BytesIO()

    def rec(name, mode, data):
        name = name.encode() + b"\0"
        hdr = b"070701" + b"".join(b"%08X" % v for v in (
            0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0))
        out.write(hdr + name)
        out.write(b"\0" * ((4 - (len(hdr) + len(name)) % 4) % 4))
        out.write(data)
        out.write(b"\0" * ((4 - len(data) % 4) % 4))

    for path, (mode, data) in files.items():
        rec(path, mode, data)
    rec("TRAILER!!!", 0, b"")
    return out.getvalue()


def dump_initrd(workdir):
    """The test initramfs with our /init and the fw_cfg module appended
    (the kernel unpacks concatenated archives in order)."""
    ko = glob.glob("/lib/modules/*/kernel/drivers/firmware/qemu_fw_cfg.ko*")
    if not ko:
        sys.exit("capture-seeds: qemu_fw_cfg.ko not found")
    mod = open(ko[0], "rb").read()
    if ko[0].endswith(".xz"):
        import lzma
        mod = lzma.decompress(mod)
    extra = newc({"init": (0o100755, DUMP_INIT.encode()),
                  "qemu_fw_cfg.ko": (0o100644, mod)})
    path = os.path.join(workdir, "dump-initrd.gz")
    with open(path, "wb") as f:
        f.write(open(mbtest.build_initramfs(), "rb").read())
        f.write(gzip.compress(extra))
    return path


def parse_dump(text):
    """{name: (key, bytes)} from the serial log."""
    files, cur, lines = {}, None, []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("FWCFG-FILE "):
            _, key, size, name = line.split(" ", 3)
            cur, lines = (name, int(key), int(size)), []
        elif line == "FWCFG-END" and cur:
            data = base64.b64decode("".join(lines))
            files[cur[0]] = (cur[1], data[:cur[2]])
            cur = None
        elif cur:
            lines.append(line)
    return files


def container(files, names, config=None):
    """fuzz_platform.h's file list: name, size, data (trailing zeros cut)."""
    out = b"" if config is None else bytes([config])
    for n in names:
        if n not in files:
            continue
        data = files[n][1]
        trimmed = data.rstrip(b"\0")
        out += bytes([len(n)]) + n.encode()
        out += struct.pack("<II", len(data), len(trimmed)) + trimmed
    return out


def directory(files):
    """Item 0x19 as QEMU sends it: be32 count, 64-byte entries."""
    ents = sorted((key, name, len(data)) for name, (key, data) in files.items())
    out = struct.pack(">I", len(ents))
    for key, name, size in ents:
        out += struct.pack(">IHH56s", size, key, 0, name.encode())
    return out


def save(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    print("  %s/%s: %d bytes" % (target, name, len(data)))


# ---- TPM responses in the formats of fuzz_tpm_cmd and fuzz_tpm_drivers ----

def tpm_cmd_seed(cmd, rsp, v20):
    """fuzz_tpm_cmd: the call byte and arguments that make the firmware send
    `cmd`, then the driver's answer `rsp`; None when not covered."""
    code = struct.unpack(">I", cmd[6:10])[0]
    z = bytes
    cmd = cmd + bytes(32)  # short commands: read missing fields as zero
    reply = b"\0" + struct.pack("<H", len(rsp)) + rsp
    if v20:
        # call_tpm2: pw_len, pcr, then the function's own arguments
        pcr = cmd[13]
        table = {
            0x144: (0, struct.pack("<H", struct.unpack(">H", cmd[10:12])[0])),
            0x145: (1, z(2)),
            0x143: (2, bytes([cmd[10]])),
            0x17B: (8, bytes([min(255, cmd[11] // 2)])),
            0x182: (5, bytes([0]) + bytes([1]) + z(32)),
            0x121: (10, z(9)),
            0x129: (9, z(5)),
            0x126: (12, z(4)),
            0x12B: (11, bytes([0])),
        }
        if code == 0x17A:  # GetCapability: PCRS or one property
            cap, prop = struct.unpack(">II", cmd[10:18])
            fn, args = (3, b"") if cap == 5 else (4, struct.pack("<I", prop))
        elif code == 0x17E:  # PCR_Read
            alg = struct.unpack(">H", cmd[14:16])[0]
            fn, args = 7, bytes([64]) + struct.pack("<H", alg)
        elif code in table:
            fn, args = table[code]
        else:
            return None
        return bytes([fn, 0, pcr]) + args + reply
    table = {0x99: (0, z(2)), 0x4000000A: (1, z(2)), 0x50: (7, b""),
             0x53: (8, b""), 0x14: (9, z(1)), 0x15: (10, b""),
             0x4000000B: (11, b""), 0x6F: (12, b""), 0x70: (13, b""),
             0x72: (14, z(1)), 0x71: (15, z(1)), 0x5D: (16, b"")}
    if code == 0x65:  # GetCapability
        cap, _, sub = struct.unpack(">III", cmd[10:22])
        fn = {(5, 0x115): 2, (5, 0x120): 3, (4, 0x108): 4, (4, 0x109): 5,
              (5, 0x111): 6}.get((cap, sub))
        if fn is None:
            return None
        args = b""
    elif code in table:
        fn, args = table[code]
    else:
        return None
    # call_tpm12: pcr byte first
    return bytes([14 + fn, 0]) + args + reply


def tpm_drivers_seed(pairs, config):
    """fuzz_tpm_drivers: configuration, burst 64, no register noise, then
    one transmit per recorded command with the recorded response."""
    out = bytes([config, 64, 0])
    for cmd, rsp in pairs[:8]:
        out += bytes([0]) + struct.pack("<HHB", len(cmd) - 10, 4086, 0)
        out += cmd[6:10][::-1] + bytes([0])
        out += struct.pack("<H", len(rsp)) + rsp
    return out


def edge_seeds():
    """Hand-made edge cases next to the captured inputs."""
    # Our own boot program (test/qemu/bootsect/exit.S) as the code part.
    boot = open(mbtest.build_bootprog("exit"), "rb").read()[:440].ljust(440, b"\0")
    part = struct.pack("<BBBBBBBBII", 0x80, 0x20, 0x21, 0, 0x83, 0xFE, 0xFF, 0xFF,
                       2048, 204800)
    mbr = boot + bytes(6) + part + bytes(48) + b"\x55\xaa"
    disk = lambda typ, sectors, bad=None: (bytes([typ]) + struct.pack("<QB", sectors, 0) +
        (b"\1" + struct.pack("<I", bad) if bad is not None else b"\0"))
    save("fuzz_mbr", "mbr-one-partition", disk(0, 204800 + 2048) + mbr)
    save("fuzz_mbr", "no-signature", disk(1, 100) + mbr[:510] + b"\0\0")
    save("fuzz_mbr", "empty", disk(2, 1 << 40) + bytes(512))
    save("fuzz_mbr", "bad-sector-0", disk(0, 16, bad=0) + mbr)
    save("fuzz_mbr", "no-sectors", disk(0, 0) + mbr)

    def call(ax, bx=0, cx=0, dx=0x80, si=0x1000, ds=0, es=0, blk=b""):
        return struct.pack("<7H", ax, bx, cx, dx, si, ds, es) + blk.ljust(24, b"\0")
    dap = lambda size, count, off, seg, lba, flat=0: struct.pack(
        "<BBHHHQQ", size, 0, count, off, seg, lba, flat)
    two = disk(0, 1 << 21) + disk(1, 20 << 21)
    save("fuzz_int13", "edd-calls", two + call(0x4100, bx=0x55AA) +
         call(0x4200, blk=dap(0x10, 8, 0x2000, 0, 0)) +
         call(0x4302, blk=dap(0x10, 1, 0x2000, 0, 5)) +
         call(0x4400, blk=dap(0x10, 4, 0, 0, 100)) +
         call(0x4700, blk=dap(0x10, 0, 0, 0, 1 << 30)) +
         call(0x4800, blk=struct.pack("<H", 0x4A)) +
         call(0x4800, dx=0x81, blk=struct.pack("<H", 0x1E)))
    save("fuzz_int13", "edd-flat-4g", two +
         call(0x4200, blk=dap(0x18, 127, 0xFFFF, 0xFFFF, 0, 0xFFFF0000)) +
         call(0x4200, blk=dap(0x18, 1, 0xFFFF, 0xFFFF, 0, 0xFFFFFE00)) +
         call(0x4200, ds=0xFFFF, si=0xFFF0, blk=dap(0x10, 127, 0xFFFF, 0xFFFF, 7)))
    save("fuzz_int13", "chs-calls", two + call(0x0201, cx=0x0001, es=0x0800) +
         call(0x0800) + call(0x1500) + call(0x0301, cx=0x03FF, dx=0xFE80) +
         call(0x0C00, cx=0x0101) + call(0x0100) + call(0x0800, dx=0x00))

    e820 = lambda start, size, typ: struct.pack("<QQI", start, size, typ)
    save("fuzz_e820", "wraps-2^64", e820(0, 0xA0000, 1) +
         e820(0xFFFFFFFFFFFFF000, 0x2000, 2))
    save("fuzz_e820", "33-entries", b"".join(e820(i << 20, 0x80000, 1 + i % 2)
                                             for i in range(33)))
    save("fuzz_bootorder", "edge-cases", b"\1\1\0\0" +
         b"/pci@i0cf8/ide@fffffffffff1,1/drive@0\n/pci@i0cf8/ide@1,1/drive@1/disk@0"
         b"\n\n/rom@genroms/linuxboot_dma.bin\n/pci@i0cf8/ide@1,1/drive")
    ents = b"".join(struct.pack(">IHH56s", 16, 0x20 + i, 0, b"etc/e820") for i in range(3))
    save("fuzz_fw_cfg", "duplicates-and-too-many", struct.pack(">I", 1000) + ents +
         struct.pack(">IHH56s", 8, 0x30, 0, b"x" * 56))
    save("fuzz_smbios", "short-length-fields", container(
        {"etc/smbios/smbios-anchor": (0, b"_SM3_\0\4" + bytes(17)),
         "etc/smbios/smbios-tables": (0, bytes(40))},
        ["etc/smbios/smbios-anchor", "etc/smbios/smbios-tables"]))
    # fuzz_tpm_cmd: a TPML_PCR_SELECTION with 9 banks, and PCR_Read
    # answering with a digest longer than asked for.
    hdr = lambda tag, n, rc=0: struct.pack(">HII", tag, n, rc)
    sel = struct.pack(">BIIB", 0, 5, 9, 0)
    body = sel + b"".join(struct.pack(">HB3s", 4 + i, 3, b"\xff\xff\xff") for i in range(9))
    rsp = hdr(0x8001, 10 + len(body)) + body
    save("fuzz_tpm_cmd", "nine-banks", bytes([3, 0, 0, 0]) + struct.pack("<H", len(rsp)) + rsp)
    body = struct.pack(">I", 1) + struct.pack(">IHB3s", 1, 0xB, 3, b"\1\0\0") + \
        struct.pack(">IH", 1, 64) + bytes(64)
    rsp = hdr(0x8001, 10 + len(body)) + body
    save("fuzz_tpm_cmd", "pcr-read-long-digest", bytes([7, 0, 0, 32, 0xB, 0, 0]) +
         struct.pack("<H", len(rsp)) + rsp)


def run(workdir, bios, name, machine, version, iface, disks):
    wd = os.path.join(workdir, name)
    os.makedirs(wd, exist_ok=True)
    tpm = mbtest.Swtpm(wd, version=version)
    res = mbtest.run_qemu(wd, bios=bios, machine=machine, kernel=mbtest.find_kernel(),
                          initrd=dump_initrd(wd), append=mbtest.KERNEL_CMDLINE,
                          tpm=tpm, tpm_iface=iface, disks=disks, timeout=240)
    text = open(res.serial_path, errors="replace").read()
    if "FWCFG-DONE" not in text:
        sys.exit("capture-seeds: %s: no dump (see %s)" % (name, res.serial_path))
    return parse_dump(text), mbtest.commands_since_reset(tpm.commands())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bios", default=os.path.join(REPO, "out", "bios.bin"))
    ap.add_argument("--keep")
    ap.add_argument("--edge-only", action="store_true",
                    help="only write the hand-made seeds (no QEMU)")
    args = ap.parse_args()
    edge_seeds()
    if args.edge_only:
        return
    workdir = args.keep or tempfile.mkdtemp(prefix="mbios-seeds-")
    os.makedirs(workdir, exist_ok=True)
    disk = os.path.join(workdir, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    runs = [
        ("q35-tpm20-tis", "q35", 2, "tis", 1,
         [mbtest.Disk(disk, "virtio", bootindex=1), mbtest.Disk(disk, "ide", bootindex=2)]),
        ("q35-tpm20-crb", "q35", 2, "crb", 3, [mbtest.Disk(disk, "ide", bootindex=1, unit=2)]),
        ("pc-tpm12-tis", "pc", 1, "tis", 0,
         [mbtest.Disk(disk, "ide", bootindex=2, unit=1), mbtest.Disk(disk, "virtio", bootindex=1)]),
    ]
    for name, machine, version, iface, config, disks in runs:
        print("== %s" % name)
        files, pairs = run(workdir, args.bios, name, machine, version, iface, disks)
        acpi = ["etc/table-loader", "etc/acpi/rsdp", "etc/acpi/tables", "etc/tpm/log"]
        save("fuzz_acpi", name, container(files, acpi, config))
        # The same tables for the other TPM family (QEMU's table does not
        # fit: one is built), without QEMU's log area, and with a smallest
        # log area larger than QEMU's (config bits 2-7: 4 KiB units).
        save("fuzz_acpi", name + "-other-family", container(files, acpi, config ^ 1))
        save("fuzz_acpi", name + "-no-log-area", container(files, acpi[:3], config))
        save("fuzz_acpi", name + "-area-too-small",
             container(files, acpi, (config & 3) | 0x24 << 2))
        save("fuzz_smbios", name, container(
            files, ["etc/smbios/smbios-anchor", "etc/smbios/smbios-tables"]))
        save("fuzz_fw_cfg", name, directory(files))
        # fuzz_tableloader: 8 bytes of file sizes (all large), commands
        save("fuzz_tableloader", name,
             b"\xff" * 8 + files["etc/table-loader"][1].rstrip(b"\0"))
        if "etc/e820" in files:
            save("fuzz_e820", name, files["etc/e820"][1])
        if "bootorder" in files:
            save("fuzz_bootorder", name, b"\0\0\0\0" + files["bootorder"][1])
        seen = set()
        for cmd, rsp in pairs:
            seed = tpm_cmd_seed(cmd, rsp, version == 2)
            # one per command, GetCapability once per capability asked
            key = cmd[6:10] + (cmd[10:22] if cmd[6:10] in (b"\0\0\1\x7a", b"\0\0\0\x65") else b"")
            if seed is None or key in seen:
                continue
            seen.add(key)
            save("fuzz_tpm_cmd", "%s-%s-%d" % (name, cmd[6:10].hex(), len(seen)), seed)
        drv_config = (1 if iface == "crb" else 0) | (2 if version == 2 else 0)
        save("fuzz_tpm_drivers", name, tpm_drivers_seed(pairs, drv_config))
    print("work files in %s" % workdir)


if __name__ == "__main__":
    main()
