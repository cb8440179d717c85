# services/vtpm/build.mk: the vTPM service. Included by the top-level Makefile.
#  - vtpmd: a static, non-PIE Linux x86-64 executable linked from libtpms.a
#    (LIBTPMS_LIB, pinned Debian libtpms-dev), the system's libcrypto.a
#    (libssl-dev) and glibc; appended to TOOLS so `make` builds it.
#  - The pure protocol modules (SVSM vTPM buffer codec, mssim receiver):
#    linked into the kernel, unit tests on the host and in the test image,
#    libFuzzer targets (mssim, svsm_vtpm).
# The host end-to-end test is tests/e2e/vtpm_host.sh (target vtpm-host-test).

VTPMD := $(O)/services/vtpm/vtpmd
VTPMD_OBJDIR := $(O)/services/vtpm/vtpmd.d
VTPMD_SRCS := main.c nvstore.c engine.c provision.c tpmbuf.c channel.c loop.c
VTPMD_OBJS := $(addprefix $(VTPMD_OBJDIR)/,$(VTPMD_SRCS:.c=.o))
# From build/deps/deps.mk; the fallbacks are the same paths, for the very first
# build, when deps.mk is only written while this makefile runs.
VTPMD_LIBTPMS_INC = $(or $(LIBTPMS_INC),$(DEPS_DIR)/libtpms/usr/include)
VTPMD_LIBTPMS_LIB = $(or $(LIBTPMS_LIB),$(DEPS_DIR)/libtpms/usr/lib/x86_64-linux-gnu/libtpms.a)
VTPMD_CFLAGS = $(HOSTCFLAGS) -fno-pie -isystem $(VTPMD_LIBTPMS_INC) -MMD -MP

TOOLS += $(VTPMD)

$(VTPMD_OBJDIR)/%.o: services/vtpm/vtpmd/%.c | $(DEPS_STAMP)
	$(call msg,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(VTPMD_CFLAGS) -c $< -o $@

# libcrypto.a's DSO and BIO code references dlopen/getaddrinfo/gethostbyname,
# which makes the static link warn; vtpmd never reaches that code. Those known
# warnings go to $@.link.log only; anything else is shown.
$(VTPMD): $(VTPMD_OBJS) $(wildcard $(VTPMD_LIBTPMS_LIB)) | $(DEPS_STAMP)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) -static -no-pie -o $@ $(VTPMD_OBJS) $(VTPMD_LIBTPMS_LIB) -lcrypto \
		2>$@.link.log || { cat $@.link.log >&2; exit 1; }
	$(Q)grep -v -e ': in function ' -e 'statically linked applications requires at runtime' \
		$@.link.log >&2 || true

-include $(VTPMD_OBJS:.o=.d)

# Pure modules: part of every kernel (the kernel's vTPM glue, kernel/vtpm and
# kernel/svsm, uses them) and of the host unit-test program; their tests run
# on the host and in the test image (listed in ktest-y and
# HOST_UNIT_SRCS_EXTRA directly: tests/build.mk, included after this
# fragment, assigns unit-both with ':=').
VTPM_PURE_SRCS := services/vtpm/svsm_vtpm.c services/vtpm/mssim_rx.c
VTPM_UNIT_TESTS := tests/unit/svsm_vtpm_test.c tests/unit/mssim_rx_test.c
kernel-y += $(VTPM_PURE_SRCS)
ktest-y += $(VTPM_UNIT_TESTS)
HOST_UNIT_SRCS_EXTRA += $(VTPM_UNIT_TESTS) $(VTPM_PURE_SRCS)

FUZZ_TARGETS += mssim svsm_vtpm
# (Headers are listed for rebuilds; the fuzz rule compiles only the .c files.)
FUZZ_SRCS_mssim := tests/fuzz/mssim_fuzz.c services/vtpm/mssim_rx.c \
	services/vtpm/mssim_rx.h include/abi/mssim.h
FUZZ_SRCS_svsm_vtpm := tests/fuzz/svsm_vtpm_fuzz.c services/vtpm/svsm_vtpm.c \
	services/vtpm/svsm_vtpm.h include/abi/svsm.h

.PHONY: vtpm-host-test
vtpm-host-test: $(VTPMD)
	$(Q)O=$(O) sh tests/e2e/vtpm_host.sh
