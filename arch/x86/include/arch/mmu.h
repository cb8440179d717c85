/* MMU hooks core memory code uses: entry pointers via the self-map, local TLB control. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <arch/x86.h>
#include <copra/pgtable.h>

static inline volatile pte_t *arch_pt_entry_ptr(enum pt_view view, int level, u64 va)
{
	return (volatile pte_t *)pt_entry_va(view, level, va);
}

/*
 * Index of the first non-zero entry of tbl[from..n), or n: one string scan
 * (page tables are mostly empty, and teardown looks at every entry).
 */
static inline unsigned arch_pt_next_used(volatile const pte_t *tbl, unsigned from, unsigned n)
{
	const volatile pte_t *p = tbl + from;
	unsigned long left = n - from;

	if (!left)
		return n;
	__asm__ volatile("xorl %%eax, %%eax\n\trepe scasq"
			 : "+D"(p), "+c"(left) : : "rax", "cc", "memory");
	/* Stopped after the first non-zero entry, or ran out (last entry examined). */
	if (p[-1] != 0)
		return (unsigned)(p - 1 - tbl);
	return n;
}

static inline void arch_tlb_flush_page_local(u64 va) { invlpg(va); }
static inline void arch_tlb_flush_all_local(void) { tlb_flush_local_all(); }
static inline void arch_tlb_flush_nonglobal_local(void) { tlb_flush_local_nonglobal(); }
static inline u64 arch_current_root(void) { return read_cr3() & PTE_ADDR; }
static inline void arch_load_root(spa_t root) { write_cr3(spa_addr(root)); }

#endif
