/* Wait queues (include/copra/waitq.h) on top of sched_prepare_block/commit. */
#include <copra/errno.h>
#include <copra/waitq.h>

#include "sched_internal.h"

static void waitq_remove(struct waitq *wq, struct task *t)
{
	struct task **pp = &wq->head;

	while (*pp && *pp != t)
		pp = &(*pp)->wq_next;
	if (*pp)
		*pp = t->wq_next;
	t->wq_next = NULL;
}

int waitq_sleep_locked(struct waitq *wq, u64 deadline_ns)
{
	struct task *t = task_current();
	int r;

	t->wq_next = wq->head;
	wq->head = t;
	sched_prepare_block(deadline_ns);
	waitq_unlock(wq);
	r = sched_commit_block();
	if (r) {
		/* Timed out or interrupted: leave the queue if nobody took us off. */
		waitq_lock(wq);
		waitq_remove(wq, t);
		waitq_unlock(wq);
	}
	return r;
}

void waitq_wake_one_locked(struct waitq *wq, int result)
{
	struct task *t = wq->head;

	if (!t)
		return;
	wq->head = t->wq_next;
	t->wq_next = NULL;
	sched_wake(t, result);
}

void waitq_wake_all_locked(struct waitq *wq, int result)
{
	while (wq->head)
		waitq_wake_one_locked(wq, result);
}

void waitq_wake_all(struct waitq *wq, int result)
{
	waitq_lock(wq);
	waitq_wake_all_locked(wq, result);
	waitq_unlock(wq);
}
