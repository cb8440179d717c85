#!/bin/sh
# Builds the SVSM image twice from scratch in two different output folders
# (same tree, same dependencies) and checks the IGVM files are byte-identical.
set -u
name=reproducible
O=${O:-build}
DEPS_DIR=${DEPS_DIR:-$O/deps}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
case $DEPS_DIR in /*) ;; *) DEPS_DIR=$root/$DEPS_DIR ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/copra-repro.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for k in a b; do
	if ! ${MAKE:-make} -s O="$tmp/$k" DEPS_DIR="$DEPS_DIR" image >"$tmp/$k.log" 2>&1; then
		echo "FAIL $name/build_$k: $(tail -3 "$tmp/$k.log" | tr '\n' ' ')"
		exit 1
	fi
done
if cmp -s "$tmp/a/copra.igvm" "$tmp/b/copra.igvm"; then
	echo "PASS $name/igvm_identical"
else
	echo "FAIL $name/igvm_identical: $(cmp "$tmp/a/copra.igvm" "$tmp/b/copra.igvm" | head -1)"
	exit 1
fi
