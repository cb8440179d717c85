/* utest: event objects (auto-reset, wait with timeout, across processes). */
#include "utest.h"

UTEST(event, signal_then_wait)
{
	struct copra_handle_info info;
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_EQ(t, sys_handle_info((copra_handle_t)ev, &info), 0);
	UCHECK_EQ(t, info.type, COPRA_OBJ_EVENT);
	UCHECK_EQ(t, sys_event_signal((copra_handle_t)ev), 0);
	UCHECK_EQ(t, sys_event_wait((copra_handle_t)ev, 0), 0);
	/* Auto-reset: the wait consumed the signal. */
	UCHECK_ERR(t, sys_event_wait((copra_handle_t)ev, 0), EAGAIN);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}

UTEST(event, signals_do_not_count)
{
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_EQ(t, sys_event_signal((copra_handle_t)ev), 0);
	UCHECK_EQ(t, sys_event_signal((copra_handle_t)ev), 0);
	UCHECK_EQ(t, sys_event_wait((copra_handle_t)ev, 0), 0);
	UCHECK_ERR(t, sys_event_wait((copra_handle_t)ev, 0), EAGAIN);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}

UTEST(event, wait_times_out)
{
	long ev, start, end;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_OK(t, start, sys_clock());
	UCHECK_ERR(t, sys_event_wait((copra_handle_t)ev, 10 * UT_MS), ETIMEDOUT);
	UCHECK_OK(t, end, sys_clock());
	UCHECK(t, (uint64_t)(end - start) >= 10 * UT_MS);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}

UTEST(event, wrong_types)
{
	char c;
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_ERR(t, sys_read((copra_handle_t)ev, &c, 1), ETYPE);
	UCHECK_ERR(t, sys_write((copra_handle_t)ev, &c, 1), ETYPE);
	UCHECK_ERR(t, sys_channel_send((copra_handle_t)ev, &c, 1), ETYPE);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)ev, 0, COPRA_PROT_READ), ETYPE);
	UCHECK_ERR(t, sys_proc_kill((copra_handle_t)ev), ETYPE);
	UCHECK_ERR(t, sys_event_signal(COPRA_HANDLE_LOG), ETYPE);
	UCHECK_ERR(t, sys_event_wait(COPRA_HANDLE_LOG, 0), ETYPE);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
	UCHECK_ERR(t, sys_event_wait((copra_handle_t)ev, 0), EBADH);
}

/* A child gets the event as handle 5, signals it; we wait for it. */
UTEST(event, across_processes)
{
	static const char *const argv[] = { UT_HELPER, "signal", "5", NULL };
	struct copra_spawn_handle pass;
	struct copra_exit ex;
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	pass.parent = (copra_handle_t)ev;
	pass.child = 5;
	UCHECK(t, ut_run(argv, &pass, 1, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	UCHECK_EQ(t, ex.code, 0);
	UCHECK_EQ(t, sys_event_wait((copra_handle_t)ev, UT_SEC), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}

/* A child blocks in event_wait until we signal. */
UTEST(event, wakes_a_waiter)
{
	static const char *const argv[] = { UT_HELPER, "wait", "3", NULL };
	struct copra_spawn_handle pass;
	struct copra_exit ex;
	long ev, proc;

	UCHECK_OK(t, ev, sys_event_create());
	pass.parent = (copra_handle_t)ev;
	pass.child = 3;
	UCHECK_OK(t, proc, copra_spawn(UT_HELPER, argv, &pass, 1));
	UCHECK_EQ(t, sys_sleep(20 * UT_MS), 0); /* let it block */
	UCHECK_EQ(t, sys_event_signal((copra_handle_t)ev), 0);
	UCHECK(t, sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	UCHECK_EQ(t, ex.code, 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)proc), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}
