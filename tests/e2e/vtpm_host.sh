#!/bin/sh
# End-to-end test of vtpmd on the host. 1. Raw-command checks over its fd-3
# channel (tests/vtpm/raw_test.py) and its system-call footprint under strace
# (tests/vtpm/syscall_check.py). 2. Debian's tpm2-tools against vtpmd
# through the mssim bridge (tests/vtpm/mssim_bridge.py): startup, getrandom,
# PCR extend/read, primaries, sign/verify, NV, quote, properties and both EKs;
# then vtpmd is killed (SIGKILL) and restarted on the same NV file, and NV and
# EKs must be unchanged. 3. The same tpm2-tools sequence against Debian's
# swtpm, compared on what is deterministic. One PASS/FAIL line per item; SKIP
# only when a required Debian tool is missing. POSIX sh, run by run-tests.
#
# Environment: O (build dir, default build), VTPMD (default $O/services/vtpm/vtpmd).
set -u

name=vtpm_host
root=$(cd "$(dirname "$0")/../.." && pwd)
vtpmd=${VTPMD:-${O:-build}/services/vtpm/vtpmd}
case $vtpmd in /*) ;; *) vtpmd=$root/$vtpmd ;; esac
swtpm_pid=
. "$root/tests/vtpm/e2e_common.sh"
t() { timeout 20 "$@"; } # every tool gets a timeout

e2e_require_tools swtpm
[ -e /usr/lib/x86_64-linux-gnu/libtss2-tcti-swtpm.so.0 ] ||
	{ echo "SKIP $name: libtss2-tcti-swtpm.so.0 not installed"; exit 0; }
[ -x "$vtpmd" ] || { echo "FAIL $name/build: vtpmd not built at $vtpmd"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-e2e.XXXXXX")
cleanup() {
	for p in $bridge_pid $swtpm_pid; do kill "$p" 2>/dev/null; done
	for p in $bridge_pid $swtpm_pid; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null
	done
	if [ -f "$tmp/vtpmd.pid" ]; then kill -9 "$(cat "$tmp/vtpmd.pid")" 2>/dev/null; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------- 1. raw commands
timeout 120 $py "$root/tests/vtpm/raw_test.py" --vtpmd "$vtpmd" --prefix "$name/raw" ||
	failed=1
timeout 60 $py "$root/tests/vtpm/syscall_check.py" --vtpmd "$vtpmd" --prefix "$name" || failed=1

# ---------------------------------------------------------------- 2./3. tpm2-tools
export TSS2_LOG=all+none
. "$root/tests/vtpm/tpm2_sequence.sh"

mkdir -p "$tmp/v" "$tmp/s" "$tmp/swtpm-state"
e2e_start_bridge "$vtpmd" "$tmp/v/nvchip" 110 || exit 1
vtcti=$bridge_tcti
seq_run "" "$vtcti" "$tmp/v" startup
seq_ek "" "$vtcti" "$tmp/v"

# Crash vtpmd; the bridge starts a new one at the next POWER_ON.
old=$(cat "$tmp/vtpmd.pid")
kill -9 "$old"
i=0 # until it is gone or a zombie (the bridge reaps it at the next POWER_ON)
while [ $i -lt 100 ]; do
	case $(ps -o stat= -p "$old" 2>/dev/null) in '' | Z*) break ;; esac
	sleep 0.05
	i=$((i + 1))
done
check restart_startup "tpm2_startup -c after restart" t tpm2_startup -T "$vtcti" -c
check restart_new_process "no new vtpmd" test "$(cat "$tmp/vtpmd.pid")" != "$old"
check restart_logged "no restart message" grep -q 'restarted with existing NV state' "$tmp/bridge.log"
check restart_nv_persist "NV contents changed" seq_nvread "$vtcti" "$tmp/v/nv.after"
check restart_nv_same "NV contents differ" cmp "$tmp/v/nv.out" "$tmp/v/nv.after"
for k in rsa:0x81010001 ecc:0x81010002; do
	check "restart_ek_${k%%:*}_same" "EK ${k#*:} differs after restart" \
		seq_same_public "$vtcti" "${k#*:}" "$tmp/v/ek_${k%%:*}.pub"
done
check restart_pcr_reset "PCR 16 not reset by the restart" seq_pcr_is_zero "$vtcti" "$tmp/v/pcr.restart"

# swtpm: same sequence (it starts itself: startup-clear) and comparisons.
swtpm_up=
for attempt in 1 2 3; do # another process may take the free ports first
	port=$($py "$root/scripts/free-port" -n 2)
	swtcti="swtpm:host=127.0.0.1,port=$port"
	timeout 120 swtpm socket --tpm2 --server type=tcp,port="$port" --ctrl type=tcp,port=$((port + 1)) \
		--flags not-need-init,startup-clear --tpmstate dir="$tmp/swtpm-state" 2>"$tmp/swtpm.log" &
	swtpm_pid=$!
	i=0
	while kill -0 $swtpm_pid 2>/dev/null && [ $i -lt 50 ]; do
		if t tpm2_getrandom -T "$swtcti" 4 >/dev/null 2>&1; then swtpm_up=1; break; fi
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$swtpm_up" ] && break
	kill $swtpm_pid 2>/dev/null
done
if [ -n "$swtpm_up" ]; then pass swtpm_start; else fail swtpm_start "$(tail -2 "$tmp/swtpm.log")"; fi
seq_run swtpm_ "$swtcti" "$tmp/s" nostartup
check compare_swtpm_pcr "PCR 16 differs" cmp "$tmp/v/pcr.out" "$tmp/s/pcr.out"
check compare_swtpm_nv "NV contents differ" cmp "$tmp/v/nv.out" "$tmp/s/nv.out"
check compare_swtpm_properties_fixed "see the diff" $py "$root/tests/vtpm/getcap_compare.py" \
	"$tmp/v/fixed.yaml" "$tmp/s/fixed.yaml"

if [ $failed -ne 0 ]; then
	echo "--- last log lines"
	tail -30 "$tmp/log" 2>/dev/null
	tail -10 "$tmp/bridge.log" 2>/dev/null
fi
exit $failed
