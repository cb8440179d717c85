# tpm2-tools command sequence shared by tests/e2e/vtpm_host.sh for vtpmd
# (mssim TCTI through the bridge) and swtpm (swtpm TCTI). Sourced, not run:
# it uses the caller's check(), t() and $py. Each seq_* helper succeeds or
# fails as a whole; outputs go to the directory given (pcr.out, nv.out,
# fixed.yaml, ek_*.pub) for the comparisons.

SEQ_NV_INDEX=0x01500016

seq_flush() { t tpm2_flushcontext -T "$1" -t; }

seq_getrandom() { # TCTI
	out=$(t tpm2_getrandom -T "$1" 16 --hex) && [ ${#out} -eq 32 ]
}

seq_hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }

seq_pcr_is_zero() { # TCTI OUT
	t tpm2_pcrread -T "$1" sha256:16 -o "$2" && [ "$(seq_hex "$2")" = "$(printf '%064d' 0)" ]
}

# Extends PCR 16 twice and checks sha256(sha256(0^32 || d1) || d2).
seq_pcrextend() { # TCTI DIR
	d1=$(printf 'copra vtpm 1' | sha256sum | cut -c1-64)
	d2=$(printf 'copra vtpm 2' | sha256sum | cut -c1-64)
	want=$($py -c 'import hashlib,sys
v = bytes(32)
for d in sys.argv[1:]:
    v = hashlib.sha256(v + bytes.fromhex(d)).digest()
print(v.hex())' "$d1" "$d2")
	t tpm2_pcrextend -T "$1" "16:sha256=$d1" && t tpm2_pcrextend -T "$1" "16:sha256=$d2" &&
		t tpm2_pcrread -T "$1" sha256:16 -o "$2/pcr.out" && [ "$(seq_hex "$2/pcr.out")" = "$want" ]
}

seq_primary() { # TCTI DIR ALG
	t tpm2_createprimary -T "$1" -C o -G "$3" -c "$2/prim_$3.ctx" && seq_flush "$1"
}

# ECC P-256 key under an ECC primary: create, load, sign, verify.
seq_sign() { # TCTI DIR
	printf 'a message for the vTPM to sign' >"$2/msg"
	t tpm2_createprimary -T "$1" -C o -G ecc -c "$2/prim.ctx" && seq_flush "$1" &&
		t tpm2_create -T "$1" -C "$2/prim.ctx" -G ecc256 -u "$2/key.pub" -r "$2/key.priv" &&
		seq_flush "$1" &&
		t tpm2_load -T "$1" -C "$2/prim.ctx" -u "$2/key.pub" -r "$2/key.priv" -c "$2/key.ctx" &&
		seq_flush "$1" &&
		t tpm2_sign -T "$1" -c "$2/key.ctx" -g sha256 -o "$2/sig" "$2/msg" && seq_flush "$1" &&
		t tpm2_verifysignature -T "$1" -c "$2/key.ctx" -g sha256 -m "$2/msg" -s "$2/sig" &&
		seq_flush "$1"
}

seq_nv() { # TCTI DIR
	printf 'copra vtpm: NV index data, 32 B!' >"$2/nv.in" # 32 bytes
	t tpm2_nvdefine -T "$1" $SEQ_NV_INDEX -C o -s 32 -a "ownerread|ownerwrite" &&
		t tpm2_nvwrite -T "$1" $SEQ_NV_INDEX -C o -i "$2/nv.in" &&
		seq_nvread "$1" "$2/nv.out" && cmp "$2/nv.in" "$2/nv.out"
}

seq_nvread() { # TCTI OUT
	t tpm2_nvread -T "$1" $SEQ_NV_INDEX -C o -s 32 -o "$2"
}

seq_quote() { # TCTI DIR (after seq_sign: uses its key)
	t tpm2_quote -T "$1" -c "$2/key.ctx" -l sha256:16 -q 0badc0de -m "$2/q.msg" -s "$2/q.sig" \
		-o "$2/q.pcrs" -g sha256 && seq_flush "$1" &&
		t tpm2_checkquote -u "$2/key.pub" -m "$2/q.msg" -s "$2/q.sig" -f "$2/q.pcrs" -g sha256 \
			-q 0badc0de
}

seq_getcap() { # TCTI DIR
	t tpm2_getcap -T "$1" properties-fixed >"$2/fixed.yaml" &&
		grep -q '^TPM2_PT_FAMILY_INDICATOR:' "$2/fixed.yaml"
}

seq_run() { # PREFIX TCTI DIR startup|nostartup
	p=$1
	if [ "$4" = startup ]; then
		check "${p}startup" "tpm2_startup -c failed" t tpm2_startup -T "$2" -c
	fi
	check "${p}getrandom" "tpm2_getrandom 16 failed" seq_getrandom "$2"
	check "${p}pcrread" "PCR 16 not all zero" seq_pcr_is_zero "$2" "$3/pcr.initial"
	check "${p}pcrextend_value" "PCR 16 is not the expected SHA-256" seq_pcrextend "$2" "$3"
	check "${p}createprimary_rsa" "RSA primary failed" seq_primary "$2" "$3" rsa
	check "${p}createprimary_ecc" "ECC primary failed" seq_primary "$2" "$3" ecc
	check "${p}sign_verify" "create/load/sign/verifysignature failed" seq_sign "$2" "$3"
	check "${p}nv_write_read" "nvdefine/nvwrite/nvread failed" seq_nv "$2" "$3"
	check "${p}quote_checkquote" "quote or checkquote failed" seq_quote "$2" "$3"
	check "${p}getcap_properties_fixed" "getcap failed" seq_getcap "$2" "$3"
}

seq_createek() { # TCTI DIR ALG: a transient EK from tpm2_createek's template equals ours
	t tpm2_createek -T "$1" -c "$2/ek_$3.ctx" -G "$3" -u "$2/ek_$3.created" && seq_flush "$1" &&
		cmp "$2/ek_$3.created" "$2/ek_$3.pub"
}

seq_same_public() { # TCTI HANDLE FILE
	t tpm2_readpublic -T "$1" -c "$2" -o "$3.again" && cmp "$3" "$3.again"
}

seq_ek() { # PREFIX TCTI DIR
	check "${1}ek_rsa_readpublic" "no RSA EK at 0x81010001" \
		t tpm2_readpublic -T "$2" -c 0x81010001 -o "$3/ek_rsa.pub"
	check "${1}ek_ecc_readpublic" "no ECC EK at 0x81010002" \
		t tpm2_readpublic -T "$2" -c 0x81010002 -o "$3/ek_ecc.pub"
	check "${1}ek_rsa_matches_createek" "differs from tpm2_createek -G rsa" seq_createek "$2" "$3" rsa
	check "${1}ek_ecc_matches_createek" "differs from tpm2_createek -G ecc" seq_createek "$2" "$3" ecc
}
