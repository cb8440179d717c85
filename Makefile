# Copra top-level Makefile: dependencies, configuration, kernel, tools, images,
# and the user-facing commands (run, test, gdb, bench, fuzz). `make help` lists them.

O ?= build
V ?= 0
DEFCONFIG ?= defconfig
SMP ?= 1
MEM ?= 512M
ACCEL ?= auto
QEMU_ARGS ?=
FUZZ_SECONDS ?= 60

SRCDIR := $(CURDIR)
override O := $(patsubst %/,%,$(O))
# Fetched third-party code is shared by every output folder.
DEPS_DIR ?= $(SRCDIR)/build/deps

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-7s %s\n' '$(1)' '$(2)'
MAKEFLAGS += --no-print-directory
endif

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.PHONY: all run test gdb bench fuzz clean distclean help menuconfig olddefconfig \
	savedefconfig defconfig deps image host-tests print-host-tests

# ---------------------------------------------------------------- toolchain
CC := gcc
LD := ld
AR := ar
NM := nm
OBJCOPY := objcopy
HOSTCC := gcc
CLANG := clang-14
GCC_INCLUDE := $(shell $(CC) -print-file-name=include)

export SOURCE_DATE_EPOCH := 0
export LC_ALL := C

WARN_FLAGS := -Wall -Wextra -Werror -Wundef -Wstrict-prototypes -Wmissing-prototypes \
	-Wmissing-declarations -Wpointer-arith -Wvla -Wno-unused-parameter
REPRO_FLAGS := -ffile-prefix-map=$(SRCDIR)/= -ffile-prefix-map=$(abspath $(O))/=build/

HOSTCFLAGS := -std=gnu11 -O2 -g -DCOPRA_HOST -Iinclude $(WARN_FLAGS) $(REPRO_FLAGS)
HOST_SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_FLAGS := -std=gnu11 -O1 -g -DCOPRA_HOST -DCOPRA_FUZZ -Iinclude \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# ---------------------------------------------------------------- dependencies
DEPS_STAMP := $(DEPS_DIR)/.done
-include $(DEPS_DIR)/deps.mk

$(DEPS_STAMP): scripts/setup-deps scripts/deps.lock include/crypto/mbedtls_config.h
	$(call msg,DEPS,$(DEPS_DIR))
	$(Q)scripts/setup-deps --out $(DEPS_DIR) $(if $(filter 1,$(V)),,--quiet)

deps: $(DEPS_STAMP)

# deps.mk is written by setup-deps: naming it as a target makes make fetch
# the dependencies first on a fresh clone and then restart with their paths.
# The recipe changes nothing, so an up-to-date deps.mk causes no restart.
$(DEPS_DIR)/deps.mk: $(DEPS_STAMP)
	@test -f $@

# ---------------------------------------------------------------- configuration
KCONFIG_ENV = KCONFIG_CONFIG=.config KCONFIG_AUTOCONFIG=include/config/auto.conf \
	KCONFIG_AUTOHEADER=include/generated/autoconf.h \
	KCONFIG_TRISTATE=include/config/tristate.conf srctree=$(SRCDIR)
KCONFIG_FILES := Kconfig $(wildcard */Kconfig */*/Kconfig)
AUTOCONF_H := $(O)/include/generated/autoconf.h
AUTOCONF_MK := $(O)/include/config/auto.conf

$(O)/.config: | $(O)/include/config
	$(call msg,CONFIG,configs/$(DEFCONFIG))
	$(Q)cd $(O) && $(KCONFIG_ENV) kconfig-conf -s --defconfig=$(SRCDIR)/configs/$(DEFCONFIG) $(SRCDIR)/Kconfig >/dev/null

$(AUTOCONF_H) $(AUTOCONF_MK) &: $(O)/.config $(KCONFIG_FILES) | $(O)/include/config $(O)/include/generated
	$(call msg,KCONFIG,$(AUTOCONF_H))
	$(Q)cd $(O) && $(KCONFIG_ENV) kconfig-conf -s --olddefconfig $(SRCDIR)/Kconfig && \
		$(KCONFIG_ENV) kconfig-conf -s --silentoldconfig $(SRCDIR)/Kconfig </dev/null

$(O)/include/config $(O)/include/generated:
	$(Q)mkdir -p $@

defconfig: | $(O)/include/config
	$(Q)rm -f $(O)/.config
	$(Q)$(MAKE) $(O)/.config

menuconfig: $(O)/.config
	$(Q)cd $(O) && $(KCONFIG_ENV) kconfig-mconf $(SRCDIR)/Kconfig

olddefconfig: $(O)/.config
	$(Q)cd $(O) && $(KCONFIG_ENV) kconfig-conf -s --olddefconfig $(SRCDIR)/Kconfig

savedefconfig: $(O)/.config
	$(Q)cd $(O) && $(KCONFIG_ENV) kconfig-conf -s --savedefconfig=defconfig $(SRCDIR)/Kconfig
	$(call msg,SAVED,$(O)/defconfig)

ifneq ($(filter-out defconfig menuconfig olddefconfig savedefconfig clean distclean help deps print-host-tests,$(MAKECMDGOALS)),)
-include $(AUTOCONF_MK)
else ifeq ($(MAKECMDGOALS),)
-include $(AUTOCONF_MK)
endif

# ---------------------------------------------------------------- build fragments
# Each directory's build.mk appends objects (kernel-y, kernel-$(CONFIG_X)),
# host tests (HOST_TEST_BINS), fuzzers (FUZZ_TARGETS) and tools.
kernel-y :=
ktest-y :=
unit-both :=
unit-host :=
HOST_TEST_BINS :=
FUZZ_TARGETS :=
TOOLS :=
BUILD_FRAGMENTS := $(filter-out tests/host/build.mk,$(sort $(wildcard */build.mk */*/build.mk */*/*/build.mk)))
include $(BUILD_FRAGMENTS)
# Last: it turns the unit-both/unit-host and FUZZ_SRCS_* lists into rules.
include tests/host/build.mk

# ---------------------------------------------------------------- kernel
include scripts/kernel.mk

# ---------------------------------------------------------------- images
IMAGE := $(O)/copra.igvm

all: $(IMAGE) $(TOOLS)

image: $(IMAGE)

$(IMAGE): $(KERNEL_ELF) $(IGVMTOOL) $(USER_ARCHIVE)
	$(call msg,IGVM,$@)
	$(Q)$(IGVMTOOL) build --kernel $(KERNEL_ELF) --out $@ \
		$(if $(USER_ARCHIVE),--archive $(USER_ARCHIVE)) \
		$(if $(CONFIG_TESTS)$(CONFIG_BENCH),--test-build)

# ---------------------------------------------------------------- commands
RUN_ENV = IGVMTOOL=$(abspath $(IGVMTOOL)) QEMU=$(QEMU) ACCEL=$(ACCEL) SMP=$(SMP) MEM=$(MEM) \
	QEMU_ARGS="$(QEMU_ARGS)"

# COM2/COM3 carry the vTPM's mssim ports: a free TCP port pair is chosen at
# run time and the TPM2TOOLS_TCTI line to use is printed first.
run: all
	$(Q)$(RUN_ENV) scripts/run-qemu --igvm $(IMAGE) --outdir $(O)/run --tpm-port auto

test: $(DEPS_STAMP)
	$(Q)O=$(O) DEPS_DIR=$(DEPS_DIR) MAKE="$(MAKE)" scripts/run-tests

host-tests: $(HOST_TEST_BINS)

print-host-tests:
	@echo $(HOST_TEST_BINS)

gdb: all
	$(Q)$(RUN_ENV) scripts/gdb-session --igvm $(IMAGE) --elf $(KERNEL_ELF) --outdir $(O)/gdb

bench: $(DEPS_STAMP)
	$(Q)O=$(O) MAKE="$(MAKE)" tests/bench/run-bench

fuzz: $(addprefix $(O)/fuzz/,$(FUZZ_TARGETS))
	$(Q)O=$(O) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzzers $(FUZZ_TARGETS)

clean:
	$(call msg,CLEAN,$(O) (keeping $(DEPS_DIR)))
	$(Q)find $(O) -mindepth 1 -maxdepth 1 ! -name deps -exec rm -rf {} + 2>/dev/null || true

distclean:
	$(call msg,CLEAN,$(O))
	$(Q)rm -rf $(O)

help:
	@echo 'Copra build targets:'
	@echo '  make              build the SVSM image ($(IMAGE)); defconfig on first use'
	@echo '  make run          boot it under QEMU (ACCEL=auto|tcg|kvm SMP=n MEM=size QEMU_ARGS=...)'
	@echo '                    (prints TPM2TOOLS_TCTI=mssim:... for tpm2-tools against the vTPM)'
	@echo '  make test         run every test; last line "N passed, N failed"'
	@echo '  make gdb          boot halted and attach gdb with the kernel symbols'
	@echo '  make menuconfig   edit the configuration (olddefconfig, savedefconfig, defconfig)'
	@echo '  make bench        benchmarks with side-by-side peers'
	@echo '  make fuzz         run every fuzzer for FUZZ_SECONDS (default 60) each'
	@echo '  make clean        remove build output but keep fetched dependencies; distclean: all'
	@echo 'Options: O=dir (output, default build), V=1 (full commands), DEFCONFIG=name'
