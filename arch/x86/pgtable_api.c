/*
 * Public page-table operations. Edits of the kernel global part, whose
 * tables every address space shares, are serialized by one lock here; the
 * per-CPU and per-task parts have a single owner, and the user part is
 * locked by its address space. TLB invalidation is the caller's, after the
 * lock is dropped.
 */
#include <copra/memlayout.h>
#include <copra/spinlock.h>

#include "pgtable_internal.h"

static spinlock_t pgtable_global_lock = SPINLOCK_INIT;

static bool pgtable_needs_lock(enum pt_view v, u64 va)
{
	return v == PT_SELF && pt_index(va, 4) == SLOT_GLOBAL;
}

#define PGTABLE_LOCKED(v, va, call)                                              \
	({                                                                       \
		bool lk_ = pgtable_needs_lock((v), (va));                        \
		int r_;                                                          \
		if (lk_)                                                         \
			spin_lock(&pgtable_global_lock);                         \
		r_ = (call);                                                     \
		if (lk_)                                                         \
			spin_unlock(&pgtable_global_lock);                       \
		r_;                                                              \
	})

int pgtable_map(enum pt_view v, u64 va, spa_t pa, u64 npages, u32 prot)
{
	return PGTABLE_LOCKED(v, va, pt_do_map(v, va, pa, npages, prot));
}

int pgtable_ensure_table(enum pt_view v, u64 va)
{
	return PGTABLE_LOCKED(v, va, pt_do_ensure_table(v, va));
}

int pgtable_unmap(enum pt_view v, u64 va, u64 npages, struct pt_flush *f)
{
	return PGTABLE_LOCKED(v, va, pt_do_unmap(v, va, npages, f));
}

int pgtable_protect(enum pt_view v, u64 va, u64 npages, u32 prot, struct pt_flush *f)
{
	return PGTABLE_LOCKED(v, va, pt_do_protect(v, va, npages, prot, f));
}

int pgtable_merge(enum pt_view v, u64 va, struct pt_flush *f)
{
	return PGTABLE_LOCKED(v, va, pt_do_merge(v, va, f));
}
