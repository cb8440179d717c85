/*
 * Host stand-in for the MMU: page tables live in a fake physical memory and
 * entry addresses computed by pt_entry_va() are translated by an emulated
 * 4-level walk from a fake CR3, so the recursive self-map is exercised for real.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <copra/pgtable.h>

volatile pte_t *fake_translate(u64 va);
u64 fake_root(void);
void fake_tlb_flush(void);

static inline volatile pte_t *arch_pt_entry_ptr(enum pt_view view, int level, u64 va)
{
	return fake_translate(pt_entry_va(view, level, va));
}

/* A table's entries are consecutive in fake memory too. */
static inline unsigned arch_pt_next_used(volatile const pte_t *tbl, unsigned from, unsigned n)
{
	while (from < n && tbl[from] == 0)
		from++;
	return from;
}

static inline void arch_tlb_flush_page_local(u64 va) { (void)va; fake_tlb_flush(); }
static inline void arch_tlb_flush_all_local(void) { fake_tlb_flush(); }
static inline void arch_tlb_flush_nonglobal_local(void) { fake_tlb_flush(); }
static inline u64 arch_current_root(void) { return fake_root(); }
void fake_set_root(u64 pa);
static inline void arch_load_root(spa_t root) { fake_set_root(spa_addr(root)); }

#endif
