/* Test runner shared by the host unit-test programs and the in-SVSM test image. */
#include <copra/fmt.h>
#include <copra/string.h>
#include <copra/test.h>

extern const struct test_case *const __start_copra_tests[];
extern const struct test_case *const __stop_copra_tests[];

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (t->failed)
		return;
	t->failed = true;
	n = (size_t)fmt_snprintf(t->msg, sizeof(t->msg), "%s:%d: ", file, line);
	if (n >= sizeof(t->msg))
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(t->msg + n, sizeof(t->msg) - n, fmt, ap);
	va_end(ap);
}

void test_skip(struct test_ctx *t, const char *why)
{
	t->skipped = true;
	fmt_snprintf(t->msg, sizeof(t->msg), "%s", why);
}

static bool test_matches(const struct test_case *tc, const char *filter)
{
	char full[128];

	if (!filter || !*filter)
		return true;
	fmt_snprintf(full, sizeof(full), "%s/%s", tc->suite, tc->name);
	return strstr(full, filter) != NULL;
}

void test_run_all(const char *filter, u32 exclude_flags, test_report_fn report,
		  struct test_totals *totals)
{
	const struct test_case *const *p;

	for (p = __start_copra_tests; p < __stop_copra_tests; p++) {
		const struct test_case *tc = *p;
		struct test_ctx t;

		if ((tc->flags & exclude_flags) || !test_matches(tc, filter))
			continue;
		memset(&t, 0, sizeof(t));
		tc->fn(&t);
		if (t.failed)
			totals->failed++;
		else if (t.skipped)
			totals->skipped++;
		else
			totals->passed++;
		report(tc, &t);
	}
}
