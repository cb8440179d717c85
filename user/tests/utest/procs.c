/*
 * utest: processes (spawn with arguments and handles, exit codes, wait on a
 * handle and on any child, time-outs, kill, fault reports from /tests/crash,
 * spawn argument errors and non-executable files).
 */
#include <string.h>

#include "utest.h"

static long proc_spawn1(const char *mode, const char *arg)
{
	const char *argv[] = { UT_CRASH, mode, arg, NULL };

	return copra_spawn(UT_CRASH, argv, NULL, 0);
}

UTEST(proc, exit_codes)
{
	static const int codes[] = { 0, 1, 42, 255, 256, -1 };
	static const char *const texts[] = { "0", "1", "42", "255", "256", "-1" };
	struct copra_exit ex;
	unsigned int i;
	long proc, pid;

	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		UCHECK_OK(t, proc, proc_spawn1("exit", texts[i]));
		UCHECK_OK(t, pid, sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, &ex));
		UCHECK_EQ(t, pid, sys_proc_id((copra_handle_t)proc));
		UCHECK(t, pid != sys_proc_id(COPRA_HANDLE_INVALID));
		UCHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
		UCHECK_EQ(t, ex.code, codes[i]);
		/* Waiting again gives the same status. */
		UCHECK_EQ(t, sys_proc_wait((copra_handle_t)proc, 0, &ex), pid);
		UCHECK_EQ(t, ex.code, codes[i]);
		UCHECK_EQ(t, sys_close((copra_handle_t)proc), 0);
	}
}

UTEST(proc, arguments)
{
	static const char *const argv[] = { UT_HELPER, "args", "one", "", "three", NULL };

	UCHECK(t, ut_run_ok(argv));
}

UTEST(proc, null_spawn_struct)
{
	struct copra_exit ex;
	long proc;

	/* No struct: argv = { path }, no handles; uhelper exits 100 (usage). */
	UCHECK_OK(t, proc, sys_proc_spawn(UT_HELPER, strlen(UT_HELPER), NULL));
	UCHECK(t, sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	UCHECK_EQ(t, ex.code, 100);
	UCHECK_EQ(t, sys_close((copra_handle_t)proc), 0);
}

UTEST(proc, handles_passed_not_inherited)
{
	static const char *const has[] = { UT_HELPER, "handle", "9", "4", NULL };
	static const char *const hasnt[] = { UT_HELPER, "closed", "1", NULL };
	static const char *const logh[] = { UT_HELPER, "handle", "0", "1", NULL };
	struct copra_spawn_handle pass;
	struct copra_exit ex;
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	pass.parent = (copra_handle_t)ev;
	pass.child = 9;
	UCHECK(t, ut_run(has, &pass, 1, &ex) > 0);
	UCHECK_EQ(t, ex.code, 0);
	/* Our event (a low number) is not in a child we did not pass it to. */
	UCHECK(t, ut_run_ok(hasnt));
	UCHECK(t, ut_run_ok(logh));
	/* Passing does not move it: we still hold it. */
	UCHECK_EQ(t, sys_event_signal((copra_handle_t)ev), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}

UTEST(proc, wait_timeout_and_kill)
{
	struct copra_exit ex;
	long proc;

	UCHECK_OK(t, proc, proc_spawn1("hang", NULL));
	UCHECK_ERR(t, sys_proc_wait((copra_handle_t)proc, 0, &ex), EAGAIN);
	UCHECK_ERR(t, sys_proc_wait((copra_handle_t)proc, 10 * UT_MS, &ex), ETIMEDOUT);
	UCHECK_EQ(t, sys_proc_kill((copra_handle_t)proc), 0);
	UCHECK(t, sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_KILLED);
	UCHECK_EQ(t, sys_proc_kill((copra_handle_t)proc), 0); /* already dead: no-op */
	UCHECK_EQ(t, sys_close((copra_handle_t)proc), 0);
}

UTEST(proc, wait_any_child)
{
	struct copra_exit ex;
	long a, b, pa, pb, got;
	unsigned int seen = 0, i;

	UCHECK_OK(t, a, proc_spawn1("exit", "3"));
	UCHECK_OK(t, b, proc_spawn1("exit", "4"));
	pa = sys_proc_id((copra_handle_t)a);
	pb = sys_proc_id((copra_handle_t)b);
	for (i = 0; i < 2; i++) {
		UCHECK_OK(t, got, sys_proc_wait(COPRA_HANDLE_INVALID, UT_CHILD_TIMEOUT, &ex));
		if (got == pa && ex.code == 3)
			seen |= 1;
		if (got == pb && ex.code == 4)
			seen |= 2;
	}
	UCHECK_EQ(t, seen, 3);
	/* Each exit is reported once: no child is left to report. */
	UCHECK_ERR(t, sys_proc_wait(COPRA_HANDLE_INVALID, 0, &ex), ENOENT);
	UCHECK_EQ(t, sys_close((copra_handle_t)a), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)b), 0);
}

UTEST(proc, spawn_missing_and_garbage)
{
	static const unsigned char junk[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0xde, 0xad };
	long h;

	UCHECK_ERR(t, sys_proc_spawn("/tests/nonexistent", 18, NULL), ENOENT);
	UCHECK_ERR(t, sys_proc_spawn("/etc/init.conf", 14, NULL), ENOEXEC);
	UCHECK_ERR(t, sys_proc_spawn("/tests", 6, NULL), ENOEXEC);
	UCHECK_OK(t, h, ut_open("junk", COPRA_O_READ | COPRA_O_WRITE | COPRA_O_CREATE));
	UCHECK_EQ(t, sys_write((copra_handle_t)h, junk, sizeof(junk)), sizeof(junk));
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_ERR(t, sys_proc_spawn(UT_DIR "/junk", strlen(UT_DIR "/junk"), NULL), ENOEXEC);
	UCHECK_EQ(t, ut_unlink("junk"), 0);
}

UTEST(proc, spawn_argument_errors)
{
	static char big[COPRA_SPAWN_ARGS_MAX + 1];
	struct copra_spawn_handle hs[COPRA_SPAWN_HANDLES_MAX + 1];
	struct copra_spawn sp = { UT_HELPER, sizeof(UT_HELPER), 0, NULL };
	unsigned int i;
	size_t len = strlen(UT_HELPER);

	for (i = 0; i <= COPRA_SPAWN_HANDLES_MAX; i++) {
		hs[i].parent = COPRA_HANDLE_LOG;
		hs[i].child = i + 1;
	}
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, 0, &sp), EINVAL);
	sp.args = big;
	sp.args_len = sizeof(big);
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, len, &sp), ETOOBIG);
	sp.args = "no-terminator";
	sp.args_len = 13;
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, len, &sp), EINVAL);
	sp.args = UT_HELPER;
	sp.args_len = sizeof(UT_HELPER);
	sp.handles = hs;
	sp.nhandles = COPRA_SPAWN_HANDLES_MAX + 1;
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, len, &sp), ETOOBIG);
	sp.nhandles = 1;
	hs[0].child = 0;
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, len, &sp), EINVAL);
	hs[0].child = COPRA_HANDLES_MAX;
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, len, &sp), EINVAL);
	hs[0].child = 3;
	hs[0].parent = 200;
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, len, &sp), EBADH);
	hs[0].parent = COPRA_HANDLE_LOG;
	hs[1].child = 3;
	sp.nhandles = 2;
	UCHECK_ERR(t, sys_proc_spawn(UT_HELPER, len, &sp), EINVAL); /* child 3 twice */
}

UTEST(proc, wrong_types)
{
	struct copra_exit ex;
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_ERR(t, sys_proc_wait((copra_handle_t)ev, 0, &ex), ETYPE);
	UCHECK_ERR(t, sys_proc_id((copra_handle_t)ev), ETYPE);
	UCHECK_ERR(t, sys_proc_kill(COPRA_HANDLE_LOG), ETYPE);
	UCHECK_ERR(t, sys_proc_wait(200, 0, &ex), EBADH);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}

/* Every fault mode of /tests/crash ends the child with a reported fault. */
UTEST(proc, fault_reports)
{
	static const char *const modes[] = { "null", "code", "data", "ud",  "stack",
					     "ro",   "kernel", "gp", "priv", "div" };
	struct copra_exit ex;
	unsigned int i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		const char *argv[] = { UT_CRASH, modes[i], NULL };
		long pid = ut_run(argv, NULL, 0, &ex);

		utest_row(t, modes[i], pid > 0 && ex.how == COPRA_EXIT_FAULT && ex.reason[0],
			  __FILE__, __LINE__, "wait %ld, how %u, code %d, addr 0x%llx, reason '%s'",
			  pid, (unsigned int)ex.how, (int)ex.code,
			  (unsigned long long)ex.fault_addr, ex.reason);
	}
}

UTEST(proc, fault_addresses)
{
	static const char *const null[] = { UT_CRASH, "null", NULL };
	static const char *const kern[] = { UT_CRASH, "kernel", NULL };
	struct copra_exit ex;

	UCHECK(t, ut_run(null, NULL, 0, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_FAULT);
	UCHECK_EQ(t, ex.fault_addr, 0);
	UCHECK(t, ut_run(kern, NULL, 0, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_FAULT);
	UCHECK_EQ(t, ex.fault_addr, UT_KERNEL_PTR);
}

UTEST(proc, isolation_probes)
{
	static const char *const argv[] = { "/tests/isolate", NULL };

	UCHECK(t, ut_run_ok(argv));
}
