# libFuzzer targets for the kernel's parsers of untrusted input (rules: tests/host/build.mk).
FUZZ_TARGETS += memmap
FUZZ_SRCS_memmap := tests/fuzz/memmap_fuzz.c kernel/mm/memmap.c
