/*
 * In-SVSM tests of the scheduler: kernel threads run and are joined, the
 * timer preempts threads that never yield, wait queues and sleeps with
 * deadlines, affinity and migration, and exit returning every resource.
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/percpu.h>
#include <copra/pmm.h>
#include <copra/smp.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/time.h>
#include <copra/waitq.h>

static void st_exit_code(void *arg)
{
	task_exit((int)(uintptr_t)arg);
}

static void st_nothing(void *arg)
{
	(void)arg;
}

TEST(sched, kthread_runs_and_is_joined)
{
	struct task *a = task_create_kernel("exit42", st_exit_code, (void *)42, NULL);
	struct task *b = task_create_kernel("return", st_nothing, NULL, NULL);

	CHECK(t, a && b);
	CHECK_EQ(t, task_join(a), 42);
	CHECK_EQ(t, task_join(b), 0);
	task_put(a);
	task_put(b);
}

static volatile u64 st_spin[2];
static volatile bool st_stop;

static void st_spinner(void *arg)
{
	unsigned i = (unsigned)(uintptr_t)arg;

	while (!st_stop)
		st_spin[i]++;
}

/* Two threads that never yield, on this CPU: only the tick lets both run. */
TEST(sched, timer_preempts_busy_threads)
{
	struct cpumask here;
	struct task *a, *b;
	u64 a0, b0, sw0 = sched_switch_count();

	cpumask_clear(&here);
	cpumask_set(&here, this_cpu()->index);
	st_stop = false;
	st_spin[0] = st_spin[1] = 0;
	a = task_create_kernel("spin0", st_spinner, (void *)0, &here);
	b = task_create_kernel("spin1", st_spinner, (void *)1, &here);
	CHECK(t, a && b);
	sched_sleep_ns(50000000);
	a0 = st_spin[0];
	b0 = st_spin[1];
	sched_sleep_ns(50000000);
	st_stop = true;
	task_join(a);
	task_join(b);
	task_put(a);
	task_put(b);
	CHECK(t, a0 > 0 && b0 > 0);
	CHECK(t, st_spin[0] > a0 && st_spin[1] > b0);
	CHECK(t, sched_switch_count() > sw0 + 4);
}

static struct waitq st_wq = WAITQ_INIT;
static volatile int st_flag;

static void st_waiter(void *arg)
{
	(void)arg;
	waitq_wait_for(&st_wq, st_flag != 0, 0);
	st_flag = 2;
}

TEST(sched, waitq_wakes_waiter)
{
	struct task *w;

	st_flag = 0;
	w = task_create_kernel("waiter", st_waiter, NULL, NULL);
	CHECK(t, w != NULL);
	sched_sleep_ns(5000000);
	CHECK_EQ(t, st_flag, 0); /* still waiting */
	waitq_lock(&st_wq);
	st_flag = 1;
	waitq_wake_all_locked(&st_wq, 0);
	waitq_unlock(&st_wq);
	task_join(w);
	task_put(w);
	CHECK_EQ(t, st_flag, 2);
}

TEST(sched, deadlines_time_out)
{
	u64 t0 = time_ns();
	int r;

	r = waitq_wait_for(&st_wq, false, t0 + 20000000);
	CHECK_EQ(t, r, -E_TIMEDOUT);
	CHECK(t, time_ns() - t0 >= 20000000);
	t0 = time_ns();
	sched_sleep_ns(15000000);
	CHECK(t, time_ns() - t0 >= 15000000);
}

struct st_where {
	unsigned before, after;
	struct cpumask to;
};

static struct st_where st_where;

static void st_mover(void *arg)
{
	struct st_where *w = arg;

	w->before = this_cpu()->index;
	sched_set_affinity(task_current(), &w->to);
	w->after = this_cpu()->index;
}

TEST(sched, affinity_moves_a_running_thread)
{
	struct cpumask first;
	struct task *m;

	if (cpu_count < 2)
		SKIP(t, "needs two CPUs");
	cpumask_clear(&first);
	cpumask_set(&first, 1);
	cpumask_clear(&st_where.to);
	cpumask_set(&st_where.to, cpu_count - 1 == 1 ? 0 : cpu_count - 1);
	m = task_create_kernel("mover", st_mover, &st_where, &first);
	CHECK(t, m != NULL);
	task_join(m);
	task_put(m);
	CHECK_EQ(t, st_where.before, 1);
	CHECK(t, cpumask_test(&st_where.to, st_where.after));
}

static volatile u32 st_ran_on[CONFIG_MAX_CPUS];

static void st_where_am_i(void *arg)
{
	u64 end = time_ns() + 20000000;

	(void)arg;
	while (time_ns() < end)
		;
	__atomic_fetch_add(&st_ran_on[this_cpu()->index], 1, __ATOMIC_RELAXED);
}

/* Many threads queued on one CPU: idle CPUs steal some. */
TEST(sched, idle_cpus_steal_work)
{
	struct task *ts[8];
	unsigned i, used = 0;
	u64 mig0 = sched_migration_count();

	if (cpu_count < 2)
		SKIP(t, "needs two CPUs");
	memset((void *)st_ran_on, 0, sizeof(st_ran_on));
	for (i = 0; i < 8; i++) {
		ts[i] = task_create_kernel("stealme", st_where_am_i, NULL, NULL);
		CHECK(t, ts[i] != NULL);
	}
	for (i = 0; i < 8; i++) {
		task_join(ts[i]);
		task_put(ts[i]);
	}
	for (i = 0; i < cpu_count; i++)
		used += st_ran_on[i] != 0;
	CHECK(t, used >= 2);
	(void)mig0;
}

TEST(sched, exit_returns_every_resource)
{
	struct pmm_stats before, after;
	struct heap_stats hb, ha;
	unsigned i;

	/* Warm up the allocators' own bookkeeping first. */
	for (i = 0; i < 4; i++) {
		struct task *w = task_create_kernel("warm", st_nothing, NULL, NULL);

		CHECK(t, w != NULL);
		task_join(w);
		task_put(w);
	}
	pmm_get_stats(&before);
	heap_get_stats(&global_heap, &hb);
	for (i = 0; i < 100; i++) {
		struct task *w = task_create_kernel("churn", st_nothing, NULL, NULL);

		CHECK(t, w != NULL);
		task_join(w);
		task_put(w);
	}
	pmm_get_stats(&after);
	heap_get_stats(&global_heap, &ha);
	CHECK_EQ(t, after.free, before.free);
	CHECK_EQ(t, ha.bytes_in_use, hb.bytes_in_use);
}
