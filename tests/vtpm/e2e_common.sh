# Shell shared by the vTPM end-to-end tests (tests/e2e/vtpm_host.sh: vtpmd
# on the host; tests/e2e/vtpm_copra.sh: vtpmd inside Copra). Sourced, not
# run; POSIX sh. The caller sets $name (the test's name), $root (the source
# tree) and $tmp (a scratch folder, once it exists), and defines t() (how a
# tpm2 tool is run: each gets a timeout). Provides:
#   pass ITEM / fail ITEM WHY / check ITEM WHY COMMAND...   one PASS/FAIL line each
#   e2e_require_tools [TOOL...]   SKIP (exit 0) when Debian's tpm2-tools,
#                                 python3 or the mssim TCTI is missing
#   wait_file PATH                up to 10 s for a non-empty file
#   e2e_start_bridge VTPMD NVCHIP LIFETIME   vtpmd on the host behind the mssim
#                                 bridge; sets bridge_pid and bridge_tcti
# and $py and $failed (0 until a fail). The tpm2-tools sequence itself is
# tests/vtpm/tpm2_sequence.sh.

py=/usr/bin/python3
failed=0
bridge_pid=

E2E_TPM2_TOOLS="tpm2_startup tpm2_getrandom tpm2_pcrread tpm2_pcrextend tpm2_createprimary
	tpm2_create tpm2_load tpm2_sign tpm2_verifysignature tpm2_nvdefine tpm2_nvwrite
	tpm2_nvread tpm2_quote tpm2_checkquote tpm2_getcap tpm2_readpublic tpm2_flushcontext
	tpm2_createek timeout"

pass() { echo "PASS $name/$1"; }
fail() { echo "FAIL $name/$1: $2"; failed=1; }
check() { # check ITEM WHY COMMAND...: PASS if COMMAND succeeds
	item=$1 why=$2
	shift 2
	if "$@" >>"$tmp/log" 2>&1; then pass "$item"; else fail "$item" "$why"; fi
}

e2e_require_tools() { # extra tools beyond tpm2-tools
	for tool in $E2E_TPM2_TOOLS "$@"; do
		command -v "$tool" >/dev/null ||
			{ echo "SKIP $name: $tool not installed (tpm2-tools, swtpm)"; exit 0; }
	done
	[ -x $py ] || { echo "SKIP $name: Debian's $py not installed"; exit 0; }
	[ -e /usr/lib/x86_64-linux-gnu/libtss2-tcti-mssim.so.0 ] ||
		{ echo "SKIP $name: libtss2-tcti-mssim.so.0 not installed"; exit 0; }
}

wait_file() { # wait_file PATH: up to 10 s
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ -s "$1" ]
}

e2e_start_bridge() { # VTPMD NVCHIP LIFETIME: vtpmd on the host behind the mssim bridge
	rm -f "$tmp/port" "$tmp/vtpmd.pid"
	timeout $(($3 + 10)) $py "$root/tests/vtpm/mssim_bridge.py" --vtpmd "$1" --nvchip "$2" \
		--port-file "$tmp/port" --pid-file "$tmp/vtpmd.pid" --lifetime "$3" \
		2>"$tmp/bridge.log" &
	bridge_pid=$!
	if ! wait_file "$tmp/port" || ! wait_file "$tmp/vtpmd.pid"; then
		fail bridge_start "the mssim bridge did not start: $(tail -3 "$tmp/bridge.log")"
		return 1
	fi
	bridge_tcti="mssim:host=127.0.0.1,port=$(cat "$tmp/port")"
}
