/*
 * In-SVSM tests of user mode through its real interface: the kernel spawns
 * the programs of the test archive (/tests/...) and checks how they end.
 * /tests/utest checks every system call from the inside (its own PASS/FAIL
 * lines reach the console as "utest[pid]: PASS ..."); the tests here check
 * what only the kernel can see: fault reports, kills, init's restarts,
 * isolation between processes and that nothing leaks.
 */
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/fmt.h>
#include <copra/heap.h>
#include <copra/log.h>
#include <copra/object.h>
#include <copra/pmm.h>
#include <copra/process.h>
#include <copra/ramfs.h>
#include <copra/smp.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/time.h>

#include "proc_util.h"

#define UT_TIMEOUT_NS (120ULL * NSEC_PER_SEC)


/* Every system call from user space, hostile calls included; then the leak check. */
TEST(user, utest_suite)
{
	struct pu_usage before, after;
	struct copra_exit ex;

	pu_usage_get(&before);
	CHECK_EQ(t, pu_run(PU_ARGS("/tests/utest"), NULL, UT_TIMEOUT_NS, &ex), 0);
	CHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	CHECK_EQ(t, ex.code, 0);
	pu_settle(&before);
	pu_usage_get(&after);
	PU_CHECK_SAME(t, &before, &after);
}

TEST(user, exit_codes)
{
	struct copra_exit ex;

	CHECK_EQ(t, pu_run(PU_ARGS("/tests/crash\0exit\0" "77"), NULL, UT_TIMEOUT_NS, &ex), 0);
	CHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	CHECK_EQ(t, ex.code, 77);
	CHECK_EQ(t, pu_run(PU_ARGS("/tests/crash\0exit\0" "-1"), NULL, UT_TIMEOUT_NS, &ex), 0);
	CHECK_EQ(t, ex.code, -1); /* all 32 bits */
	CHECK_EQ(t, pu_run(PU_ARGS("/tests/crash\0nonsense"), NULL, UT_TIMEOUT_NS, &ex), 0);
	CHECK_EQ(t, ex.code, 100);
}

TEST(user, spawn_errors)
{
	struct process *p;

	CHECK_EQ(t, user_spawn_kernel("/tests/missing", NULL, 0, NULL, &p), -E_NOENT);
	CHECK_EQ(t, user_spawn_kernel("/etc/init.conf", NULL, 0, NULL, &p), -E_NOEXEC);
	CHECK_EQ(t, user_spawn_kernel("/tests", NULL, 0, NULL, &p), -E_NOEXEC);
}

static const struct ut_fault {
	const char *args;
	u32 len;
	const char *reason;       /* expected in copra_exit.reason */
} ut_faults[] = {
	{ PU_ARGS("/tests/crash\0code"), "page fault: write to user code at 0x" },
	{ PU_ARGS("/tests/crash\0data"), "page fault: execution of user data at 0x" },
	{ PU_ARGS("/tests/crash\0stack"), "guard page below the user stack" },
	{ PU_ARGS("/tests/crash\0null"), "read of the null page at 0x0" },
	{ PU_ARGS("/tests/crash\0kernel"), "write to kernel memory at 0xffffffff80100000" },
	{ PU_ARGS("/tests/crash\0ro"), "write to a read-only mapping at 0x5100000000" },
	{ PU_ARGS("/tests/crash\0ud"), "invalid opcode at 0x" },
	{ PU_ARGS("/tests/crash\0gp"), "general protection at 0x" },
	{ PU_ARGS("/tests/crash\0priv"), "general protection at 0x" },
	{ PU_ARGS("/tests/crash\0div"), "divide error at 0x" },
};

static bool ut_contains(const char *s, const char *sub)
{
	size_t n = strlen(sub);

	for (; *s; s++)
		if (strncmp(s, sub, n) == 0)
			return true;
	return false;
}

/* Each fault ends only the faulting process, with a reason in its own terms. */
TEST(user, faults_are_reported)
{
	struct copra_exit ex;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(ut_faults); i++) {
		const struct ut_fault *f = &ut_faults[i];

		memset(&ex, 0, sizeof(ex));
		CHECK_EQ(t, pu_run(f->args, f->len, NULL, UT_TIMEOUT_NS, &ex), 0);
		if (ex.how != COPRA_EXIT_FAULT || !ut_contains(ex.reason, f->reason)) {
			test_fail(t, __FILE__, __LINE__, "%s: how %u reason \"%s\", want \"%s\"",
				  f->args + strlen(f->args) + 1, ex.how, ex.reason, f->reason);
			return;
		}
	}
}

TEST(user, kill_ends_a_running_process)
{
	struct copra_exit ex;
	struct process *p;

	CHECK_EQ(t, user_spawn_kernel("/tests/crash", PU_ARGS("/tests/crash\0hang"), NULL, &p), 0);
	sched_sleep_ns(20 * NSEC_PER_MSEC);
	CHECK_EQ(t, process_wait(NULL, p, PROCESS_DEADLINE_POLL, &ex), -E_AGAIN);
	process_kill(p);
	CHECK(t, process_wait(NULL, p, time_ns() + UT_TIMEOUT_NS, &ex) > 0);
	CHECK_EQ(t, ex.how, COPRA_EXIT_KILLED);
	task_join(p->task);
	obj_put(&p->obj);
}

/* Processes cannot reach each other's memory (both directions). */
TEST(user, isolation_between_processes)
{
	struct copra_exit ex;

	CHECK_EQ(t, pu_run(PU_ARGS("/tests/isolate"), NULL, UT_TIMEOUT_NS, &ex), 0);
	CHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	CHECK_EQ(t, ex.code, 0);
}

static void ut_pin(struct cpumask *m, unsigned cpu)
{
	cpumask_clear(m);
	cpumask_set(m, cpu);
}

/* 100000 channel round trips between two processes on one CPU. */
TEST(user, pingpong_same_cpu)
{
	struct copra_exit ex;
	struct cpumask cpu0;

	ut_pin(&cpu0, 0);
	CHECK_EQ(t, pu_run(PU_ARGS("/tests/pingpong\0" "100000"), &cpu0, UT_TIMEOUT_NS, &ex), 0);
	CHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	CHECK_EQ(t, ex.code, 0);
}

/* Starts one side of a ping-pong with a channel end as its handle 3, pinned to cpu. */
static int ut_spawn_side(const char *args, u32 len, struct object *end, unsigned cpu,
			 struct cpumask *mask, struct process **out)
{
	ut_pin(mask, cpu);
	return pu_spawn(args, len, end, mask, out);
}

static bool ut_finish(struct process *p)
{
	struct copra_exit ex = { 0 };

	return pu_finish(p, UT_TIMEOUT_NS, &ex) == 0 && ex.how == COPRA_EXIT_NORMAL && ex.code == 0;
}

/* 100000 round trips between a client on CPU 0 and a server on CPU 1. */
TEST(user, pingpong_cross_cpu)
{
	struct channel_end *client, *server;
	struct process *pc = NULL, *ps = NULL;
	struct cpumask m0, m1;
	bool ok_c, ok_s;

	if (smp_cpus_online() < 2)
		SKIP(t, "needs two CPUs");
	CHECK_EQ(t, channel_create_kernel(&client, &server), 0);
	if (ut_spawn_side(PU_ARGS("/tests/pingpong\0server"), channel_end_object(server), 1, &m1,
			  &ps) == 0)
		(void)ut_spawn_side(PU_ARGS("/tests/pingpong\0client\0" "100000"),
				    channel_end_object(client), 0, &m0, &pc);
	/* Only the processes hold the ends now: the server sees the client's exit. */
	channel_end_put(client);
	channel_end_put(server);
	CHECK(t, ps && pc);
	ok_c = ut_finish(pc);
	ok_s = ut_finish(ps);
	CHECK(t, ok_c);
	CHECK(t, ok_s);
}

/* init restarts a service that keeps crashing and logs why it died. */
TEST(user, init_restarts_a_crashing_service)
{
	static char log[4096];
	struct copra_exit ex;
	struct process *p;
	u64 end = time_ns() + 10 * NSEC_PER_SEC;
	size_t n = 0;

	CHECK_EQ(t, user_spawn_kernel("/bin/init", NULL, 0, NULL, &p), 0);
	while (time_ns() < end) {
		sched_sleep_ns(50 * NSEC_PER_MSEC);
		n = log_ring_read(log, sizeof(log) - 1);
		log[n] = '\0';
		if (ut_contains(log, "restarting in 200 ms"))
			break;
	}
	process_kill(p);
	CHECK(t, process_wait(NULL, p, time_ns() + UT_TIMEOUT_NS, &ex) > 0);
	task_join(p->task);
	obj_put(&p->obj);
	CHECK(t, ut_contains(log, "died: page fault: write to user code at 0x"));
	CHECK(t, ut_contains(log, "restarting in 100 ms"));
	CHECK(t, ut_contains(log, "restarting in 200 ms"));
}

/* Random system calls with hostile arguments: answered, never fatal to the kernel, no leaks. */
TEST(user, syscall_fuzz)
{
	pu_fuzz(t, "/tests/sysfuzz", "/tmp/fz", UT_TIMEOUT_NS);
}

/* The leak check: the same work again returns every frame, byte and object. */
TEST(user, no_leaks)
{
	struct pu_usage before, after;
	struct copra_exit ex;
	unsigned i, round;

	pu_usage_get(&before);
	for (round = 0; round < 2; round++) {
		if (round == 1) {
			pu_settle(&before);
			pu_usage_get(&before); /* the first round warms the allocators up */
		}
		for (i = 0; i < ARRAY_SIZE(ut_faults); i++)
			CHECK_EQ(t, pu_run(ut_faults[i].args, ut_faults[i].len, NULL, UT_TIMEOUT_NS,
					   &ex), 0);
		CHECK_EQ(t, pu_run(PU_ARGS("/tests/isolate"), NULL, UT_TIMEOUT_NS, &ex), 0);
	}
	pu_settle(&before);
	pu_usage_get(&after);
	PU_CHECK_SAME(t, &before, &after);
}
