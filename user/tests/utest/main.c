/*
 * /tests/utest [FILTER]: the user-mode system-call suite. Runs every UTEST
 * (or those whose suite/name contains FILTER), one PASS/FAIL line each, then
 * "user tests: N passed, N failed"; exit status 1 if any failed. Also the
 * helpers shared by the test files (utest.h).
 */
#include <stdio.h>
#include <string.h>

#include "utest.h"

long ut_run(const char *const argv[], const struct copra_spawn_handle *hs, uint32_t n,
	    struct copra_exit *ex)
{
	long proc, ret;

	memset(ex, 0, sizeof(*ex));
	proc = copra_spawn(argv[0], argv, hs, n);
	if (proc < 0)
		return proc;
	ret = sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, ex);
	if (ret == -COPRA_ETIMEDOUT && sys_proc_kill((copra_handle_t)proc) == 0)
		(void)sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, ex);
	(void)sys_close((copra_handle_t)proc);
	ex->reason[sizeof(ex->reason) - 1] = '\0';
	return ret;
}

bool ut_run_ok(const char *const argv[])
{
	struct copra_exit ex;

	return ut_run(argv, NULL, 0, &ex) >= 0 && ex.how == COPRA_EXIT_NORMAL && ex.code == 0;
}

static size_t ut_path(char *buf, size_t cap, const char *name)
{
	int n = snprintf(buf, cap, "%s/%s", UT_DIR, name);

	return n < 0 || (size_t)n >= cap ? cap : (size_t)n;
}

long ut_open(const char *name, uint32_t flags)
{
	char path[COPRA_PATH_MAX + 1];

	return sys_open(path, ut_path(path, sizeof(path), name), flags);
}

long ut_unlink(const char *name)
{
	char path[COPRA_PATH_MAX + 1];

	return sys_unlink(path, ut_path(path, sizeof(path), name));
}

unsigned int ut_handle_count(void)
{
	struct copra_handle_info info;
	unsigned int h, n = 0;

	for (h = 0; h < COPRA_HANDLES_MAX; h++)
		n += sys_handle_info(h, &info) == 0;
	return n;
}

int main(int argc, char **argv)
{
	int status;

	printf("utest: pid %ld, %u handles open at start\n", sys_proc_id(COPRA_HANDLE_INVALID),
	       ut_handle_count());
	status = utest_main(argc > 1 ? argv[1] : NULL);
	return status;
}
