/*
 * Address spaces. Each task has its own PML4: the global slot and the
 * running CPU's per-CPU slot are shared entries, the per-task slot (kernel
 * stack, per-task heap) is private, and the user slot (later) is shared by
 * the threads of a process. An address space's per-task part is invisible
 * to every other address space.
 */
#ifndef COPRA_ASPACE_H
#define COPRA_ASPACE_H

#include <copra/cpumask.h>
#include <copra/heap.h>
#include <copra/types.h>

#define PERTASK_HEAP_USED (256ULL << 20) /* virtual range the per-task heap manages */

struct aspace {
	spa_t root;          /* PML4 frame */
	u32 cpu;             /* CPU whose per-CPU slot the root holds */
	struct cpumask active; /* CPUs that have this space loaded (TLB shootdown) */
	spa_t kstack_top;    /* frame backing the highest kernel-stack page */
	bool heap_ready;
	struct heap heap;    /* per-task heap; used only while this space is loaded */
};

/* A new space: global and this CPU's per-CPU slot, a fresh per-task slot with a mapped kernel stack. */
int aspace_create(struct aspace *as) __must_check;
/*
 * The first space of a CPU being started: a fresh per-CPU slot for cpu (its
 * data page, IST stacks and temporary-window table) whose PML4 entry is
 * returned in *percpu_entry, plus a per-task slot with a kernel stack.
 */
int aspace_create_cpu(struct aspace *as, u32 cpu, u64 *percpu_entry) __must_check;
/* Frees everything the space owns. It must not be loaded on any CPU. */
void aspace_destroy(struct aspace *as);
/* Loads as on this CPU, pointing its per-CPU slot at this CPU first. */
void aspace_switch(struct aspace *as);
/*
 * The bookkeeping half of a switch (per-CPU slot, active masks); the caller
 * loads the root itself (the context-switch code does it with the stack).
 */
void aspace_prepare_switch(struct aspace *as);
/* The space loaded on this CPU (NULL while the boot tables are in use). */
struct aspace *aspace_current(void);
/* The per-task heap of the loaded space, set up on first use; NULL if it cannot be. */
struct heap *aspace_heap(void);

#endif
