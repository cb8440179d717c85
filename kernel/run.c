/*
 * What the BSP does once boot is complete: move to its own address space,
 * seal boot-only memory, then run the in-SVSM tests (test images) or idle.
 */
#include <arch/irq.h>
#include <copra/aspace.h>
#include <copra/bench.h>
#include <copra/mm.h>
#include <copra/panic.h>
#include <platform/platform.h>

#include "kernel.h"

static struct aspace run_bsp_space;

__noreturn void kernel_run(void)
{
	/* Leave the boot tables (they identity-map the trampoline page). */
	if (aspace_create(&run_bsp_space))
		panic("cannot create the boot CPU's address space");
	aspace_switch(&run_bsp_space);
	/* kmain and the other boot-only code are unmapped from here on. */
	mm_seal_boot();
	arch_irq_enable();
#ifdef CONFIG_TESTS
	test_run_in_svsm();
#endif
#ifdef CONFIG_BENCH
	bench_run_all();
#endif
	for (;;)
		platform_idle_halt();
}
