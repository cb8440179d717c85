# kernel/exec: running user programs. The ELF loader plan is pure, so it is
# also built into the host unit-test program and its own libFuzzer target.
# (Tests are listed in ktest-y and HOST_UNIT_SRCS_EXTRA directly: tests/build.mk,
# included after this fragment, assigns unit-both/unit-host with ':='.)
kernel-y += kernel/exec/elf.c
ktest-y += tests/unit/elf_test.c
HOST_UNIT_SRCS_EXTRA += kernel/exec/elf.c tests/unit/elf_test.c
FUZZ_TARGETS += elf
FUZZ_SRCS_elf := tests/fuzz/elf_fuzz.c kernel/exec/elf.c
