/*
 * Address-space roots and audits on top of the self-map: new PML4 frames,
 * the foreign window, top-level slot entries, a walk over present leaves,
 * and the count of page-table pages per part.
 */
#include <arch/mmu.h>
#include <copra/errno.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/tmpmap.h>

#define LEVEL_SIZE(l) (1ULL << (12 + 9 * ((l) - 1)))

int pgtable_new_root(spa_t *root)
{
	struct tmpmap m;
	pte_t *pml4;
	spa_t f;

	if (pmm_alloc_frame(&f))
		return -E_NOMEM;
	pml4 = tmpmap_map(f, &m);
	for (unsigned i = 0; i < 512; i++)
		pml4[i] = 0;
	pml4[SLOT_SELFMAP] = (spa_addr(f) & PTE_ADDR) | PTE_P | PTE_W | PTE_NX;
	tmpmap_unmap(&m);
	pgtable_account(PT_PART_ROOT, 1);
	*root = f;
	return 0;
}

void pgtable_root_free(spa_t root)
{
	pmm_free_frame(root);
	pgtable_account(PT_PART_ROOT, -1);
}

int pgtable_slot_create(spa_t root, unsigned slot)
{
	struct tmpmap m;
	pte_t *pml4;
	spa_t f;

	if (slot >= 512 || slot == SLOT_SELFMAP || slot == SLOT_FOREIGN)
		return -E_INVAL;
	if (pmm_alloc_frame(&f))
		return -E_NOMEM;
	tmpmap_zero_frame(f);
	pml4 = tmpmap_map(root, &m);
	pml4[slot] = (spa_addr(f) & PTE_ADDR) | PTE_P | PTE_W | (slot < 256 ? PTE_U : 0);
	tmpmap_unmap(&m);
	pgtable_account(pgtable_part_of(SLOT_VA(slot)), 1);
	return 0;
}

static u64 slot_sign_extend(u64 va)
{
	return (va & (1ULL << 47)) ? (va | 0xFFFF000000000000ULL) : va;
}

/* Frees what the level-`level` table covering base maps, then nothing else. */
static void slot_free_table(enum pt_view v, int level, u64 base)
{
	/* The self-map shows the table as one page: its entries are consecutive. */
	volatile pte_t *tbl = arch_pt_entry_ptr(v, level, slot_sign_extend(base));
	unsigned i;

	for (i = arch_pt_next_used(tbl, 0, 512); i < 512; i = arch_pt_next_used(tbl, i + 1, 512)) {
		volatile pte_t *p = &tbl[i];
		pte_t e = *p;
		u64 va;

		if (!(e & PTE_P))
			continue;
		va = slot_sign_extend(base + (u64)i * LEVEL_SIZE(level));
		if (level == 1 || (e & PTE_PS)) {
			if (!(e & PTE_BORROWED))
				pmm_free_contig(spa_init(e & PTE_ADDR & ~(LEVEL_SIZE(level) - 1)),
						LEVEL_SIZE(level) / PAGE_SIZE);
		} else {
			slot_free_table(v, level - 1, va & 0x0000FFFFFFFFFFFFULL);
			pmm_free_frame(spa_init(e & PTE_ADDR));
			pgtable_account(pgtable_part_of(va), -1);
		}
		*p = 0;
	}
}

void pgtable_slot_destroy(enum pt_view view, unsigned slot)
{
	u64 base = SLOT_VA(slot);
	pte_t e = pgtable_get_root_entry(view, slot);

	if (!(e & PTE_P) || slot == SLOT_SELFMAP || slot == SLOT_FOREIGN)
		return;
	slot_free_table(view, 3, base & 0x0000FFFFFFFFFFFFULL);
	pgtable_set_root_entry(view, slot, 0);
	pmm_free_frame(spa_init(e & PTE_ADDR));
	pgtable_account(pgtable_part_of(base), -1);
}

pte_t pgtable_get_root_entry(enum pt_view view, unsigned slot)
{
	return *arch_pt_entry_ptr(view, 4, SLOT_VA(slot));
}

void pgtable_set_root_entry(enum pt_view view, unsigned slot, pte_t e)
{
	*arch_pt_entry_ptr(view, 4, SLOT_VA(slot)) = e;
}

void pgtable_foreign_begin(spa_t root)
{
	pgtable_set_root_entry(PT_SELF, SLOT_FOREIGN,
			       (spa_addr(root) & PTE_ADDR) | PTE_P | PTE_W | PTE_NX);
	arch_tlb_flush_nonglobal_local();
}

void pgtable_foreign_end(void)
{
	pgtable_set_root_entry(PT_SELF, SLOT_FOREIGN, 0);
	arch_tlb_flush_nonglobal_local();
}

static u32 walk_prot(pte_t e)
{
	u32 prot = 0;

	if (e & PTE_W)
		prot |= PROT_W;
	if (!(e & PTE_NX))
		prot |= PROT_X;
	if (e & PTE_U)
		prot |= PROT_U;
	if (e & PTE_G)
		prot |= PROT_G;
	if (e & PTE_BORROWED)
		prot |= PROT_BORROWED;
	return prot;
}

static u64 sign_extend(u64 va)
{
	return (va & (1ULL << 47)) ? (va | 0xFFFF000000000000ULL) : va;
}

/*
 * Visits the level-`level` table reached by va_base (aligned to the region
 * the table covers). Intermediate entries contribute their W/U/NX
 * restrictions to the effective permission of the leaves below.
 */
static void walk_table(enum pt_view v, int level, u64 base, u64 start, u64 end,
		       pte_t parent_allow, pt_walk_fn fn, void *arg)
{
	unsigned i;

	for (i = 0; i < 512; i++) {
		u64 va = sign_extend(base + (u64)i * LEVEL_SIZE(level));
		u64 last = va + LEVEL_SIZE(level) - 1;
		pte_t e, allow;

		if (last < start || va >= end)
			continue;
		e = *arch_pt_entry_ptr(v, level, va);
		if (!(e & PTE_P))
			continue;
		/* Effective rights: W and U need every level, NX any level. */
		allow = (e & parent_allow & (PTE_W | PTE_U)) | ((e | parent_allow) & PTE_NX);
		if (level == 4 && (i == SLOT_SELFMAP || i == SLOT_FOREIGN)) {
			struct pt_mapping m = { spa_init(e & PTE_ADDR),
						walk_prot(allow | (e & PTE_G)), LEVEL_SIZE(4) };

			fn(arg, va, &m, 4);
			continue;
		}
		if (level == 1 || (level <= 3 && (e & PTE_PS))) {
			struct pt_mapping m = { spa_init(e & PTE_ADDR & ~(LEVEL_SIZE(level) - 1)),
						walk_prot(allow | (e & (PTE_G | PTE_BORROWED))),
						LEVEL_SIZE(level) };

			fn(arg, va, &m, level);
			continue;
		}
		walk_table(v, level - 1, va & 0x0000FFFFFFFFFFFFULL, start, end, allow, fn, arg);
	}
}

void pgtable_walk(enum pt_view view, u64 start, u64 end, pt_walk_fn fn, void *arg)
{
	walk_table(view, 4, 0, start, end, PTE_W | PTE_U, fn, arg);
}

/* Page-table pages per part of the address space (mm_log_usage, leak checks). */
static u64 pgtable_part_pages[PT_PART_COUNT];

enum pt_part pgtable_part_of(u64 va)
{
	switch (pt_index(va, 4)) {
	case SLOT_PERTASK: return PT_PART_TASK;
	case SLOT_PERCPU: return PT_PART_CPU;
	case SLOT_GLOBAL: return PT_PART_GLOBAL;
	default: return va < (1ULL << 47) ? PT_PART_USER : PT_PART_ROOT;
	}
}

void pgtable_account(enum pt_part part, s64 delta)
{
	__atomic_add_fetch(&pgtable_part_pages[part], (u64)delta, __ATOMIC_RELAXED);
}

u64 pgtable_pages_in_use(void)
{
	u64 n = 0;
	int i;

	for (i = 0; i < PT_PART_COUNT; i++)
		n += __atomic_load_n(&pgtable_part_pages[i], __ATOMIC_RELAXED);
	return n;
}

u64 pgtable_pages_of_part(enum pt_part part)
{
	return __atomic_load_n(&pgtable_part_pages[part], __ATOMIC_RELAXED);
}
