# The SVSM protocol dispatcher (core protocol, vTPM protocol 2), and a
# libFuzzer target that drives it with hostile registers and guest memory.
kernel-y += kernel/svsm/svsm.c kernel/svsm/vtpm_proto.c

FUZZ_TARGETS += svsm_call
FUZZ_SRCS_svsm_call := tests/fuzz/svsm_call_fuzz.c kernel/svsm/svsm.c kernel/svsm/vtpm_proto.c \
	services/vtpm/svsm_vtpm.c tests/host/fake/fake_heap.c kernel/svsm/svsm_internal.h \
	include/copra/svsm.h include/copra/guest_mem.h include/abi/svsm.h
