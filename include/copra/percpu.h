/*
 * Per-CPU private data. Each CPU maps its own struct percpu at the fixed
 * address PERCPU_DATA in the per-CPU page-table slot, so this_cpu() is a
 * constant and no other CPU can reach it. State other CPUs must see (online
 * flag, IPI board, run queue) lives in struct cpu_shared in the global part.
 */
#ifndef COPRA_PERCPU_H
#define COPRA_PERCPU_H

#include <arch/percpu.h>
#include <copra/heap.h>
#include <copra/types.h>

struct task;
struct heap;
struct aspace;

struct percpu {
	struct percpu *self;     /* sanity: equals PERCPU_DATA */
	u64 syscall_user_rsp;    /* SYSCALL entry scratch (offset 8, used from assembly) */
	u32 index;               /* dense CPU index, 0 = BSP */
	u32 apic_id;
	int preempt_count;
	int irq_depth;           /* nested interrupt handlers running */
	volatile bool need_resched;
	bool online;
	struct task *current;
	struct task *idle;
	u32 tmpmap_depth;        /* temporary mappings held (LIFO) */
	struct heap *heap;       /* per-CPU heap */
	struct aspace *aspace;   /* address space loaded on this CPU */
	u64 percpu_slot_entry;   /* PML4 entry of this CPU's per-CPU slot */
	u64 spurious_irqs;
	struct heap heap_storage; /* the per-CPU heap's own state */
	struct arch_percpu arch;
};

_Static_assert(sizeof(struct percpu) <= 4096, "struct percpu must fit its boot page");
_Static_assert(__builtin_offsetof(struct percpu, syscall_user_rsp) == 8, "syscall entry offset");

static inline struct percpu *this_cpu(void)
{
	return (struct percpu *)arch_percpu_base();
}

#endif
