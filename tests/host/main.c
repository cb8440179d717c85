/*
 * Entry point of the host unit-test programs: runs every registered TEST()
 * (optionally only those whose "suite/name" contains argv[1]) and prints one
 * PASS/FAIL/SKIP line per test. Exit status 1 when any test failed.
 */
#include <stdio.h>

#include <copra/test.h>

static void host_report(const struct test_case *tc, const struct test_ctx *t)
{
	if (t->failed)
		printf("FAIL %s/%s: %s\n", tc->suite, tc->name, t->msg);
	else if (t->skipped)
		printf("SKIP %s/%s: %s\n", tc->suite, tc->name, t->msg);
	else
		printf("PASS %s/%s\n", tc->suite, tc->name);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct test_totals totals = { 0, 0, 0 };

	test_run_all(argc > 1 ? argv[1] : NULL, TEST_F_SVSM_ONLY, host_report, &totals);
	return totals.failed ? 1 : 0;
}
