/*
 * kmain: the BSP's path from the boot image's entry to "Copra ready". The
 * order matters: platform and console first (so failures can be reported),
 * then traps, time, memory, the per-CPU area and CPU hardening.
 */
#include <abi/boot.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/x86.h>
#include <copra/console.h>
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/mm.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/process.h>
#include <copra/section.h>
#include <copra/smp.h>
#include <copra/time.h>
#include <copra/version.h>
#include <platform/platform.h>

#include "kernel.h"

extern unsigned long __stack_chk_guard;

static __init void kmain_seed_stack_guard(void)
{
	u64 r = rdtsc();

	if (cpu_features.rdrand)
		rdrand64(&r);
	__stack_chk_guard ^= (unsigned long)r;
}

static __init void kmain_check_bootinfo(const struct bootinfo *bi)
{
	if (bi->magic != BOOTINFO_MAGIC || bi->version != BOOTINFO_VERSION ||
	    bi->size != sizeof(*bi))
		panic("boot information block is invalid (magic 0x%llx version %u)",
		      (unsigned long long)bi->magic, bi->version);
}

static __init void kmain_percpu_bsp(void)
{
	struct percpu *c = this_cpu();

	c->self = c;
	c->index = 0;
	c->online = true;
}

__noreturn void kmain(const struct bootinfo *bi, unsigned long platform_type);
__noreturn __init void kmain(const struct bootinfo *bi, unsigned long platform_type)
{
	int ret;

	kmain_percpu_bsp();
	if (platform_select((enum boot_platform)platform_type))
		for (;;)
			hlt();
	ret = platform->early_init(bi);
	if (ret)
		platform_terminate(1); /* no console on this platform yet */
	console_init(bi->console_port);
	arch_trap_init_early();
	kmain_check_bootinfo(bi);
	arch_cpu_detect();
	kmain_seed_stack_guard();
	time_init(platform_tsc_khz());
	log_info("Copra %s starting on platform %s (TSC %llu kHz)", COPRA_VERSION, platform_name(),
		 (unsigned long long)time_cycles_khz());
	ret = mm_init(bi);
	if (ret)
		panic("memory initialisation failed: %s", err_name(ret));
	ret = mm_percpu_init_bsp();
	if (ret)
		panic("per-CPU initialisation failed: %s", err_name(ret));
	arch_trap_enable_ist();
	arch_cpu_harden();
	arch_fpu_init_cpu();
	ret = platform->init(bi);
	if (ret)
		panic("platform initialisation failed: %s", err_name(ret));
	smp_init(bi);
	ret = user_boot_archive(bi);
	if (ret)
		panic("user program archive rejected: %s", err_name(ret));
	mm_log_usage();
	log_info("Copra ready: cpus=%u memory=%lluMiB platform=%s", smp_cpus_online(),
		 (unsigned long long)(mm_ram_bytes() >> 20), platform_name());
	kernel_run();
}
