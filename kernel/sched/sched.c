/*
 * The scheduler: one FIFO run queue per CPU, round robin with a time slice
 * of one timer tick, preemption when an interrupt returns, work stealing by
 * CPUs that would otherwise idle (only tasks whose affinity allows it and
 * that are fully switched out), and blocking with optional deadlines.
 *
 * Locking: a run queue's lock protects its list, its tasks' state, on_rq and
 * cpu fields; two run-queue locks are taken in CPU index order. The sleep
 * lock (deadlines) nests inside a run-queue lock.
 */
#include <arch/fpu.h>
#include <arch/irq.h>
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/spinlock.h>
#include <copra/task.h>
#include <copra/time.h>
#include <platform/platform.h>

#include "sched_internal.h"

#define SCHED_SLICE_NS 10000000ULL /* one tick at 100 Hz */

struct runqueue runqueues[CONFIG_MAX_CPUS];
static u64 sched_switches, sched_migrations;

struct task *arch_switch(struct task *prev, struct task *next, u64 next_root);

u64 task_cpu_time_ns(void)
{
	unsigned long flags = arch_irq_save();
	struct task *t = this_cpu()->current;
	u64 ns = t->cpu_ns + (time_ns() - t->slice_start);

	arch_irq_restore(flags);
	return ns;
}

u64 sched_switch_count(void)
{
	return __atomic_load_n(&sched_switches, __ATOMIC_RELAXED);
}

u64 sched_migration_count(void)
{
	return __atomic_load_n(&sched_migrations, __ATOMIC_RELAXED);
}

unsigned sched_ready_count(unsigned cpu)
{
	return runqueues[cpu].nr_ready;
}

/* Run-queue lists; the caller holds rq->lock. */
void rq_enqueue(struct runqueue *rq, struct task *t)
{
	t->rq_next = NULL;
	if (rq->tail)
		rq->tail->rq_next = t;
	else
		rq->head = t;
	rq->tail = t;
	rq->nr_ready++;
	t->on_rq = true;
	t->state = TASK_READY;
}

static struct task *rq_dequeue_match(struct runqueue *rq, unsigned for_cpu, bool steal)
{
	struct task *t, *prev = NULL;

	for (t = rq->head; t; prev = t, t = t->rq_next) {
		if (steal && (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) ||
			      !cpumask_test(&t->affinity, for_cpu)))
			continue;
		if (prev)
			prev->rq_next = t->rq_next;
		else
			rq->head = t->rq_next;
		if (rq->tail == t)
			rq->tail = prev;
		rq->nr_ready--;
		t->on_rq = false;
		return t;
	}
	return NULL;
}

/* Takes a ready task another CPU could give up; this CPU's lock is held. */
static struct task *sched_steal(unsigned self)
{
	unsigned cpu;

	for (cpu = 0; cpu < cpu_count; cpu++) {
		struct runqueue *rq = &runqueues[cpu];
		struct task *t;

		if (cpu == self || !rq->nr_ready || !spin_trylock_raw(&rq->lock))
			continue;
		t = rq_dequeue_match(rq, self, true);
		if (t) {
			t->cpu = self;
			sched_migrations++;
		}
		spin_release_raw(&rq->lock);
		if (t)
			return t;
	}
	return NULL;
}

/* Runs on the new task right after a switch: releases the previous one. */
void sched_finish_switch(struct task *prev)
{
	struct runqueue *rq = &runqueues[this_cpu()->index];
	bool dead = prev->state == TASK_DEAD;

	spin_release_raw(&rq->lock);
	__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	if (task_current()->fpu)
		arch_fpu_restore(task_current()->fpu);
	if (prev->migrating)
		sched_migrate(prev);
	if (dead)
		task_reap(prev);
}

static void sched_switch_to(struct runqueue *rq, struct task *prev, struct task *next)
{
	struct percpu *c = this_cpu();
	u64 now = time_ns();

	prev->cpu_ns += now - prev->slice_start;
	next->state = TASK_RUNNING;
	next->slice_start = now;
	next->cpu = c->index;
	__atomic_store_n(&next->on_cpu, 1, __ATOMIC_RELEASE);
	rq->current = next;
	c->current = next;
	c->need_resched = false;
	sched_switches++;
	if (prev->fpu)
		arch_fpu_save(prev->fpu);
	arch_user_state_switch(&prev->ustate, &next->ustate);
	aspace_prepare_switch(&next->as);
	prev = arch_switch(prev, next, spa_addr(next->as.root));
	sched_finish_switch(prev);
}

/* Picks the next task; rq->lock held. */
static struct task *sched_pick(struct runqueue *rq, unsigned self)
{
	struct task *next = rq_dequeue_match(rq, self, false);

	if (!next)
		next = sched_steal(self);
	return next ? next : rq->idle;
}

void schedule(void)
{
	unsigned long flags = arch_irq_save();
	struct percpu *c = this_cpu();
	struct runqueue *rq = &runqueues[c->index];
	struct task *prev = c->current, *next;

	CHECK_INVARIANT(c->preempt_count == 0 && c->irq_depth == 0);
	spin_acquire_raw(&rq->lock);
	if (prev->state == TASK_RUNNING && !prev->is_idle &&
	    cpumask_test(&prev->affinity, c->index))
		rq_enqueue(rq, prev);
	else if (prev->state == TASK_RUNNING && !prev->is_idle)
		prev->migrating = true; /* affinity excludes this CPU: moved after the switch */
	next = sched_pick(rq, c->index);
	if (next == prev) {
		prev->state = TASK_RUNNING;
		c->need_resched = false;
		spin_release_raw(&rq->lock);
	} else {
		sched_switch_to(rq, prev, next);
	}
	arch_irq_restore(flags);
}

void sched_yield(void)
{
	schedule();
}

void sched_tick(void)
{
	struct percpu *c = this_cpu();
	struct task *cur = c->current;

	sched_expire_sleepers();
	if (!cur)
		return;
	if (cur->is_idle ? runqueues[c->index].nr_ready != 0
			 : time_ns() - cur->slice_start >= SCHED_SLICE_NS)
		c->need_resched = true;
}

void sched_irq_exit(bool irqs_were_on)
{
	struct percpu *c = this_cpu();

	if (c->need_resched && irqs_were_on && c->preempt_count == 0 && c->irq_depth == 0 &&
	    c->current)
		schedule();
}

void sched_preempt(void)
{
	struct percpu *c = this_cpu();

	/* Otherwise need_resched stays set for the next preemption point. */
	if (c->current && c->irq_depth == 0 && arch_irqs_enabled())
		schedule();
}

/* The idle task's loop: run whatever is ready, else halt until an interrupt. */
__noreturn void sched_idle_loop(void)
{
	struct percpu *c = this_cpu();

	for (;;) {
		if (runqueues[c->index].nr_ready || c->need_resched || cpu_count > 1)
			schedule();
		arch_irq_disable();
		if (!runqueues[c->index].nr_ready && !c->need_resched)
			platform_idle_halt(); /* sti; hlt; cli */
		arch_irq_enable();
	}
}

void sched_resched_irq(struct trap_frame *tf)
{
	(void)tf;
	this_cpu()->need_resched = true;
}
