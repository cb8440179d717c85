#!/bin/sh
# End-to-end test of `make gdb`'s path: boots the Copra image halted under
# QEMU's gdb stub, drives gdb in batch mode to a hardware breakpoint in the
# kernel and checks the symbolized backtrace. Prints PASS/FAIL lines.
set -u
name=gdb
O=${O:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
elf=$O/copra.elf
igvm=$O/copra.igvm
command -v gdb >/dev/null || { echo "SKIP $name: gdb not installed"; exit 0; }
[ -f "$igvm" ] && [ -f "$elf" ] || { echo "FAIL $name: $igvm or $elf missing"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/copra-gdb.XXXXXX")
IGVMTOOL=$O/tools/igvmtool ACCEL=tcg scripts/run-qemu --igvm "$igvm" --outdir "$tmp" \
	--wait-gdb --timeout 60 >"$tmp/console" 2>&1 </dev/null &
qemu_pid=$!
trap 'kill $qemu_pid 2>/dev/null; wait $qemu_pid 2>/dev/null; rm -rf "$tmp"' EXIT
i=0
while [ ! -s "$tmp/gdb-port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$tmp/gdb-port" ] || { echo "FAIL $name/attach: QEMU gdb stub did not start"; exit 1; }
port=$(cat "$tmp/gdb-port")
timeout 60 gdb -q -batch -nx -ex "set confirm off" -ex "file $elf" \
	-ex "target remote 127.0.0.1:$port" -ex "hbreak mm_log_usage" -ex continue \
	-ex bt -ex "info registers rip" -ex kill >"$tmp/gdb.out" 2>&1
ok=1
if grep -q '^#0 .*mm_log_usage' "$tmp/gdb.out"; then
	echo "PASS $name/breakpoint_hit"
else
	echo "FAIL $name/breakpoint_hit: gdb did not stop in mm_log_usage"; ok=0
fi
if grep -q '^#1 .*kmain' "$tmp/gdb.out"; then
	echo "PASS $name/backtrace"
else
	echo "FAIL $name/backtrace: frame #1 is not kmain"; ok=0
fi
[ $ok = 1 ] || sed 's/^/  gdb: /' "$tmp/gdb.out" | tail -20
[ $ok = 1 ]
