/*
 * Wait queues: tasks waiting for a condition guarded by the queue's lock.
 *
 *   waitq_wait_for(&wq, condition, deadline_ns)  -> 0, or -E_TIMEDOUT
 *
 * evaluates condition under the lock and blocks until it holds; wakers
 * change the state, then call waitq_wake_all(&wq) (or the _locked variants
 * while holding the lock). The lock is a plain spinlock: wait queues are not
 * used from interrupt handlers.
 */
#ifndef COPRA_WAITQ_H
#define COPRA_WAITQ_H

#include <copra/spinlock.h>
#include <copra/task.h>

struct waitq {
	spinlock_t lock;
	struct task *head;
};

#define WAITQ_INIT { SPINLOCK_INIT, NULL }

static inline void waitq_init(struct waitq *wq)
{
	spin_lock_init(&wq->lock);
	wq->head = NULL;
}

static inline void waitq_lock(struct waitq *wq) { spin_lock(&wq->lock); }
static inline void waitq_unlock(struct waitq *wq) { spin_unlock(&wq->lock); }

/* With the lock held: queue the caller and mark it blocked; drops the lock and sleeps. */
int waitq_sleep_locked(struct waitq *wq, u64 deadline_ns);
void waitq_wake_all_locked(struct waitq *wq, int result);
void waitq_wake_one_locked(struct waitq *wq, int result);
void waitq_wake_all(struct waitq *wq, int result);

#define waitq_wait_for(wq, cond, deadline)                                       \
	({                                                                       \
		int r_ = 0;                                                      \
		waitq_lock(wq);                                                  \
		while (!(cond) && r_ == 0) {                                     \
			r_ = waitq_sleep_locked((wq), (deadline));               \
			waitq_lock(wq);                                          \
		}                                                                \
		if ((cond))                                                      \
			r_ = 0;                                                  \
		waitq_unlock(wq);                                                \
		r_;                                                              \
	})

#endif
