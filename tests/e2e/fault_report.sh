#!/bin/sh
# End-to-end test of fault reports: boots the test image with a deliberate
# fault selected on the host command line (fw_cfg opt/org.copra/cmdline,
# copra.crash=<kind>) and checks that Copra panics with a report naming the
# region, a symbolized backtrace, and the failure exit (status 35).
set -u
name=fault_report
O=${O:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
igvm=$O/testimg/copra.igvm
[ -f "$igvm" ] || { echo "FAIL $name: $igvm missing"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/copra-fault.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
ok=1
check() {
	kind=$1
	want=$2
	IGVMTOOL=$O/tools/igvmtool ACCEL=tcg \
		QEMU_ARGS="-fw_cfg name=opt/org.copra/cmdline,string=copra.crash=$kind" \
		scripts/run-qemu --igvm "$igvm" --timeout 60 >"$tmp/$kind.out" 2>&1 </dev/null
	status=$?
	if [ $status -ne 35 ]; then
		echo "FAIL $name/$kind: exit status $status, expected 35 (panic)"; ok=0
	elif ! grep -q "PANIC on cpu 0: .*$want" "$tmp/$kind.out"; then
		echo "FAIL $name/$kind: report does not say '$want'"; ok=0
		grep PANIC "$tmp/$kind.out" | head -2
	elif ! grep -qE '#[0-9]+ +0x[0-9a-f]+ [a-z_.0-9]+\+0x' "$tmp/$kind.out"; then
		echo "FAIL $name/$kind: no symbolized backtrace"; ok=0
	else
		echo "PASS $name/$kind"
	fi
}
check text-write "write to kernel text"
check exec-data "execution of kernel data"
check null-read "access to the null page"
check boot-stack-overflow "double fault .*guard page below the boot stack"
check task-stack-overflow "double fault .*guard page below the kernel stack of task [0-9]* (main)"
[ $ok = 1 ]
