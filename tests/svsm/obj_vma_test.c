/*
 * In-SVSM tests of user mappings (kernel/user/vma.c) on a real user slot:
 * map anywhere and at fixed addresses, overlaps with mappings and with
 * page-table entries outside the list, W+X and argument errors, protect and
 * unmap with splits and holes, mappings keeping objects alive, owned pages
 * freed when unmapped, and teardown dropping every reference. Each test runs
 * in a kernel thread that gets a user slot of its own and a stand-in process
 * (only its lock and mapping list are used); user memory is reached through
 * the uaccess gateway, as system calls do.
 */
#include <copra/aspace.h>
#include <copra/errno.h>
#include <copra/event.h>
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

#define RO COPRA_PROT_READ
#define RW (COPRA_PROT_READ | COPRA_PROT_WRITE)
#define RX (COPRA_PROT_READ | COPRA_PROT_EXEC)
#define VT_AREA (64ULL << 30)      /* the mapping area of kernel/user/vma.c */
#define VT_AREA_END (256ULL << 30)
#define VT_FIXED 0x5000000000ULL
#define PG PAGE_SIZE

typedef void (*vt_body)(struct test_ctx *t, struct process *p);

struct vt_run {
	struct test_ctx *t;
	vt_body body;
};

static void vt_thread(void *arg)
{
	struct vt_run *run = arg;
	struct process *p = kzalloc(sizeof(*p));
	struct pt_flush f;

	if (!p || pgtable_slot_create(aspace_current()->root, SLOT_USER)) {
		test_fail(run->t, __FILE__, __LINE__, "cannot set up a user slot");
		kfree(p);
		return;
	}
	spin_lock_init(&p->lock);
	run->body(run->t, p);
	pgtable_slot_destroy(PT_SELF, SLOT_USER);
	pt_flush_init(&f);
	f.tables_freed = true;
	tlb_flush(&f);
	vma_unmap_all(p); /* not in p's context: drops the references only */
	kfree(p);
}

static void vt_run_body(struct test_ctx *t, vt_body body)
{
	static struct vt_run run; /* not on this stack: the thread has its own at that address */
	u64 objs = obj_live_count(), frames = memobj_frames_in_use();
	struct task *w;

	run = (struct vt_run){ t, body };
	w = task_create_kernel("vmatest", vt_thread, &run, NULL);

	CHECK(t, w != NULL);
	task_join(w);
	task_put(w);
	if (t->failed)
		return;
	CHECK_EQ(t, obj_live_count(), objs);
	CHECK_EQ(t, memobj_frames_in_use(), frames);
}

static unsigned vt_count(struct process *p)
{
	unsigned n = 0;
	struct vma *v;

	for (v = p->vmas; v; v = v->next)
		n++;
	return n;
}

static bool vt_mapped(u64 va, u32 want, u32 unwanted)
{
	struct pt_mapping m;

	return pgtable_query(PT_SELF, va, &m) == 0 && (m.prot & want) == want &&
	       !(m.prot & unwanted);
}

static u64 vt_frame_at(u64 va)
{
	struct pt_mapping m;

	return pgtable_query(PT_SELF, va, &m) ? 0 : spa_addr(m.pa);
}

static void vt_map_anywhere_and_fixed(struct test_ctx *t, struct process *p)
{
	struct memobj *m;
	char buf[8];
	u64 va, va2, va3, i;

	CHECK_EQ(t, memobj_create(2 * PG, &m), 0);
	CHECK_EQ(t, vma_map(p, memobj_object(m), 0, RW, &va), 0);
	CHECK(t, va >= VT_AREA && va + 2 * PG <= VT_AREA_END && IS_ALIGNED(va, PG));
	for (i = 0; i < 2; i++) {
		CHECK_EQ(t, vt_frame_at(va + i * PG), spa_addr(memobj_frame(m, i)));
		CHECK(t, vt_mapped(va + i * PG, PROT_U | PROT_W | PROT_BORROWED, PROT_X));
	}
	CHECK_EQ(t, copy_to_user(va + PG + 8, "abcdefg", 8), 0);
	/* A second mapping of the same object shares its frames. */
	CHECK_EQ(t, vma_map(p, memobj_object(m), 0, RO, &va2), 0);
	CHECK(t, va2 >= va + 2 * PG);
	CHECK_EQ(t, copy_from_user(buf, va2 + PG + 8, 8), 0);
	CHECK(t, memcmp(buf, "abcdefg", 8) == 0);
	CHECK_EQ(t, copy_to_user(va2, buf, 1), -E_FAULT); /* read-only */
	CHECK_EQ(t, vma_map(p, memobj_object(m), VT_FIXED, RW, &va3), 0);
	CHECK_EQ(t, va3, VT_FIXED);
	CHECK_EQ(t, vt_count(p), 3);
	CHECK_EQ(t, memobj_object(m)->refs, 4);
	CHECK_EQ(t, vma_unmap(p, va, 2 * PG), 0);
	CHECK_EQ(t, vma_unmap(p, va2, 2 * PG), 0);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED, 2 * PG), 0);
	CHECK(t, p->vmas == NULL);
	CHECK(t, !vt_mapped(va, 0, 0) && !vt_mapped(VT_FIXED + PG, 0, 0));
	CHECK_EQ(t, memobj_object(m)->refs, 1);
	obj_put(memobj_object(m));
}

TEST(vma, map_anywhere_and_fixed)
{
	vt_run_body(t, vt_map_anywhere_and_fixed);
}

/* Maps one frame the process owns (like its image) at va: no vma, no PROT_BORROWED. */
static int vt_map_owned(u64 va, u32 prot)
{
	spa_t f;

	if (pmm_alloc_frame(&f))
		return -E_NOMEM;
	tmpmap_zero_frame(f);
	if (pgtable_map(PT_SELF, va, f, 1, PROT_U | prot)) {
		pmm_free_frame(f);
		return -E_NOMEM;
	}
	return 0;
}

static void vt_errors_and_overlaps(struct test_ctx *t, struct process *p)
{
	struct object *mo;
	struct event *ev = event_create();
	struct memobj *m;
	u64 va = 0;

	CHECK(t, ev != NULL);
	CHECK_EQ(t, memobj_create(2 * PG, &m), 0);
	mo = memobj_object(m);
	CHECK_EQ(t, vma_map(p, event_object(ev), 0, RW, &va), -E_TYPE);
	obj_put(event_object(ev));
	CHECK_EQ(t, vma_map(p, mo, 0, 0, &va), -E_INVAL);
	CHECK_EQ(t, vma_map(p, mo, 0, 0x8 | RO, &va), -E_INVAL);
	CHECK_EQ(t, vma_map(p, mo, 0, COPRA_PROT_WRITE | COPRA_PROT_EXEC, &va), -E_PERM);
	CHECK_EQ(t, vma_map(p, mo, 0, RW | COPRA_PROT_EXEC, &va), -E_PERM);
	CHECK_EQ(t, vma_map(p, mo, VT_FIXED + 1, RW, &va), -E_INVAL);
	CHECK_EQ(t, vma_map(p, mo, USER_TOP - PG, RW, &va), -E_FAULT);
	CHECK_EQ(t, vma_map(p, mo, 0xffffffff80100000ULL, RW, &va), -E_FAULT);
	CHECK_EQ(t, vma_map(p, mo, 0x0000800000000000ULL, RW, &va), -E_FAULT);
	/* Overlap with a listed mapping, partly and exactly. */
	CHECK_EQ(t, vma_map(p, mo, VT_FIXED, RW, &va), 0);
	CHECK_EQ(t, vma_map(p, mo, VT_FIXED + PG, RW, &va), -E_EXIST);
	CHECK_EQ(t, vma_map(p, mo, VT_FIXED - PG, RW, &va), -E_EXIST);
	CHECK_EQ(t, vma_map(p, mo, VT_FIXED, RO, &va), -E_EXIST);
	/* Overlap with pages that are not in the list (image, stack). */
	CHECK_EQ(t, vt_map_owned(VT_FIXED + 0x100000, PROT_W), 0);
	CHECK_EQ(t, vma_map(p, mo, VT_FIXED + 0x100000 - PG, RW, &va), -E_EXIST);
	/* The area's first page is taken that way: mapping anywhere skips it. */
	CHECK_EQ(t, vt_map_owned(VT_AREA, 0), 0);
	CHECK_EQ(t, vma_map(p, mo, 0, RW, &va), 0);
	CHECK_EQ(t, va, VT_AREA + PG);
	CHECK_EQ(t, vt_count(p), 2);
	/* The stack's region with its guard page below is taken too. */
	p->stack_bottom = USER_STACK_TOP - 16 * PG;
	CHECK_EQ(t, vma_map(p, mo, p->stack_bottom - 2 * PG, RW, &va), -E_EXIST);
	CHECK_EQ(t, vma_map(p, mo, USER_STACK_TOP, RW, &va), -E_FAULT);
	/* Failures changed nothing. */
	CHECK_EQ(t, mo->refs, 3);
	CHECK(t, !vt_mapped(VT_FIXED - PG, 0, 0) && !vt_mapped(VT_FIXED + 0x100000 - PG, 0, 0));
	CHECK_EQ(t, vma_unmap(p, VT_AREA, 3 * PG), 0);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED, 0x101000), 0);
	CHECK(t, p->vmas == NULL && !vt_mapped(VT_AREA, 0, 0));
	obj_put(mo);
}

TEST(vma, errors_and_overlaps)
{
	vt_run_body(t, vt_errors_and_overlaps);
}

static void vt_mapping_keeps_object(struct test_ctx *t, struct process *p)
{
	u64 frames = memobj_frames_in_use(), va, x = 0x1234;
	struct memobj *m;

	CHECK_EQ(t, memobj_create(PG, &m), 0);
	CHECK_EQ(t, vma_map(p, memobj_object(m), 0, RW, &va), 0);
	obj_put(memobj_object(m)); /* like closing the handle */
	CHECK_EQ(t, memobj_frames_in_use(), frames + 1);
	CHECK_EQ(t, copy_to_user(va, &x, sizeof(x)), 0);
	x = 0;
	CHECK_EQ(t, copy_from_user(&x, va, sizeof(x)), 0);
	CHECK_EQ(t, x, 0x1234);
	CHECK_EQ(t, vma_unmap(p, va, PG), 0);
	CHECK_EQ(t, memobj_frames_in_use(), frames);
}

TEST(vma, mapping_keeps_object_alive)
{
	vt_run_body(t, vt_mapping_keeps_object);
}

static void vt_unmap_splits(struct test_ctx *t, struct process *p)
{
	struct memobj *m;
	u64 va, i;

	CHECK_EQ(t, memobj_create(8 * PG, &m), 0);
	CHECK_EQ(t, vma_map(p, memobj_object(m), VT_FIXED, RW, &va), 0);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED + 2 * PG, 2 * PG), 0);
	CHECK_EQ(t, vt_count(p), 2);
	CHECK_EQ(t, memobj_object(m)->refs, 3);
	CHECK(t, p->vmas->end == VT_FIXED + 2 * PG && p->vmas->next->start == VT_FIXED + 4 * PG);
	for (i = 0; i < 8; i++)
		CHECK_EQ(t, vt_mapped(VT_FIXED + i * PG, 0, 0), i < 2 || i >= 4);
	/* Holes are ignored; both sides are trimmed. */
	CHECK_EQ(t, vma_unmap(p, VT_FIXED + PG, 4 * PG), 0);
	CHECK_EQ(t, vt_count(p), 2);
	CHECK(t, p->vmas->end == VT_FIXED + PG && p->vmas->next->start == VT_FIXED + 5 * PG);
	CHECK_EQ(t, vt_frame_at(VT_FIXED + 5 * PG), spa_addr(memobj_frame(m, 5)));
	/* A range with nothing mapped is fine; a whole sweep removes the rest. */
	CHECK_EQ(t, vma_unmap(p, VT_FIXED + 64 * PG, PG), 0);
	CHECK_EQ(t, vma_unmap(p, USER_BASE, USER_TOP - USER_BASE), 0);
	CHECK(t, p->vmas == NULL);
	CHECK_EQ(t, memobj_object(m)->refs, 1);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED + 1, PG), -E_INVAL);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED, 0), -E_INVAL);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED, 123), -E_INVAL);
	CHECK_EQ(t, vma_unmap(p, 0xfffffffffffff000ULL, 2 * PG), -E_FAULT);
	CHECK_EQ(t, vma_unmap(p, PG, 1ULL << 62), -E_FAULT);
	obj_put(memobj_object(m));
}

TEST(vma, unmap_splits_and_ignores_holes)
{
	vt_run_body(t, vt_unmap_splits);
}

static void vt_protect(struct test_ctx *t, struct process *p)
{
	struct memobj *m;
	struct vma *v;
	u64 va;
	u8 b = 1;

	CHECK_EQ(t, memobj_create(4 * PG, &m), 0);
	CHECK_EQ(t, vma_map(p, memobj_object(m), VT_FIXED, RW, &va), 0);
	CHECK_EQ(t, vma_protect(p, VT_FIXED + PG, 2 * PG, RO), 0);
	CHECK_EQ(t, vt_count(p), 3);
	v = p->vmas;
	CHECK(t, v->prot == RW && v->next->prot == RO && v->next->next->prot == RW);
	CHECK_EQ(t, v->next->end - v->next->start, 2 * PG);
	CHECK(t, vt_mapped(VT_FIXED + PG, PROT_U | PROT_BORROWED, PROT_W | PROT_X));
	CHECK_EQ(t, copy_to_user(VT_FIXED + PG, &b, 1), -E_FAULT);
	CHECK_EQ(t, copy_to_user(VT_FIXED, &b, 1), 0);
	CHECK_EQ(t, copy_to_user(VT_FIXED + 3 * PG, &b, 1), 0);
	CHECK_EQ(t, vma_protect(p, VT_FIXED + PG, PG, RX), 0);
	CHECK(t, vt_mapped(VT_FIXED + PG, PROT_U | PROT_X | PROT_BORROWED, PROT_W));
	/* Refused: W+X, bad arguments, a range with an unmapped page; nothing changes. */
	CHECK_EQ(t, vma_protect(p, VT_FIXED, PG, RW | COPRA_PROT_EXEC), -E_PERM);
	CHECK_EQ(t, vma_protect(p, VT_FIXED, PG, 0), -E_INVAL);
	CHECK_EQ(t, vma_protect(p, VT_FIXED + 1, PG, RO), -E_INVAL);
	CHECK_EQ(t, vma_protect(p, VT_FIXED, 100, RO), -E_INVAL);
	CHECK_EQ(t, vma_protect(p, 0xffffffff80100000ULL, PG, RO), -E_FAULT);
	CHECK_EQ(t, vma_protect(p, VT_FIXED + 2 * PG, 4 * PG, RO), -E_FAULT);
	CHECK(t, vt_mapped(VT_FIXED + 3 * PG, PROT_W, 0));
	CHECK_EQ(t, vt_count(p), 4);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED, 4 * PG), 0);
	CHECK_EQ(t, memobj_object(m)->refs, 1);
	obj_put(memobj_object(m));
}

TEST(vma, protect_splits_and_refuses)
{
	vt_run_body(t, vt_protect);
}

/* Owned pages (image-like): W+X refused there too; unmapping frees their frames. */
static void vt_owned_pages(struct test_ctx *t, struct process *p)
{
	struct pmm_stats before, mapped, after;
	struct memobj *m;
	u64 va;

	/* A neighbour keeps the page tables of the region alive. */
	CHECK_EQ(t, memobj_create(PG, &m), 0);
	CHECK_EQ(t, vma_map(p, memobj_object(m), VT_FIXED, RW, &va), 0);
	pmm_get_stats(&before);
	CHECK_EQ(t, vt_map_owned(VT_FIXED + PG, PROT_X), 0);
	CHECK_EQ(t, vt_map_owned(VT_FIXED + 2 * PG, 0), 0);
	pmm_get_stats(&mapped);
	CHECK_EQ(t, before.free - mapped.free, 2);
	CHECK_EQ(t, vma_protect(p, VT_FIXED + PG, PG, RW | COPRA_PROT_EXEC), -E_PERM);
	CHECK_EQ(t, vma_protect(p, VT_FIXED, 3 * PG, RO), 0);
	CHECK(t, vt_mapped(VT_FIXED + PG, PROT_U, PROT_W | PROT_X | PROT_BORROWED));
	CHECK(t, vt_mapped(VT_FIXED, PROT_U | PROT_BORROWED, PROT_W));
	CHECK_EQ(t, vma_unmap(p, VT_FIXED + PG, 2 * PG), 0);
	pmm_get_stats(&after);
	CHECK_EQ(t, after.free, before.free);
	CHECK_EQ(t, vt_count(p), 1);
	CHECK_EQ(t, vma_unmap(p, VT_FIXED, PG), 0);
	obj_put(memobj_object(m));
}

TEST(vma, owned_pages_freed_on_unmap)
{
	vt_run_body(t, vt_owned_pages);
}

/* Teardown in the process's own context (as process_exit does it). */
static void vt_unmap_all(struct test_ctx *t, struct process *p)
{
	u64 frames = memobj_frames_in_use(), va, va2;
	struct task *self = task_current();
	struct memobj *m;

	CHECK_EQ(t, memobj_create(3 * PG, &m), 0);
	CHECK_EQ(t, vma_map(p, memobj_object(m), 0, RW, &va), 0);
	CHECK_EQ(t, vma_map(p, memobj_object(m), VT_FIXED, RO, &va2), 0);
	obj_put(memobj_object(m));
	CHECK_EQ(t, memobj_frames_in_use(), frames + 3);
	self->proc = p;
	vma_unmap_all(p);
	self->proc = NULL;
	CHECK(t, p->vmas == NULL);
	CHECK(t, !vt_mapped(va, 0, 0) && !vt_mapped(VT_FIXED + 2 * PG, 0, 0));
	CHECK_EQ(t, memobj_frames_in_use(), frames);
}

TEST(vma, unmap_all_drops_every_reference)
{
	vt_run_body(t, vt_unmap_all);
}
