/* x86 CPU setup hooks used by the kernel's boot and per-CPU code. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <copra/types.h>

/* Loads the shared IDT (no IST stacks yet); safe before memory setup. */
void arch_trap_init_early(void);
/* Per-CPU: GDT and TSS in this CPU's struct percpu, IST stacks at ist_tops. */
void arch_cpu_load_gdt_tss(const u64 ist_tops[3]);
/* Switches #DF, NMI and #MC gates to their IST stacks (once, on the BSP). */
void arch_trap_enable_ist(void);
/* Enables WP, NX, SMEP, SMAP, UMIP and PGE where the CPU has them. */
void arch_cpu_harden(void);

/* Runs fn(arg) on the stack ending at stack_top (self-tests of stack guards). */
void arch_call_on_stack(void (*fn)(void *), void *arg, u64 stack_top);

struct cpu_features {
	bool smep, smap, umip, pge, nx, x2apic, rdrand, rdseed, xsave, fsgsbase, tsc_deadline;
};
extern struct cpu_features cpu_features;
void arch_cpu_detect(void);

#endif
