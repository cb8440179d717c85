#!/usr/bin/env python3
"""End-to-end check of the live address map through QEMU's monitor.

Boots the Copra image, waits for "Copra ready", asks the monitor for
`info mem` and `info tlb`, and checks them against the documented map
(docs/architecture.md, include/copra/memlayout.h): every kernel mapping lies
in a designed region of its part, nothing in the kernel half is
user-accessible, nothing is both writable and executable, only kernel text
is executable in the kernel half, and the self-map is present and
non-executable. Services start at boot (init, vtpmd), so the CPU may be in a
process's address space: its user part (slot 0) must then be all
user-accessible pages, never writable and executable. Prints one PASS/FAIL
line per check.
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
O = os.environ.get("O", "build")
NAME = "monitor_map"
USER_TOP = 1 << 39  # slot 0: the current process's user part


def slot_va(i):
    va = i << 39
    return va | 0xFFFF000000000000 if i >= 256 else va


def layout():
    text = open(os.path.join(ROOT, "include/copra/memlayout.h")).read()
    slots = {m.group(1): int(m.group(2)) for m in
             re.finditer(r"#define SLOT_(\w+) (\d+)", text)}
    return slots


def symbols(elf):
    out = subprocess.run(["nm", elf], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def regions(slots, syms):
    g, c, t = slot_va(slots["GLOBAL"]), slot_va(slots["PERCPU"]), slot_va(slots["PERTASK"])
    return [
        ("self-map", slot_va(slots["SELFMAP"]), slot_va(slots["SELFMAP"]) + (1 << 39)),
        ("global heap", g, g + (128 << 30)),
        ("global mapping area", g + (256 << 30), g + (384 << 30)),
        ("kernel image", syms["__kernel_start"], 0xFFFFFFFF80000000 + 0x4000000),
        ("per-CPU data", c, c + (64 << 10)),
        ("per-CPU stacks", c + (2 << 20), c + (2 << 20) + 3 * (16 << 10) + 6 * 4096),
        ("per-CPU window", c + (1 << 30), c + (1 << 30) + 512 * 4096),
        ("per-CPU heap", c + (2 << 30), c + (66 << 30)),
        ("per-task stack", t + 0x10000, t + 0x10000 + (32 << 10)),
        ("per-task heap", t + (1 << 30), t + (65 << 30)),
    ]


class Monitor:
    """A QEMU human monitor connection: one command at a time, up to the next prompt."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.buf = b""
        self._until_prompt()

    def _until_prompt(self):
        deadline = time.time() + 15
        while b"(qemu) " not in self.buf and time.time() < deadline:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                break
            self.buf += chunk
        out, _, self.buf = self.buf.partition(b"(qemu) ")
        return out

    def cmd(self, c):
        self.sock.sendall((c + "\n").encode())
        out = self._until_prompt()
        text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out.decode(errors="replace"))
        return [l.strip() for l in text.splitlines()]


def table_lines(lines):
    return [l for l in lines if re.match(r"^[0-9a-f]{16}[-:]", l)]


def main():
    results = []

    def check(name, ok, why=""):
        results.append(ok)
        print(("PASS %s/%s" % (NAME, name)) if ok else ("FAIL %s/%s: %s" % (NAME, name, why)))

    elf, igvm = os.path.join(O, "copra.elf"), os.path.join(O, "copra.igvm")
    syms = symbols(elf)
    regs = regions(layout(), syms)
    text_lo, text_hi = syms["__text_start"], (syms["__text_end"] + 4095) & ~4095
    tmp = tempfile.mkdtemp(prefix="copra-mon.")
    sock = os.path.join(tmp, "mon.sock")
    env = dict(os.environ, IGVMTOOL=os.path.join(O, "tools/igvmtool"), ACCEL="tcg",
               QEMU_ARGS="-monitor unix:%s,server=on,wait=off" % sock)
    qemu = subprocess.Popen(["scripts/run-qemu", "--igvm", igvm, "--timeout", "60"],
                            cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, seen = time.time() + 30, b""
        while time.time() < deadline and b"Copra ready" not in seen:
            seen += qemu.stdout.readline()
        check("booted", b"Copra ready" in seen, "no 'Copra ready' line")
        time.sleep(0.5)
        mon = Monitor(sock)
        mem = table_lines(mon.cmd("info mem"))
        tlb = table_lines(mon.cmd("info tlb"))
        regs_out = " ".join(mon.cmd("info registers"))
        cr3 = int(re.search(r"CR3=([0-9a-f]+)", regs_out).group(1), 16) & 0x000FFFFFFFFFF000
        pml4e = " ".join(mon.cmd("xp /gx 0x%x" % (cr3 + 8 * layout()["SELFMAP"])))
        selfmap_entry = int(re.search(r": (0x[0-9a-f]+)", pml4e).group(1), 16)
        mon.sock.sendall(b"quit\n")
    finally:
        try:
            qemu.wait(10)
        except subprocess.TimeoutExpired:
            qemu.kill()

    def region_of(lo, hi):
        for name, start, end in regs:
            if start <= lo and hi <= end:
                return name
        return None

    outside, user_bad = [], []
    for line in mem:
        m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) [0-9a-f]+ (\S+)", line)
        lo, hi, attr = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
        if hi <= USER_TOP:
            if "u" not in attr:
                user_bad.append(line)
        elif region_of(lo, hi) is None or "u" in attr:
            outside.append(line)
    check("info_mem_regions", mem and not outside, "%d ranges outside: %s" % (len(outside), outside[:3]))

    # QEMU prints each leaf's own bits. In the self-map slot the "leaves" are
    # page-table entries; the slot's PML4 entry makes all of it supervisor
    # and non-executable (checked below), so its leaves are skipped here.
    bad_wx, bad_x, user, outside, selfmap_leaves = [], [], [], [], 0
    for line in tlb:
        va_s, rest = line.split(":", 1)
        va, flags = int(va_s, 16), rest.split()[1]
        nx = flags[0] == "X"
        name = region_of(va, va + 4096)
        if name == "self-map":
            selfmap_leaves += 1
            continue
        if va < USER_TOP:
            if "U" not in flags[1:] or (not nx and "W" in flags[1:]):
                user_bad.append(line)
            continue
        if "U" in flags[1:]:
            user.append(line)
        if not nx and "W" in flags[1:]:
            bad_wx.append(line)
        if not nx and not (text_lo <= va < text_hi):
            bad_x.append(line)
        if name is None:
            outside.append(line)
    check("info_tlb_regions", tlb and not outside, "%s" % outside[:3])
    check("no_user_pages", not user, "%s" % user[:3])
    check("user_part_sane", not user_bad, "%s" % user_bad[:3])
    check("no_writable_executable", not bad_wx, "%s" % bad_wx[:3])
    check("only_text_executable", not bad_x, "%s" % bad_x[:3])
    ok = (selfmap_leaves > 0 and (selfmap_entry & 1) and not (selfmap_entry & 4) and
          (selfmap_entry >> 63) and (selfmap_entry & 0x000FFFFFFFFFF000) == cr3)
    check("selfmap_supervisor_nx", ok, "PML4[self-map] = 0x%x, CR3 0x%x" % (selfmap_entry, cr3))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
