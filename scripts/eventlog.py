#!/usr/bin/python3
"""Read a TCG event log (TPM 1.2 SHA-1 format or TPM 2.0 crypto-agile).

  eventlog.py parse LOGFILE            list the events
  eventlog.py replay LOGFILE           replayed PCR 0-23, "sha256:0=HEX" lines
  eventlog.py verify LOGFILE PCRSRC    compare PCR 0-7 of every bank the log
                                       declares with a Linux guest's values

PCRSRC is a directory laid out like /sys/class/tpm/tpm0 (pcr-<bank>/<n>
files holding hex), or a TPM 1.2 "pcrs" file ("PCR-00: 3A 3F ..." lines),
or a directory containing such a file (as pcrs or device/pcrs).

LOGFILE may be the kernel's binary_bios_measurements or a raw, zero-padded
log area. Exit status: 0 success, 1 verify mismatch, 2 malformed log or
usage error.

Layouts: TCG PC Client Platform Firmware Profile, "Event Logging"
(TCG_PCClientPCREvent, TCG_PCR_EVENT2, TCG_EfiSpecIdEvent).

It is also the library under scripts/mbios-attest: parse_log, replay,
read_pcr_source (which also reads tpm2_pcrread YAML), write_log (the
inverse of parse_log), describe_event and diff_events.
"""
import hashlib
import os
import re
import struct
import sys

# TPM 2.0 Library Part 2, TPM_ALG_ID: (name, digest size, hashlib name)
ALGS = {
    0x0004: ("sha1", 20, "sha1"),
    0x000B: ("sha256", 32, "sha256"),
    0x000C: ("sha384", 48, "sha384"),
    0x000D: ("sha512", 64, "sha512"),
    0x0012: ("sm3_256", 32, "sm3"),
    0x0027: ("sha3_256", 32, "sha3_256"),
    0x0028: ("sha3_384", 48, "sha3_384"),
    0x0029: ("sha3_512", 64, "sha3_512"),
}
# Directory names Linux has used for the SM3 bank in sysfs.
SYSFS_NAMES = {"sm3_256": ["sm3", "sm3_256", "sm3-256"]}

EVENT_TYPES = {
    0x00: "EV_PREBOOT_CERT", 0x01: "EV_POST_CODE", 0x02: "EV_UNUSED",
    0x03: "EV_NO_ACTION", 0x04: "EV_SEPARATOR", 0x05: "EV_ACTION",
    0x06: "EV_EVENT_TAG", 0x07: "EV_S_CRTM_CONTENTS",
    0x08: "EV_S_CRTM_VERSION", 0x09: "EV_CPU_MICROCODE",
    0x0A: "EV_PLATFORM_CONFIG_FLAGS", 0x0B: "EV_TABLE_OF_DEVICES",
    0x0C: "EV_COMPACT_HASH", 0x0D: "EV_IPL", 0x0E: "EV_IPL_PARTITION_DATA",
    0x0F: "EV_NONHOST_CODE", 0x10: "EV_NONHOST_CONFIG",
    0x11: "EV_NONHOST_INFO", 0x12: "EV_OMIT_BOOT_DEVICE_EVENTS",
    0x80000001: "EV_EFI_VARIABLE_DRIVER_CONFIG",
    0x80000002: "EV_EFI_VARIABLE_BOOT",
    0x80000003: "EV_EFI_BOOT_SERVICES_APPLICATION",
    0x80000004: "EV_EFI_BOOT_SERVICES_DRIVER",
    0x80000005: "EV_EFI_RUNTIME_SERVICES_DRIVER",
    0x80000006: "EV_EFI_GPT_EVENT", 0x80000007: "EV_EFI_ACTION",
    0x80000008: "EV_EFI_PLATFORM_FIRMWARE_BLOB",
    0x80000009: "EV_EFI_HANDOFF_TABLES",
    0x8000000A: "EV_EFI_PLATFORM_FIRMWARE_BLOB2",
    0x8000000B: "EV_EFI_HANDOFF_TABLES2",
    0x8000000C: "EV_EFI_VARIABLE_BOOT2",
    0x80000010: "EV_EFI_HCRTM_EVENT",
    0x800000E0: "EV_EFI_VARIABLE_AUTHORITY",
}
# EV_EVENT_TAG ids (Conventional BIOS spec, TCG_PCClientTaggedEvent)
TAGS = {
    1: "SMBIOS", 2: "BIS_CERT", 3: "POST_BIOS_ROM", 4: "ESCD", 5: "CMOS",
    6: "NVRAM", 7: "OPTION_ROM_EXEC", 8: "OPTION_ROM_CONFIG",
    10: "OPTION_ROM_MICROCODE", 11: "S_CRTM_VERSION", 12: "S_CRTM_CONTENTS",
    13: "POST_CONTENTS", 14: "HOST_TABLE_OF_DEVICES",
}
SPEC_ID_SIG = b"Spec ID Event03\0"
LOCALITY_SIG = b"StartupLocality\0"
NUM_PCRS = 24
SHA1_HDR = 32  # u32 pcr, u32 type, sha1[20], u32 size
AGILE_HDR = 12  # u32 pcr, u32 type, u32 digest count


class LogError(Exception):
    pass


class Event:
    def __init__(self, offset, pcr, etype, digests, data, size):
        self.offset = offset
        self.pcr = pcr
        self.type = etype
        self.digests = digests  # list of (alg, bytes)
        self.data = data
        self.size = size


class Log:
    def __init__(self):
        self.agile = False
        self.banks = [(0x0004, 20)]  # (alg, size), Spec ID order
        self.spec = None
        self.events = []


def alg_name(alg):
    return ALGS.get(alg, ("alg_0x%04x" % alg,))[0]


def hasher(alg):
    """A hashlib constructor for alg, or None when OpenSSL lacks it."""
    if alg not in ALGS:
        return None
    name = ALGS[alg][2]
    try:
        hashlib.new(name)
    except ValueError:
        return None
    return lambda data=b"": hashlib.new(name, data)


def parse_spec_id(data, off):
    if len(data) < 29:
        raise LogError("offset %d: Spec ID event too short" % off)
    cls, vmin, vmaj, errata, uintn, n = struct.unpack_from("<IBBBBI", data, 16)
    if n == 0 or len(data) < 29 + 4 * n:
        raise LogError("offset %d: Spec ID lists %d algorithms in %d bytes"
                       % (off, n, len(data)))
    banks = []
    for i in range(n):
        alg, size = struct.unpack_from("<HH", data, 28 + 4 * i)
        if alg in ALGS and ALGS[alg][1] != size:
            raise LogError("offset %d: Spec ID gives %s a %d-byte digest, "
                           "not %d" % (off, alg_name(alg), size, ALGS[alg][1]))
        if size == 0 or size > 64:
            raise LogError("offset %d: Spec ID digest size %d" % (off, size))
        if any(b[0] == alg for b in banks):
            raise LogError("offset %d: %s listed twice in the Spec ID"
                           % (off, alg_name(alg)))
        banks.append((alg, size))
    vendor = data[28 + 4 * n]
    if len(data) != 29 + 4 * n + vendor:
        raise LogError("offset %d: Spec ID size %d, expected %d"
                       % (off, len(data), 29 + 4 * n + vendor))
    spec = dict(platform_class=cls, version="%d.%d" % (vmaj, vmin),
                errata=errata, uintn_size=uintn)
    return banks, spec


def parse_log(buf):
    """Walk the log like the firmware's walker: stop at the end of the data
    or at a terminator (type 0 with no data, an all-zero header, or a short
    all-zero tail); anything else that does not fit is an error."""
    log = Log()
    off = 0
    while off < len(buf):
        left = len(buf) - off
        if not log.agile:
            if left < SHA1_HDR:
                if any(buf[off:]):
                    raise LogError("offset %d: record header cut off by the "
                                   "end of the file" % off)
                break
            pcr, etype = struct.unpack_from("<II", buf, off)
            digest = bytes(buf[off + 8:off + 28])
            (size,) = struct.unpack_from("<I", buf, off + 28)
            if etype == 0 and size == 0:
                break
            if size > left - SHA1_HDR:
                raise LogError("offset %d: event data (%d bytes) ends past "
                               "the end of the file" % (off, size))
            data = bytes(buf[off + SHA1_HDR:off + SHA1_HDR + size])
            ev = Event(off, pcr, etype, [(0x0004, digest)], data,
                       SHA1_HDR + size)
            if (not log.events and pcr == 0 and etype == 3
                    and data[:16] == SPEC_ID_SIG):
                if any(digest):
                    raise LogError("offset 0: Spec ID event digest not zero")
                log.banks, log.spec = parse_spec_id(data, off)
                log.agile = True
        else:
            hdr = bytes(buf[off:off + AGILE_HDR])
            if left < AGILE_HDR or not any(hdr):
                if any(hdr):
                    raise LogError("offset %d: record header cut off by the "
                                   "end of the file" % off)
                break
            pcr, etype, count = struct.unpack_from("<III", buf, off)
            if count != len(log.banks):
                raise LogError("offset %d: %d digests, the Spec ID declares "
                               "%d banks" % (off, count, len(log.banks)))
            pos = off + AGILE_HDR
            digests = []
            sizes = dict(log.banks)
            for _ in range(count):
                if len(buf) - pos < 2:
                    raise LogError("offset %d: digest list cut off" % off)
                (alg,) = struct.unpack_from("<H", buf, pos)
                if alg not in sizes:
                    raise LogError("offset %d: digest for %s, not a Spec ID "
                                   "bank" % (off, alg_name(alg)))
                if any(d[0] == alg for d in digests):
                    raise LogError("offset %d: two %s digests"
                                   % (off, alg_name(alg)))
                if len(buf) - pos - 2 < sizes[alg]:
                    raise LogError("offset %d: digest cut off" % off)
                digests.append((alg, bytes(buf[pos + 2:pos + 2 + sizes[alg]])))
                pos += 2 + sizes[alg]
            if len(buf) - pos < 4:
                raise LogError("offset %d: event size field cut off" % off)
            (size,) = struct.unpack_from("<I", buf, pos)
            pos += 4
            if etype == 0 and size == 0:
                break
            if size > len(buf) - pos:
                raise LogError("offset %d: event data (%d bytes) ends past "
                               "the end of the file" % (off, size))
            ev = Event(off, pcr, etype, digests, bytes(buf[pos:pos + size]),
                       pos + size - off)
        if pcr >= NUM_PCRS:
            raise LogError("offset %d: PCR index %d" % (off, pcr))
        log.events.append(ev)
        off += ev.size
    return log


def replay(log):
    """Returns {alg: [24 PCR values]} for the banks hashlib can compute, and
    the list of banks it could not."""
    pcrs, missing = {}, []
    for alg, size in log.banks:
        if hasher(alg) is None:
            missing.append(alg)
        else:
            pcrs[alg] = [bytes(size) for _ in range(NUM_PCRS)]
    for ev in log.events:
        if ev.type == 3:  # EV_NO_ACTION: logged, never extended
            # PFP "Startup Locality Event": PCR 0 starts at the locality.
            if (ev.pcr == 0 and len(ev.data) == 17
                    and ev.data[:16] == LOCALITY_SIG):
                for alg in pcrs:
                    v = pcrs[alg][0]
                    pcrs[alg][0] = v[:-1] + ev.data[16:17]
            continue
        for alg, digest in ev.digests:
            if alg in pcrs:
                h = hasher(alg)(pcrs[alg][ev.pcr])
                h.update(digest)
                pcrs[alg][ev.pcr] = h.digest()
    return pcrs, missing


def show_data(ev):
    d = ev.data
    if ev.type == 3 and d[:16] == SPEC_ID_SIG:
        return None
    if ev.type == 6 and len(d) >= 8:  # EV_EVENT_TAG
        tid, tsize = struct.unpack_from("<II", d)
        return "tag %s (%d), %d bytes" % (TAGS.get(tid, "?"), tid, tsize)
    if ev.type == 4 and len(d) == 4:  # EV_SEPARATOR
        v = struct.unpack("<I", d)[0]
        return "separator %08Xh%s" % (v, " (ERROR)" if v == 1 else "")
    text = d
    if len(d) >= 2 and len(d) % 2 == 0 and not any(d[1::2]):
        text = d[0::2]  # UCS-2 strings
    if text and all(32 <= c < 127 for c in text.rstrip(b"\0")):
        return '"%s"' % text.rstrip(b"\0").decode()
    more = "..." if len(d) > 32 else ""
    return "%d bytes: %s%s" % (len(d), d[:32].hex(), more)


def cmd_parse(log):
    if log.agile:
        s = log.spec
        print("crypto-agile log (TPM 2.0), spec %s errata %d, uintnSize %d, "
              "platform class %d" % (s["version"], s["errata"],
                                      s["uintn_size"], s["platform_class"]))
        print("banks: " + ", ".join("%s (%d)" % (alg_name(a), n)
                                    for a, n in log.banks))
    else:
        print("SHA-1 log (TPM 1.2)")
    for i, ev in enumerate(log.events):
        name = EVENT_TYPES.get(ev.type, "unknown")
        print("#%d @%d PCR %d %s (0x%x) data %d bytes"
              % (i, ev.offset, ev.pcr, name, ev.type, len(ev.data)))
        if ev.type == 3 and i == 0 and log.agile:
            print("    Spec ID Event03")
            continue
        for alg, digest in ev.digests:
            h = hasher(alg)
            mark = ""
            if h is not None and h(ev.data).digest() == digest:
                mark = "  = hash of the data"
            print("    %-8s %s%s" % (alg_name(alg) + ":", digest.hex(), mark))
        summary = show_data(ev)
        if summary:
            print("    " + summary)
    return 0


def cmd_replay(log):
    pcrs, missing = replay(log)
    for alg in missing:
        print("warning: cannot compute %s here, bank not replayed"
              % alg_name(alg), file=sys.stderr)
    for alg, _ in log.banks:
        if alg in pcrs:
            for n, v in enumerate(pcrs[alg]):
                print("%s:%d=%s" % (alg_name(alg), n, v.hex().upper()))
    return 0


def read_pcrs_file(path):
    vals = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^PCR-(\d+):\s*([0-9A-Fa-f ]+?)\s*$", line)
            if m:
                vals[int(m.group(1))] = bytes.fromhex(m.group(2))
    if not vals:
        raise LogError("%s: no PCR-nn lines" % path)
    return {0x0004: vals}


ALG_BY_NAME = {v[0]: k for k, v in ALGS.items()}


def read_pcr_yaml(text):
    """{alg: {pcr: bytes}} from tpm2_pcrread's output ("sha256:" lines,
    then "  N : 0xHEX" lines), or None when text is not in that form."""
    vals, alg = {}, None
    for line in text.splitlines():
        m = re.match(r"^\s*([a-z0-9_]+)\s*:\s*$", line)
        if m:
            if m.group(1) not in ALG_BY_NAME:
                return None
            alg = ALG_BY_NAME[m.group(1)]
            vals[alg] = {}
            continue
        m = re.match(r"^\s*(\d+)\s*:\s*(0x)?([0-9A-Fa-f]+)\s*$", line)
        if m and alg is not None:
            vals[alg][int(m.group(1))] = bytes.fromhex(m.group(3))
        elif line.strip():
            return None
    return vals or None


def pcr_yaml(values):
    """values {alg: {pcr: bytes}} as tpm2_pcrread prints them."""
    out = []
    for alg in sorted(values, key=lambda a: (a != 0x0004, a)):
        out.append("  %s:" % alg_name(alg))
        for n in sorted(values[alg]):
            out.append("    %-2d: 0x%s" % (n, values[alg][n].hex().upper()))
    return "\n".join(out) + "\n"


def read_pcr_source(src, algs):
    """{alg: {pcr: bytes}} from a sysfs-like directory, a pcrs file or
    tpm2_pcrread YAML."""
    if os.path.isfile(src):
        with open(src, errors="replace") as f:
            yaml = read_pcr_yaml(f.read())
        return yaml if yaml is not None else read_pcrs_file(src)
    if not os.path.isdir(src):
        raise LogError("%s: no such file or directory" % src)
    out = {}
    for alg in algs:
        name = alg_name(alg)
        for d in SYSFS_NAMES.get(name, [name]):
            bank_dir = os.path.join(src, "pcr-" + d)
            if os.path.isdir(bank_dir):
                vals = {}
                for n in range(NUM_PCRS):
                    p = os.path.join(bank_dir, str(n))
                    if os.path.exists(p):
                        with open(p) as f:
                            vals[n] = bytes.fromhex(f.read().strip())
                out[alg] = vals
                break
    if not out:
        for p in ("pcrs", os.path.join("device", "pcrs")):
            if os.path.isfile(os.path.join(src, p)):
                return read_pcrs_file(os.path.join(src, p))
    return out


def cmd_verify(log, src):
    pcrs, missing = replay(log)
    algs = [a for a, _ in log.banks]
    tpm = read_pcr_source(src, algs)
    bad = 0
    for alg in algs:
        name = alg_name(alg)
        if alg in missing:
            print("FAIL %s: this Python cannot compute %s" % (name, name))
            bad += 1
            continue
        if alg not in tpm:
            print("FAIL %s: bank declared by the log, no PCR values for it "
                  "in %s" % (name, src))
            bad += 1
            continue
        for n in range(8):
            want = pcrs[alg][n]
            got = tpm[alg].get(n)
            if got is None:
                print("FAIL %s PCR %d: no value in %s" % (name, n, src))
                bad += 1
            elif got != want:
                print("FAIL %s PCR %d:\n    log replay %s\n    TPM        %s"
                      % (name, n, want.hex().upper(), got.hex().upper()))
                bad += 1
    extra = [d for d in (os.listdir(src) if os.path.isdir(src) else [])
             if d.startswith("pcr-")
             and not any(d[4:] in SYSFS_NAMES.get(alg_name(a), [alg_name(a)])
                         for a in algs)]
    # A bank the log does not cover was never extended by the firmware,
    # so the OS could forge it: that is a failure, not a detail.
    for d in sorted(extra):
        print("FAIL the TPM has bank %s, which the log does not declare"
              % d[4:])
        bad += 1
    if bad:
        print("verify: %d mismatch(es)" % bad)
        return 1
    print("verify: PCR 0-7 match for %s" % ", ".join(alg_name(a) for a in algs))
    return 0


def spec_id_data(banks):
    """TCG_EfiSpecIdEvent for banks [(alg, size)]: client platform, spec
    2.0 errata 2, UINTN of 4 bytes, no vendor data (what mbios writes)."""
    data = SPEC_ID_SIG + struct.pack("<IBBBBI", 0, 0, 2, 2, 1, len(banks))
    for alg, size in banks:
        data += struct.pack("<HH", alg, size)
    return data + b"\0"


def write_log(banks, events, agile=True):
    """The bytes of a log holding events (Event objects; their digests in
    bank order): crypto-agile with a Spec ID event first, or SHA-1."""
    out = bytearray()
    if agile:
        spec = spec_id_data(banks)
        out += struct.pack("<II", 0, 3) + bytes(20) + struct.pack("<I", len(spec))
        out += spec
    for ev in events:
        digests = dict(ev.digests)
        if agile:
            out += struct.pack("<III", ev.pcr, ev.type, len(banks))
            for alg, size in banks:
                out += struct.pack("<H", alg) + digests.get(alg, bytes(size))
        else:
            out += struct.pack("<II", ev.pcr, ev.type)
            out += digests.get(0x0004, bytes(20))
        out += struct.pack("<I", len(ev.data)) + ev.data
    return bytes(out)


def describe_event(ev):
    """One line: type, and the event data as show_data renders it."""
    what = show_data(ev)
    return "%s%s" % (EVENT_TYPES.get(ev.type, "type 0x%x" % ev.type),
                     " " + what if what else "")


def diff_events(log, ref, pcrs=range(NUM_PCRS), algs=None):
    """Compare the measured events of two logs PCR by PCR (the order of
    events within a PCR is what its value depends on).  Returns a list of
    (pcr, index in that PCR, text) for every difference; index is None
    for a difference in the number of events."""
    out = []
    algs = algs if algs is not None else [a for a, _ in ref.banks]
    for pcr in pcrs:
        a = [e for e in log.events if e.pcr == pcr and e.type != 3]
        b = [e for e in ref.events if e.pcr == pcr and e.type != 3]
        for i in range(max(len(a), len(b))):
            if i >= len(a):
                out.append((pcr, i, "missing from the log: %s"
                            % describe_event(b[i])))
                continue
            if i >= len(b):
                out.append((pcr, i, "not expected: %s" % describe_event(a[i])))
                continue
            da, db = dict(a[i].digests), dict(b[i].digests)
            bad = [x for x in algs if x in da and x in db and da[x] != db[x]]
            if a[i].type != b[i].type or a[i].data != b[i].data or bad:
                text = "log %s, expected %s" % (describe_event(a[i]),
                                               describe_event(b[i]))
                if a[i].type == b[i].type and a[i].data == b[i].data:
                    text = "%s: digest differs" % describe_event(a[i])
                for x in bad:
                    text += "\n        %-7s log      %s\n        %-7s expected %s" % (
                        alg_name(x), da[x].hex(), "", db[x].hex())
                out.append((pcr, i, text))
    return out


def main(argv):
    usage = ("usage: eventlog.py parse LOG | replay LOG | "
             "verify LOG PCRDIR_OR_FILE")
    if len(argv) < 3 or argv[1] not in ("parse", "replay", "verify") or \
            (argv[1] == "verify") != (len(argv) == 4) or len(argv) > 4:
        print(usage, file=sys.stderr)
        return 2
    try:
        with open(argv[2], "rb") as f:
            buf = f.read()
        log = parse_log(buf)
        if argv[1] == "parse":
            return cmd_parse(log)
        if argv[1] == "replay":
            return cmd_replay(log)
        return cmd_verify(log, argv[3])
    except BrokenPipeError:
        # Output piped into head and the like: not an error of the log.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (LogError, OSError, ValueError) as e:
        print("eventlog.py: error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
