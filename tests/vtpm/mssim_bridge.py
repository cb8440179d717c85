#!/usr/bin/python3
"""mssim server in front of vtpmd, so tpm2-tools (`-T mssim:host=127.0.0.1,port=P`)
can talk to vtpmd on the host (specs.md §7, docs/vtpm.md).

Listens on 127.0.0.1 ports P (TPM commands) and P+1 (platform signals), one
client per port at a time, and forwards each TPM_SEND_COMMAND to a vtpmd
child over its fd-3 channel. Ports are chosen free at start (or --port) and
written to --port-file; vtpmd's pid goes to --pid-file.

Platform port: POWER_ON when on, NV_ON and the other signals are acknowledged
without touching the TPM (every tpm2-tools run sends POWER_ON and NV_ON).
POWER_OFF stops vtpmd (EOF); POWER_ON when off, RESET and RESTART start a new
vtpmd on the same NV file: a TPM reset. A vtpmd that died is restarted by the
next POWER_ON. SESSION_END and EOF end a client's session; STOP, SIGTERM and
--lifetime end the bridge. Malformed input (unknown code, size > 4096) closes
that client's connection.
"""
import argparse
import os
import selectors
import signal
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vtpmd_driver import Vtpmd, VtpmdError  # noqa: E402

SEND_COMMAND, HASH_START, HASH_DATA, HASH_END = 8, 5, 6, 7
HANDSHAKE, SET_ALT_RESULT, SESSION_END, STOP = 15, 16, 20, 21
POWER_ON, POWER_OFF, RESET, RESTART, CMD_RSP_SIZES = 1, 2, 17, 18, 25
PLATFORM_ACKED = {3, 4, 9, 10, 11, 12, 13, 14, 26, 30}
MAX_TPM = 4096
RC_FAILURE_RSP = struct.pack(">HII", 0x8001, 10, 0x101)


def log(msg):
    sys.stderr.write("mssim_bridge: %s\n" % msg)
    sys.stderr.flush()


def bind_pair(host, port):
    """Two listening sockets on port, port+1 (port 0: find a free pair)."""
    for _ in range(200):
        a = socket.socket()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        a.bind((host, port))
        p = a.getsockname()[1]
        b = socket.socket()
        b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            b.bind((host, p + 1))
        except OSError:
            a.close()
            b.close()
            if port:
                raise
            continue
        a.listen(1)
        b.listen(1)
        return a, b, p
    raise SystemExit("mssim_bridge: no free port pair")


def write_file(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


class Bridge:
    def __init__(self, args):
        self.args = args
        self.vtpm = None
        self.stop = False
        self.sel = selectors.DefaultSelector()
        self.tpm_l, self.plat_l, self.port = bind_pair(args.host, args.port)
        self.conns = {}  # listening socket -> (client socket, bytearray)
        for lsock in (self.tpm_l, self.plat_l):
            self.sel.register(lsock, selectors.EVENT_READ, "listen")

    # ---------------------------------------------------------------- vtpmd
    def power_on(self):
        if self.vtpm is not None and self.vtpm.proc.poll() is None:
            return
        if self.vtpm is not None:
            log("vtpmd exited with status %s; starting a new one" % self.vtpm.proc.returncode)
            self.vtpm.kill()
        self.vtpm = Vtpmd(self.args.vtpmd, self.args.nvchip, stderr=sys.stderr.fileno(),
                          timeout=self.args.cmd_timeout)
        if self.args.pid_file:
            write_file(self.args.pid_file, "%d\n" % self.vtpm.proc.pid)

    def power_off(self):
        if self.vtpm is None:
            return
        try:
            status, _ = self.vtpm.close()
            if status != 0:
                log("vtpmd exited with status %d" % status)
        except VtpmdError as exc:
            log(str(exc))
            self.vtpm.kill()
        self.vtpm = None

    def tpm_command(self, locality, cmd):
        if self.vtpm is None:
            return b""  # powered off: the simulator answers with no bytes
        try:
            return self.vtpm.transact(cmd, locality)
        except (VtpmdError, OSError) as exc:
            log("vtpmd failed (%s); answering TPM_RC_FAILURE" % exc)
            return RC_FAILURE_RSP

    # ---------------------------------------------------------------- parsing
    def tpm_message(self, buf):
        """(bytes consumed, reply, close?) for one message at buf's start, or None."""
        if len(buf) < 4:
            return None
        code = struct.unpack(">I", buf[:4])[0]
        if code == SEND_COMMAND:
            if len(buf) < 9:
                return None
            locality, size = buf[4], struct.unpack(">I", buf[5:9])[0]
            if size > MAX_TPM:
                log("TPM_SEND_COMMAND of %d bytes refused" % size)
                return 0, b"", True
            if len(buf) < 9 + size:
                return None
            rsp = self.tpm_command(locality, bytes(buf[9:9 + size]))
            return 9 + size, struct.pack(">I", len(rsp)) + rsp + bytes(4), False
        if code in (HASH_START, HASH_END):
            return 4, bytes(4), False
        if code in (HANDSHAKE, SET_ALT_RESULT, HASH_DATA):
            if len(buf) < 8:
                return None
            if code == HANDSHAKE:
                return 8, struct.pack(">III", 1, 0x1 | 0x4, 0), False
            if code == SET_ALT_RESULT:
                return 8, bytes(4), False
            size = struct.unpack(">I", buf[4:8])[0]
            if size > MAX_TPM:
                return 0, b"", True
            if len(buf) < 8 + size:
                return None
            return 8 + size, bytes(4), False
        if code == STOP:
            self.stop = True
        return 0, b"", True  # SESSION_END, STOP, unknown: close, no ack

    def platform_message(self, buf):
        if len(buf) < 4:
            return None
        code = struct.unpack(">I", buf[:4])[0]
        if code == POWER_ON:
            self.power_on()
        elif code == POWER_OFF:
            self.power_off()
        elif code in (RESET, RESTART):
            self.power_off()
            self.power_on()
        elif code == CMD_RSP_SIZES:
            return 4, struct.pack(">IIIIII", 16, MAX_TPM, 0, MAX_TPM, 0, 0), False
        elif code not in PLATFORM_ACKED:
            if code == STOP:
                self.stop = True
            if code in (SESSION_END, STOP):
                return 0, b"", True
            return 0, struct.pack(">I", 1), True
        return 4, bytes(4), False

    # ---------------------------------------------------------------- sockets
    def accept(self, lsock):
        if lsock in self.conns:
            return  # one client at a time; the next waits in the backlog
        conn, _ = lsock.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.settimeout(self.args.cmd_timeout)
        self.conns[lsock] = (conn, bytearray())
        self.sel.unregister(lsock)
        self.sel.register(conn, selectors.EVENT_READ, lsock)

    def drop(self, lsock):
        conn, _ = self.conns.pop(lsock)
        self.sel.unregister(conn)
        conn.close()
        self.sel.register(lsock, selectors.EVENT_READ, "listen")

    def readable(self, conn, lsock):
        try:
            data = conn.recv(65536)
            # tpm2-tss writes the 9-byte prefix and the command separately; with
            # Nagle on its side, an immediate ACK saves a delayed-ACK wait per command.
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        except OSError:
            data = b""
        if not data:
            self.drop(lsock)
            return
        buf = self.conns[lsock][1]
        buf += data
        parse = self.tpm_message if lsock is self.tpm_l else self.platform_message
        while True:
            res = parse(buf)
            if res is None:
                return
            used, reply, close = res
            try:
                if reply:
                    conn.sendall(reply)
            except OSError:
                close = True
            del buf[:used]
            if close:
                self.drop(lsock)
                return

    def run(self):
        if self.args.port_file:
            write_file(self.args.port_file, "%d\n" % self.port)
        log("listening on 127.0.0.1 ports %d and %d" % (self.port, self.port + 1))
        self.power_on()
        deadline = time.monotonic() + self.args.lifetime if self.args.lifetime else None
        while not self.stop:
            if deadline and time.monotonic() > deadline:
                log("lifetime of %ss reached" % self.args.lifetime)
                break
            for key, _ in self.sel.select(timeout=0.5):
                if key.data == "listen":
                    self.accept(key.fileobj)
                else:
                    self.readable(key.fileobj, key.data)
        for lsock in list(self.conns):
            self.drop(lsock)
        self.power_off()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vtpmd", required=True)
    ap.add_argument("--nvchip", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="TPM port P (P+1: platform); 0 = free")
    ap.add_argument("--port-file")
    ap.add_argument("--pid-file")
    ap.add_argument("--lifetime", type=float, default=0, help="exit after this many seconds")
    ap.add_argument("--cmd-timeout", type=float, default=30.0)
    args = ap.parse_args()
    bridge = Bridge(args)

    def on_term(signum, frame):
        bridge.stop = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    bridge.run()


if __name__ == "__main__":
    main()
