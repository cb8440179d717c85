/*
 * Scheduler entry points. Until tasks exist (User mode issue) nothing sets
 * need_resched, so a preemption point only clears a stray request.
 */
#include <copra/percpu.h>
#include <copra/preempt.h>

void sched_preempt(void)
{
	this_cpu()->need_resched = false;
}
