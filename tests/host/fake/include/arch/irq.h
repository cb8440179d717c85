/* Host stand-in for arch/x86/include/arch/irq.h: interrupts are a flag. */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <copra/types.h>

extern bool fake_irqs_on;

static inline unsigned long arch_irq_save(void)
{
	unsigned long f = fake_irqs_on;

	fake_irqs_on = false;
	return f;
}

static inline void arch_irq_restore(unsigned long flags) { fake_irqs_on = flags != 0; }
static inline bool arch_irqs_enabled(void) { return fake_irqs_on; }
static inline void arch_irq_enable(void) { fake_irqs_on = true; }
static inline void arch_irq_disable(void) { fake_irqs_on = false; }
static inline void arch_cpu_relax(void) {}

#endif
