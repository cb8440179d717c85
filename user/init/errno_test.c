/* Host tests of the runtime's error table (user/lib/errno.c). */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <copra/sys.h>
#include <copra/test.h>

TEST(usererrno, every_code_named)
{
	long e;

	for (e = 1; e <= COPRA_EIO; e++) {
		CHECK(t, strcmp(copra_strerror(e), "unknown error") != 0);
		CHECK(t, strcmp(copra_strerror(-e), copra_strerror(e)) == 0);
		CHECK(t, copra_errname(-e)[0] == 'E' && copra_errname(-e)[1] != '?');
		CHECK(t, copra_errno(-e) > 0);
	}
}

TEST(usererrno, mapping)
{
	CHECK_EQ(t, copra_errno(-COPRA_ENOENT), ENOENT);
	CHECK_EQ(t, copra_errno(-COPRA_EBADH), EBADF);
	CHECK_EQ(t, copra_errno(-COPRA_ENOMEM), ENOMEM);
	CHECK_EQ(t, copra_errno(COPRA_EPIPE), EPIPE);
	CHECK(t, strcmp(copra_errname(-COPRA_EFAULT), "EFAULT") == 0);
}

TEST(usererrno, unknown_codes)
{
	CHECK(t, strcmp(copra_strerror(0), "success") == 0);
	CHECK(t, strcmp(copra_strerror(COPRA_EIO + 1), "unknown error") == 0);
	CHECK(t, strcmp(copra_strerror(LONG_MIN), "unknown error") == 0);
	CHECK(t, strcmp(copra_strerror(LONG_MAX), "unknown error") == 0);
	CHECK_EQ(t, copra_errno(-1000), EIO);
	CHECK_EQ(t, copra_errno(LONG_MIN), EIO);
}

TEST(usererrno, ret_errno)
{
	errno = 0;
	CHECK_EQ(t, copra_ret_errno(5), 5);
	CHECK_EQ(t, errno, 0);
	CHECK_EQ(t, copra_ret_errno(-COPRA_EEXIST), -1);
	CHECK_EQ(t, errno, EEXIST);
}
