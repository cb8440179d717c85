/*
 * What the BSP does once boot is complete: in a test image, run every
 * registered test and end the VM with the verdict; otherwise idle.
 */
#include <abi/boot.h>
#include <copra/log.h>
#include <copra/mm.h>
#include <copra/test.h>
#include <platform/platform.h>

#include "kernel.h"

unsigned kernel_cpus_online(void)
{
	return 1;
}

static void run_report(const struct test_case *tc, const struct test_ctx *t)
{
	if (t->failed)
		log_raw("FAIL %s/%s: %s\n", tc->suite, tc->name, t->msg);
	else if (t->skipped)
		log_raw("SKIP %s/%s: %s\n", tc->suite, tc->name, t->msg);
	else
		log_raw("PASS %s/%s\n", tc->suite, tc->name);
}

static __noreturn void run_tests(void)
{
	struct test_totals totals = { 0, 0, 0 };

	log_info("running in-SVSM tests");
	test_run_all(NULL, TEST_F_HOST_ONLY, run_report, &totals);
	log_raw("in-SVSM tests: %u passed, %u failed, %u skipped\n", totals.passed,
		totals.failed, totals.skipped);
	platform_terminate(totals.failed ? 1 : 0);
}

__noreturn void kernel_run(const struct bootinfo *bi)
{
	/* kmain and the other boot-only code are unmapped from here on. */
	mm_seal_boot();
	if (bi->flags & BOOTINFO_F_TEST_BUILD)
		run_tests();
	for (;;)
		platform_idle_halt();
}
