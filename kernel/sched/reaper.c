/*
 * The reaper: a kernel thread that frees what exited tasks owned. A dead
 * task is handed over from the context-switch path, where interrupts are
 * off and nothing may wait for other CPUs; freeing (address space, task
 * struct) can shoot down TLBs, so it happens here, in normal context.
 */
#include <arch/irq.h>
#include <copra/log.h>
#include <copra/panic.h>
#include <copra/spinlock.h>
#include <copra/task.h>
#include <copra/waitq.h>

#include "sched_internal.h"

static spinlock_t reaper_lock = SPINLOCK_INIT;
static struct task *reaper_list;
static struct task *reaper_task;
static struct waitq reaper_wq = WAITQ_INIT;
struct waitq task_reaped_wq = WAITQ_INIT;

void task_reap(struct task *t)
{
	unsigned long flags = arch_irq_save();

	spin_acquire_raw(&reaper_lock);
	t->wq_next = reaper_list;
	reaper_list = t;
	spin_release_raw(&reaper_lock);
	arch_irq_restore(flags);
	if (reaper_task)
		sched_wake(reaper_task, 0);
}

static struct task *reaper_take(void)
{
	unsigned long flags = arch_irq_save();
	struct task *t;

	spin_acquire_raw(&reaper_lock);
	t = reaper_list;
	reaper_list = NULL;
	spin_release_raw(&reaper_lock);
	arch_irq_restore(flags);
	return t;
}

static void reaper_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct task *t = reaper_take();

		if (!t) {
			sched_block(0);
			continue;
		}
		while (t) {
			struct task *next = t->wq_next;

			aspace_destroy(&t->as);
			waitq_lock(&task_reaped_wq);
			t->reaped = true;
			waitq_wake_all_locked(&task_reaped_wq, 0);
			waitq_unlock(&task_reaped_wq);
			task_put(t); /* the scheduler's reference */
			t = next;
		}
	}
}

void reaper_start(void)
{
	reaper_task = task_create_kernel("reaper", reaper_main, NULL, NULL);
	if (!reaper_task)
		panic("cannot start the reaper");
	(void)reaper_wq;
}
