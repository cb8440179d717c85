#!/usr/bin/python3
"""Per-command latency of vtpmd and of Debian's swtpm, raw TPM commands only
(no TSS, no process spawn): vtpmd over its fd-3 channel (SOCK_SEQPACKET
socketpair), swtpm over a persistent loopback TCP connection to its server
port (TCP_NODELAY). The clock is time.perf_counter_ns() around one
send + receive in this Python client; each command runs after warm-up.
Prints median, p99 and minimum in microseconds. Run it pinned to one CPU
(`taskset -c 1 tests/vtpm/bench.py ...`): client and server then hand over
by a direct context switch; unpinned, cross-CPU wake-ups of an idle core make
the fast commands several times slower and noisy.

    bench.py --vtpmd build/services/vtpm/vtpmd [--iterations 2000] [--no-swtpm]
    bench.py --mssim-port P [--iterations 50]     a TPM behind an mssim TPM port
                                                  (Copra's serial transport)
"""
import argparse
import hashlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tpm2cmd as t  # noqa: E402
from vtpmd_driver import Vtpmd  # noqa: E402

RC_RETRY = 0x922


class SwtpmClient:
    """Raw TPM 2 commands to `swtpm socket` on 127.0.0.1."""

    def __init__(self, tmpdir):
        port = self._free_pair()
        self.proc = subprocess.Popen(
            ["swtpm", "socket", "--tpm2", "--server", "type=tcp,port=%d" % port,
             "--ctrl", "type=tcp,port=%d" % (port + 1), "--flags", "not-need-init,startup-clear",
             "--tpmstate", "dir=%s" % tmpdir], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.proc.kill()
                    raise
                time.sleep(0.05)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    @staticmethod
    def _free_pair():
        for _ in range(100):
            a, b = socket.socket(), socket.socket()
            try:
                a.bind(("127.0.0.1", 0))
                b.bind(("127.0.0.1", a.getsockname()[1] + 1))
                return a.getsockname()[1]
            except OSError:
                continue
            finally:
                a.close()
                b.close()
        raise SystemExit("bench: no free port pair")

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise OSError("swtpm closed the connection")
            data += chunk
        return data

    def transact(self, cmd):
        self.sock.sendall(cmd)
        hdr = self._recv(10)
        size = struct.unpack(">I", hdr[2:6])[0]
        return hdr + self._recv(size - 10)

    def close(self):
        self.sock.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class MssimClient:
    """Raw TPM 2 commands as mssim TPM_SEND_COMMAND frames (locality 0) to port P."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise OSError("the mssim server closed the connection")
            data += chunk
        return data

    def transact(self, cmd):
        self.sock.sendall(struct.pack(">IBI", 8, 0, len(cmd)) + cmd)
        size = struct.unpack(">I", self._recv(4))[0]
        rsp = self._recv(size)
        self._recv(4)  # the trailing u32 0
        return rsp

    def close(self):
        self.sock.close()


def run(tpm, cmd, n, after=None):
    """Latencies in ns of n runs of cmd (TPM_RC_RETRY answers are re-sent, untimed)."""
    lat = []
    for _ in range(n):
        while True:
            t0 = time.perf_counter_ns()
            rsp = tpm.transact(cmd)
            dt = time.perf_counter_ns() - t0
            if t.rc_of(rsp) != RC_RETRY:
                break
        if t.rc_of(rsp) != 0:
            raise SystemExit("bench: command 0x%s failed: rc 0x%x" % (cmd[6:10].hex(), t.rc_of(rsp)))
        lat.append(dt)
        if after:
            after(rsp)
    lat.sort()
    return lat


def bench_target(tpm, n, started):
    if not started:
        tpm.transact(t.startup())
    results = {}
    digest = hashlib.sha256(b"bench").digest()
    flush = lambda rsp: tpm.transact(t.flush_context(t.create_primary_public(rsp)[0]))  # noqa: E731
    cp = t.create_primary(t.RH_OWNER, t.ecc_signing_template())
    run(tpm, t.pcr_extend(16, digest), 50)
    results["PCR_Extend(SHA-256)"] = run(tpm, t.pcr_extend(16, digest), n)
    run(tpm, t.get_random(32), 50)
    results["GetRandom(32)"] = run(tpm, t.get_random(32), n)
    run(tpm, cp, 5, flush)
    results["CreatePrimary ECC P-256"] = run(tpm, cp, max(n // 10, 20), flush)
    handle = t.create_primary_public(tpm.transact(cp))[0]
    sign = t.sign_ecdsa(handle, digest)
    run(tpm, sign, 20)
    results["Sign ECDSA P-256"] = run(tpm, sign, max(n // 4, 20))
    tpm.transact(t.flush_context(handle))
    return results


def stats(lat):
    med = lat[len(lat) // 2]
    p99 = lat[min(len(lat) - 1, (len(lat) * 99) // 100)]
    return med / 1000.0, p99 / 1000.0, lat[0] / 1000.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vtpmd")
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--no-swtpm", action="store_true")
    ap.add_argument("--mssim-port", type=int)
    args = ap.parse_args()
    if not args.vtpmd and not args.mssim_port:
        ap.error("--vtpmd or --mssim-port is required")
    tmp = tempfile.mkdtemp(prefix="vtpm-bench.")
    table = {}
    try:
        if args.mssim_port:
            ms = MssimClient(args.mssim_port)
            try:
                # Startup may already have happened: TPM_RC_INITIALIZE is fine.
                ms.transact(t.startup())
                table["mssim port %d" % args.mssim_port] = bench_target(ms, args.iterations, True)
            finally:
                ms.close()
        if args.vtpmd:
            with Vtpmd(args.vtpmd, os.path.join(tmp, "nvchip"), timeout=60) as v:
                table["vtpmd (fd 3, seqpacket)"] = bench_target(v, args.iterations, False)
                v.close()
        if args.vtpmd and not args.no_swtpm and shutil.which("swtpm"):
            state = os.path.join(tmp, "swtpm")
            os.mkdir(state)
            sw = SwtpmClient(state)
            try:
                table["swtpm (TCP loopback)"] = bench_target(sw, args.iterations, True)
            finally:
                sw.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%-26s %-24s %6s %10s %10s %10s" % ("target", "command", "n", "median_us", "p99_us",
                                             "min_us"))
    for target, res in table.items():
        for cmd, lat in res.items():
            print("%-26s %-24s %6d %10.1f %10.1f %10.1f" % ((target, cmd, len(lat)) + stats(lat)))


if __name__ == "__main__":
    main()
