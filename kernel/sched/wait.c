/*
 * Blocking and waking: a task blocks under its run queue's lock (so a
 * concurrent wake is never lost), optionally with a deadline kept in one
 * sorted sleep list; the timer tick wakes expired sleepers. A wake carries a
 * result (0, -E_TIMEDOUT, -E_INTR). Also CPU choice, migration and kicks.
 */
#include <arch/apic.h>
#include <arch/irq.h>
#include <copra/errno.h>
#include <copra/irq.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/task.h>
#include <copra/time.h>

#include "sched_internal.h"

static spinlock_t sleep_lock = SPINLOCK_INIT;
static struct task *sleep_head;

static void sleep_insert(struct task *t)
{
	struct task **pp = &sleep_head;

	while (*pp && (*pp)->wake_at <= t->wake_at)
		pp = &(*pp)->sleep_next;
	t->sleep_next = *pp;
	*pp = t;
}

static void sleep_remove(struct task *t)
{
	struct task **pp = &sleep_head;

	while (*pp && *pp != t)
		pp = &(*pp)->sleep_next;
	if (*pp)
		*pp = t->sleep_next;
	t->sleep_next = NULL;
}

void sched_kick(unsigned cpu)
{
	if (cpu != this_cpu()->index)
		apic_send_ipi(cpu_infos[cpu].apic_id, IRQ_VEC_RESCHED);
	else
		this_cpu()->need_resched = true;
}

unsigned sched_pick_cpu(const struct cpumask *mask)
{
	unsigned cpu, best = CONFIG_MAX_CPUS, load = ~0u;

	for_each_cpu(cpu, mask) {
		unsigned l;

		if (!cpumask_test(&cpus_online, cpu))
			continue;
		l = runqueues[cpu].nr_ready + (runqueues[cpu].current &&
					       !runqueues[cpu].current->is_idle);
		if (l < load) {
			load = l;
			best = cpu;
		}
	}
	return best < CONFIG_MAX_CPUS ? best : this_cpu()->index;
}

void sched_migrate(struct task *t)
{
	unsigned cpu = sched_pick_cpu(&t->affinity);
	struct runqueue *rq = &runqueues[cpu];
	unsigned long flags = arch_irq_save();

	spin_acquire_raw(&rq->lock);
	t->migrating = false;
	t->cpu = cpu;
	rq_enqueue(rq, t);
	spin_release_raw(&rq->lock);
	arch_irq_restore(flags);
	sched_kick(cpu);
}

/* Wakes t if it is still in the blocking numbered seq (~0: any). */
static void sched_wake_seq(struct task *t, int result, u64 seq)
{
	unsigned long flags = arch_irq_save();
	struct runqueue *rq;
	bool woke = false;
	unsigned cpu;

	for (;;) {
		cpu = __atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE);
		rq = &runqueues[cpu];
		spin_acquire_raw(&rq->lock);
		if (t->cpu == cpu)
			break;
		spin_release_raw(&rq->lock); /* it moved meanwhile: retry */
	}
	if (t->state == TASK_BLOCKED && (seq == ~0ULL || t->block_seq == seq)) {
		t->wake_result = result;
		if (t->wake_at) {
			spin_acquire_raw(&sleep_lock);
			sleep_remove(t);
			spin_release_raw(&sleep_lock);
			t->wake_at = 0;
		}
		rq_enqueue(rq, t);
		woke = true;
	}
	spin_release_raw(&rq->lock);
	arch_irq_restore(flags);
	if (woke && (runqueues[cpu].current == NULL || runqueues[cpu].current->is_idle ||
		     cpu != this_cpu()->index))
		sched_kick(cpu);
}

void sched_wake(struct task *t, int result)
{
	sched_wake_seq(t, result, ~0ULL);
}

void sched_prepare_block(u64 deadline_ns)
{
	struct task *t;
	unsigned long flags = arch_irq_save();
	struct runqueue *rq = &runqueues[this_cpu()->index];

	t = this_cpu()->current;
	spin_acquire_raw(&rq->lock);
	t->block_seq++;
	t->wake_result = 0;
	if (t->interrupted) {
		/* Being killed: blocking fails at once (commit merely yields). */
		t->wake_result = -E_INTR;
	} else {
		t->state = TASK_BLOCKED;
	}
	if (deadline_ns && !t->interrupted) {
		t->wake_at = deadline_ns;
		spin_acquire_raw(&sleep_lock);
		sleep_insert(t);
		spin_release_raw(&sleep_lock);
	}
	spin_release_raw(&rq->lock);
	arch_irq_restore(flags);
}

int sched_commit_block(void)
{
	struct task *t = task_current();

	schedule();
	return t->wake_result;
}

int sched_block(u64 deadline_ns)
{
	sched_prepare_block(deadline_ns);
	return sched_commit_block();
}

void sched_sleep_ns(u64 ns)
{
	u64 now = time_ns();
	u64 deadline = ns > ~0ULL - now - 1 ? 0 : now + (ns ? ns : 1);
	int r;

	do {
		r = sched_block(deadline);
	} while (r != -E_TIMEDOUT && r != -E_INTR && (!deadline || time_ns() < deadline));
}

void sched_expire_sleepers(void)
{
	struct task *due[16];
	u64 seqs[16], now = time_ns();
	unsigned n = 0, i;

	spin_acquire_raw(&sleep_lock);
	while (sleep_head && sleep_head->wake_at <= now && n < 16) {
		struct task *t = sleep_head;

		sleep_head = t->sleep_next;
		t->sleep_next = NULL;
		seqs[n] = t->block_seq;
		due[n++] = t;
	}
	spin_release_raw(&sleep_lock);
	for (i = 0; i < n; i++)
		sched_wake_seq(due[i], -E_TIMEDOUT, seqs[i]);
}

int sched_set_affinity(struct task *t, const struct cpumask *mask)
{
	unsigned long flags;
	struct runqueue *rq;
	unsigned cpu;
	bool moved = false;

	for_each_cpu(cpu, mask)
		if (cpumask_test(&cpus_online, cpu))
			break;
	if (cpu >= CONFIG_MAX_CPUS)
		return -E_INVAL;
	flags = arch_irq_save();
	rq = &runqueues[t->cpu];
	spin_acquire_raw(&rq->lock);
	t->affinity = *mask;
	/* A queued task on a CPU it may no longer use is moved now. */
	if (t->on_rq && !cpumask_test(mask, t->cpu)) {
		struct task **pp = &rq->head, *prev = NULL;

		while (*pp && *pp != t) {
			prev = *pp;
			pp = &(*pp)->rq_next;
		}
		if (*pp) {
			*pp = t->rq_next;
			if (rq->tail == t)
				rq->tail = prev;
			rq->nr_ready--;
			t->on_rq = false;
			moved = true;
		}
	}
	spin_release_raw(&rq->lock);
	arch_irq_restore(flags);
	if (moved)
		sched_migrate(t);
	/* The caller itself leaves at once (schedule() moves it after the switch). */
	if (t == task_current() && !cpumask_test(mask, this_cpu()->index))
		schedule();
	return 0;
}
