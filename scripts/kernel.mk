# Kernel compile and link rules, included by the top-level Makefile.
# Objects come from kernel-y (and ktest-y in test configurations) that the
# directories' build.mk fragments fill; output goes under $(O)/obj.

KERNEL_INCLUDES := -Iinclude -Iarch/x86/include -I$(O)/include
KERNEL_CFLAGS := -std=gnu11 -O2 -g -nostdinc -isystem $(GCC_INCLUDE) -ffreestanding \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-common -fno-strict-aliasing -fno-delete-null-pointer-checks \
	-fno-tree-loop-distribute-patterns -fno-jump-tables \
	-include $(AUTOCONF_H) $(KERNEL_INCLUDES) $(WARN_FLAGS) $(REPRO_FLAGS)
ifeq ($(CONFIG_STACK_PROTECTOR),y)
KERNEL_CFLAGS += -fstack-protector-strong -mstack-protector-guard=global
else
KERNEL_CFLAGS += -fno-stack-protector
endif
KERNEL_ASFLAGS := -D__ASSEMBLER__ -nostdinc -include $(AUTOCONF_H) $(KERNEL_INCLUDES) \
	$(REPRO_FLAGS) -g
KERNEL_LDFLAGS := -nostdlib -static -no-pie --build-id=none -z max-page-size=4096 \
	-z noexecstack --no-warn-rwx-segments -T linker.ld

KERNEL_SRCS := $(kernel-y) $(if $(filter y,$(CONFIG_TESTS)),$(ktest-y))
KERNEL_OBJS := $(patsubst %,$(O)/obj/%.o,$(KERNEL_SRCS))
KERNEL_LIBS := $(if $(filter y,$(CONFIG_KERNEL_MBEDTLS)),$(MBEDTLS_KERNEL_LIB))
KERNEL_ELF := $(O)/copra.elf

$(O)/obj/%.c.o: %.c $(AUTOCONF_H) | $(DEPS_STAMP)
	$(call msg,CC,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_CFLAGS) $(KERNEL_EXTRA_CFLAGS_$(subst /,_,$<)) -MMD -MP -c $< -o $@

$(O)/obj/%.S.o: %.S $(AUTOCONF_H)
	$(call msg,AS,$<)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KERNEL_ASFLAGS) -MMD -MP -c $< -o $@

# Two-pass link: the symbol table of pass 1 is appended for pass 2. It lives
# in the last segment, so every other symbol keeps its address (checked).
$(O)/obj/ksyms-empty.o:
	@mkdir -p $(@D)
	$(Q)printf '\t.section .ksyms, "a"\n\t.quad 0\n\t.section .note.GNU-stack, "", @progbits\n' | \
		$(CC) -c -x assembler -o $@ -

$(O)/copra.pass1.elf: $(KERNEL_OBJS) $(O)/obj/ksyms-empty.o $(KERNEL_LIBS) linker.ld
	$(call msg,LD,$@)
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(O)/obj/ksyms-empty.o $(KERNEL_LIBS)

$(O)/obj/ksyms.S: $(O)/copra.pass1.elf scripts/gen-ksyms
	$(call msg,KSYMS,$@)
	$(Q)scripts/gen-ksyms $(NM) $< > $@

$(KERNEL_ELF): $(O)/copra.pass1.elf $(O)/obj/ksyms.S.o
	$(call msg,LD,$@)
	$(Q)$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(O)/obj/ksyms.S.o $(KERNEL_LIBS)
	$(Q)$(NM) -n $(O)/copra.pass1.elf | grep -v -e __ksyms_end -e __kernel_end > $(O)/obj/syms1
	$(Q)$(NM) -n $@ | grep -v -e __ksyms_end -e __kernel_end > $(O)/obj/syms2
	$(Q)cmp -s $(O)/obj/syms1 $(O)/obj/syms2 || \
		{ echo "error: symbol table moved kernel symbols"; rm -f $@; exit 1; }

$(O)/obj/ksyms.S.o: $(O)/obj/ksyms.S
	$(call msg,AS,$<)
	$(Q)$(CC) -c -x assembler $< -o $@

-include $(KERNEL_OBJS:.o=.d)
