#!/bin/sh
# End-to-end test of igvmtool and scripts/run-qemu: builds the tiny 64-bit
# test kernel (tools/igvmtool/testdata/hello.S), turns it into an IGVM image
# (twice: the builds must be byte-identical), boots it under QEMU TCG with
# several -smp/-m settings and expects its greeting on COM1 and isa-debug-exit
# status 33 each time. Prints one line: PASS, FAIL (with the reason) or SKIP.
# POSIX sh (scripts/run-tests runs it with sh).
#
# Environment: IGVMTOOL (default $O/tools/igvmtool, O defaulting to build),
# QEMU, CC, LD.
set -u

name=igvm_boot
root=$(cd "$(dirname "$0")/../.." && pwd)
igvmtool=${IGVMTOOL:-${O:-build}/tools/igvmtool}
case $igvmtool in /*) ;; *) igvmtool=$root/$igvmtool ;; esac
qemu=${QEMU:-qemu-system-x86_64}
want='hello from 64-bit, rdi=bootinfo magic ok'

fail() { echo "FAIL $name: $*"; exit 1; }

[ -x "$igvmtool" ] || fail "igvmtool not found at $igvmtool (set IGVMTOOL)"
command -v "$qemu" >/dev/null || { echo "SKIP $name: $qemu not found"; exit 0; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/igvm-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

src=$root/tools/igvmtool/testdata
${CC:-gcc} -c "$src/hello.S" -o "$tmp/hello.o" 2>"$tmp/err" ||
	fail "assembling the test kernel: $(head -1 "$tmp/err")"
${LD:-ld} -nostdlib -static --build-id=none -z max-page-size=4096 -z noexecstack \
	-T "$src/hello.ld" "$tmp/hello.o" -o "$tmp/hello.elf" 2>"$tmp/err" ||
	fail "linking the test kernel: $(head -1 "$tmp/err")"

for i in 1 2; do
	"$igvmtool" build --kernel "$tmp/hello.elf" --out "$tmp/hello$i.igvm" --test-build \
		2>"$tmp/err" || fail "igvmtool build: $(cat "$tmp/err")"
done
cmp -s "$tmp/hello1.igvm" "$tmp/hello2.igvm" || fail "two builds differ"
check=$("$igvmtool" check "$tmp/hello1.igvm" 2>&1)
[ "$check" = ok ] || fail "igvmtool check: $check"

boot() { # boot SMP MEM
	out=$(IGVMTOOL=$igvmtool QEMU=$qemu ACCEL=tcg QEMU_ARGS='' \
		"$root/scripts/run-qemu" --igvm "$tmp/hello1.igvm" --smp "$1" --mem "$2" \
		--accel tcg --timeout 60 --outdir "$tmp/run" </dev/null 2>"$tmp/err")
	status=$?
	[ $status = 33 ] || fail "-smp $1 -m $2: exit status $status, output '$out' $(head -3 "$tmp/err")"
	case $out in
	*"$want"*) ;;
	*) fail "-smp $1 -m $2: output '$out' lacks '$want'" ;;
	esac
}

boot 1 512M
boot 4 512M
boot 1 3G
boot 6,sockets=2,cores=3 1G
echo "PASS $name"
