#!/usr/bin/python3
"""Raw-command host tests of vtpmd over its fd-3 channel (a SOCK_SEQPACKET
socketpair): framing rejections, first-start manufacture and the EK
templates, localities, hostile commands, restart on the same NV file,
crash-safety of NV writes (SIGKILL while NV is written) and refusal of a
corrupt NV file. Prints one "PASS|FAIL <prefix>/<item>" line per check and
exits 1 if any failed.

    raw_test.py --vtpmd build/services/vtpm/vtpmd [--prefix vtpm_host]
"""
import argparse
import os
import random
import shutil
import struct
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tpm2cmd as t  # noqa: E402
from vtpmd_driver import Vtpmd, VtpmdError  # noqa: E402


class Checks:
    def __init__(self, prefix):
        self.prefix = prefix
        self.failed = 0

    def check(self, item, ok, why=""):
        if ok:
            print("PASS %s/%s" % (self.prefix, item))
        else:
            self.failed += 1
            print("FAIL %s/%s: %s" % (self.prefix, item, why))
        sys.stdout.flush()
        return ok


def err_rsp(rc):
    return struct.pack(">HII", 0x8001, 10, rc)


def framing_checks(c, v):
    """Malformed messages: each answered by one TPM error, none reaches libtpms."""
    cases = [
        ("reject_short_header", b"\x00\x00\x00", t.RC_COMMAND_SIZE),
        ("reject_oversized", struct.pack("<II", 0, 4097) + bytes(4097), t.RC_COMMAND_SIZE),
        ("reject_size_above_4096", struct.pack("<II", 0, 5000) + t.get_random(8),
         t.RC_COMMAND_SIZE),
        ("reject_size_mismatch_long", struct.pack("<II", 0, 40) + t.get_random(8),
         t.RC_COMMAND_SIZE),
        ("reject_size_mismatch_short", struct.pack("<II", 0, 6) + t.get_random(8),
         t.RC_COMMAND_SIZE),
        ("reject_locality_5", struct.pack("<II", 5, 12) + t.get_random(8), t.RC_LOCALITY),
        ("reject_locality_huge", struct.pack("<II", 0xFFFFFFFF, 12) + t.get_random(8),
         t.RC_LOCALITY),
    ]
    for item, msg, rc in cases:
        v.send_raw(msg)
        rsp = v.recv_response()
        c.check(item, rsp == err_rsp(rc), "answer %s" % rsp.hex())
    rsp = v.transact(t.get_random(8))
    c.check("alive_after_rejects", t.rc_of(rsp) == 0 and len(rsp) == 20, rsp.hex())


def hostile_commands(c, v):
    """Framed but nonsensical TPM commands get well-formed TPM responses."""
    rng = random.Random(1234)
    bad = 0
    bodies = [b"", b"\x80", bytes(9), t.get_random(8)[:11] + b"\xff" * 3]
    for _ in range(300):
        n = rng.randrange(10, 200)
        body = bytearray(rng.randbytes(n))
        body[0:2] = rng.choice([b"\x80\x01", b"\x80\x02", b"\x00\xc1", bytes(body[0:2])])
        if rng.random() < 0.7:
            body[2:6] = struct.pack(">I", n)
        if rng.random() < 0.5:
            body[6:10] = struct.pack(">I", rng.choice([0x17B, 0x131, 0x15D, 0x182, 0x17A,
                                                        0x173, 0x12A, 0x137, 0x14E]))
        bodies.append(bytes(body))
    for body in bodies:
        rsp = v.transact(body)
        if len(rsp) < 10 or struct.unpack(">I", rsp[2:6])[0] != len(rsp):
            bad += 1
    rsp = v.transact(t.get_random(8))
    c.check("hostile_commands", bad == 0 and t.rc_of(rsp) == 0,
            "%d malformed responses of %d" % (bad, len(bodies)))


def ek_checks(c, v, tag):
    """The persistent EKs exist and match templates L-1 and L-2 exactly."""
    pubs = {}
    for ecc, handle, unique_len in ((False, t.EK_RSA_HANDLE, 258), (True, t.EK_ECC_HANDLE, 68)):
        kind = "ecc" if ecc else "rsa"
        rsp = v.transact(t.read_public(handle))
        if not c.check("%sek_%s_present" % (tag, kind), t.rc_of(rsp) == 0,
                       "ReadPublic rc 0x%x" % t.rc_of(rsp)):
            continue
        pub = t.read_public_area(rsp)
        pubs[kind] = pub
        tmpl = t.ek_template(ecc)
        fixed = tmpl[:-unique_len]
        c.check("%sek_%s_template_fields" % (tag, kind), pub[:len(fixed)] == fixed,
                "public area %s" % pub[:len(fixed)].hex())
        rsp = v.transact(t.create_primary(t.RH_ENDORSEMENT, tmpl))
        handle2, pub2 = t.create_primary_public(rsp)
        c.check("%sek_%s_equals_createprimary" % (tag, kind), t.rc_of(rsp) == 0 and pub2 == pub,
                "rc 0x%x" % t.rc_of(rsp))
        if t.rc_of(rsp) == 0:
            v.transact(t.flush_context(handle2))
    return pubs


def locality_checks(c, v):
    rsp0 = v.transact(t.pcr_reset(20), locality=0)
    rsp2 = v.transact(t.pcr_reset(20), locality=2)
    c.check("locality_reaches_tpm", t.rc_of(rsp0) == t.RC_LOCALITY and t.rc_of(rsp2) == 0,
            "PCR_Reset(20): locality 0 rc 0x%x, locality 2 rc 0x%x"
            % (t.rc_of(rsp0), t.rc_of(rsp2)))


def first_start(c, args, nv):
    v = Vtpmd(args.vtpmd, nv)
    with v:
        rsp = v.transact(t.get_random(8))
        c.check("initialize_before_startup", t.rc_of(rsp) == t.RC_INITIALIZE,
                "rc 0x%x" % t.rc_of(rsp))
        c.check("startup", t.rc_of(v.transact(t.startup())) == 0)
        rsp = v.transact(t.get_random(32))
        c.check("getrandom_32", t.rc_of(rsp) == 0 and len(rsp) == 10 + 2 + 32, rsp.hex())
        framing_checks(c, v)
        pubs = ek_checks(c, v, "")
        locality_checks(c, v)
        d = bytes(range(32))
        v.transact(t.pcr_extend(16, d))
        val = t.pcr_read_digest(v.transact(t.pcr_read(16)))
        c.check("pcr_extend_value", val == t.extend_value(bytes(32), d), val.hex())
        hostile_commands(c, v)
        status, err = v.close()
    c.check("eof_clean_exit", status == 0, "exit status %d" % status)
    c.check("manufacture_logged", "manufactured a new TPM" in err, err.strip())
    c.check("nv_file_written", os.path.getsize(nv) > 48 and not os.path.exists(nv + ".tmp"))
    return pubs


def restart(c, args, nv, pubs):
    with Vtpmd(args.vtpmd, nv) as v:
        rsp = v.transact(t.get_random(8))
        c.check("restart_initialize", t.rc_of(rsp) == t.RC_INITIALIZE, "rc 0x%x" % t.rc_of(rsp))
        c.check("restart_startup", t.rc_of(v.transact(t.startup())) == 0)
        val = t.pcr_read_digest(v.transact(t.pcr_read(16)))
        c.check("restart_pcr_reset", val == bytes(32), val.hex())
        for handle, kind in ((t.EK_RSA_HANDLE, "rsa"), (t.EK_ECC_HANDLE, "ecc")):
            rsp = v.transact(t.read_public(handle))
            c.check("restart_ek_%s_same" % kind,
                    t.rc_of(rsp) == 0 and t.read_public_area(rsp) == pubs.get(kind))
        status, err = v.close()
    c.check("restart_logged", "restarted with existing NV state" in err and status == 0,
            err.strip())


def crash_safety(c, args, nv, rounds=6):
    """SIGKILL vtpmd while it keeps rewriting its NV file; every restart must load."""
    rng = random.Random(99)
    ok = True
    why = ""
    for i in range(rounds):
        with Vtpmd(args.vtpmd, nv) as v:
            v.transact(t.startup())
            v.sock.settimeout(0.2)
            deadline = time.monotonic() + rng.uniform(0.02, 0.15)
            index = 0x01500100 + i
            try:
                while time.monotonic() < deadline:
                    v.transact(t.nv_define(index, 8))
                    v.transact(t.nv_undefine(index))
            except (VtpmdError, OSError):
                pass
            v.kill()
        with Vtpmd(args.vtpmd, nv) as v:
            rsp = v.transact(t.startup())
            status, err = v.close()
        if t.rc_of(rsp) != 0 or status != 0 or "restarted" not in err:
            ok = False
            why = "round %d: startup rc 0x%x, status %d, %s" % (i, t.rc_of(rsp), status, err)
            break
    c.check("nv_survives_sigkill", ok, why)


def corrupt_nv(c, args, nv, tmpdir):
    for item, mutate in (("nv_corrupt_refused", lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:]),
                         ("nv_truncated_refused", lambda b: b[:len(b) // 2]),
                         ("nv_empty_refused", lambda b: b"")):
        bad = os.path.join(tmpdir, item)
        with open(nv, "rb") as f:
            data = mutate(f.read())
        with open(bad, "wb") as f:
            f.write(data)
        v = Vtpmd(args.vtpmd, bad, timeout=10)
        try:
            _, err = v.proc.communicate(timeout=10)
        except Exception:  # noqa: BLE001 - any hang is a failure
            v.kill()
            err = b"timeout"
        v.sock.close()
        with open(bad, "rb") as f:
            unchanged = f.read() == data
        c.check(item, v.proc.returncode == 1 and b"corrupt" in err and unchanged,
                "status %s: %s" % (v.proc.returncode, err.decode(errors="replace").strip()))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vtpmd", required=True)
    ap.add_argument("--prefix", default="vtpm_host")
    args = ap.parse_args()
    c = Checks(args.prefix)
    tmpdir = tempfile.mkdtemp(prefix="vtpm-raw.")
    try:
        nv = os.path.join(tmpdir, "nvchip")
        pubs = first_start(c, args, nv)
        restart(c, args, nv, pubs)
        crash_safety(c, args, nv)
        corrupt_nv(c, args, nv, tmpdir)
    except (VtpmdError, OSError) as exc:
        c.check("raw_run", False, "aborted: %s" % exc)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    sys.exit(1 if c.failed else 0)


if __name__ == "__main__":
    main()
