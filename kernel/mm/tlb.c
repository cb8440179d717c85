/*
 * TLB invalidation. Until other CPUs are online every flush is local; the
 * SMP code replaces the remote part with targeted shootdowns.
 */
#include <arch/mmu.h>
#include <copra/tlb.h>

void tlb_flush_local(const struct pt_flush *f)
{
	u64 va;

	if (f->start >= f->end)
		return;
	if (f->tables_freed || (f->end - f->start) / PAGE_SIZE > TLB_FLUSH_ALL_THRESHOLD) {
		if (f->global)
			arch_tlb_flush_all_local();
		else
			arch_tlb_flush_nonglobal_local();
		return;
	}
	for (va = f->start; va < f->end; va += PAGE_SIZE)
		arch_tlb_flush_page_local(va);
}

void tlb_flush(const struct pt_flush *f)
{
	tlb_flush_local(f);
}
