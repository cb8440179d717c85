# Test registration: unit-both run on the host and inside Copra, unit-host
# only on the host (fake MMU), tests/svsm only inside Copra (live kernel).
# Other fragments append their own unit tests to these lists too.
unit-both += tests/unit/fmt_test.c
unit-host += tests/unit/pmm_test.c tests/unit/pgtable_test.c tests/unit/memmap_test.c
ktest-y += tests/svsm/mm_test.c tests/svsm/trap_test.c \
	tests/svsm/isolation_test.c tests/svsm/audit_test.c tests/svsm/crash.c \
	tests/svsm/smp_test.c tests/svsm/sched_test.c tests/svsm/proc_util.c tests/svsm/user_test.c
ktest-y += tests/svsm/obj_memory_test.c tests/svsm/obj_vma_test.c tests/svsm/obj_event_test.c tests/svsm/obj_channel_test.c
# The Linux personality: /tests/ltest and the real vtpmd.
ktest-y += tests/svsm/linux_test.c
ktest-$(CONFIG_KERNEL_MBEDTLS) += tests/svsm/crypto_test.c
KERNEL_EXTRA_CFLAGS_tests_svsm_crypto_test.c = $(CRYPTO_CFLAGS)
# The kernel side of the vTPM (SVSM dispatcher, protocol 2, /dev/vtpm, mssim
# transport) against a fake service.
ktest-y += tests/svsm/vtpm_test.c tests/svsm/vtpm_mssim_test.c tests/svsm/vtpm_fake.c
