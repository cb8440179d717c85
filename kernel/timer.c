/* The local timer tick: counted per CPU; the scheduler's preemption point (User mode issue). */
#include <arch/trap.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/task.h>
#include <copra/timer.h>

void timer_irq(struct trap_frame *tf)
{
	struct percpu *c = this_cpu();

	(void)tf;
	cpu_infos[c->index].ticks++;
	if (c->current)
		sched_tick();
}

u64 timer_ticks(unsigned cpu)
{
	return cpu < CONFIG_MAX_CPUS ? cpu_infos[cpu].ticks : 0;
}
