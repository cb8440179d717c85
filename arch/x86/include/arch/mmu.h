/* MMU hooks core memory code uses: entry pointers via the self-map, local TLB control. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <arch/x86.h>
#include <copra/pgtable.h>

static inline volatile pte_t *arch_pt_entry_ptr(enum pt_view view, int level, u64 va)
{
	return (volatile pte_t *)pt_entry_va(view, level, va);
}

static inline void arch_tlb_flush_page_local(u64 va) { invlpg(va); }
static inline void arch_tlb_flush_all_local(void) { tlb_flush_local_all(); }
static inline void arch_tlb_flush_nonglobal_local(void) { tlb_flush_local_nonglobal(); }
static inline u64 arch_current_root(void) { return read_cr3() & PTE_ADDR; }
static inline void arch_load_root(spa_t root) { write_cr3(spa_addr(root)); }

#endif
