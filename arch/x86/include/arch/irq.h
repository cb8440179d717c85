/* Interrupt-flag control for core code (x86: RFLAGS.IF). */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <arch/x86.h>

static inline unsigned long arch_irq_save(void)
{
	unsigned long f = read_rflags();

	cli();
	return f;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF)
		sti();
}

static inline bool arch_irqs_enabled(void) { return (read_rflags() & X86_RFLAGS_IF) != 0; }
static inline void arch_irq_enable(void) { sti(); }
static inline void arch_irq_disable(void) { cli(); }
static inline void arch_cpu_relax(void) { cpu_relax(); }

#endif
