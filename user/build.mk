# user/build.mk: the native user programs. Included by the top-level Makefile.
#  - the runtime (user/lib): system-call stubs, picolibc hooks, heap, test
#    framework. Linked as objects, not an archive, so that its sbrk and hooks
#    win over libc.a's; --gc-sections drops what a program does not use. With
#    picolibc's libc.a every program is a static non-PIE ELF at 0x400000
#    (user/lib/user.ld).
#  - programs: /bin/init (user/init), /tests/{utest,crash,pingpong,isolate,
#    uhelper,sysfuzz} (user/tests), /bench/{ubench,true} (user/bench: the user side
#    of the benchmarks); each linked ELF is checked by user/check-elf.
#  - Linux programs (static glibc): /tests/{ltest,lfuzz} and /bin/vtpmd.
#  - the root filesystem: staged in $(O)/rootfs (stripped programs,
#    etc/init.conf: user/etc/init-test.conf when CONFIG_TESTS=y, else
#    user/etc/init.conf) and packed into USER_ARCHIVE, which the image rule
#    embeds (igvmtool build --archive).
#  - host test $(O)/tests/host/user_init_test (HOST_TEST_BINS): the init.conf
#    parser, the restart policy and the runtime's error table, with ASan/UBSan.
#  - host test $(O)/tests/host/user_smoke (HOST_TEST_BINS): runs the built
#    programs under uemu (user/host/uemu.c), a ptrace-based emulator of part
#    of the native ABI, to check crt0, stdio, the heap, exit and faults.
# Targets: user (all programs and the archive), user-sizes.

USER_OUT := $(O)/user
USER_LDS := user/lib/user.ld
USER_ROOTFS := $(O)/rootfs
USER_ARCHIVE := $(O)/user.arc
# From build/deps/deps.mk; the fallback is the same path, for the first build.
USER_PICOLIBC = $(or $(PICOLIBC_DIR),$(DEPS_DIR)/picolibc)

# User code keeps the red zone (the kernel never writes below a user RSP).
USER_CFLAGS = -std=gnu11 -O2 -g -march=x86-64 -ffreestanding -fno-stack-protector \
	-fno-pic -fno-PIE -fno-common -ffunction-sections -fdata-sections \
	-nostdinc -isystem $(USER_PICOLIBC)/include -isystem $(GCC_INCLUDE) \
	-Iuser/include -Iinclude $(WARN_FLAGS) $(REPRO_FLAGS) -MMD -MP
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,$(USER_LDS) -Wl,--gc-sections \
	-Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
	-Wl,--orphan-handling=error
USER_LIBS = -Wl,--start-group $(USER_PICOLIBC)/lib/libc.a -lgcc -Wl,--end-group

USER_LIB_SRCS := sys.c errno.c start.c stdio.c posix.c heap.c proc.c utest.c
USER_LIB_OBJS := $(addprefix $(USER_OUT)/lib/,$(USER_LIB_SRCS:.c=.o))
# First on every link line: the entry point and the ABI note.
USER_START_OBJS := $(USER_OUT)/lib/crt0.o $(USER_OUT)/lib/note.o
USER_RT_OBJS := $(USER_START_OBJS) $(USER_LIB_OBJS)

# Programs: name, sources, and the path in the root filesystem.
USER_PROGS := init utest crash pingpong isolate uhelper sysfuzz ubench true
USER_SRCS_init := user/init/main.c user/init/conf.c user/init/policy.c
USER_SRCS_utest := $(sort $(wildcard user/tests/utest/*.c))
USER_SRCS_crash := user/tests/crash.c
USER_SRCS_pingpong := user/tests/pingpong.c
USER_SRCS_isolate := user/tests/isolate.c
USER_SRCS_uhelper := user/tests/uhelper.c
USER_SRCS_sysfuzz := user/tests/sysfuzz.c
USER_SRCS_ubench := user/bench/ubench.c
USER_SRCS_true := user/bench/true.c
USER_DEST_init := bin/init
USER_DEST_utest := tests/utest
USER_DEST_crash := tests/crash
USER_DEST_pingpong := tests/pingpong
USER_DEST_isolate := tests/isolate
USER_DEST_uhelper := tests/uhelper
USER_DEST_sysfuzz := tests/sysfuzz
USER_DEST_ubench := bench/ubench
USER_DEST_true := bench/true

# Linux programs (static glibc, no Copra note: the Linux personality runs
# them, docs/linux-abi.md), built with the host compiler like vtpmd:
# /tests/ltest and /tests/lfuzz (user/linux/), and /bin/vtpmd ($(VTPMD),
# from services/vtpm/build.mk); /var/tpm is vtpmd's state directory.
USER_LINUX_PROGS := ltest lfuzz
USER_LINUX_CFLAGS = -std=gnu11 -O2 -g -fno-pie $(WARN_FLAGS) $(REPRO_FLAGS) -MMD -MP
USER_LINUX_STRIPPED := $(foreach p,$(USER_LINUX_PROGS) vtpmd,$(USER_OUT)/strip/$(p))

$(USER_OUT)/linux/%: user/linux/%.c
	$(call msg,HOSTCC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(USER_LINUX_CFLAGS) -static -no-pie -o $@ $<

$(foreach p,$(USER_LINUX_PROGS),$(USER_OUT)/strip/$(p)): $(USER_OUT)/strip/%: $(USER_OUT)/linux/%
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-all $< $@

$(USER_OUT)/strip/vtpmd: $(VTPMD)
	@mkdir -p $(@D)
	$(Q)$(OBJCOPY) --strip-all $< $@

-include $(foreach p,$(USER_LINUX_PROGS),$(USER_OUT)/linux/$(p).d)

USER_INIT_CONF = user/etc/$(if $(filter y,$(CONFIG_TESTS)),init-test.conf,init.conf)
USER_ELFS := $(foreach p,$(USER_PROGS),$(USER_OUT)/bin/$(p).elf)
USER_STRIPPED := $(foreach p,$(USER_PROGS),$(USER_OUT)/strip/$(p))

.PHONY: user user-sizes
user: $(USER_ARCHIVE)

user-sizes: $(USER_ELFS)
	$(Q)size $(USER_ELFS)

$(USER_OUT)/%.o: user/%.c | $(DEPS_STAMP)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_OUT)/%.o: user/%.S
	$(call msg,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) -D__ASSEMBLER__ -c $(REPRO_FLAGS) -g $< -o $@

define user_prog_rule
$(USER_OUT)/bin/$(1).elf: $(patsubst user/%.c,$(USER_OUT)/%.o,$(USER_SRCS_$(1))) \
		$(USER_RT_OBJS) $(USER_LDS) user/check-elf
	$$(call msg,LD,$$@)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(USER_LDFLAGS) -o $$@ $(USER_START_OBJS) \
		$(patsubst user/%.c,$(USER_OUT)/%.o,$(USER_SRCS_$(1))) $(USER_LIB_OBJS) $$(USER_LIBS)
	$$(Q)user/check-elf $$@ || { rm -f $$@; exit 1; }

$(USER_OUT)/strip/$(1): $(USER_OUT)/bin/$(1).elf
	@mkdir -p $$(@D)
	$$(Q)$$(OBJCOPY) --strip-all $$< $$@
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_prog_rule,$(p))))

# The tree is rebuilt from scratch each time, so nothing stale is packed.
$(USER_ARCHIVE): $(USER_STRIPPED) $(USER_LINUX_STRIPPED) user/etc/init.conf \
		user/etc/init-test.conf $(IGVMTOOL) $(wildcard $(AUTOCONF_MK))
	$(call msg,PACK,$@)
	$(Q)rm -rf $(USER_ROOTFS) && mkdir -p $(USER_ROOTFS)/bin $(USER_ROOTFS)/tests \
		$(USER_ROOTFS)/bench $(USER_ROOTFS)/etc $(USER_ROOTFS)/tmp $(USER_ROOTFS)/var/tpm
	$(Q)$(foreach p,$(USER_PROGS),install -m 0755 $(USER_OUT)/strip/$(p) \
		$(USER_ROOTFS)/$(USER_DEST_$(p)) &&) true
	$(Q)$(foreach p,$(USER_LINUX_PROGS),install -m 0755 $(USER_OUT)/strip/$(p) \
		$(USER_ROOTFS)/tests/$(p) &&) true
	$(Q)install -m 0755 $(USER_OUT)/strip/vtpmd $(USER_ROOTFS)/bin/vtpmd
	$(Q)install -m 0644 $(USER_INIT_CONF) $(USER_ROOTFS)/etc/init.conf
	$(Q)$(IGVMTOOL) pack --out $@ --root $(USER_ROOTFS)

-include $(USER_LIB_OBJS:.o=.d) $(USER_START_OBJS:.o=.d) \
	$(foreach p,$(USER_PROGS),$(patsubst user/%.c,$(USER_OUT)/%.d,$(USER_SRCS_$(p))))

# Host test: pure init code and the error table, with the shared test runner.
USER_HOST_TEST := $(O)/tests/host/user_init_test
USER_HOST_OBJDIR := $(O)/tests/host/user.d
USER_HOST_SRCS := user/init/conf.c user/init/policy.c user/init/conf_test.c \
	user/init/policy_test.c user/lib/errno.c user/init/errno_test.c
USER_HOST_RUNNER := tests/host/main.c kernel/test.c kernel/lib/fmt.c kernel/lib/strutil.c
USER_HOST_OBJS := $(patsubst %.c,$(USER_HOST_OBJDIR)/%.o,$(USER_HOST_SRCS) $(USER_HOST_RUNNER))
HOST_TEST_BINS += $(USER_HOST_TEST)

$(USER_HOST_OBJDIR)/%.o: %.c
	$(call msg,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -Iuser/include -MMD -MP $(HOST_SAN_FLAGS) -c $< -o $@

$(USER_HOST_TEST): $(USER_HOST_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) $(HOST_SAN_FLAGS) -o $@ $^

-include $(USER_HOST_OBJS:.o=.d)

# Smoke test under the emulator: a generated wrapper around user/host/smoke.sh.
USER_UEMU := $(O)/user/uemu
USER_SMOKE := $(O)/tests/host/user_smoke
HOST_TEST_BINS += $(USER_SMOKE)

$(USER_UEMU): user/host/uemu.c include/abi/syscall.h
	$(call msg,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOSTCFLAGS) -o $@ $<

$(USER_SMOKE): user/host/smoke.sh $(USER_UEMU) $(USER_ARCHIVE)
	$(call msg,GEN,$@)
	@mkdir -p $(@D)
	$(Q)printf '#!/bin/sh\n# Generated by user/build.mk.\nexec %s %s %s %s\n' \
		$(abspath user/host/smoke.sh) $(abspath $(USER_UEMU)) $(abspath $(USER_ROOTFS)) \
		$(abspath user/etc/init-test.conf) >$@ && chmod +x $@
