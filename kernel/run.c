/*
 * What the BSP does once boot is complete: move to its own address space,
 * seal boot-only memory, then run the in-SVSM tests (test images), the
 * benchmarks (benchmark images) or /bin/init.
 */
#include <arch/irq.h>
#include <copra/aspace.h>
#include <copra/bench.h>
#include <copra/mm.h>
#include <copra/log.h>
#include <copra/panic.h>
#include <copra/process.h>
#include <copra/task.h>
#include <copra/vtpm.h>
#include <platform/platform.h>

#include "kernel.h"

static struct aspace run_bsp_space;

/*
 * The first kernel thread: tests or benchmarks in their images, else the
 * vTPM's host transport (native platform) and init.
 */
static void kernel_main(void *arg)
{
	(void)arg;
#ifdef CONFIG_TESTS
	test_run_in_svsm();
#endif
#ifdef CONFIG_BENCH
	bench_run_all();
#endif
	vtpm_serial_start();
	user_run_init();
}

__noreturn void kernel_run(void)
{
	static struct cpumask boot_cpu;

	/* Leave the boot tables (they identity-map the trampoline page). */
	if (aspace_create(&run_bsp_space))
		panic("cannot create the boot CPU's address space");
	aspace_switch(&run_bsp_space);
	sched_init_cpu();
	/* kmain and the other boot-only code are unmapped from here on. */
	mm_seal_boot();
	reaper_start();
	/* Pinned to the boot CPU: test images expect to run there. */
	cpumask_clear(&boot_cpu);
	cpumask_set(&boot_cpu, 0);
	if (!task_create_kernel("main", kernel_main, NULL, &boot_cpu))
		panic("cannot start the main kernel thread");
	arch_irq_enable();
	sched_idle_loop();
}
