/*
 * In-SVSM tests of the live memory manager: frame allocator exhaustion and
 * recovery, the global and per-CPU heaps, and temporary mappings.
 */
#include <arch/trap.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/memlayout.h>
#include <copra/percpu.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/string.h>
#include <copra/test.h>
#include <copra/tmpmap.h>

/* Takes every free frame, chaining them through their own first word. */
static u64 mmt_take_all(spa_t *head)
{
	u64 n = 0;
	spa_t f;

	*head = spa_init(0);
	while (pmm_alloc_frame(&f) == 0) {
		struct tmpmap m;
		u64 *p = tmpmap_map(f, &m);

		p[0] = spa_addr(*head);
		tmpmap_unmap(&m);
		*head = f;
		n++;
	}
	return n;
}

static void mmt_give_back(spa_t head)
{
	while (spa_addr(head)) {
		struct tmpmap m;
		u64 next = *(u64 *)tmpmap_map(head, &m);

		tmpmap_unmap(&m);
		pmm_free_frame(head);
		head = spa_init(next);
	}
}

TEST(pmm, live_exhaustion_and_recovery)
{
	struct pmm_stats before, during, after;
	struct heap_stats hs;
	spa_t head, x;
	void *big;
	u64 n;

	pmm_get_stats(&before);
	n = mmt_take_all(&head);
	pmm_get_stats(&during);
	/* Exhausted: every consumer fails cleanly instead of panicking. */
	CHECK_EQ(t, during.free - during.reserved, 0);
	CHECK_EQ(t, pmm_alloc_frame(&x), -E_NOMEM);
	CHECK_EQ(t, pmm_reserve(1), -E_NOMEM);
	big = kmalloc(64 << 10);
	CHECK(t, big == NULL);
	heap_get_stats(&global_heap, &hs);
	CHECK(t, hs.failures > 0);
	mmt_give_back(head);
	pmm_get_stats(&after);
	CHECK_EQ(t, n, before.free - before.reserved);
	CHECK_EQ(t, after.free, before.free);
}

TEST(heap, alloc_free_sizes)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 100, 496, 497, 2032, 2033, 4000, 5000, 70000 };
	struct heap_stats before, mid, after;
	u8 *p[ARRAY_SIZE(sizes)];
	unsigned i, k;

	heap_get_stats(&global_heap, &before);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		CHECK(t, p[i] != NULL);
		CHECK(t, heap_contains(&global_heap, p[i]));
		CHECK_EQ(t, (uintptr_t)p[i] % 16, 0);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (k = 0; k < sizes[i]; k++)
			CHECK_EQ(t, p[i][k], i + 1);
	heap_get_stats(&global_heap, &mid);
	CHECK(t, mid.bytes_in_use > before.bytes_in_use);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	heap_get_stats(&global_heap, &after);
	CHECK_EQ(t, after.bytes_in_use, before.bytes_in_use);
	CHECK_EQ(t, after.pages_mapped, before.pages_mapped);
	CHECK(t, kmalloc(0) == NULL);
	CHECK(t, kmalloc((size_t)1 << 40) == NULL);
}

TEST(heap, many_small_objects_return_pages)
{
	static void *objs[2000];
	struct heap_stats before, after;
	unsigned i;

	heap_get_stats(&global_heap, &before);
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = kzalloc(48);
		CHECK(t, objs[i] != NULL);
	}
	for (i = 0; i < ARRAY_SIZE(objs); i += 2)
		kfree(objs[i]);
	for (i = 1; i < ARRAY_SIZE(objs); i += 2)
		kfree(objs[i]);
	heap_get_stats(&global_heap, &after);
	CHECK_EQ(t, after.pages_mapped, before.pages_mapped);
	CHECK_EQ(t, after.bytes_in_use, before.bytes_in_use);
}

TEST(heap, percpu_heap_is_separate)
{
	struct heap *h = this_cpu()->heap;
	void *p = heap_alloc(h, 128);

	CHECK(t, p != NULL);
	CHECK(t, (u64)(uintptr_t)p >= PERCPU_HEAP_BASE &&
		 (u64)(uintptr_t)p < PERCPU_HEAP_BASE + PERCPU_HEAP_SIZE);
	CHECK(t, !heap_contains(&global_heap, p));
	kfree(p);
}

TEST(tmpmap, maps_the_frame_and_unmaps)
{
	struct tmpmap m;
	struct pt_mapping q;
	u64 *p, v = 0;
	u64 va;
	spa_t f;

	CHECK_EQ(t, pmm_alloc_frame(&f), 0);
	p = tmpmap_map(f, &m);
	va = (u64)(uintptr_t)p;
	CHECK(t, va >= PERCPU_TEMP_BASE && va < PERCPU_TEMP_BASE + PERCPU_TEMP_SLOTS * PAGE_SIZE);
	CHECK_EQ(t, pgtable_query(PT_SELF, va, &q), 0);
	CHECK_EQ(t, spa_addr(q.pa), spa_addr(f));
	CHECK(t, !(q.prot & PROT_X) && (q.prot & PROT_W));
	p[0] = 0x1122334455667788ULL;
	p[511] = spa_addr(f);
	tmpmap_unmap(&m);
	/* Gone after release: not in the tables, and a read faults. */
	CHECK_EQ(t, pgtable_query(PT_SELF, va, &q), -E_NOENT);
	CHECK_EQ(t, arch_safe_read_u64((const void *)(uintptr_t)va, &v), -E_FAULT);
	/* Mapped again (possibly elsewhere), the frame still holds the data. */
	p = tmpmap_map(f, &m);
	CHECK_EQ(t, p[0], 0x1122334455667788ULL);
	CHECK_EQ(t, p[511], spa_addr(f));
	tmpmap_unmap(&m);
	pmm_free_frame(f);
}
