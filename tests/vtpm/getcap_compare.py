#!/usr/bin/python3
"""Compares two `tpm2_getcap properties-fixed` outputs property by property
(their raw values), ignoring the vendor and firmware identification fields
that legitimately differ between TPM implementations. Exit 0 when equal.

    getcap_compare.py A.yaml B.yaml
"""
import sys

IGNORED = {
    "TPM2_PT_MANUFACTURER", "TPM2_PT_VENDOR_STRING_1", "TPM2_PT_VENDOR_STRING_2",
    "TPM2_PT_VENDOR_STRING_3", "TPM2_PT_VENDOR_STRING_4", "TPM2_PT_VENDOR_TPM_TYPE",
    "TPM2_PT_FIRMWARE_VERSION_1", "TPM2_PT_FIRMWARE_VERSION_2",
}


def parse(path):
    props, key = {}, None
    with open(path) as f:
        for line in f:
            if line and not line[0].isspace() and line.rstrip().endswith(":"):
                key = line.strip()[:-1]
            elif key and line.strip().startswith("raw:"):
                props[key] = line.split(":", 1)[1].strip()
    return props


def main():
    a, b = parse(sys.argv[1]), parse(sys.argv[2])
    if len(a) < 10 or len(b) < 10:
        print("too few properties: %d and %d" % (len(a), len(b)))
        return 1
    diff = []
    for key in sorted(set(a) | set(b)):
        if key not in IGNORED and a.get(key) != b.get(key):
            diff.append("%s: %s != %s" % (key, a.get(key), b.get(key)))
    for line in diff:
        print(line)
    print("%d properties compared, %d ignored, %d differ"
          % (len((set(a) | set(b)) - IGNORED), len(IGNORED), len(diff)))
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
