/*
 * The user-mode test framework: UTEST(suite, name) registers a test in the
 * "copra_utests" section (collected by user.ld); utest_main() runs them and
 * prints one line per test on the log, in the kernel's format:
 *
 *   PASS suite/name
 *   FAIL suite/name: file:line: expression
 *   SKIP suite/name: reason
 *
 * then "user tests: N passed, N failed" (", N skipped" when any were), and
 * returns the exit status: 1 when any test failed. A failed UCHECK returns
 * from the test; UCASE records one row of a table-driven test as its own
 * line (suite/name/row) and continues.
 */
#ifndef COPRA_USER_UTEST_H
#define COPRA_USER_UTEST_H

#include <stdbool.h>

#include <copra/sys.h>

struct utest_ctx {
	bool failed;
	bool skipped;
	char msg[192];
	const struct utest_case *tc;
	unsigned int rows_passed, rows_failed;
};

struct utest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct utest_ctx *t);
};

#define UTEST(suite_, name_)                                                      \
	static void utest_##suite_##_##name_(struct utest_ctx *t);                \
	static const struct utest_case utest_case_##suite_##_##name_ = {          \
		#suite_, #name_, utest_##suite_##_##name_                         \
	};                                                                        \
	static const struct utest_case *const utest_ptr_##suite_##_##name_        \
		__attribute__((used, section("copra_utests"), aligned(8))) =      \
			&utest_case_##suite_##_##name_;                           \
	static void utest_##suite_##_##name_(struct utest_ctx *t __attribute__((unused)))

void utest_fail(struct utest_ctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void utest_skip(struct utest_ctx *t, const char *why);
/* One row: prints PASS/FAIL suite/name/row; returns ok. */
bool utest_row(struct utest_ctx *t, const char *row, bool ok, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#define UCHECK(t_, cond_)                                                  \
	do {                                                               \
		if (!(cond_)) {                                            \
			utest_fail((t_), __FILE__, __LINE__, "%s", #cond_); \
			return;                                            \
		}                                                          \
	} while (0)

#define UCHECK_EQ(t_, a_, b_)                                                      \
	do {                                                                       \
		long long ua_ = (long long)(a_);                                   \
		long long ub_ = (long long)(b_);                                   \
		if (ua_ != ub_) {                                                  \
			utest_fail((t_), __FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				   #a_, #b_, ua_, ub_);                            \
			return;                                                    \
		}                                                                  \
	} while (0)

/* expr must fail with -COPRA_<err_>: UCHECK_ERR(t, sys_close(99), EBADH). */
#define UCHECK_ERR(t_, expr_, err_)                                                \
	do {                                                                       \
		long ue_ = (long)(expr_);                                          \
		if (ue_ != -COPRA_##err_) {                                        \
			utest_fail((t_), __FILE__, __LINE__, "%s -> %ld (%s), want %s", \
				   #expr_, ue_, copra_errname(ue_), #err_);        \
			return;                                                    \
		}                                                                  \
	} while (0)

/* expr must succeed (>= 0); its value is stored in var_. */
#define UCHECK_OK(t_, var_, expr_)                                                 \
	do {                                                                       \
		long uo_ = (long)(expr_);                                          \
		if (uo_ < 0) {                                                     \
			utest_fail((t_), __FILE__, __LINE__, "%s -> %ld (%s)", #expr_, \
				   uo_, copra_errname(uo_));                       \
			return;                                                    \
		}                                                                  \
		var_ = uo_;                                                        \
	} while (0)

/* A table row expecting -want_ (a COPRA_E* value); got_ is evaluated once. */
#define UCASE_ERR(t_, row_, got_, want_) \
	utest_row_err((t_), (row_), (long)(got_), (want_), __FILE__, __LINE__)

bool utest_row_err(struct utest_ctx *t, const char *row, long got, long want, const char *file,
		   int line);

#define USKIP(t_, why_)                       \
	do {                                  \
		utest_skip((t_), (why_));     \
		return;                       \
	} while (0)

/* Runs every test whose "suite/name" contains filter (NULL: all). */
int utest_main(const char *filter);

#endif
