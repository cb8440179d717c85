# tools/igvmtool/build.mk: igvmtool (IGVM builder, dumper, checker and QEMU
# launcher back end), its host unit tests and its libFuzzer target. Included
# by the top-level Makefile, which provides O, Q, msg, HOSTCC, HOSTCFLAGS,
# HOST_SAN_FLAGS, CLANG and FUZZ_FLAGS.
#
# Provides: IGVMTOOL (the program), appends to TOOLS, HOST_TEST_BINS
# ($(O)/tests/host/igvmtool_test) and FUZZ_TARGETS (igvm -> $(O)/fuzz/igvm,
# corpus tests/fuzz/corpus/igvm). Target igvmtool-e2e boots a test kernel.

IGVMTOOL := $(O)/tools/igvmtool
IGVMTOOL_DIR := tools/igvmtool
IGVMTOOL_OBJDIR := $(O)/tools/igvmtool.d
IGVMTOOL_TEST_OBJDIR := $(O)/tests/host/igvmtool.d

# Parsing, dumping and launch planning: everything the fuzzer exercises.
IGVMTOOL_PARSE_SRCS := igvm_model.c igvm_parse.c igvm_parse_dir.c igvm_validate.c \
	igvm_dump.c igvm_memview.c igvm_smp.c igvm_params.c igvm_launch.c igvm_launch_ctx.c
IGVMTOOL_LIB_SRCS := $(IGVMTOOL_PARSE_SRCS) igvm_file.c igvm_write.c igvm_elf.c \
	igvm_pgtable.c igvm_layout.c igvm_native.c igvm_build.c igvm_stub.c igvm_launch_write.c
IGVMTOOL_LIBS := -lcrypto

IGVMTOOL_OBJS := $(addprefix $(IGVMTOOL_OBJDIR)/,$(IGVMTOOL_LIB_SRCS:.c=.o) main.o igvm_blobs.o)
# `igvmtool pack` and, for its self-check, the kernel's archive validator.
IGVMTOOL_OBJS += $(IGVMTOOL_OBJDIR)/igvm_pack.o $(IGVMTOOL_OBJDIR)/kernel_fs_archive.o
IGVMTOOL_CFLAGS = $(HOSTCFLAGS) -I$(IGVMTOOL_DIR) -MMD -MP

# Host unit tests: the library sources again, with ASan and UBSan, plus the
# shared test runner (kernel/test.c, kernel/lib/fmt.c) and tests/host/main.c.
IGVMTOOL_TEST_SRCS := $(sort $(wildcard tests/host/igvmtool_test*.c))
IGVMTOOL_TEST_RUNNER := tests/host/main.c kernel/test.c kernel/lib/fmt.c kernel/lib/strutil.c
IGVMTOOL_TEST_OBJS := $(addprefix $(IGVMTOOL_TEST_OBJDIR)/,\
	$(IGVMTOOL_LIB_SRCS:.c=.o) $(notdir $(IGVMTOOL_TEST_SRCS:.c=.o)) \
	$(addprefix runner_,$(notdir $(IGVMTOOL_TEST_RUNNER:.c=.o)))) $(IGVMTOOL_OBJDIR)/igvm_blobs.o
IGVMTOOL_TEST := $(O)/tests/host/igvmtool_test

TOOLS += $(IGVMTOOL)
HOST_TEST_BINS += $(IGVMTOOL_TEST)
FUZZ_TARGETS += igvm

$(IGVMTOOL): $(IGVMTOOL_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) $(IGVMTOOL_OBJS) $(IGVMTOOL_LIBS) -o $@

$(IGVMTOOL_OBJDIR)/%.o: $(IGVMTOOL_DIR)/%.c
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(IGVMTOOL_CFLAGS) -c $< -o $@

$(IGVMTOOL_OBJDIR)/kernel_fs_archive.o: kernel/fs/archive.c
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(IGVMTOOL_CFLAGS) -c $< -o $@

# Reset ROM and start stub: assembled without relocations, then flat binaries.
$(IGVMTOOL_OBJDIR)/igvm_rom.bin $(IGVMTOOL_OBJDIR)/igvm_stub.bin: \
		$(IGVMTOOL_OBJDIR)/%.bin: $(IGVMTOOL_DIR)/%.S $(IGVMTOOL_DIR)/igvm_blob.h
	$(call msg,AS,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) -c -I$(IGVMTOOL_DIR) $< -o $(@:.bin=.elf.o)
	$(Q)if readelf -rW $(@:.bin=.elf.o) | grep -q '^Relocation section'; then \
		echo "$<: must assemble without relocations" >&2; exit 1; fi
	$(Q)objcopy -O binary -j .text $(@:.bin=.elf.o) $@

$(IGVMTOOL_OBJDIR)/igvm_blobs.o: $(IGVMTOOL_DIR)/igvm_blobs.S \
		$(IGVMTOOL_OBJDIR)/igvm_rom.bin $(IGVMTOOL_OBJDIR)/igvm_stub.bin
	$(call msg,AS,$@)
	$(Q)$(HOSTCC) -c -Wa,-I$(IGVMTOOL_OBJDIR) $< -o $@

$(IGVMTOOL_TEST): $(IGVMTOOL_TEST_OBJS)
	$(call msg,HOSTLD,$@)
	$(Q)$(HOSTCC) $(HOST_SAN_FLAGS) $(IGVMTOOL_TEST_OBJS) $(IGVMTOOL_LIBS) -o $@

$(IGVMTOOL_TEST_OBJDIR)/%.o: $(IGVMTOOL_DIR)/%.c
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(IGVMTOOL_CFLAGS) $(HOST_SAN_FLAGS) -c $< -o $@

$(IGVMTOOL_TEST_OBJDIR)/%.o: tests/host/%.c
	$(call msg,HOSTCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(HOSTCC) $(IGVMTOOL_CFLAGS) $(HOST_SAN_FLAGS) -c $< -o $@

define igvmtool_runner_rule
$(IGVMTOOL_TEST_OBJDIR)/runner_$(notdir $(1:.c=.o)): $(1)
	$$(call msg,HOSTCC,$$@)
	$$(Q)mkdir -p $$(@D)
	$$(Q)$$(HOSTCC) $$(HOSTCFLAGS) -MMD -MP $$(HOST_SAN_FLAGS) -c $$< -o $$@
endef
$(foreach f,$(IGVMTOOL_TEST_RUNNER),$(eval $(call igvmtool_runner_rule,$(f))))

# libFuzzer target over the parser, the dump formatter and launch planning.
$(O)/fuzz/igvm: tests/fuzz/igvm_fuzz.c $(addprefix $(IGVMTOOL_DIR)/,$(IGVMTOOL_PARSE_SRCS)) \
		$(wildcard $(IGVMTOOL_DIR)/*.h include/abi/*.h)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_FLAGS) -I$(IGVMTOOL_DIR) $(filter %.c,$^) -o $@

.PHONY: igvmtool-e2e
igvmtool-e2e: $(IGVMTOOL)
	$(Q)IGVMTOOL=$(abspath $(IGVMTOOL)) tests/e2e/igvm_boot.sh

-include $(wildcard $(IGVMTOOL_OBJDIR)/*.d $(IGVMTOOL_TEST_OBJDIR)/*.d)
