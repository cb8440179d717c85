/*
 * Runner of the user-mode test framework (<copra/utest.h>): walks the
 * "copra_utests" section that user.ld collects between __utest_start and
 * __utest_end, prints one result line per test (and per table row), and a
 * summary line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <copra/sys.h>
#include <copra/utest.h>

extern const struct utest_case *const __utest_start[];
extern const struct utest_case *const __utest_end[];

struct utest_totals {
	unsigned int passed, failed, skipped;
};

static struct utest_totals utest_totals;

void utest_fail(struct utest_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	t->failed = true;
	n = snprintf(t->msg, sizeof(t->msg), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(t->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(t->msg + n, sizeof(t->msg) - (size_t)n, fmt, ap);
	va_end(ap);
}

void utest_skip(struct utest_ctx *t, const char *why)
{
	t->skipped = true;
	snprintf(t->msg, sizeof(t->msg), "%s", why);
}

bool utest_row(struct utest_ctx *t, const char *row, bool ok, const char *file, int line,
	       const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	if (ok) {
		printf("PASS %s/%s/%s\n", t->tc->suite, t->tc->name, row);
		t->rows_passed++;
		return true;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("FAIL %s/%s/%s: %s:%d: %s\n", t->tc->suite, t->tc->name, row, file, line, msg);
	t->rows_failed++;
	return false;
}

bool utest_row_err(struct utest_ctx *t, const char *row, long got, long want, const char *file,
		   int line)
{
	return utest_row(t, row, got == -want, file, line, "got %ld (%s), want -%s", got,
			 copra_errname(got), copra_errname(want));
}

static bool utest_matches(const struct utest_case *tc, const char *filter)
{
	char full[128];

	if (!filter || !*filter)
		return true;
	snprintf(full, sizeof(full), "%s/%s", tc->suite, tc->name);
	return strstr(full, filter) != NULL;
}

/* Counts and prints the test's own line (tests with rows print only rows). */
static void utest_report(const struct utest_case *tc, const struct utest_ctx *t)
{
	utest_totals.passed += t->rows_passed;
	utest_totals.failed += t->rows_failed;
	if (t->failed) {
		utest_totals.failed++;
		printf("FAIL %s/%s: %s\n", tc->suite, tc->name, t->msg);
	} else if (t->skipped) {
		utest_totals.skipped++;
		printf("SKIP %s/%s: %s\n", tc->suite, tc->name, t->msg);
	} else if (t->rows_passed + t->rows_failed == 0) {
		utest_totals.passed++;
		printf("PASS %s/%s\n", tc->suite, tc->name);
	}
}

int utest_main(const char *filter)
{
	const struct utest_case *const *p;

	for (p = __utest_start; p < __utest_end; p++) {
		const struct utest_case *tc = *p;
		struct utest_ctx t;

		if (!utest_matches(tc, filter))
			continue;
		memset(&t, 0, sizeof(t));
		t.tc = tc;
		tc->fn(&t);
		utest_report(tc, &t);
	}
	if (utest_totals.skipped)
		printf("user tests: %u passed, %u failed, %u skipped\n", utest_totals.passed,
		       utest_totals.failed, utest_totals.skipped);
	else
		printf("user tests: %u passed, %u failed\n", utest_totals.passed,
		       utest_totals.failed);
	fflush(stdout);
	return utest_totals.failed ? 1 : 0;
}
