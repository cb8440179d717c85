#!/usr/bin/python3
"""Checks that vtpmd stays inside the Linux system-call footprint Copra's
Linux personality will offer (dependencies.md §3.4, plus rename for the
atomic NV write and unlink for NV deletion). Runs a first start
(manufacture) and a restart under `strace -f -c` with a command mix, prints
one PASS/FAIL line; --show also prints the tables and the startup sequence
up to the first read of the command channel.

    syscall_check.py --vtpmd build/services/vtpm/vtpmd [--prefix vtpm_host] [--show]
"""
import argparse
import hashlib
import os
import re
import shutil
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tpm2cmd as t  # noqa: E402
from vtpmd_driver import Vtpmd  # noqa: E402

ALLOWED = {
    "read", "write", "close", "lseek", "mmap", "munmap", "mprotect", "brk", "getpid",
    "readlink", "arch_prctl", "futex", "set_tid_address", "clock_gettime", "openat",
    "newfstatat", "set_robust_list", "prlimit64", "getrandom", "rseq", "exit_group",
    "rename", "unlink",  # atomic NV file replacement, NV deletion
    "execve",            # strace counts the exec that starts vtpmd
}


def workload(v):
    v.transact(t.startup())
    v.transact(t.get_random(32))
    v.transact(t.pcr_extend(16, hashlib.sha256(b"x").digest()))
    v.transact(t.pcr_read(16))
    rsp = v.transact(t.create_primary(t.RH_OWNER, t.ecc_signing_template()))
    handle, _ = t.create_primary_public(rsp)
    for _ in range(2):  # the first ECDSA signature may answer TPM_RC_RETRY
        v.transact(t.sign_ecdsa(handle, bytes(32)))
    v.transact(t.nv_define(0x01500020, 8))
    v.transact(t.nv_write(0x01500020, b"12345678"))
    v.transact(t.nv_undefine(0x01500020))
    v.transact(t.shutdown())


def counts(path):
    table = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", line)
            if m and m.group(2) != "total":
                table[m.group(2)] = int(m.group(1))
    return table


def startup_sequence(path):
    out = []
    with open(path) as f:
        for line in f:
            if re.search(r"\bread\(3,", line):
                break
            out.append(line.rstrip())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vtpmd", required=True)
    ap.add_argument("--prefix", default="vtpm_host")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    if not shutil.which("strace"):
        print("SKIP %s/syscalls: strace not installed" % args.prefix)
        return 0
    tmp = tempfile.mkdtemp(prefix="vtpm-strace.")
    try:
        nv = os.path.join(tmp, "nvchip")
        seen = {}
        for run in ("first", "restart"):
            out = os.path.join(tmp, "count." + run)
            with Vtpmd(args.vtpmd, nv, argv_prefix=["strace", "-f", "-c", "-o", out]) as v:
                workload(v)
                status, _ = v.close()
            table = counts(out)
            for name, n in table.items():
                seen[name] = seen.get(name, 0) + n
            if args.show:
                print("--- %s start: %s" % (run, " ".join("%s=%d" % kv for kv in sorted(table.items()))))
        if args.show:
            trace = os.path.join(tmp, "trace")
            with Vtpmd(args.vtpmd, nv, argv_prefix=["strace", "-o", trace]) as v:
                v.close()
            print("--- restart startup sequence (up to the first read of fd 3):")
            print("\n".join(startup_sequence(trace)))
        extra = sorted(set(seen) - ALLOWED)
        ok = not extra and status == 0 and "getrandom" in seen
        print("%s %s/syscalls%s" % ("PASS" if ok else "FAIL", args.prefix,
                                    "" if ok else ": outside the footprint: %s" % ", ".join(extra)))
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
