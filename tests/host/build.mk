# The host unit-test program: core kernel code built for Linux against the
# fake architecture in tests/host/fake, with ASan and UBSan; and the generic
# rule for libFuzzer targets that list their sources in FUZZ_SRCS_<name>.
# Included after every other fragment, so their lists are complete.
HOST_UNIT := $(O)/tests/host-unit
ktest-y += $(unit-both)
HOST_UNIT_SRCS := tests/host/main.c kernel/test.c kernel/lib/fmt.c kernel/lib/strutil.c \
	kernel/lib/errno.c kernel/mm/pmm.c kernel/mm/memmap.c arch/x86/pgtable.c arch/x86/pgtable_api.c \
	arch/x86/pgtable_root.c $(wildcard tests/host/fake/*.c) $(unit-both) $(unit-host) \
	$(HOST_UNIT_SRCS_EXTRA)
HOST_UNIT_OBJS := $(patsubst %.c,$(O)/host/%.o,$(HOST_UNIT_SRCS))
HOST_UNIT_CFLAGS = $(HOSTCFLAGS) -Itests/host/fake/include $(HOST_SAN_FLAGS) -O1

$(O)/host/%.o: %.c
	$(call msg,HOSTCC,$<)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_UNIT_CFLAGS) -MMD -MP -c $< -o $@

$(HOST_UNIT): $(HOST_UNIT_OBJS)
	$(call msg,HOSTLD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_SAN_FLAGS) -o $@ $^

HOST_TEST_BINS += $(HOST_UNIT)
-include $(HOST_UNIT_OBJS:.o=.d)

# libFuzzer targets: $(O)/fuzz/NAME from FUZZ_SRCS_NAME (clang-14, ASan, UBSan).
define fuzz_rule
$(O)/fuzz/$(1): $$(FUZZ_SRCS_$(1))
	$$(call msg,FUZZ,$$@)
	@mkdir -p $$(@D)
	$$(Q)$$(CLANG) $$(FUZZ_FLAGS) -Itests/host/fake/include $$(FUZZ_CFLAGS_$(1)) $$(filter %.c,$$^) -o $$@
endef
$(foreach f,$(FUZZ_TARGETS),$(if $(FUZZ_SRCS_$(f)),$(eval $(call fuzz_rule,$(f)))))
