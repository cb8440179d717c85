/*
 * In-SVSM tests of events between kernel threads: auto-reset, signals that
 * do not count, polls, deadlines, a signal waking exactly one of several
 * waiters, waiters on other CPUs, and the object's lifetime. What threads
 * share lives in static storage: each task's stack is private to it.
 */
#include <copra/errno.h>
#include <copra/event.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/time.h>

#define ET_MS 1000000ULL
#define ET_CPUS 8

TEST(event, signal_poll_auto_reset)
{
	u64 objs = obj_live_count();
	struct event *ev = event_create();

	CHECK(t, ev != NULL);
	CHECK_EQ(t, event_object(ev)->type, COPRA_OBJ_EVENT);
	CHECK(t, event_from_object(event_object(ev)) == ev);
	CHECK_EQ(t, event_wait(ev, true, 0), -E_AGAIN);
	event_signal(ev);
	event_signal(ev); /* signals do not count */
	CHECK_EQ(t, event_wait(ev, true, 0), 0);
	CHECK_EQ(t, event_wait(ev, true, 0), -E_AGAIN);
	event_signal(ev);
	CHECK_EQ(t, event_wait(ev, false, 0), 0); /* set: no blocking */
	obj_put(event_object(ev));
	CHECK_EQ(t, obj_live_count(), objs);
}

TEST(event, deadline_times_out)
{
	struct event *ev = event_create();
	u64 t0;

	CHECK(t, ev != NULL);
	t0 = time_ns();
	CHECK_EQ(t, event_wait(ev, false, t0 + 10 * ET_MS), -E_TIMEDOUT);
	CHECK(t, time_ns() - t0 >= 10 * ET_MS);
	/* A deadline already past fails at once. */
	t0 = time_ns();
	CHECK_EQ(t, event_wait(ev, false, 1), -E_TIMEDOUT);
	CHECK(t, time_ns() - t0 < 5 * ET_MS);
	/* A signal that arrived before the deadline is taken even then. */
	event_signal(ev);
	CHECK_EQ(t, event_wait(ev, false, 1), 0);
	obj_put(event_object(ev));
}

struct et_waiter {
	struct event *ev;
	u64 deadline;
	volatile int result;
	volatile bool done;
	u64 woke_at;
};

static void et_wait_thread(void *arg)
{
	struct et_waiter *w = arg;

	w->result = event_wait(w->ev, false, w->deadline);
	w->woke_at = time_ns();
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

static struct task *et_start(struct et_waiter *w, struct event *ev, u64 deadline,
			     const struct cpumask *aff)
{
	w->ev = ev;
	w->deadline = deadline;
	w->result = 1;
	w->done = false;
	return task_create_kernel("evwait", et_wait_thread, w, aff);
}

TEST(event, signal_wakes_a_blocked_waiter)
{
	static struct et_waiter w;
	struct event *ev = event_create();
	struct task *k;
	u64 sent;

	CHECK(t, ev != NULL);
	k = et_start(&w, ev, 0, NULL);
	CHECK(t, k != NULL);
	sched_sleep_ns(20 * ET_MS);
	CHECK(t, !w.done); /* still blocked */
	sent = time_ns();
	event_signal(ev);
	task_join(k);
	task_put(k);
	CHECK_EQ(t, w.result, 0);
	CHECK(t, w.woke_at >= sent);
	CHECK_EQ(t, event_wait(ev, true, 0), -E_AGAIN); /* the waiter consumed it */
	obj_put(event_object(ev));
}

/* One signal wakes one of three waiters; each further signal one more. */
TEST(event, one_signal_wakes_one_waiter)
{
	static struct et_waiter w[3];
	struct event *ev = event_create();
	struct task *k[3];
	unsigned i, n, round;

	CHECK(t, ev != NULL);
	for (i = 0; i < 3; i++) {
		k[i] = et_start(&w[i], ev, time_ns() + 5000 * ET_MS, NULL);
		CHECK(t, k[i] != NULL);
	}
	sched_sleep_ns(30 * ET_MS);
	for (round = 1; round <= 3; round++) {
		event_signal(ev);
		sched_sleep_ns(30 * ET_MS);
		for (i = 0, n = 0; i < 3; i++)
			n += __atomic_load_n(&w[i].done, __ATOMIC_ACQUIRE) && w[i].result == 0;
		CHECK_EQ(t, n, round);
	}
	for (i = 0; i < 3; i++) {
		task_join(k[i]);
		task_put(k[i]);
	}
	obj_put(event_object(ev));
}

/* Waiters on (up to 7) other CPUs, each with its own event, signalled from here. */
TEST(event, waiters_on_other_cpus)
{
	static struct et_waiter w[ET_CPUS];
	static struct cpumask one[ET_CPUS];
	struct event *ev[ET_CPUS];
	struct task *k[ET_CPUS];
	unsigned cpu, self = this_cpu()->index, n = MIN(cpu_count, ET_CPUS);

	if (cpu_count < 2)
		SKIP(t, "needs two CPUs");
	for (cpu = 0; cpu < n; cpu++) {
		k[cpu] = NULL;
		if (cpu == self)
			continue;
		ev[cpu] = event_create();
		CHECK(t, ev[cpu] != NULL);
		cpumask_clear(&one[cpu]);
		cpumask_set(&one[cpu], cpu);
		k[cpu] = et_start(&w[cpu], ev[cpu], time_ns() + 5000 * ET_MS, &one[cpu]);
		CHECK(t, k[cpu] != NULL);
	}
	sched_sleep_ns(20 * ET_MS);
	for (cpu = 0; cpu < n; cpu++)
		if (k[cpu])
			event_signal(ev[cpu]);
	for (cpu = 0; cpu < n; cpu++) {
		if (!k[cpu])
			continue;
		task_join(k[cpu]);
		task_put(k[cpu]);
		CHECK_EQ(t, w[cpu].result, 0);
		obj_put(event_object(ev[cpu]));
	}
}

struct et_pingpong {
	struct event *ping, *pong;
	unsigned rounds;
};

static void et_ponger(void *arg)
{
	struct et_pingpong *pp = arg;
	unsigned i;

	for (i = 0; i < pp->rounds; i++) {
		if (event_wait(pp->ping, false, 0))
			return;
		event_signal(pp->pong);
	}
}

/* Many hand-offs between two threads: no signal is ever lost. */
TEST(event, ping_pong_loses_nothing)
{
	static struct et_pingpong pp;
	struct task *k;
	unsigned i;

	pp = (struct et_pingpong){ event_create(), event_create(), 2000 };

	CHECK(t, pp.ping && pp.pong);
	k = task_create_kernel("evpong", et_ponger, &pp, NULL);
	CHECK(t, k != NULL);
	for (i = 0; i < pp.rounds; i++) {
		event_signal(pp.ping);
		CHECK_EQ(t, event_wait(pp.pong, false, time_ns() + 5000 * ET_MS), 0);
	}
	task_join(k);
	task_put(k);
	obj_put(event_object(pp.ping));
	obj_put(event_object(pp.pong));
}
