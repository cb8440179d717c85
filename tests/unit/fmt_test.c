/* Tests of the console formatting engine (kernel/lib/fmt.c). */
#include <copra/fmt.h>
#include <copra/string.h>
#include <copra/test.h>

#define FMT_CHECK(t, expect, ...)                                              \
	do {                                                                   \
		char b_[96];                                                   \
		int n_ = fmt_snprintf(b_, sizeof(b_), __VA_ARGS__);            \
		if (strcmp(b_, (expect)) != 0 || n_ != (int)strlen(expect)) {  \
			test_fail((t), __FILE__, __LINE__, "got \"%s\" want \"%s\"", b_, (expect)); \
			return;                                                \
		}                                                              \
	} while (0)

TEST(fmt, integers)
{
	FMT_CHECK(t, "0", "%d", 0);
	FMT_CHECK(t, "-42", "%d", -42);
	FMT_CHECK(t, "-9223372036854775808", "%lld", (long long)(-9223372036854775807LL - 1));
	FMT_CHECK(t, "18446744073709551615", "%llu", 18446744073709551615ULL);
	FMT_CHECK(t, "4294967295", "%u", 4294967295u);
	FMT_CHECK(t, "ff", "%x", 255);
	FMT_CHECK(t, "0XFF", "%#X", 255);
	FMT_CHECK(t, "17", "%o", 15);
	FMT_CHECK(t, "-1", "%hhd", 255);
	FMT_CHECK(t, "65535", "%hu", 65535);
	FMT_CHECK(t, "123", "%zu", (size_t)123);
}

TEST(fmt, width_precision_flags)
{
	FMT_CHECK(t, "   42", "%5d", 42);
	FMT_CHECK(t, "42   |", "%-5d|", 42);
	FMT_CHECK(t, "00042", "%05d", 42);
	FMT_CHECK(t, "-0042", "%05d", -42);
	FMT_CHECK(t, "+42", "%+d", 42);
	FMT_CHECK(t, " 42", "% d", 42);
	FMT_CHECK(t, "  007", "%5.3d", 7);
	FMT_CHECK(t, "", "%.0d", 0);
	FMT_CHECK(t, "0x00001000", "%#010x", 0x1000);
	FMT_CHECK(t, "   ab", "%*x", 5, 0xab);
	FMT_CHECK(t, "ab   |", "%*x|", -5, 0xab);
	FMT_CHECK(t, "00000000deadbeef", "%016llx", 0xdeadbeefULL);
}

/* Kept opaque to the compiler so its format checks do not reject them. */
static const char *volatile fmt_test_null;
static const char *volatile fmt_test_unknown = "%y";

TEST(fmt, strings_chars_pointers)
{
	FMT_CHECK(t, "abc", "%s", "abc");
	FMT_CHECK(t, "ab", "%.2s", "abc");
	FMT_CHECK(t, "  abc", "%5s", "abc");
	FMT_CHECK(t, "abc  |", "%-5s|", "abc");
	FMT_CHECK(t, "(null)", "%s", fmt_test_null);
	FMT_CHECK(t, "x", "%c", 'x');
	FMT_CHECK(t, "  x", "%3c", 'x');
	FMT_CHECK(t, "0x1234", "%p", (void *)0x1234);
	FMT_CHECK(t, "100%", "100%%");
	FMT_CHECK(t, "%y", fmt_test_unknown);
}

TEST(fmt, truncation)
{
	char b[8];
	int n = fmt_snprintf(b, sizeof(b), "%s", "0123456789");

	CHECK_EQ(t, n, 10);
	CHECK(t, strcmp(b, "0123456") == 0);
	n = fmt_snprintf(b, 1, "%d", 12345);
	CHECK_EQ(t, n, 5);
	CHECK_EQ(t, b[0], 0);
	n = fmt_snprintf(NULL, 0, "%d", 12345);
	CHECK_EQ(t, n, 5);
}
