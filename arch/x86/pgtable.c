/*
 * x86-64 4-level page-table editing through the recursive self-map (see
 * include/copra/pgtable.h). Map, unmap and protect work in two passes: a
 * check pass that changes nothing and counts the page-table pages needed, a
 * reservation of that many frames, then a commit pass that cannot fail.
 */
#include <arch/mmu.h>
#include <copra/errno.h>
#include <copra/panic.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/tmpmap.h>

#include "pgtable_internal.h"

#define LEVEL_SIZE(l) (1ULL << (12 + 9 * ((l) - 1)))
#define PTE_FLAGS_MASK (~PTE_ADDR & ~(PTE_A | PTE_D))

void pt_flush_init(struct pt_flush *f)
{
	f->start = ~0ULL;
	f->end = 0;
	f->tables_freed = false;
	f->global = false;
}

static void pt_flush_add(struct pt_flush *f, u64 va, u64 size, pte_t old)
{
	if (va < f->start)
		f->start = va;
	if (va + size > f->end)
		f->end = va + size;
	if (old & PTE_G)
		f->global = true;
}

static inline volatile pte_t *pte_at(enum pt_view v, int level, u64 va)
{
	return arch_pt_entry_ptr(v, level, va);
}

static bool va_canonical(u64 va)
{
	return va < (1ULL << 47) || va >= 0xFFFF800000000000ULL;
}

static bool va_slot_editable(u64 va)
{
	unsigned slot = pt_index(va, 4);

	return va_canonical(va) && slot != SLOT_SELFMAP && slot != SLOT_FOREIGN;
}

/* Checks that [va, va + npages pages) is canonical, editable and does not wrap. */
static int pgtable_check_range(u64 va, u64 npages)
{
	u64 len, last;

	if (!IS_ALIGNED(va, PAGE_SIZE) || npages == 0)
		return -E_INVAL;
	if (mul_overflow(npages, PAGE_SIZE, &len) || add_overflow(va, len - 1, &last))
		return -E_RANGE;
	if (!va_slot_editable(va) || !va_slot_editable(last) ||
	    pt_index(va, 4) != pt_index(last, 4))
		return -E_RANGE;
	return 0;
}

static pte_t prot_to_pte(u32 prot, u64 va)
{
	pte_t e = PTE_P;

	if (prot & PROT_W)
		e |= PTE_W;
	if (!(prot & PROT_X))
		e |= PTE_NX;
	if ((prot & PROT_U) && va < (1ULL << 47))
		e |= PTE_U;
	if (prot & PROT_G)
		e |= PTE_G;
	if (prot & PROT_NC)
		e |= PTE_PCD | PTE_PWT;
	if (prot & PROT_BORROWED)
		e |= PTE_BORROWED;
	return e;
}

static u32 pte_to_prot(pte_t e)
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
	if (e & PTE_PCD)
		prot |= PROT_NC;
	if (e & PTE_BORROWED)
		prot |= PROT_BORROWED;
	return prot;
}

static pte_t table_entry(spa_t frame, u64 va)
{
	return (spa_addr(frame) & PTE_ADDR) | PTE_P | PTE_W | (va < (1ULL << 47) ? PTE_U : 0);
}

static spa_t pgtable_take_table(u64 va)
{
	spa_t f = pmm_alloc_reserved();

	tmpmap_zero_frame(f);
	pgtable_account(pgtable_part_of(va), 1);
	return f;
}

static void pgtable_free_table(spa_t f, u64 va)
{
	pmm_free_frame(f);
	pgtable_account(pgtable_part_of(va), -1);
}

/*
 * Check pass for one leaf at va, level lf: counts in *need the tables that
 * must be created (pending[] remembers regions already counted) and rejects
 * existing mappings. Level-4 entries must exist: slots are set up by their owners.
 */
static int map_check_one(enum pt_view v, u64 va, int lf, u64 pending[5], u64 *need)
{
	bool parent_new = false;
	int l;

	if (!(*pte_at(v, 4, va) & PTE_P))
		return -E_NOENT;
	for (l = 3; l > lf; l--) {
		u64 region = va & ~(LEVEL_SIZE(l) - 1);
		pte_t e = parent_new ? 0 : *pte_at(v, l, va);

		if (!(e & PTE_P)) {
			if (pending[l] != region) {
				pending[l] = region;
				(*need)++;
			}
			parent_new = true;
			continue;
		}
		if (e & PTE_PS)
			return -E_EXIST;
	}
	if (!parent_new && (*pte_at(v, lf, va) & PTE_P))
		return -E_EXIST;
	return 0;
}

/* Commit pass for one leaf: creates missing tables from the reservation. */
static void map_commit_one(enum pt_view v, u64 va, int lf, pte_t leaf)
{
	int l;

	for (l = 3; l > lf; l--) {
		volatile pte_t *p = pte_at(v, l, va);

		if (!(*p & PTE_P))
			*p = table_entry(pgtable_take_table(va), va);
	}
	*pte_at(v, lf, va) = leaf;
}

static int map_leaf_level(u64 va, u64 pa, u64 left, u32 prot)
{
	if ((prot & PROT_LARGE) && IS_ALIGNED(va, PAGE_SIZE_2M) &&
	    IS_ALIGNED(pa, PAGE_SIZE_2M) && left >= PAGE_SIZE_2M / PAGE_SIZE)
		return 2;
	return 1;
}

int pt_do_map(enum pt_view v, u64 va, spa_t pa, u64 npages, u32 prot)
{
	u64 pending[5] = { ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL };
	u64 need = 0, i, step;
	int ret, lf;

	ret = pgtable_check_range(va, npages);
	if (ret)
		return ret;
	if (!IS_ALIGNED(spa_addr(pa), PAGE_SIZE) || (spa_addr(pa) & ~PTE_ADDR))
		return -E_INVAL;
	for (i = 0; i < npages; i += step) {
		u64 off = i * PAGE_SIZE;

		lf = map_leaf_level(va + off, spa_addr(pa) + off, npages - i, prot);
		step = LEVEL_SIZE(lf) / PAGE_SIZE;
		ret = map_check_one(v, va + off, lf, pending, &need);
		if (ret)
			return ret;
	}
	if (need && pmm_reserve(need))
		return -E_NOMEM;
	for (i = 0; i < npages; i += step) {
		u64 off = i * PAGE_SIZE;
		pte_t leaf;

		lf = map_leaf_level(va + off, spa_addr(pa) + off, npages - i, prot);
		step = LEVEL_SIZE(lf) / PAGE_SIZE;
		leaf = prot_to_pte(prot, va) | ((spa_addr(pa) + off) & PTE_ADDR);
		map_commit_one(v, va + off, lf, lf == 2 ? leaf | PTE_PS : leaf);
	}
	return 0;
}

int pt_do_ensure_table(enum pt_view v, u64 va)
{
	u64 need = 0;
	bool missing = false;
	int l;

	if (pgtable_check_range(va & PAGE_MASK, 1))
		return -E_RANGE;
	if (!(*pte_at(v, 4, va) & PTE_P))
		return -E_NOENT;
	for (l = 3; l > 1; l--) {
		pte_t e = missing ? 0 : *pte_at(v, l, va);

		if (!(e & PTE_P)) {
			missing = true;
			need++;
		} else if (e & PTE_PS) {
			return -E_EXIST;
		}
	}
	if (need && pmm_reserve(need))
		return -E_NOMEM;
	for (l = 3; l > 1; l--) {
		volatile pte_t *p = pte_at(v, l, va);

		if (!(*p & PTE_P))
			*p = table_entry(pgtable_take_table(va), va);
	}
	return 0;
}

/*
 * Finds the leaf translating va: returns its level (1 or 2) and sets *e, or
 * returns 0 when va is unmapped.
 */
static int leaf_lookup(enum pt_view v, u64 va, pte_t *e)
{
	int l;

	for (l = 4; l >= 1; l--) {
		pte_t x = *pte_at(v, l, va);

		if (!(x & PTE_P))
			return 0;
		if (l == 1 || ((x & PTE_PS) && l <= 3)) {
			*e = x;
			return l;
		}
	}
	return 0;
}

/* Replaces the 2 MiB leaf covering va by a page table holding the same mappings. */
static void split_large(enum pt_view v, u64 va, struct pt_flush *f)
{
	volatile pte_t *pd = pte_at(v, 2, va);
	pte_t large = *pd;
	spa_t table = pmm_alloc_reserved();
	struct tmpmap m;
	pte_t *pt = tmpmap_map(table, &m);
	pte_t base = (large & ~(PTE_PS | PTE_ADDR)) | ((large & PTE_ADDR) & ~(PAGE_SIZE_2M - 1));
	unsigned i;

	for (i = 0; i < 512; i++)
		pt[i] = base + (u64)i * PAGE_SIZE;
	tmpmap_unmap(&m);
	pgtable_account(pgtable_part_of(va), 1);
	*pd = table_entry(table, va);
	pt_flush_add(f, va & ~(PAGE_SIZE_2M - 1), PAGE_SIZE_2M, large);
	f->tables_freed = true;
	arch_tlb_flush_page_local(pt_entry_va(v, 1, va));
}

/* How many 2 MiB leaves [va, va+len) covers only partly (each needs a split). */
static int count_splits(enum pt_view v, u64 va, u64 len, u64 *need)
{
	u64 ends[2] = { va, va + len - 1 };
	u64 last_split = ~0ULL;
	int k;

	for (k = 0; k < 2; k++) {
		pte_t e;
		u64 base = ends[k] & ~(PAGE_SIZE_2M - 1);

		if (leaf_lookup(v, ends[k], &e) == 3)
			return -E_NOSYS; /* 1 GiB leaves are never created */
		if (leaf_lookup(v, ends[k], &e) != 2 || base == last_split)
			continue;
		if (base >= va && base + PAGE_SIZE_2M <= va + len)
			continue; /* fully covered */
		(*need)++;
		last_split = base;
	}
	return 0;
}

static bool table_empty(enum pt_view v, int level, u64 va)
{
	/* The self-map shows the table as one page of consecutive entries. */
	volatile pte_t *tbl = pte_at(v, level, va & ~(LEVEL_SIZE(level + 1) - 1));

	return arch_pt_next_used(tbl, 0, 512) == 512;
}

/* Frees the PT (and then the PD) holding va when they became empty. */
static void free_empty_tables(enum pt_view v, u64 va, struct pt_flush *f)
{
	int l;

	/* The PD entry is only readable through the self-map when its PDPT exists. */
	if (!(*pte_at(v, 4, va) & PTE_P) || !(*pte_at(v, 3, va) & PTE_P))
		return;
	for (l = 1; l <= 2; l++) {
		volatile pte_t *parent = pte_at(v, l + 1, va);

		if (!(*parent & PTE_P) || (*parent & PTE_PS) || !table_empty(v, l, va))
			return;
		pgtable_free_table(spa_init(*parent & PTE_ADDR), va);
		*parent = 0;
		f->tables_freed = true;
		arch_tlb_flush_page_local(pt_entry_va(v, l, va));
	}
}

/* Splits partly covered 2 MiB leaves at both ends of the range (reserved frames). */
static int prepare_splits(enum pt_view v, u64 va, u64 len, struct pt_flush *f)
{
	u64 need = 0;
	u64 ends[2] = { va, va + len - 1 };
	int k, ret;
	pte_t e;

	ret = count_splits(v, va, len, &need);
	if (ret)
		return ret;
	if (!need)
		return 0;
	if (pmm_reserve(need))
		return -E_NOMEM;
	for (k = 0; k < 2; k++) {
		u64 base = ends[k] & ~(PAGE_SIZE_2M - 1);

		if (leaf_lookup(v, ends[k], &e) == 2 &&
		    !(base >= va && base + PAGE_SIZE_2M <= va + len))
			split_large(v, ends[k], f);
	}
	return 0;
}

int pt_do_unmap(enum pt_view v, u64 va, u64 npages, struct pt_flush *f)
{
	u64 len = npages * PAGE_SIZE, cur;
	int ret = pgtable_check_range(va, npages);

	if (ret)
		return ret;
	if (!(*pte_at(v, 4, va) & PTE_P))
		return 0;
	ret = prepare_splits(v, va, len, f);
	if (ret)
		return ret;
	for (cur = va; cur < va + len;) {
		pte_t e = 0;
		int l = leaf_lookup(v, cur, &e);
		u64 next;

		if (l == 0) {
			/* Skip to the next entry of the lowest present level. */
			int k = 4;

			while (k > 1 && (*pte_at(v, k, cur) & PTE_P))
				k--;
			next = (cur & ~(LEVEL_SIZE(k) - 1)) + LEVEL_SIZE(k);
		} else {
			*pte_at(v, l, cur) = 0;
			pt_flush_add(f, cur, LEVEL_SIZE(l), e);
			next = cur + LEVEL_SIZE(l);
		}
		if (next < cur || next >= va + len || pt_index(next, 2) != pt_index(cur, 2) ||
		    pt_index(next, 3) != pt_index(cur, 3))
			free_empty_tables(v, cur, f);
		if (next < cur)
			break;
		cur = next;
	}
	return 0;
}

int pt_do_protect(enum pt_view v, u64 va, u64 npages, u32 prot, struct pt_flush *f)
{
	u64 len = npages * PAGE_SIZE, cur;
	int ret = pgtable_check_range(va, npages);

	if (ret)
		return ret;
	for (cur = va; cur < va + len; cur += PAGE_SIZE) {
		pte_t e;

		if (!(*pte_at(v, 4, va) & PTE_P) || !leaf_lookup(v, cur, &e))
			return -E_NOENT;
	}
	ret = prepare_splits(v, va, len, f);
	if (ret)
		return ret;
	for (cur = va; cur < va + len;) {
		pte_t e = 0;
		int l = leaf_lookup(v, cur, &e);
		pte_t n = prot_to_pte(prot, cur) | (e & PTE_ADDR) | (l == 2 ? PTE_PS : 0);

		*pte_at(v, l, cur) = n;
		pt_flush_add(f, cur, LEVEL_SIZE(l), e);
		cur += LEVEL_SIZE(l);
	}
	return 0;
}

int pt_do_merge(enum pt_view v, u64 va, struct pt_flush *f)
{
	volatile pte_t *pd;
	pte_t first;
	spa_t table;
	unsigned i;

	if (!IS_ALIGNED(va, PAGE_SIZE_2M) || !va_slot_editable(va))
		return -E_INVAL;
	if (!(*pte_at(v, 4, va) & PTE_P) || !(*pte_at(v, 3, va) & PTE_P))
		return -E_NOENT;
	pd = pte_at(v, 2, va);
	if (!(*pd & PTE_P) || (*pd & PTE_PS))
		return -E_NOENT;
	first = *pte_at(v, 1, va);
	if (!(first & PTE_P) || !IS_ALIGNED(first & PTE_ADDR, PAGE_SIZE_2M))
		return -E_INVAL;
	for (i = 1; i < 512; i++) {
		pte_t e = *pte_at(v, 1, va + (u64)i * PAGE_SIZE);

		if ((e & PTE_FLAGS_MASK) != (first & PTE_FLAGS_MASK) ||
		    (e & PTE_ADDR) != (first & PTE_ADDR) + (u64)i * PAGE_SIZE)
			return -E_INVAL;
	}
	table = spa_init(*pd & PTE_ADDR);
	*pd = (first & ~PTE_ADDR & ~(PTE_A | PTE_D)) | (first & PTE_ADDR) | PTE_PS;
	pgtable_free_table(table, va);
	pt_flush_add(f, va, PAGE_SIZE_2M, first);
	f->tables_freed = true;
	arch_tlb_flush_page_local(pt_entry_va(v, 1, va));
	return 0;
}

int pgtable_query(enum pt_view v, u64 va, struct pt_mapping *m)
{
	pte_t e;
	int l;

	if (!va_slot_editable(va & PAGE_MASK))
		return -E_RANGE;
	l = leaf_lookup(v, va, &e);
	if (!l)
		return -E_NOENT;
	m->size = LEVEL_SIZE(l);
	m->prot = pte_to_prot(e);
	m->pa = spa_init((e & PTE_ADDR & ~(m->size - 1)) + ((va & (m->size - 1)) & PAGE_MASK));
	return 0;
}
