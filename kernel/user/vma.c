/*
 * A process's user mappings (the vma_* functions of include/copra/process.h)
 * and the page-table work behind mem_map, mem_unmap and mem_protect
 * (docs/syscalls.md section 4.5).
 *
 * A process's user memory is the user slot (PML4 slot 0) of its task. Every
 * operation here except vma_unmap_all runs in the process's own context and
 * edits that slot through the self-map (PT_SELF). The mapping list (sorted
 * by start, never overlapping) records the memory objects mapped: each vma
 * holds one reference on its object, and the object's frames are mapped with
 * PROT_BORROWED so page-table teardown leaves them to the object. Pages the
 * process owns outright (its image and stack, mapped by the loader without
 * PROT_BORROWED, possibly listed with obj NULL) have their frames freed when
 * they are unmapped here.
 *
 * Mapping area: mem_map with addr 0 takes the lowest free range of
 * [VMA_AREA_BASE, VMA_AREA_END) = [64 GiB, 256 GiB), far above the image
 * (0x400000), above the runtime's heap ([16 GiB, 32 GiB), fixed mappings) and
 * below the stack (top of the slot). "Free" means no vma and no present
 * page-table entry. Fixed addresses may be anywhere in user space that is
 * free in that sense and not in the stack's region (the stack with its guard
 * pages, [stack_bottom - 4096, USER_TOP)): otherwise -E_EXIST.
 *
 * All-or-nothing: everything that can fail (allocations, frames for page
 * tables) is checked or reserved before the first change, or undone.
 *
 * Lock order: process->lock (guards the list and, by this convention, the
 * edits of the user slot's page tables) > pmm_lock (taken inside pgtable_*).
 * Nothing allocates from or frees to the heap, drops an object reference or
 * flushes TLBs (IPIs) while holding process->lock: those happen before the
 * lock is taken or after it is released, and frames and objects are released
 * only after the TLB flush.
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/memobj.h>
#include <copra/panic.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/process.h>
#include <copra/spinlock.h>
#include <copra/task.h>
#include <copra/tlb.h>
#include <copra/uaccess.h>

#define VMA_AREA_BASE (64ULL << 30)
#define VMA_AREA_END (256ULL << 30)
#define VMA_PROT_ALL (COPRA_PROT_READ | COPRA_PROT_WRITE | COPRA_PROT_EXEC)
#define VMA_SCAN_STACK 8

/* A run of present leaves with one protection (and, for unmap, contiguous frames). */
struct vma_ext {
	u64 va, npages;
	spa_t pa;   /* frame at va */
	u32 prot;   /* PROT_* as the page table has it, PROT_BORROWED included */
};

struct vma_scan {
	u64 start, end;
	bool owned_only;        /* only leaves without PROT_BORROWED */
	struct vma_ext *ext;
	unsigned cap, n;        /* n > cap: that many entries are needed */
	u64 pages;              /* present pages in [start, end), owned or not */
};

static int vma_check_range(u64 addr, u64 size)
{
	if (!size || !IS_ALIGNED(addr, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE))
		return -E_INVAL;
	return user_range_ok(addr, size) ? 0 : -E_FAULT;
}

static int vma_check_prot(u32 prot)
{
	if (!prot || (prot & ~VMA_PROT_ALL))
		return -E_INVAL;
	if ((prot & COPRA_PROT_WRITE) && (prot & COPRA_PROT_EXEC))
		return -E_PERM;
	return 0;
}

/* Page-table protection for ABI prot (readable is implied). */
static u32 vma_pte_prot(u32 prot)
{
	return PROT_U | ((prot & COPRA_PROT_WRITE) ? PROT_W : 0) |
	       ((prot & COPRA_PROT_EXEC) ? PROT_X : 0);
}

static void vma_scan_leaf(void *arg, u64 va, const struct pt_mapping *m, int level)
{
	struct vma_scan *s = arg;
	u64 lo = MAX(va, s->start), hi = MIN(va + m->size, s->end), n;
	spa_t pa = spa_add(m->pa, lo - va);
	struct vma_ext *last;

	if (level > 3 || lo >= hi)
		return;
	n = (hi - lo) / PAGE_SIZE;
	s->pages += n;
	if (s->owned_only && (m->prot & PROT_BORROWED))
		return;
	last = s->n && s->n <= s->cap ? &s->ext[s->n - 1] : NULL;
	if (last && last->va + last->npages * PAGE_SIZE == lo && last->prot == m->prot &&
	    (!s->owned_only || spa_addr(last->pa) + last->npages * PAGE_SIZE == spa_addr(pa))) {
		last->npages += n;
		return;
	}
	if (s->n < s->cap)
		s->ext[s->n] = (struct vma_ext){ lo, n, pa, m->prot };
	s->n++;
}

/*
 * Collects the present leaves of [s->start, s->end) into s->ext (the stack
 * array, or a heap array when more are needed). Returns with p->lock held,
 * or -E_NOMEM without it.
 */
static int vma_scan_locked(struct process *p, struct vma_scan *s, struct vma_ext *stack)
{
	unsigned need;

	s->ext = stack;
	s->cap = VMA_SCAN_STACK;
	for (;;) {
		s->n = 0;
		s->pages = 0;
		spin_lock(&p->lock);
		pgtable_walk(PT_SELF, s->start, s->end, vma_scan_leaf, s);
		if (s->n <= s->cap)
			return 0;
		need = s->n;
		spin_unlock(&p->lock);
		if (s->ext != stack)
			kfree(s->ext);
		s->ext = kmalloc(need * sizeof(*s->ext));
		if (!s->ext)
			return -E_NOMEM;
		s->cap = need;
	}
}

static void vma_scan_done(struct vma_scan *s, struct vma_ext *stack)
{
	if (s->ext != stack)
		kfree(s->ext);
}

/* Drops the references of a detached list of vmas and frees it. */
static void vma_release(struct vma *v)
{
	while (v) {
		struct vma *next = v->next;

		if (v->obj)
			obj_put(v->obj);
		kfree(v);
		v = next;
	}
}

static void vma_pt_unmap(u64 va, u64 npages, struct pt_flush *f)
{
	/* 4 KiB leaves (all this file maps) never need a split: cannot fail. */
	if (pgtable_unmap(PT_SELF, va, npages, f))
		CHECK_INVARIANT(false);
}

static void vma_leaf_end(void *arg, u64 va, const struct pt_mapping *m, int level)
{
	u64 *end = arg;

	if (level <= 3 && va + m->size > *end)
		*end = va + m->size;
}

/* End of the last present leaf overlapping [start, end), or 0. */
static u64 vma_pt_used_until(u64 start, u64 end)
{
	u64 last = 0;

	pgtable_walk(PT_SELF, start, end, vma_leaf_end, &last);
	return last;
}

static bool vma_list_overlaps(struct process *p, u64 start, u64 end)
{
	struct vma *v;

	for (v = p->vmas; v && v->start < end; v = v->next)
		if (v->end > start)
			return true;
	return false;
}

/*
 * Whether a fixed range is taken: by a listed mapping, by any page-table
 * entry (image, stack, ...) or by the stack's region with its guard pages
 * ([stack_bottom - 4096, USER_TOP), when the process has a stack).
 */
static bool vma_range_taken(struct process *p, u64 start, u64 end)
{
	if (p->stack_bottom && end > p->stack_bottom - PAGE_SIZE)
		return true;
	return vma_list_overlaps(p, start, end) || vma_pt_used_until(start, end);
}

/* The lowest free range of size bytes in the mapping area. */
static int vma_find_free(struct process *p, u64 size, u64 *out)
{
	struct vma *v = p->vmas;
	u64 cand = VMA_AREA_BASE, used;

	for (;;) {
		if (cand >= VMA_AREA_END || size > VMA_AREA_END - cand)
			return -E_NOMEM;
		while (v && v->end <= cand)
			v = v->next;
		if (v && v->start < cand + size) {
			cand = v->end;
			continue;
		}
		used = vma_pt_used_until(cand, cand + size);
		if (!used) {
			*out = cand;
			return 0;
		}
		cand = ALIGN_UP(used, PAGE_SIZE);
	}
}

/* Maps every frame of m at va, runs of contiguous frames at once; undone on failure. */
static int vma_map_frames(struct memobj *m, u64 va, u32 prot, struct pt_flush *f)
{
	u64 i = 0, run, n = memobj_pages(m);
	int r;

	while (i < n) {
		u64 first = spa_addr(memobj_frame(m, i));

		for (run = 1; i + run < n; run++)
			if (spa_addr(memobj_frame(m, i + run)) != first + run * PAGE_SIZE)
				break;
		r = pgtable_map(PT_SELF, va + i * PAGE_SIZE, memobj_frame(m, i), run, prot);
		if (r) {
			if (i)
				vma_pt_unmap(va, i, f);
			return r == -E_EXIST ? -E_EXIST : -E_NOMEM;
		}
		i += run;
	}
	return 0;
}

static void vma_insert(struct process *p, struct vma *v)
{
	struct vma **pp = &p->vmas;

	while (*pp && (*pp)->start < v->start)
		pp = &(*pp)->next;
	v->next = *pp;
	*pp = v;
}

int vma_map(struct process *p, struct object *mem, u64 addr, u32 prot, u64 *out)
{
	struct memobj *m = memobj_from_object(mem);
	struct pt_flush f;
	struct vma *v;
	u64 size;
	int r;

	if (!m)
		return -E_TYPE;
	r = vma_check_prot(prot);
	if (r)
		return r;
	size = memobj_pages(m) * PAGE_SIZE;
	if (addr && !IS_ALIGNED(addr, PAGE_SIZE))
		return -E_INVAL;
	if (addr && !user_range_ok(addr, size))
		return -E_FAULT;
	v = kmalloc(sizeof(*v));
	if (!v)
		return -E_NOMEM;
	pt_flush_init(&f);
	spin_lock(&p->lock);
	if (!addr)
		r = vma_find_free(p, size, &addr);
	else if (vma_range_taken(p, addr, addr + size))
		r = -E_EXIST;
	if (!r)
		r = vma_map_frames(m, addr, vma_pte_prot(prot) | PROT_BORROWED, &f);
	if (!r) {
		*v = (struct vma){ addr, addr + size, prot | COPRA_PROT_READ, mem, NULL };
		obj_get(mem);
		vma_insert(p, v);
	}
	spin_unlock(&p->lock);
	tlb_flush(&f); /* only after an undone partial map */
	if (r) {
		kfree(v);
		return r;
	}
	*out = addr;
	return 0;
}

/* Splits v at `at` (inside it) using *spare for the upper part. */
static void vma_split_at(struct vma *v, u64 at, struct vma **spare)
{
	struct vma *tail = *spare;

	*spare = NULL;
	*tail = *v;
	tail->start = at;
	v->end = at;
	v->next = tail;
	if (tail->obj)
		obj_get(tail->obj);
}

/*
 * Removes [start, end) from the list: trims, splits (taking *spare) and
 * detaches vmas; returns the detached ones (their references still held).
 */
static struct vma *vma_list_cut(struct process *p, u64 start, u64 end, struct vma **spare)
{
	struct vma **pp = &p->vmas, *v, *dead = NULL;

	while ((v = *pp) && v->start < end) {
		if (v->end <= start) {
			pp = &v->next;
		} else if (v->start < start && v->end > end) {
			vma_split_at(v, end, spare);
			v->end = start;
			break;
		} else if (v->start < start) {
			v->end = start;
			pp = &v->next;
		} else if (v->end > end) {
			v->start = end;
			break;
		} else {
			*pp = v->next;
			v->next = dead;
			dead = v;
		}
	}
	return dead;
}

int vma_unmap(struct process *p, u64 addr, u64 size)
{
	struct vma_ext stack[VMA_SCAN_STACK];
	struct vma_scan s = { .start = addr, .end = addr + size, .owned_only = true };
	struct vma *spare, *dead = NULL;
	struct pt_flush f;
	unsigned i;
	int r;

	r = vma_check_range(addr, size);
	if (r)
		return r;
	spare = kmalloc(sizeof(*spare));
	if (!spare)
		return -E_NOMEM;
	r = vma_scan_locked(p, &s, stack);
	if (r) {
		kfree(spare);
		return r;
	}
	pt_flush_init(&f);
	if (s.pages)
		r = pgtable_unmap(PT_SELF, addr, size / PAGE_SIZE, &f); /* only splits can fail */
	if (!r)
		dead = vma_list_cut(p, addr, addr + size, &spare);
	spin_unlock(&p->lock);
	tlb_flush(&f);
	for (i = 0; !r && i < s.n; i++)
		pmm_free_contig(s.ext[i].pa, s.ext[i].npages);
	vma_release(dead);
	vma_scan_done(&s, stack);
	kfree(spare);
	return r ? -E_NOMEM : 0;
}

/* Applies prot to every extent (keeping PROT_BORROWED); reverts on failure. */
static int vma_apply_protect(const struct vma_scan *s, u32 prot, struct pt_flush *f)
{
	const u32 keep = PROT_U | PROT_W | PROT_X | PROT_BORROWED;
	unsigned i;
	int r;

	for (i = 0; i < s->n; i++) {
		const struct vma_ext *e = &s->ext[i];

		r = pgtable_protect(PT_SELF, e->va, e->npages, prot | (e->prot & PROT_BORROWED), f);
		if (!r)
			continue;
		/* The earlier extents were split already: restoring them cannot fail. */
		while (i--)
			if (pgtable_protect(PT_SELF, s->ext[i].va, s->ext[i].npages,
					    s->ext[i].prot & keep, f))
				CHECK_INVARIANT(false);
		return -E_NOMEM;
	}
	return 0;
}

/* Records prot for [start, end) in the list, splitting at most twice. */
static void vma_list_protect(struct process *p, u64 start, u64 end, u32 prot,
			     struct vma *spare[2])
{
	struct vma *v;

	for (v = p->vmas; v && v->start < end; v = v->next) {
		if (v->end <= start)
			continue;
		if (v->start < start) {
			vma_split_at(v, start, &spare[0]);
			continue; /* the tail comes next */
		}
		if (v->end > end)
			vma_split_at(v, end, &spare[1]);
		v->prot = prot | COPRA_PROT_READ;
	}
}

int vma_protect(struct process *p, u64 addr, u64 size, u32 prot)
{
	struct vma_ext stack[VMA_SCAN_STACK];
	struct vma_scan s = { .start = addr, .end = addr + size, .owned_only = false };
	struct vma *spare[2];
	struct pt_flush f;
	int r;

	r = vma_check_range(addr, size);
	if (!r)
		r = vma_check_prot(prot);
	if (r)
		return r;
	spare[0] = kmalloc(sizeof(struct vma));
	spare[1] = kmalloc(sizeof(struct vma));
	r = spare[0] && spare[1] ? vma_scan_locked(p, &s, stack) : -E_NOMEM;
	if (!r) {
		pt_flush_init(&f);
		if (s.pages != size / PAGE_SIZE)
			r = -E_FAULT;
		else
			r = vma_apply_protect(&s, vma_pte_prot(prot), &f);
		if (!r)
			vma_list_protect(p, addr, addr + size, prot, spare);
		spin_unlock(&p->lock);
		tlb_flush(&f);
		vma_scan_done(&s, stack);
	}
	kfree(spare[0]);
	kfree(spare[1]);
	return r;
}

/*
 * Process teardown: detaches the list and drops every reference. The page
 * tables themselves go with the task's address space (aspace_destroy), which
 * frees owned frames and leaves PROT_BORROWED ones to their objects, so the
 * order of the two does not matter for the frames; the process must just
 * never run user code again. Called in the process's own context, the
 * objects' pages are unmapped (and flushed) first, so no CPU can reach a
 * frame the last reference frees.
 */
void vma_unmap_all(struct process *p)
{
	struct task *self = task_current();
	bool own = self && self->proc == p;
	struct pt_flush f;
	struct vma *list, *v;

	pt_flush_init(&f);
	spin_lock(&p->lock);
	list = p->vmas;
	p->vmas = NULL;
	for (v = list; own && v; v = v->next)
		if (v->obj)
			vma_pt_unmap(v->start, (v->end - v->start) / PAGE_SIZE, &f);
	spin_unlock(&p->lock);
	tlb_flush(&f);
	vma_release(list);
}
