/*
 * Ticket spinlocks. spin_lock() disables preemption for the critical
 * section; the _irqsave variants also disable interrupts and must be used
 * for any lock an interrupt handler takes. Lock order: docs/architecture.md.
 */
#ifndef COPRA_SPINLOCK_H
#define COPRA_SPINLOCK_H

#include <arch/irq.h>
#include <copra/preempt.h>
#include <copra/spinlock_types.h>
#include <copra/types.h>

static inline void spin_lock_init(spinlock_t *l)
{
	l->next = 0;
	l->owner = 0;
}

static inline void spin_acquire_raw(spinlock_t *l)
{
	u16 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

static inline void spin_release_raw(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_trylock_raw(spinlock_t *l)
{
	u16 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u16 expect = owner;

	return __atomic_compare_exchange_n(&l->next, &expect, (u16)(owner + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
	return l->next != l->owner;
}

static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	spin_acquire_raw(l);
}

static inline void spin_unlock(spinlock_t *l)
{
	spin_release_raw(l);
	preempt_enable();
}

static inline unsigned long spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();

	preempt_disable();
	spin_acquire_raw(l);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_release_raw(l);
	preempt_enable_no_resched();
	arch_irq_restore(flags);
	preempt_check_resched();
}

#endif
