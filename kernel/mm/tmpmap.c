/*
 * Temporary mapping windows: 512 page slots at PERCPU_TEMP_BASE in the
 * per-CPU slot, backed by one page table whose entries are edited through the
 * self-map. Slots are used as a stack, so map and unmap are a handful of
 * instructions; the unmap invalidates only the local TLB entry, since the
 * window is visible to this CPU alone.
 */
#include <arch/mmu.h>
#include <copra/memlayout.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/pgtable.h>
#include <copra/preempt.h>
#include <copra/string.h>
#include <copra/tmpmap.h>

#define TMPMAP_PTES ((volatile pte_t *)pt_entry_va(PT_SELF, 1, PERCPU_TEMP_BASE))

void *tmpmap_map(spa_t frame, struct tmpmap *m)
{
	struct percpu *c;
	u32 slot;

	preempt_disable();
	c = this_cpu();
	slot = c->tmpmap_depth++;
	if (unlikely(slot >= PERCPU_TEMP_SLOTS))
		panic("tmpmap: window exhausted");
	TMPMAP_PTES[slot] = (spa_addr(frame) & PTE_ADDR) | PTE_P | PTE_W | PTE_NX;
	m->slot = slot;
	m->va = (void *)(uintptr_t)(PERCPU_TEMP_BASE + (u64)slot * PAGE_SIZE);
	return m->va;
}

void tmpmap_unmap(struct tmpmap *m)
{
	struct percpu *c = this_cpu();

	if (unlikely(m->slot + 1 != c->tmpmap_depth))
		panic("tmpmap: release of slot %u out of order (depth %u)", m->slot,
		      c->tmpmap_depth);
	TMPMAP_PTES[m->slot] = 0;
	arch_tlb_flush_page_local((u64)(uintptr_t)m->va);
	c->tmpmap_depth--;
	m->va = NULL;
	preempt_enable();
}

void tmpmap_zero_frame(spa_t frame)
{
	struct tmpmap m;

	memset(tmpmap_map(frame, &m), 0, PAGE_SIZE);
	tmpmap_unmap(&m);
}

void tmpmap_copy_frame(spa_t dst, spa_t src)
{
	struct tmpmap a, b;
	void *d = tmpmap_map(dst, &a);
	const void *s = tmpmap_map(src, &b);

	memcpy(d, s, PAGE_SIZE);
	tmpmap_unmap(&b);
	tmpmap_unmap(&a);
}
