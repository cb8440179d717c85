/*
 * TLB invalidation. Local invalidation is per page up to a threshold, a full
 * flush beyond it (global entries included when the range held any). Other
 * CPUs are asked only when they may hold the translation: every online CPU
 * for the global part, none for the per-CPU part (only its own CPU maps it)
 * and none for the per-task part (a task runs on one CPU at a time, and
 * loading another address space drops its non-global entries); for the user
 * part, the CPUs that have the address space loaded.
 */
#include <arch/mmu.h>
#include <copra/aspace.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/tlb.h>

void tlb_flush_local(const struct pt_flush *f)
{
	u64 va;

	if (f->start >= f->end && !f->tables_freed)
		return;
	if (f->tables_freed || f->start >= f->end ||
	    (f->end - f->start) / PAGE_SIZE > TLB_FLUSH_ALL_THRESHOLD) {
		if (f->global)
			arch_tlb_flush_all_local();
		else
			arch_tlb_flush_nonglobal_local();
		return;
	}
	for (va = f->start; va < f->end; va += PAGE_SIZE)
		arch_tlb_flush_page_local(va);
}

static u64 tlb_remote(void *arg)
{
	tlb_flush_local(arg);
	return 0;
}

/* The other CPUs that may cache what f describes. */
static void tlb_targets(const struct pt_flush *f, struct cpumask *t)
{
	struct aspace *as;

	cpumask_clear(t);
	switch (pgtable_part_of(f->start < f->end ? f->start : 0)) {
	case PT_PART_GLOBAL:
		*t = cpus_online;
		break;
	case PT_PART_USER:
		as = aspace_current();
		if (as)
			*t = as->active;
		break;
	default:
		break;
	}
	if (f->global)
		*t = cpus_online;
	cpumask_unset(t, this_cpu()->index);
}

void tlb_shootdown(const struct cpumask *targets, const struct pt_flush *f)
{
	/* Cannot fail for a valid mask of online CPUs. */
	if (cpumask_weight(targets) && smp_call_many(targets, tlb_remote, f, sizeof(*f), NULL))
		arch_tlb_flush_all_local();
}

void tlb_flush(const struct pt_flush *f)
{
	struct cpumask t;

	if (f->start >= f->end && !f->tables_freed)
		return;
	tlb_flush_local(f);
	if (smp_cpus_online() <= 1)
		return;
	tlb_targets(f, &t);
	tlb_shootdown(&t, f);
}
