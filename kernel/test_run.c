/*
 * Test images only: after boot, run every registered in-SVSM test (or those
 * the host's copra.tests= option selects), print one line per test on the
 * console and end the VM with the verdict (isa-debug-exit on native).
 */
#include <copra/cmdline.h>
#include <copra/log.h>
#include <copra/test.h>
#include <platform/platform.h>

#include "kernel.h"

void svsm_crash_run(const char *kind);

static void test_run_report(const struct test_case *tc, const struct test_ctx *t)
{
	if (t->failed)
		log_plain("FAIL %s/%s: %s\n", tc->suite, tc->name, t->msg);
	else if (t->skipped)
		log_plain("SKIP %s/%s: %s\n", tc->suite, tc->name, t->msg);
	else
		log_plain("PASS %s/%s\n", tc->suite, tc->name);
}

__noreturn void test_run_in_svsm(void)
{
	struct test_totals totals = { 0, 0, 0 };
	char opt[64];
	const char *filter = NULL;
	u32 exclude = TEST_F_HOST_ONLY;

	cmdline_init();
	if (cmdline_get("copra.crash", opt, sizeof(opt)))
		svsm_crash_run(opt);
	if (cmdline_get("copra.slow", opt, sizeof(opt)) && opt[0] == '0')
		exclude |= TEST_F_SLOW;
	if (cmdline_get("copra.tests", opt, sizeof(opt)))
		filter = opt;
	log_info("running in-SVSM tests%s%s", filter ? " matching " : "", filter ? filter : "");
	test_run_all(filter, exclude, test_run_report, &totals);
	log_plain("in-SVSM tests: %u passed, %u failed, %u skipped\n", totals.passed,
		totals.failed, totals.skipped);
	platform_terminate(totals.failed ? 1 : 0);
}
