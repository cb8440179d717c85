/* Scheduler internals shared by the files in kernel/sched. */
#ifndef KERNEL_SCHED_INTERNAL_H
#define KERNEL_SCHED_INTERNAL_H

#include <copra/spinlock.h>
#include <copra/task.h>
#include <copra/waitq.h>

struct runqueue {
	spinlock_t lock;
	struct task *head, *tail;   /* READY tasks, FIFO */
	unsigned nr_ready;
	struct task *current;
	struct task *idle;
} __attribute__((aligned(64)));

extern struct runqueue runqueues[CONFIG_MAX_CPUS];

void rq_enqueue(struct runqueue *rq, struct task *t);
void sched_finish_switch(struct task *prev);
/* Queues a READY task on a CPU of its affinity and kicks that CPU. */
void sched_migrate(struct task *t);
/* Wakes every sleeper whose deadline passed (timer tick). */
void sched_expire_sleepers(void);
/* Hands an exited task, now off every CPU, to the reaper thread. */
void task_reap(struct task *t);
extern struct waitq task_reaped_wq;
/* Chooses a CPU for a new or migrating task: the least loaded in mask. */
unsigned sched_pick_cpu(const struct cpumask *mask);
/* Asks cpu to reschedule (IPI). */
void sched_kick(unsigned cpu);

#endif
