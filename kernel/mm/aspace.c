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

/* Maps npages fresh frames (zeroed when zero) at va through the foreign window. */
static int aspace_map_fresh(u64 va, u64 npages, u32 prot, bool zero, spa_t *last)
{
	u64 i;
	spa_t f;

	for (i = 0; i < npages; i++) {
		if (pmm_alloc_frame(&f))
			return -E_NOMEM;
		if (zero)
			tmpmap_zero_frame(f);
		if (pgtable_map(PT_FOREIGN, va + i * PAGE_SIZE, f, 1, prot)) {
			pmm_free_frame(f);
			return -E_NOMEM;
		}
		if (last)
			*last = f;
	}
	return 0;
}

static int aspace_map_kstack(struct aspace *as)
{
	return aspace_map_fresh(PERTASK_KSTACK_BOTTOM, PERTASK_KSTACK_SIZE / PAGE_SIZE, PROT_W,
				false, &as->kstack_top);
}

/* A new CPU's per-CPU slot: data page, guarded IST stacks, temporary-window table. */
static int aspace_build_percpu_slot(void)
{
	unsigned k;
	int ret;

	ret = aspace_map_fresh(PERCPU_DATA, 1, PROT_W | PROT_G, true, NULL);
	for (k = 0; k < 3 && !ret; k++)
		ret = aspace_map_fresh(PERCPU_STACKS + k * PERCPU_STACK_STRIDE + PAGE_SIZE,
				       PERCPU_STACK_SIZE / PAGE_SIZE, PROT_W | PROT_G, false, NULL);
	if (!ret)
		ret = pgtable_ensure_table(PT_FOREIGN, PERCPU_TEMP_BASE);
	return ret;
}

int aspace_create_cpu(struct aspace *as, u32 cpu, u64 *percpu_entry)
{
	int ret;

	memset(as, 0, sizeof(*as));
	ret = pgtable_new_root(&as->root);
	if (ret)
		return ret;
	as->cpu = cpu;
	aspace_write_root_entry(as->root, SLOT_GLOBAL, pgtable_get_root_entry(PT_SELF, SLOT_GLOBAL));
	ret = pgtable_slot_create(as->root, SLOT_PERCPU);
	if (!ret)
		ret = pgtable_slot_create(as->root, SLOT_PERTASK);
	pgtable_foreign_begin(as->root);
	if (!ret)
		ret = aspace_build_percpu_slot();
	if (!ret)
		ret = aspace_map_kstack(as);
	*percpu_entry = pgtable_get_root_entry(PT_FOREIGN, SLOT_PERCPU);
	if (ret) {
		pgtable_slot_destroy(PT_FOREIGN, SLOT_PERTASK);
		pgtable_slot_destroy(PT_FOREIGN, SLOT_PERCPU);
	}
	pgtable_foreign_end();
	if (ret)
		pgtable_root_free(as->root);
	return ret;
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
	ret = aspace_map_kstack(as);
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

void aspace_prepare_switch(struct aspace *as)
{
	struct percpu *c = this_cpu();

	if (as->cpu != c->index) {
		aspace_write_root_entry(as->root, SLOT_PERCPU, c->percpu_slot_entry);
		as->cpu = c->index;
	}
	if (c->aspace)
		cpumask_unset(&c->aspace->active, c->index);
	cpumask_set(&as->active, c->index);
	c->aspace = as;
}

void aspace_switch(struct aspace *as)
{
	preempt_disable();
	aspace_prepare_switch(as);
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
