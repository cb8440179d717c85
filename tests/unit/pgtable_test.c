/*
 * Host unit tests of the page-table code (arch/x86/pgtable*.c) against fake
 * physical memory: map, unmap, protect, split and merge of 2 MiB/4 KiB pages,
 * the self-map address arithmetic, the foreign window, and exhaustion
 * leaving every byte of memory unchanged.
 */
#include <stdlib.h>

#include <copra/errno.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/string.h>
#include <copra/test.h>

#include "../host/fake/fake.h"

#define UVA 0x40000000ULL                 /* 1 GiB, 2 MiB aligned, in the user slot */
#define GVA (SLOT_VA(SLOT_GLOBAL) + 0x200000ULL)

static u64 *pg_storage;

/* Fresh fake machine: pmm over fake memory, a root with user and global slots. */
static spa_t pg_setup(void)
{
	struct pmm_range r = { FAKE_PHYS_BASE, FAKE_FRAMES };
	spa_t root, pdpt;
	unsigned slot;

	fake_mmu_reset();
	if (pmm_early_setup(&r, 1))
		abort();
	free(pg_storage);
	pg_storage = calloc(1, pmm_bitmap_bytes());
	pmm_init(pg_storage);
	if (pgtable_new_root(&root))
		abort();
	fake_set_root(spa_addr(root));
	for (slot = 0; slot < 512; slot += 511) {
		if (pmm_alloc_frame(&pdpt))
			abort();
		memset(fake_phys_ptr(spa_addr(pdpt)), 0, PAGE_SIZE);
		pgtable_set_root_entry(PT_SELF, slot,
				       spa_addr(pdpt) | PTE_P | PTE_W | (slot ? 0 : PTE_U));
	}
	return root;
}

static u64 pg_free_frames(void)
{
	struct pmm_stats s;

	pmm_get_stats(&s);
	return s.free;
}

TEST_FLAGS(pgtable, selfmap_arithmetic, TEST_F_HOST_ONLY)
{
	u64 va = 0x00007F1234567000ULL & 0x0000007FFFFFF000ULL;
	u64 i4 = pt_index(va, 4), i3 = pt_index(va, 3), i2 = pt_index(va, 2), i1 = pt_index(va, 1);
	u64 r = SLOT_SELFMAP, f = SLOT_FOREIGN;
	u64 sx = 0xFFFF000000000000ULL;

	CHECK_EQ(t, pt_entry_va(PT_SELF, 1, va), sx | r << 39 | i4 << 30 | i3 << 21 | i2 << 12 | i1 * 8);
	CHECK_EQ(t, pt_entry_va(PT_SELF, 2, va), sx | r << 39 | r << 30 | i4 << 21 | i3 << 12 | i2 * 8);
	CHECK_EQ(t, pt_entry_va(PT_SELF, 3, va), sx | r << 39 | r << 30 | r << 21 | i4 << 12 | i3 * 8);
	CHECK_EQ(t, pt_entry_va(PT_SELF, 4, va), sx | r << 39 | r << 30 | r << 21 | r << 12 | i4 * 8);
	CHECK_EQ(t, pt_entry_va(PT_FOREIGN, 1, va), sx | f << 39 | i4 << 30 | i3 << 21 | i2 << 12 | i1 * 8);
	CHECK_EQ(t, pt_entry_va(PT_FOREIGN, 4, va), sx | f << 39 | r << 30 | r << 21 | r << 12 | i4 * 8);
	/* A kernel-half address: the sign bits must not leak into the indices. */
	va = 0xFFFFFFFF80123000ULL;
	CHECK_EQ(t, pt_entry_va(PT_SELF, 1, va),
		 sx | r << 39 | 511ULL << 30 | 510ULL << 21 | 0ULL << 12 | 0x123 * 8);
}

TEST_FLAGS(pgtable, map_query_unmap_4k, TEST_F_HOST_ONLY)
{
	u64 base_free, tables, i;
	struct pt_mapping m;
	struct pt_flush f;

	pg_setup();
	base_free = pg_free_frames();
	tables = pgtable_pages_in_use();
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA, spa_init(0x5000000), 3, PROT_W | PROT_U), 0);
	CHECK_EQ(t, pgtable_pages_in_use(), tables + 2); /* a PD and a PT */
	for (i = 0; i < 3; i++) {
		CHECK_EQ(t, pgtable_query(PT_SELF, UVA + i * PAGE_SIZE + 5, &m), 0);
		CHECK_EQ(t, spa_addr(m.pa), 0x5000000 + i * PAGE_SIZE);
		CHECK_EQ(t, m.prot, PROT_W | PROT_U);
		CHECK_EQ(t, m.size, PAGE_SIZE);
	}
	CHECK_EQ(t, pgtable_query(PT_SELF, UVA + 3 * PAGE_SIZE, &m), -E_NOENT);
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA + PAGE_SIZE, spa_init(0x6000000), 1, 0), -E_EXIST);
	pt_flush_init(&f);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, UVA, 3, &f), 0);
	CHECK_EQ(t, f.start, UVA);
	CHECK_EQ(t, f.end, UVA + 3 * PAGE_SIZE);
	CHECK(t, f.tables_freed);
	CHECK_EQ(t, pg_free_frames(), base_free);
	CHECK_EQ(t, pgtable_query(PT_SELF, UVA, &m), -E_NOENT);
}

/* Unmapping where a whole PD is missing (found by the system-call fuzzer). */
TEST_FLAGS(pgtable, unmap_without_tables, TEST_F_HOST_ONLY)
{
	struct pt_flush f;
	u64 base_free;

	pg_setup();
	base_free = pg_free_frames();
	pt_flush_init(&f);
	/* No PD at all under this PDPT entry, then one that ends inside the hole. */
	CHECK_EQ(t, pgtable_unmap(PT_SELF, 0x600000, 16, &f), 0);
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA, spa_init(0x5000000), 1, PROT_W | PROT_U), 0);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, UVA - 4 * PAGE_SIZE, 8, &f), 0);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, UVA + 2 * PAGE_SIZE_1G, 1, &f), 0);
	CHECK_EQ(t, pg_free_frames(), base_free);
}

TEST_FLAGS(pgtable, rejects_bad_arguments, TEST_F_HOST_ONLY)
{
	struct pt_flush f;

	pg_setup();
	pt_flush_init(&f);
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA + 1, spa_init(0x5000000), 1, 0), -E_INVAL);
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA, spa_init(0x5000001), 1, 0), -E_INVAL);
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA, spa_init(0x5000000), 0, 0), -E_INVAL);
	CHECK_EQ(t, pgtable_map(PT_SELF, SLOT_VA(SLOT_SELFMAP), spa_init(0x5000000), 1, 0), -E_RANGE);
	CHECK_EQ(t, pgtable_map(PT_SELF, 0x0000800000000000ULL, spa_init(0x5000000), 1, 0), -E_RANGE);
	CHECK_EQ(t, pgtable_map(PT_SELF, ~0xFFFULL, spa_init(0x5000000), 2, 0), -E_RANGE);
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA, spa_init(0x5000000), ~0ULL, 0), -E_RANGE);
	/* Slot 1 has no PDPT: slots are set up by their owners, never implicitly. */
	CHECK_EQ(t, pgtable_map(PT_SELF, SLOT_VA(1), spa_init(0x5000000), 1, 0), -E_NOENT);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, UVA, ~0ULL, &f), -E_RANGE);
}

TEST_FLAGS(pgtable, large_split_and_merge, TEST_F_HOST_ONLY)
{
	u64 pages_before, tables_before;
	struct pt_mapping m;
	struct pt_flush f;

	pg_setup();
	pages_before = pg_free_frames();
	CHECK_EQ(t, pgtable_map(PT_SELF, GVA, spa_init(0x800000), 512, PROT_W | PROT_LARGE | PROT_G), 0);
	CHECK_EQ(t, pgtable_query(PT_SELF, GVA + 0x12345, &m), 0);
	CHECK_EQ(t, m.size, PAGE_SIZE_2M);
	CHECK_EQ(t, spa_addr(m.pa), 0x812000);
	tables_before = pgtable_pages_in_use();
	/* Protecting one 4 KiB page splits the 2 MiB leaf. */
	pt_flush_init(&f);
	CHECK_EQ(t, pgtable_protect(PT_SELF, GVA + 0x5000, 1, PROT_G, &f), 0);
	CHECK(t, f.tables_freed && f.global);
	CHECK_EQ(t, pgtable_pages_in_use(), tables_before + 1);
	CHECK_EQ(t, pgtable_query(PT_SELF, GVA + 0x5000, &m), 0);
	CHECK_EQ(t, m.prot, PROT_G);
	CHECK_EQ(t, m.size, PAGE_SIZE);
	CHECK_EQ(t, pgtable_query(PT_SELF, GVA + 0x6000, &m), 0);
	CHECK_EQ(t, m.prot, PROT_W | PROT_G);
	CHECK_EQ(t, spa_addr(m.pa), 0x806000);
	/* Not mergeable while permissions differ; mergeable once restored. */
	CHECK_EQ(t, pgtable_merge(PT_SELF, GVA, &f), -E_INVAL);
	CHECK_EQ(t, pgtable_protect(PT_SELF, GVA + 0x5000, 1, PROT_W | PROT_G, &f), 0);
	CHECK_EQ(t, pgtable_merge(PT_SELF, GVA, &f), 0);
	CHECK_EQ(t, pgtable_pages_in_use(), tables_before);
	CHECK_EQ(t, pgtable_query(PT_SELF, GVA + 0x1FF000, &m), 0);
	CHECK_EQ(t, m.size, PAGE_SIZE_2M);
	/* Unmapping part of a large page splits it and keeps the rest. */
	pt_flush_init(&f);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, GVA + 0x100000, 16, &f), 0);
	CHECK_EQ(t, pgtable_query(PT_SELF, GVA + 0x100000, &m), -E_NOENT);
	CHECK_EQ(t, pgtable_query(PT_SELF, GVA + 0x110000, &m), 0);
	CHECK_EQ(t, spa_addr(m.pa), 0x910000);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, GVA, 512, &f), 0);
	CHECK_EQ(t, pg_free_frames(), pages_before);
}

TEST_FLAGS(pgtable, exhaustion_changes_nothing, TEST_F_HOST_ONLY)
{
	static u8 before[FAKE_FRAMES * 4096];
	spa_t hog[FAKE_FRAMES];
	u64 n = 0, i;
	struct pt_flush f;

	pg_setup();
	CHECK_EQ(t, pgtable_map(PT_SELF, GVA, spa_init(0x800000), 512, PROT_W | PROT_LARGE), 0);
	/* Leave two frames: a map needing three tables must fail cleanly. */
	while (pg_free_frames() > 2 && pmm_alloc_frame(&hog[n]) == 0)
		n++;
	memcpy(before, fake_phys_ptr(FAKE_PHYS_BASE), sizeof(before));
	CHECK_EQ(t, pgtable_map(PT_SELF, SLOT_VA(0) + (3ULL << 30), spa_init(0x5000000), 1024, PROT_W),
		 -E_NOMEM);
	CHECK(t, memcmp(before, fake_phys_ptr(FAKE_PHYS_BASE), sizeof(before)) == 0);
	CHECK_EQ(t, pg_free_frames(), 2);
	/* Splitting needs a frame: with none left, protect fails and changes nothing. */
	CHECK_EQ(t, pmm_alloc_frame(&hog[n++]), 0);
	CHECK_EQ(t, pmm_alloc_frame(&hog[n++]), 0);
	memcpy(before, fake_phys_ptr(FAKE_PHYS_BASE), sizeof(before));
	pt_flush_init(&f);
	CHECK_EQ(t, pgtable_protect(PT_SELF, GVA, 1, 0, &f), -E_NOMEM);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, GVA, 1, &f), -E_NOMEM);
	CHECK(t, memcmp(before, fake_phys_ptr(FAKE_PHYS_BASE), sizeof(before)) == 0);
	for (i = 0; i < n; i++)
		pmm_free_frame(hog[i]);
}

TEST_FLAGS(pgtable, foreign_window, TEST_F_HOST_ONLY)
{
	spa_t root1 = pg_setup(), root2, pdpt;
	struct pt_mapping m;

	CHECK_EQ(t, pgtable_new_root(&root2), 0);
	CHECK_EQ(t, pmm_alloc_frame(&pdpt), 0);
	memset(fake_phys_ptr(spa_addr(pdpt)), 0, PAGE_SIZE);
	pgtable_foreign_begin(root2);
	pgtable_set_root_entry(PT_FOREIGN, SLOT_USER, spa_addr(pdpt) | PTE_P | PTE_W | PTE_U);
	CHECK_EQ(t, pgtable_map(PT_FOREIGN, UVA, spa_init(0x7000000), 1, PROT_U), 0);
	CHECK_EQ(t, pgtable_query(PT_FOREIGN, UVA, &m), 0);
	CHECK_EQ(t, pgtable_query(PT_SELF, UVA, &m), -E_NOENT);
	pgtable_foreign_end();
	CHECK_EQ(t, pgtable_get_root_entry(PT_SELF, SLOT_FOREIGN), 0);
	fake_set_root(spa_addr(root2));
	CHECK_EQ(t, pgtable_query(PT_SELF, UVA, &m), 0);
	CHECK_EQ(t, spa_addr(m.pa), 0x7000000);
	CHECK_EQ(t, m.prot, PROT_U);
	fake_set_root(spa_addr(root1));
}

struct pg_walk_count {
	unsigned leaves, selfmap, large;
};

static void pg_walk_cb(void *arg, u64 va, const struct pt_mapping *m, int level)
{
	struct pg_walk_count *c = arg;

	(void)va;
	if (level == 4)
		c->selfmap++;
	else if (m->size == PAGE_SIZE_2M)
		c->large++;
	else
		c->leaves++;
}

TEST_FLAGS(pgtable, walk_reports_leaves, TEST_F_HOST_ONLY)
{
	struct pg_walk_count c = { 0, 0, 0 };

	pg_setup();
	CHECK_EQ(t, pgtable_map(PT_SELF, UVA, spa_init(0x5000000), 7, PROT_U), 0);
	CHECK_EQ(t, pgtable_map(PT_SELF, GVA, spa_init(0x800000), 512, PROT_LARGE), 0);
	pgtable_walk(PT_SELF, 0, ~0ULL, pg_walk_cb, &c);
	CHECK_EQ(t, c.leaves, 7);
	CHECK_EQ(t, c.large, 1);
	CHECK_EQ(t, c.selfmap, 1);
}

TEST_FLAGS(pgtable, slot_teardown_frees_owned_frames, TEST_F_HOST_ONLY)
{
	spa_t root2, owned[3], borrowed;
	u64 free_before, tables_before;
	unsigned i;

	pg_setup();
	free_before = pg_free_frames();
	tables_before = pgtable_pages_in_use();
	CHECK_EQ(t, pgtable_new_root(&root2), 0);
	CHECK_EQ(t, pgtable_slot_create(root2, SLOT_PERTASK), 0);
	CHECK_EQ(t, pgtable_pages_of_part(PT_PART_TASK) > 0, 1);
	CHECK_EQ(t, pmm_alloc_frame(&borrowed), 0);
	pgtable_foreign_begin(root2);
	for (i = 0; i < 3; i++) {
		CHECK_EQ(t, pmm_alloc_frame(&owned[i]), 0);
		CHECK_EQ(t, pgtable_map(PT_FOREIGN, PERTASK_BASE + 0x10000 + i * PAGE_SIZE, owned[i], 1,
					PROT_W), 0);
	}
	CHECK_EQ(t, pgtable_map(PT_FOREIGN, PERTASK_BASE + (5ULL << 30), borrowed, 1,
				PROT_BORROWED), 0);
	pgtable_slot_destroy(PT_FOREIGN, SLOT_PERTASK);
	CHECK_EQ(t, pgtable_get_root_entry(PT_FOREIGN, SLOT_PERTASK), 0);
	pgtable_foreign_end();
	pgtable_root_free(root2);
	/* Everything but the borrowed frame came back. */
	CHECK_EQ(t, pg_free_frames(), free_before - 1);
	CHECK_EQ(t, pgtable_pages_in_use(), tables_before);
	pmm_free_frame(borrowed);
}
