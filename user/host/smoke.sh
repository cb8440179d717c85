#!/bin/sh
# Host smoke test of the user runtime and programs: runs them under uemu
# (user/host/uemu.c), which emulates a subset of the native calls, and
# prints one PASS/FAIL line per check. Usage: smoke.sh UEMU ROOTFS TESTCONF
set -u
uemu=$1
root=$2
testconf=$3
out=$(mktemp)
tmproot=$(mktemp -d)
trap 'rm -rf "$out" "$tmproot"' EXIT
failed=0
passed=0

check() { # name expected-status command...
	name=$1
	want=$2
	shift 2
	"$@" >"$out" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then
		echo "PASS user-smoke/$name"
		passed=$((passed + 1))
	else
		echo "FAIL user-smoke/$name: exit status $got, want $want"
		sed 's/^/    /' "$out" | tail -5
		failed=$((failed + 1))
	fi
}

check_out() { # name pattern: the last command's output must match
	if grep -q -- "$2" "$out"; then
		echo "PASS user-smoke/$1"
		passed=$((passed + 1))
	else
		echo "FAIL user-smoke/$1: output lacks '$2'"
		failed=$((failed + 1))
	fi
}

check exit_code 42 "$uemu" "$root" /tests/crash exit 42
check exit_negative 255 "$uemu" "$root" /tests/crash exit -1
check args 0 "$uemu" "$root" /tests/uhelper args one "" three
check heap 0 "$uemu" "$root" /tests/uhelper heap 64
# Faults: SIGSEGV 139, SIGILL 132, SIGFPE 136 under Linux.
for m in null code data stack ro kernel gp priv; do
	check "fault_$m" 139 "$uemu" "$root" /tests/crash "$m"
done
check fault_ud 132 "$uemu" "$root" /tests/crash ud
check fault_div 136 "$uemu" "$root" /tests/crash div
check_out fault_logged "crash: divide by zero"
check utest_sys 0 "$uemu" "$root" /tests/utest sys/
check_out utest_summary "^user tests: [0-9]* passed, 0 failed$"
check utest_hostile_read 0 "$uemu" "$root" /tests/utest hostile/read_write
check utest_heap 0 "$uemu" "$root" /tests/utest mem/heap_malloc
check utest_heap_null 0 "$uemu" "$root" /tests/utest mem/heap_exhaustion
# The normal image's init.conf starts the vTPM service (docs/vtpm.md).
check init_normal_conf 124 timeout 2 "$uemu" "$root" /bin/init
check_out init_normal_conf_parsed "init: 1 service configured$"
cp -r "$root"/. "$tmproot"
printf '# nothing to start\n' >"$tmproot/etc/init.conf"
check init_idle 124 timeout 2 "$uemu" "$tmproot" /bin/init
check_out init_idle_log "init: nothing to start; idle"
cp "$testconf" "$tmproot/etc/init.conf"
check init_test_conf 124 timeout 2 "$uemu" "$tmproot" /bin/init
check_out init_test_conf_parsed "init: 1 service configured$"
check_out init_test_conf_start "init: cannot start service crasher"
echo "user-smoke: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
