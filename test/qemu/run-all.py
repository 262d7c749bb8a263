#!/usr/bin/python3
"""Run the mbios QEMU integration tests.

  test/qemu/run-all.py [--bios FILE] [--filter REGEX] [--group G]
                       [--skip-group G] [-j N] [--list] [-v]

Firmware: --bios, else $MBIOS_BIOS, else out/bios.bin (e.g. --bios
/usr/share/seabios/bios-256k.bin to check the harness).  Logs of every test
go to out/test/<test name>/.  Exits non-zero if any test failed.
"""

import argparse
import concurrent.futures
import fcntl
import os
import re
import shutil
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mbtest  # noqa: E402
import tests   # noqa: E402


def run_one(name, fn, bios):
    ctx = tests.Ctx(name, bios)
    t0 = time.monotonic()
    try:
        fn(ctx)
    except mbtest.HarnessError as e:
        ctx.check(False, "harness error: %s" % e)
    except Exception:
        ctx.check(False, "exception in test:\n" + traceback.format_exc())
    if not ctx.checks:
        ctx.check(False, "test recorded no checks")
    return ctx, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bios", help="firmware image (default $MBIOS_BIOS or out/bios.bin)")
    ap.add_argument("--filter", action="append", default=[],
                    help="run tests whose name matches this regex (repeatable)")
    ap.add_argument("--group", action="append", default=[],
                    help="run only these groups: bootsect linux grub badinput cdrom tpm "
                         "(with tpmfault pcrdiff tpmvariant)")
    ap.add_argument("--skip-group", action="append", default=[])
    ap.add_argument("-j", "--jobs", type=int, default=2, help="QEMU instances at once (2)")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every check")
    a = ap.parse_args()

    sel = []
    for name, groups, cost, fn in tests.TESTS:
        if a.filter and not any(re.search(f, name) for f in a.filter):
            continue
        if a.group and not set(a.group) & set(groups):
            continue
        if set(a.skip_group) & set(groups):
            continue
        sel.append((name, groups, cost, fn))
    if a.list:
        for name, groups, cost, fn in sel:
            print("%-36s %s" % (name, ",".join(groups)))
        return 0
    if not sel:
        print("run-all: no test selected")
        return 1

    bios = os.path.abspath(a.bios or mbtest.default_bios())
    if not os.path.exists(bios):
        print("run-all: firmware %s not found (make, or --bios FILE)" % bios)
        return 1
    os.makedirs(mbtest.OUT, exist_ok=True)
    lock = open(os.path.join(mbtest.OUT, ".results.lock"), "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        # Someone else's run owns out/test/<name>/: keep ours apart.
        mbtest.RESULTS = os.path.join(mbtest.OUT, "run-%d" % os.getpid())
    # Test a copy: others may rebuild out/bios.bin while the tests run, and
    # tests that compare boots need the same image in each.
    os.makedirs(mbtest.RESULTS, exist_ok=True)
    snap = os.path.join(mbtest.RESULTS, "firmware-under-test.bin")
    shutil.copyfile(bios, snap + ".tmp")
    os.replace(snap + ".tmp", snap)
    print("run-all: %d tests, firmware %s (copied to %s), %d at a time, logs in %s/<test>/"
          % (len(sel), bios, os.path.relpath(snap), a.jobs, os.path.relpath(mbtest.RESULTS)))
    bios = snap
    t0 = time.monotonic()
    # Build what is shared before the parallel part.
    mbtest.build_initramfs()
    for prog in ("svc", "good", "nosig"):
        mbtest.build_bootprog(prog)
    if any("grub" in g for _, g, _, _ in sel):
        mbtest.grub_disk()
    if any("cdrom" in g for _, g, _, _ in sel):
        for mode in ("noemu", "floppy", "hdd"):
            mbtest.cd_iso(mode)
        if any("grub" in g for _, g, _, _ in sel):
            mbtest.grub_iso()

    results = []
    # Longest first keeps both slots busy to the end.
    order = sorted(sel, key=lambda t: -t[2])
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = {ex.submit(run_one, name, fn, bios): name for name, _, _, fn in order}
        for fut in concurrent.futures.as_completed(futs):
            ctx, secs = fut.result()
            results.append((ctx, secs))
            status = "FAIL" if ctx.failed else "PASS"
            print("%s %-36s %5.1fs  (%d checks)" % (status, ctx.name, secs, len(ctx.checks)),
                  flush=True)
            for ok, msg in ctx.checks:
                if not ok or a.verbose:
                    print("    %s %s" % ("ok  " if ok else "FAIL", msg))
            if ctx.failed:
                for n in ctx.notes:
                    print("    " + n.replace("\n", "\n    "))
    npass = sum(1 for c, _ in results if not c.failed)
    nfail = len(results) - npass
    print()
    print("summary (%.0f s):" % (time.monotonic() - t0))
    for ctx, secs in sorted(results, key=lambda r: r[0].name):
        print("  %s %s" % ("PASS" if not ctx.failed else "FAIL", ctx.name))
    print("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
