/*
 * Slab heap over an owned virtual range. Small objects (up to 2032 bytes)
 * live in one-page slabs with a header at the start of the page; larger ones
 * get whole pages with a 64-byte header. Pages are mapped when needed and
 * unmapped (frames returned) as soon as they hold no object. Page-table
 * edits go through the self-map of the current address space, so a per-task
 * or per-CPU heap is only touched by its own task or CPU.
 */
#include <copra/errno.h>
#include <arch/irq.h>
#include <copra/heap.h>
#include <copra/percpu.h>
#include <copra/spinlock.h>
#include <copra/panic.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/string.h>
#include <copra/tlb.h>

#define SLAB_MAGIC 0x534C4142u  /* "SLAB" */
#define LARGE_MAGIC 0x4C524745u /* "LRGE" */
#define SLAB_HDR 32u
#define LARGE_HDR 64u

static const u16 heap_class_size[HEAP_CLASSES] = { 16, 32, 64, 128, 256, 496, 1008, 2032 };

struct heap_slab {
	u32 magic;
	u16 cls;
	u16 free_count;
	u32 free_off;            /* offset of the first free object, 0 = none */
	u32 reserved;
	struct heap_slab *next;  /* partial list */
	struct heap_slab *prev;
};
_Static_assert(sizeof(struct heap_slab) <= SLAB_HDR, "slab header");

struct heap_large {
	u32 magic;
	u32 reserved;
	u64 npages;
	u64 size;
};
_Static_assert(sizeof(struct heap_large) <= LARGE_HDR, "large header");

static u32 heap_slab_objects(int cls)
{
	return (u32)((PAGE_SIZE - SLAB_HDR) / heap_class_size[cls]);
}

static u64 heap_bitmap_pages(const struct heap *h)
{
	return ALIGN_UP(ALIGN_UP(h->pages, 64) / 8, PAGE_SIZE) / PAGE_SIZE;
}

static unsigned long heap_lock(struct heap *h)
{
	/*
	 * A heap that is not interrupt-safe may shoot down TLBs while locked:
	 * using it with interrupts off could deadlock against a CPU waiting
	 * for this lock, so that is a bug.
	 */
	CHECK_INVARIANT(h->irq_safe || arch_irqs_enabled() || this_cpu()->current == NULL);
	if (h->irq_safe)
		return spin_lock_irqsave(&h->lock);
	spin_lock(&h->lock);
	return 0;
}

static void heap_unlock(struct heap *h, unsigned long flags)
{
	if (h->irq_safe)
		spin_unlock_irqrestore(&h->lock, flags);
	else
		spin_unlock(&h->lock);
}

static bool heap_va_test(const struct heap *h, u64 i)
{
	return (h->va_bits[i / 64] >> (i % 64)) & 1;
}

static void heap_va_set(struct heap *h, u64 first, u64 n, bool used)
{
	u64 i;

	for (i = first; i < first + n; i++) {
		if (used)
			h->va_bits[i / 64] |= BIT(i % 64);
		else
			h->va_bits[i / 64] &= ~BIT(i % 64);
	}
}

/* Finds n free consecutive pages; returns the first index or ~0. */
static u64 heap_va_find(struct heap *h, u64 n)
{
	u64 start = h->va_hint, run = 0, i, k;

	for (k = 0; k < h->pages; k++) {
		i = (start + k) % h->pages;
		if (i == 0)
			run = 0;
		if (heap_va_test(h, i)) {
			run = 0;
			continue;
		}
		if (++run == n) {
			h->va_hint = i + 1;
			return i + 1 - n;
		}
	}
	return ~0ULL;
}

/* Maps n fresh frames at page index first; all or nothing. */
static int heap_map_pages(struct heap *h, u64 first, u64 n)
{
	u64 i;
	spa_t f;

	for (i = 0; i < n; i++) {
		u64 va = h->base + (first + i) * PAGE_SIZE;

		if (pmm_alloc_frame(&f) == 0) {
			if (pgtable_map(PT_SELF, va, f, 1, PROT_W | h->prot) == 0)
				continue;
			pmm_free_frame(f);
		}
		while (i-- > 0) {
			struct pt_mapping m;
			struct pt_flush fl;

			va = h->base + (first + i) * PAGE_SIZE;
			pt_flush_init(&fl);
			if (pgtable_query(PT_SELF, va, &m) == 0 &&
			    pgtable_unmap(PT_SELF, va, 1, &fl) == 0)
				pmm_free_frame(m.pa);
			tlb_flush(&fl);
		}
		return -E_NOMEM;
	}
	return 0;
}

static void heap_unmap_pages(struct heap *h, u64 first, u64 n)
{
	struct pt_flush fl;
	u64 i;

	pt_flush_init(&fl);
	for (i = 0; i < n; i++) {
		u64 va = h->base + (first + i) * PAGE_SIZE;
		struct pt_mapping m;

		CHECK_INVARIANT(pgtable_query(PT_SELF, va, &m) == 0);
		CHECK_INVARIANT(pgtable_unmap(PT_SELF, va, 1, &fl) == 0);
		pmm_free_frame(m.pa);
	}
	tlb_flush(&fl);
}

int heap_init(struct heap *h, const char *name, u64 base, u64 size, u32 prot, bool irq_safe)
{
	u64 bitmap_pages;

	memset(h, 0, sizeof(*h));
	h->name = name;
	h->base = base;
	h->pages = size / PAGE_SIZE;
	h->prot = prot;
	h->irq_safe = irq_safe;
	spin_lock_init(&h->lock);
	bitmap_pages = heap_bitmap_pages(h);
	if (heap_map_pages(h, 0, bitmap_pages))
		return -E_NOMEM;
	h->va_bits = (u64 *)(uintptr_t)base;
	memset(h->va_bits, 0, bitmap_pages * PAGE_SIZE);
	heap_va_set(h, 0, bitmap_pages, true);
	h->va_hint = bitmap_pages;
	return 0;
}

static int heap_class_of(size_t size)
{
	int c;

	for (c = 0; c < HEAP_CLASSES; c++)
		if (size <= heap_class_size[c])
			return c;
	return -1;
}

static void heap_partial_remove(struct heap *h, struct heap_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void heap_partial_push(struct heap *h, struct heap_slab *s)
{
	s->prev = NULL;
	s->next = h->partial[s->cls];
	if (s->next)
		s->next->prev = s;
	h->partial[s->cls] = s;
}

/* A new slab page for class c, its objects chained into the free list. */
static struct heap_slab *heap_new_slab(struct heap *h, int c)
{
	u64 idx = heap_va_find(h, 1);
	struct heap_slab *s;
	u32 off, k, sz = heap_class_size[c];

	if (idx == ~0ULL || heap_map_pages(h, idx, 1))
		return NULL;
	heap_va_set(h, idx, 1, true);
	h->pages_mapped++;
	s = (struct heap_slab *)(uintptr_t)(h->base + idx * PAGE_SIZE);
	s->magic = SLAB_MAGIC;
	s->cls = (u16)c;
	s->free_count = 0;
	s->free_off = 0;
	s->next = s->prev = NULL;
	for (k = heap_slab_objects(c); k-- > 0;) {
		off = SLAB_HDR + k * sz;
		*(u32 *)((u8 *)s + off) = s->free_off;
		s->free_off = off;
		s->free_count++;
	}
	heap_partial_push(h, s);
	return s;
}

static void *heap_alloc_small(struct heap *h, int c)
{
	struct heap_slab *s = h->partial[c];
	u8 *obj;

	if (!s && !(s = heap_new_slab(h, c)))
		return NULL;
	obj = (u8 *)s + s->free_off;
	s->free_off = *(u32 *)obj;
	if (--s->free_count == 0)
		heap_partial_remove(h, s);
	return obj;
}

static void *heap_alloc_large(struct heap *h, size_t size)
{
	u64 n = ALIGN_UP((u64)size + LARGE_HDR, PAGE_SIZE) / PAGE_SIZE;
	u64 idx = heap_va_find(h, n);
	struct heap_large *l;

	if (idx == ~0ULL || heap_map_pages(h, idx, n))
		return NULL;
	heap_va_set(h, idx, n, true);
	h->pages_mapped += n;
	l = (struct heap_large *)(uintptr_t)(h->base + idx * PAGE_SIZE);
	l->magic = LARGE_MAGIC;
	l->npages = n;
	l->size = size;
	return (u8 *)l + LARGE_HDR;
}

void *heap_alloc(struct heap *h, size_t size)
{
	unsigned long flags;
	int c = heap_class_of(size);
	void *p;

	if (size == 0 || size > h->pages * PAGE_SIZE)
		return NULL;
	flags = heap_lock(h);
	p = c >= 0 ? heap_alloc_small(h, c) : heap_alloc_large(h, size);
	if (p) {
		h->bytes_in_use += c >= 0 ? heap_class_size[c] : size;
		h->allocs++;
	} else {
		h->failures++;
	}
	heap_unlock(h, flags);
	return p;
}

void *heap_zalloc(struct heap *h, size_t size)
{
	void *p = heap_alloc(h, size);

	if (p)
		memset(p, 0, size);
	return p;
}

bool heap_contains(const struct heap *h, const void *p)
{
	u64 a = (u64)(uintptr_t)p;

	return h->pages && a >= h->base && a - h->base < h->pages * PAGE_SIZE;
}

static void heap_free_small(struct heap *h, struct heap_slab *s, u8 *obj)
{
	u32 off = (u32)(obj - (u8 *)s);
	u32 per_slab = heap_slab_objects(s->cls);

	CHECK_INVARIANT(off >= SLAB_HDR && off < PAGE_SIZE);
	*(u32 *)obj = s->free_off;
	s->free_off = off;
	if (s->free_count++ == 0)
		heap_partial_push(h, s);
	h->bytes_in_use -= heap_class_size[s->cls];
	if (s->free_count == per_slab) {
		u64 idx = ((u64)(uintptr_t)s - h->base) / PAGE_SIZE;

		heap_partial_remove(h, s);
		s->magic = 0;
		heap_va_set(h, idx, 1, false);
		heap_unmap_pages(h, idx, 1);
		h->pages_mapped--;
	}
}

void heap_free(struct heap *h, void *p)
{
	u8 *page = (u8 *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
	unsigned long flags;

	if (!p)
		return;
	CHECK_INVARIANT(heap_contains(h, p));
	flags = heap_lock(h);
	if (*(u32 *)page == SLAB_MAGIC) {
		heap_free_small(h, (struct heap_slab *)page, p);
	} else {
		struct heap_large *l = (struct heap_large *)page;
		u64 idx = ((u64)(uintptr_t)page - h->base) / PAGE_SIZE, n = l->npages;

		CHECK_INVARIANT(l->magic == LARGE_MAGIC && (u8 *)p == page + LARGE_HDR);
		h->bytes_in_use -= l->size;
		l->magic = 0;
		heap_va_set(h, idx, n, false);
		heap_unmap_pages(h, idx, n);
		h->pages_mapped -= n;
	}
	h->frees++;
	heap_unlock(h, flags);
}

void heap_get_stats(struct heap *h, struct heap_stats *s)
{
	unsigned long flags = heap_lock(h);

	s->bytes_in_use = h->bytes_in_use;
	s->pages_mapped = h->pages_mapped;
	s->allocs = h->allocs;
	s->frees = h->frees;
	s->failures = h->failures;
	heap_unlock(h, flags);
}

void heap_destroy(struct heap *h)
{
	u64 bitmap_pages = heap_bitmap_pages(h), i;

	for (i = bitmap_pages; i < h->pages; i++)
		if (heap_va_test(h, i))
			heap_unmap_pages(h, i, 1);
	heap_unmap_pages(h, 0, bitmap_pages);
	h->pages = 0;
}
