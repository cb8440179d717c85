/*
 * Preemption control. A task is preemptible when its CPU's preempt count is
 * zero and interrupts are on; the timer tick sets need_resched and the
 * scheduler runs at the next preemption point.
 */
#ifndef COPRA_PREEMPT_H
#define COPRA_PREEMPT_H

#include <copra/percpu.h>

void sched_preempt(void); /* kernel/sched: reschedule if needed */

static inline void preempt_disable(void)
{
	this_cpu()->preempt_count++;
	__asm__ volatile("" ::: "memory");
}

static inline void preempt_enable_no_resched(void)
{
	__asm__ volatile("" ::: "memory");
	this_cpu()->preempt_count--;
}

static inline void preempt_check_resched(void)
{
	struct percpu *c = this_cpu();

	if (unlikely(c->need_resched) && c->preempt_count == 0)
		sched_preempt();
}

static inline void preempt_enable(void)
{
	preempt_enable_no_resched();
	preempt_check_resched();
}

static inline bool preemptible(void)
{
	return this_cpu()->preempt_count == 0;
}

#endif
