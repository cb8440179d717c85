/*
 * Address spaces: creation from the current space's shared slots, the
 * per-task slot with its kernel stack (built through the foreign window),
 * switching with the per-CPU slot re-pointed when a space moves to another
 * CPU, and teardown that returns every frame and table it owned.
 */
#include <arch/mmu.h>
#include <copra/aspace.h>
#include <copra/errno.h>
#include <copra/memlayout.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/preempt.h>
#include <copra/string.h>
#include <copra/tmpmap.h>

static void aspace_write_root_entry(spa_t root, unsigned slot, pte_t e)
{
	struct tmpmap m;
	pte_t *pml4 = tmpmap_map(root, &m);

	pml4[slot] = e;
	tmpmap_unmap(&m);
}

static int aspace_map_kstack(void)
{
	u64 n = PERTASK_KSTACK_SIZE / PAGE_SIZE, i;
	spa_t f;

	for (i = 0; i < n; i++) {
		if (pmm_alloc_frame(&f))
			return -E_NOMEM;
		if (pgtable_map(PT_FOREIGN, PERTASK_KSTACK_BOTTOM + i * PAGE_SIZE, f, 1, PROT_W)) {
			pmm_free_frame(f);
			return -E_NOMEM;
		}
	}
	return 0;
}

int aspace_create(struct aspace *as)
{
	int ret;

	memset(as, 0, sizeof(*as));
	ret = pgtable_new_root(&as->root);
	if (ret)
		return ret;
	preempt_disable();
	as->cpu = this_cpu()->index;
	aspace_write_root_entry(as->root, SLOT_GLOBAL, pgtable_get_root_entry(PT_SELF, SLOT_GLOBAL));
	aspace_write_root_entry(as->root, SLOT_PERCPU, this_cpu()->percpu_slot_entry);
	preempt_enable();
	ret = pgtable_slot_create(as->root, SLOT_PERTASK);
	if (ret) {
		pgtable_root_free(as->root);
		return ret;
	}
	pgtable_foreign_begin(as->root);
	ret = aspace_map_kstack();
	if (ret)
		pgtable_slot_destroy(PT_FOREIGN, SLOT_PERTASK);
	pgtable_foreign_end();
	if (ret)
		pgtable_root_free(as->root);
	return ret;
}

void aspace_destroy(struct aspace *as)
{
	CHECK_INVARIANT(aspace_current() != as);
	pgtable_foreign_begin(as->root);
	pgtable_slot_destroy(PT_FOREIGN, SLOT_PERTASK);
	pgtable_slot_destroy(PT_FOREIGN, SLOT_USER);
	pgtable_foreign_end();
	pgtable_root_free(as->root);
	as->root = spa_init(0);
	as->heap_ready = false;
}

void aspace_switch(struct aspace *as)
{
	struct percpu *c;

	preempt_disable();
	c = this_cpu();
	if (as->cpu != c->index) {
		aspace_write_root_entry(as->root, SLOT_PERCPU, c->percpu_slot_entry);
		as->cpu = c->index;
	}
	c->aspace = as;
	arch_load_root(as->root);
	preempt_enable();
}

struct aspace *aspace_current(void)
{
	return this_cpu()->aspace;
}

struct heap *aspace_heap(void)
{
	struct aspace *as = aspace_current();

	if (!as)
		return NULL;
	if (!as->heap_ready) {
		if (heap_init(&as->heap, "task", PERTASK_HEAP_BASE, PERTASK_HEAP_USED, 0, false))
			return NULL;
		as->heap_ready = true;
	}
	return &as->heap;
}
