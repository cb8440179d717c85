"""Runs vtpmd with its command channel (fd 3) on one end of a SOCK_SEQPACKET
socketpair and exchanges framed messages with it:
    request  u32 locality, u32 size, size bytes of TPM command (little-endian)
    response u32 size, size bytes of TPM response
Every wait has a timeout; close() ends vtpmd with EOF, kill() with SIGKILL.
"""
import os
import signal
import socket
import struct
import subprocess

MAX_MSG = 8 + 4096


class VtpmdError(Exception):
    pass


class Vtpmd:
    """One vtpmd child. argv_prefix (e.g. ["strace", "-f", "-c"]) wraps it."""

    def __init__(self, binary, nvchip, argv_prefix=(), timeout=20.0, stderr=None):
        self.timeout = timeout
        self.sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.settimeout(timeout)
        cfd = child.fileno()

        def preexec():
            # Runs before the close_fds sweep, which keeps only pass_fds (3).
            if cfd != 3:
                os.dup2(cfd, 3)
                os.close(cfd)
            # SIGPIPE ignored: a vanished peer becomes EPIPE, and vtpmd exits cleanly.
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)

        argv = list(argv_prefix) + [binary, "--nvchip", nvchip]
        self.proc = subprocess.Popen(argv, pass_fds=(3,), preexec_fn=preexec,
                                     stdin=subprocess.DEVNULL,
                                     stderr=stderr if stderr is not None else subprocess.PIPE,
                                     restore_signals=False)
        child.close()

    def send_raw(self, msg):
        self.sock.send(msg)

    def recv_raw(self):
        try:
            data = self.sock.recv(MAX_MSG + 64)
        except socket.timeout as exc:
            raise VtpmdError("no response within %.1fs" % self.timeout) from exc
        if not data:
            raise VtpmdError("vtpmd closed the channel")
        return data

    def recv_response(self):
        data = self.recv_raw()
        if len(data) < 4:
            raise VtpmdError("response shorter than its header")
        size = struct.unpack("<I", data[:4])[0]
        if size != len(data) - 4:
            raise VtpmdError("response size %d but %d bytes" % (size, len(data) - 4))
        return data[4:]

    def transact(self, cmd, locality=0):
        self.send_raw(struct.pack("<II", locality, len(cmd)) + cmd)
        return self.recv_response()

    def close(self):
        """EOF on the channel; returns vtpmd's exit status and its stderr."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        try:
            _, err = self.proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
            raise VtpmdError("vtpmd did not exit after EOF")
        return self.proc.returncode, (err or b"").decode(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.communicate(timeout=self.timeout)
        except (subprocess.TimeoutExpired, ValueError):
            pass
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.kill()
        else:
            self.sock.close()
