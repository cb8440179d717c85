#!/usr/bin/python3
"""Tiny mssim client for the vTPM end-to-end tests (specs.md §7).

    mssim_client.py --port P signal NAME|CODE     platform port P+1: one signal,
                                                  expects the u32 0 acknowledgement
    mssim_client.py --port P command NAME          TPM port P: one raw TPM command
                                                  (getrandom, startup); prints its rc

Every step has a time-out (--timeout, seconds, also how long to keep trying to
connect). `command` prints "rc 0x..." and the seconds it took; with
--expect-rc RC it fails unless the response has that code. Exit status: 0
success, 1 wrong answer, 2 no answer in time or no connection.
Debian's python3 standard library only.
"""
import argparse
import os
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tpm2cmd  # noqa: E402

SIGNALS = {"power_on": 1, "power_off": 2, "nv_on": 11, "nv_off": 12, "reset": 17,
           "restart": 18}
SEND_COMMAND = 8
COMMANDS = {"getrandom": lambda: tpm2cmd.get_random(8),
            "startup": tpm2cmd.startup}


class Timeout(Exception):
    pass


def connect(port, deadline):
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=1.0)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return s
        except OSError as exc:
            if time.monotonic() > deadline:
                raise Timeout("cannot connect to port %d: %s" % (port, exc)) from exc
            time.sleep(0.2)


def recv_exact(s, n, deadline):
    data = b""
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise Timeout("%d of %d bytes after the time-out" % (len(data), n))
        s.settimeout(left)
        try:
            chunk = s.recv(n - len(data))
        except socket.timeout as exc:
            raise Timeout("%d of %d bytes after the time-out" % (len(data), n)) from exc
        if not chunk:
            raise Timeout("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def signal(args, deadline):
    code = SIGNALS.get(args.what.lower())
    code = code if code is not None else int(args.what, 0)
    s = connect(args.port + 1, deadline)
    try:
        s.sendall(struct.pack(">I", code))
        ack = struct.unpack(">I", recv_exact(s, 4, deadline))[0]
    finally:
        s.close()
    print("signal %d: ack %d" % (code, ack))
    return 0 if ack == 0 else 1


def command(args, deadline):
    cmd = COMMANDS[args.what]()
    start = time.monotonic()
    s = connect(args.port, deadline)
    try:
        s.sendall(struct.pack(">IBI", SEND_COMMAND, 0, len(cmd)) + cmd)
        size = struct.unpack(">I", recv_exact(s, 4, deadline))[0]
        if size < 10 or size > 4096:
            print("response size %d" % size)
            return 1
        rsp = recv_exact(s, size, deadline)
        trailer = recv_exact(s, 4, deadline)
    finally:
        s.close()
    rc = tpm2cmd.rc_of(rsp)
    print("rc 0x%x after %.2fs" % (rc, time.monotonic() - start))
    if trailer != bytes(4):
        print("trailer %s" % trailer.hex())
        return 1
    if args.expect_rc is not None and rc != int(args.expect_rc, 0):
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, required=True, help="the TPM command port P")
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--expect-rc")
    ap.add_argument("op", choices=("signal", "command"))
    ap.add_argument("what")
    args = ap.parse_args()
    if args.op == "command" and args.what not in COMMANDS:
        ap.error("command: one of %s" % ", ".join(sorted(COMMANDS)))
    deadline = time.monotonic() + args.timeout
    try:
        return signal(args, deadline) if args.op == "signal" else command(args, deadline)
    except Timeout as exc:
        print("no answer: %s" % exc)
        return 2


if __name__ == "__main__":
    sys.exit(main())
