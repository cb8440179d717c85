# ACPI table parsing (the MADT from the loader).
kernel-y += kernel/acpi/madt.c
unit-both += tests/unit/madt_test.c
HOST_UNIT_SRCS_EXTRA += kernel/acpi/madt.c
FUZZ_TARGETS += madt
FUZZ_SRCS_madt := tests/fuzz/madt_fuzz.c kernel/acpi/madt.c
