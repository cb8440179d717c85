#!/bin/sh
# End-to-end test of the vTPM inside Copra: boots the normal image under QEMU
# TCG with the mssim transport on COM2/COM3 (run-qemu --tpm-port, free ports)
# and runs Debian's tpm2-tools against vtpmd, which init starts with
# /dev/vtpm as its fd 3:
#   1. the tpm2-tools sequence of tests/vtpm/tpm2_sequence.sh (startup,
#      getrandom, PCR read/extend with the expected SHA-256 value, RSA and ECC
#      primaries, create/load/sign/verify, NV define/write/read, quote with
#      checkquote, properties-fixed) and both EKs (0x81010001, 0x81010002);
#   2. POWER_OFF on the platform port: a command meanwhile gets TPM_RC_FAILURE
#      at once, the kernel kills vtpmd and init restarts it (its log lines);
#      POWER_ON, startup, and the NV index and both EKs are unchanged;
#   3. the same sequence against vtpmd on the host (the mssim bridge), compared
#      on PCR 16, NV contents and properties-fixed (minus vendor strings).
# One PASS/FAIL line per item; SKIP only when a Debian tool is missing.
# POSIX sh, run by scripts/run-tests. Bounded: the boot and vtpmd's first
# start (manufacture under TCG) get at most E2E_START_S seconds, each tool
# E2E_TOOL_S, and QEMU lives at most E2E_QEMU_S.
#
# Environment: O (build dir, default build), IMAGE ($O/copra.igvm), IGVMTOOL
# ($O/tools/igvmtool), VTPMD ($O/services/vtpm/vtpmd, for the host run), QEMU.
set -u

name=vtpm_copra
root=$(cd "$(dirname "$0")/../.." && pwd)
O=${O:-build}
abs() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
image=$(abs "${IMAGE:-$O/copra.igvm}")
igvmtool=$(abs "${IGVMTOOL:-$O/tools/igvmtool}")
vtpmd=$(abs "${VTPMD:-$O/services/vtpm/vtpmd}")
E2E_START_S=${E2E_START_S:-150}
E2E_TOOL_S=${E2E_TOOL_S:-60}
E2E_QEMU_S=${E2E_QEMU_S:-270}
qemu_pid=
tool_s=$E2E_TOOL_S
. "$root/tests/vtpm/e2e_common.sh"
t() { timeout "$tool_s" "$@"; }

e2e_require_tools qemu-system-x86_64 setsid
[ -r "$image" ] || { echo "FAIL $name/build: no image at $image"; exit 1; }
[ -x "$igvmtool" ] || { echo "FAIL $name/build: igvmtool not built at $igvmtool"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtpm-copra.XXXXXX")
cleanup() {
	# QEMU runs in its own process group (setsid): end run-qemu, the relay and QEMU.
	[ -z "$qemu_pid" ] || kill -TERM "-$qemu_pid" 2>/dev/null
	[ -z "$bridge_pid" ] || kill "$bridge_pid" 2>/dev/null
	for p in $qemu_pid $bridge_pid; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	done
	[ -z "$qemu_pid" ] || kill -KILL "-$qemu_pid" 2>/dev/null
	[ -z "$bridge_pid" ] || kill -9 "$bridge_pid" 2>/dev/null
	if [ -f "$tmp/vtpmd.pid" ]; then kill -9 "$(cat "$tmp/vtpmd.pid")" 2>/dev/null; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export TSS2_LOG=all+none
. "$root/tests/vtpm/tpm2_sequence.sh"
mkdir -p "$tmp/c" "$tmp/h"
: >"$tmp/log"

console() { tr -d '\r' <"$tmp/console.log"; }
# wait_log REGEX SECONDS [COUNT]: the console shows lines matching REGEX (ERE; at least COUNT)
wait_log() {
	i=0
	while [ $i -lt $(($2 * 5)) ]; do
		[ "$(console | grep -c -E -- "$1")" -ge "${3:-1}" ] && return 0
		kill -0 "$qemu_pid" 2>/dev/null || return 1
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
finish() {
	if [ $failed -ne 0 ]; then
		echo "--- last console lines"
		console | tail -40
		echo "--- last tool output"
		tail -20 "$tmp/log"
	fi
	exit $failed
}

# ---------------------------------------------------------------- boot
port=$($py "$root/scripts/free-port" -n 2)
IGVMTOOL=$igvmtool ACCEL=tcg QEMU_ARGS='' setsid "$root/scripts/run-qemu" --igvm "$image" --smp 2 \
	--mem 512M --accel tcg --tpm-port "$port" --outdir "$tmp/run" --timeout "$E2E_QEMU_S" \
	</dev/null >"$tmp/console.log" 2>&1 &
qemu_pid=$!
ctcti="mssim:host=127.0.0.1,port=$port"
if wait_log 'Copra ready:' 60; then pass boot; else fail boot "no 'Copra ready' line"; finish; fi
if ! wait_log 'init: (started service vtpm|service vtpm: giving up)' 30 ||
	! console | grep -q 'init: started service vtpm'; then
	why=$(console | grep -m1 -e 'service vtpm' -e 'vtpmd' || echo 'init did not start it')
	fail vtpmd_start "vtpmd does not run inside Copra: $why"
	finish
fi
pass vtpmd_start
# The first command waits for vtpmd's first start (manufacture) inside Copra;
# a new TPM answers TPM_RC_INITIALIZE until TPM2_Startup.
check first_command "no TPM answer within ${E2E_START_S}s" \
	$py "$root/tests/vtpm/mssim_client.py" --port "$port" --timeout "$E2E_START_S" \
	--expect-rc 0x100 command getrandom

# ---------------------------------------------------------------- 1. tpm2-tools
seq_run "" "$ctcti" "$tmp/c" startup
seq_ek "" "$ctcti" "$tmp/c"

# ---------------------------------------------------------------- 2. power cycle
client() { $py "$root/tests/vtpm/mssim_client.py" --port "$port" "$@"; }
killed='init: service vtpm \(pid [0-9]+\) was killed'
kills=$(console | grep -c -E "$killed")
starts=$(console | grep -c 'init: started service vtpm')
check power_off_ack "POWER_OFF not acknowledged" client signal power_off
check power_off_command_fails_fast "a command while off did not get TPM_RC_FAILURE within 10 s" \
	client --timeout 10 --expect-rc 0x101 command getrandom
check power_off_kills_vtpmd "no 'was killed' line from init" \
	wait_log "$killed" 30 $((kills + 1))
check init_restarts_vtpmd "init did not start vtpmd again" \
	wait_log 'init: started service vtpm' 30 $((starts + 1))
check power_on_ack "POWER_ON not acknowledged" client signal power_on
check restart_startup "tpm2_startup -c after the restart" \
	timeout "$E2E_START_S" tpm2_startup -T "$ctcti" -c
check restart_nv_persist "NV index unreadable after the restart" seq_nvread "$ctcti" "$tmp/c/nv.after"
check restart_nv_same "NV contents differ after the restart" cmp "$tmp/c/nv.out" "$tmp/c/nv.after"
for k in rsa:0x81010001 ecc:0x81010002; do
	check "restart_ek_${k%%:*}_same" "EK ${k#*:} differs after the restart" \
		seq_same_public "$ctcti" "${k#*:}" "$tmp/c/ek_${k%%:*}.pub"
done
check restart_pcr_reset "PCR 16 not reset by the restart" seq_pcr_is_zero "$ctcti" "$tmp/c/pcr.restart"

# ---------------------------------------------------------------- 3. vtpmd on the host
if [ -x "$vtpmd" ] && e2e_start_bridge "$vtpmd" "$tmp/h/nvchip" 120; then
	tool_s=20
	seq_run host_ "$bridge_tcti" "$tmp/h" startup
	check compare_host_pcr "PCR 16 differs from vtpmd on the host" \
		cmp "$tmp/c/pcr.out" "$tmp/h/pcr.out"
	check compare_host_nv "NV contents differ from vtpmd on the host" \
		cmp "$tmp/c/nv.out" "$tmp/h/nv.out"
	check compare_host_properties_fixed "see the diff" $py "$root/tests/vtpm/getcap_compare.py" \
		"$tmp/c/fixed.yaml" "$tmp/h/fixed.yaml"
else
	[ -x "$vtpmd" ] || fail host_vtpmd "vtpmd not built at $vtpmd"
fi
finish
