/*
 * Interrupt dispatch for vectors 32-255 through a const table of handlers.
 * Handlers run with interrupts off; the vector's upper nibble is its TPR
 * class (timer 4, IPI 14, APIC error and spurious 15). Spurious and
 * unexpected vectors are counted and logged (rate limited), never fatal.
 */
#include <arch/apic.h>
#include <arch/trap.h>
#include <copra/irq.h>
#include <copra/log.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/task.h>
#include <copra/timer.h>

typedef void (*irq_handler_fn)(struct trap_frame *tf);

static void irq_apic_error(struct trap_frame *tf)
{
	(void)tf;
	log_warn("apic error on cpu %u", this_cpu()->index);
}

static const irq_handler_fn irq_handlers[256] = {
	[IRQ_VEC_TIMER] = timer_irq,
	[IRQ_VEC_TIMER_CALIBRATE] = apic_calibration_irq,
	[IRQ_VEC_IPI] = smp_ipi_handler,
	[IRQ_VEC_RESCHED] = sched_resched_irq,
	[IRQ_VEC_APIC_ERROR] = irq_apic_error,
};

static u64 irq_unexpected;

u64 irq_unexpected_count(void)
{
	return __atomic_load_n(&irq_unexpected, __ATOMIC_RELAXED);
}

static void irq_unexpected_vector(struct trap_frame *tf)
{
	u64 n = __atomic_add_fetch(&irq_unexpected, 1, __ATOMIC_RELAXED);
	u8 vec = (u8)tf->vector;

	if (n <= 8 || (n & (n - 1)) == 0)
		log_warn("unexpected interrupt vector %u on cpu %u (%llu so far)", vec,
			 this_cpu()->index, (unsigned long long)n);
	/* Delivered by the APIC: acknowledge it, or it blocks its class. */
	if (apic_in_service(vec))
		apic_eoi();
}

void irq_dispatch(struct trap_frame *tf)
{
	struct percpu *c = this_cpu();
	u8 vec = (u8)tf->vector;

	if (vec == IRQ_VEC_SPURIOUS) {
		c->spurious_irqs++;
		return;
	}
	c->irq_depth++;
	if (irq_handlers[vec]) {
		irq_handlers[vec](tf);
		apic_eoi();
	} else {
		irq_unexpected_vector(tf);
	}
	c->irq_depth--;
}
