/*
 * CPUs and cross-CPU calls. CPU indices are dense (0 = the boot CPU); the
 * APIC IDs come from the MADT the loader provides and may be sparse.
 *
 * Remote function calls (smp_call_*) are synchronous: the caller waits until
 * every target ran fn and returns each result. They must be made with
 * interrupts enabled, outside interrupt handlers and without holding a lock
 * an interrupt handler takes; while waiting, the caller also serves calls
 * aimed at itself, so two CPUs calling each other cannot deadlock. Interrupt
 * handlers never send calls: the IPI vector's TPR class (14) is above the
 * class a waiting caller raises its TPR to (13), and calls are refused from
 * interrupt context.
 */
#ifndef COPRA_SMP_H
#define COPRA_SMP_H

#include <copra/cpumask.h>
#include <copra/types.h>

struct aspace;
struct trap_frame;

typedef u64 (*smp_fn)(void *arg);

/* What every CPU may read about every CPU (global part). */
struct cpu_info {
	u32 apic_id;
	volatile bool online;
	u64 percpu_slot_entry;   /* PML4 entry of its per-CPU slot */
	struct aspace *boot_space;
	volatile u64 ticks;      /* timer interrupts taken */
	volatile u64 ipis;       /* cross-CPU calls served */
	/* smp_work_start(): a kernel thread pinned to this CPU. */
	smp_fn work_fn;
	void *work_arg;
	struct task *work_task;
	u64 work_result;
};

extern struct cpu_info cpu_infos[CONFIG_MAX_CPUS];
extern struct cpumask cpus_online;
extern unsigned cpu_count;      /* CPUs listed in the MADT (capped at CONFIG_MAX_CPUS) */

unsigned smp_cpus_online(void);
struct bootinfo;
/* Reads the CPU list and starts every AP; returns the number online. */
unsigned smp_init(const struct bootinfo *bi);

/*
 * The argument: with argsize > 0, up to SMP_CALL_PAYLOAD bytes at arg are
 * copied into the caller's (global) call board and fn gets a pointer to the
 * copy: this is how data on the caller's stack travels, since a task's
 * stack is in its per-task part, invisible to other CPUs. With argsize 0,
 * arg is passed as is and must be a cookie or point into global memory.
 */
#define SMP_CALL_PAYLOAD 64

/* Runs fn(arg) on cpu and returns its result; -E_xxx on error (*result unchanged). */
int smp_call_one(unsigned cpu, smp_fn fn, const void *arg, size_t argsize,
		 u64 *result) __must_check;
/* Runs fn(arg) on every CPU in targets (the caller included if set); results[cpu] if non-NULL. */
int smp_call_many(const struct cpumask *targets, smp_fn fn, const void *arg, size_t argsize,
		  u64 *results) __must_check;
/* All online CPUs but the caller. */
int smp_call_others(smp_fn fn, const void *arg, size_t argsize, u64 *results) __must_check;

/*
 * Runs fn(arg) in a kernel thread pinned to cpu (normal context: it may
 * block, allocate and make cross-CPU calls); smp_work_wait() joins it and
 * returns fn's result. One piece of work per CPU at a time.
 */
int smp_work_start(unsigned cpu, smp_fn fn, void *arg) __must_check;
u64 smp_work_wait(unsigned cpu);

/* The IPI vector's handler (called by irq dispatch). */
void smp_ipi_handler(struct trap_frame *tf);
/* Per-CPU bring-up pieces shared by the boot CPU and the APs. */
void smp_cpu_online(unsigned cpu);

#endif
