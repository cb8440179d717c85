/*
 * The one test registration macro. A TEST() body is compiled into the host
 * unit-test programs (with ASan and UBSan) and into the in-SVSM test image
 * alike; registration is a pointer in the "copra_tests" linker section, so the
 * registry is built by the linker, not by code that runs at boot.
 *
 *   TEST(pmm, alloc_until_exhausted) {
 *       CHECK(t, pmm_alloc(...) == 0);
 *       CHECK_EQ(t, count, 42);
 *   }
 *
 * A failed CHECK records file, line and expression and returns from the test.
 */
#ifndef COPRA_TEST_H
#define COPRA_TEST_H

#include <copra/types.h>

struct test_ctx {
	bool failed;
	bool skipped;
	char msg[160];
};

struct test_case {
	const char *suite;
	const char *name;
	void (*fn)(struct test_ctx *t);
	u32 flags;
};

#define TEST_F_HOST_ONLY (1u << 0) /* registered only in host builds */
#define TEST_F_SVSM_ONLY (1u << 1) /* registered only inside Copra */
#define TEST_F_SLOW (1u << 2)      /* long-running stress test */

#define TEST_SECTION "copra_tests"

#define TEST_FLAGS(suite_, name_, flags_)                                          \
	static void test_##suite_##_##name_(struct test_ctx *t);                   \
	static const struct test_case test_case_##suite_##_##name_ = {             \
		#suite_, #name_, test_##suite_##_##name_, (flags_)                 \
	};                                                                         \
	static const struct test_case *const test_ptr_##suite_##_##name_          \
		__attribute__((used, section(TEST_SECTION), aligned(8))) =         \
			&test_case_##suite_##_##name_;                             \
	static void test_##suite_##_##name_(struct test_ctx *t __attribute__((unused)))

#define TEST(suite_, name_) TEST_FLAGS(suite_, name_, 0)

void test_fail(struct test_ctx *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void test_skip(struct test_ctx *t, const char *why);

#define CHECK(t_, cond_)                                                       \
	do {                                                                   \
		if (!(cond_)) {                                                \
			test_fail((t_), __FILE__, __LINE__, "%s", #cond_);     \
			return;                                                \
		}                                                              \
	} while (0)

#define CHECK_EQ(t_, a_, b_)                                                   \
	do {                                                                   \
		unsigned long long va_ = (unsigned long long)(a_);             \
		unsigned long long vb_ = (unsigned long long)(b_);             \
		if (va_ != vb_) {                                              \
			test_fail((t_), __FILE__, __LINE__,                    \
				  "%s == %s (0x%llx != 0x%llx)", #a_, #b_,     \
				  va_, vb_);                                   \
			return;                                                \
		}                                                              \
	} while (0)

#define SKIP(t_, why_)                                                         \
	do {                                                                   \
		test_skip((t_), (why_));                                       \
		return;                                                        \
	} while (0)

/*
 * Runner shared by host and kernel: runs every registered test whose
 * "suite/name" contains filter (NULL: all), calls report() after each with the
 * one-line result, and returns the number of failures.
 */
struct test_totals {
	unsigned passed, failed, skipped;
};
typedef void (*test_report_fn)(const struct test_case *tc, const struct test_ctx *t);
void test_run_all(const char *filter, u32 exclude_flags, test_report_fn report,
		  struct test_totals *totals);

#endif
