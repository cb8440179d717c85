/*
 * Kernel heaps, one per part of the address space: the global heap (visible
 * everywhere), one per CPU (in the per-CPU slot) and one per task (in the
 * per-task slot). A heap owns a virtual range in its part, maps frames on
 * demand and unmaps pages that become empty, so an object allocated from one
 * part's heap cannot be reached through another part's addresses.
 * Allocation failure returns NULL; nothing here panics on out-of-memory.
 */
#ifndef COPRA_HEAP_H
#define COPRA_HEAP_H

#include <copra/spinlock_types.h>
#include <copra/types.h>

#define HEAP_CLASSES 8

struct heap_slab;

struct heap {
	const char *name;
	u64 base, pages;        /* virtual range [base, base + pages * 4 KiB) */
	u64 *va_bits;           /* page-use bitmap, mapped at base */
	u64 va_hint;
	u32 prot;               /* extra PROT_ bits for mappings (PROT_G) */
	bool irq_safe;          /* lock with interrupts off */
	spinlock_t lock;
	struct heap_slab *partial[HEAP_CLASSES]; /* slabs with free objects */
	/* Accounting. */
	u64 bytes_in_use;       /* requested bytes of live allocations */
	u64 pages_mapped;       /* data pages (bitmap pages excluded) */
	u64 allocs, frees, failures;
};

struct heap_stats {
	u64 bytes_in_use, pages_mapped, allocs, frees, failures;
};

/* Sets up a heap over [base, base + size); maps its bitmap. 0 or -E_NOMEM. */
int heap_init(struct heap *h, const char *name, u64 base, u64 size, u32 prot,
	      bool irq_safe) __must_check;
/* Unmaps everything (the owner guarantees no live objects remain). */
void heap_destroy(struct heap *h);

void *heap_alloc(struct heap *h, size_t size) __must_check;
void *heap_zalloc(struct heap *h, size_t size) __must_check;
void heap_free(struct heap *h, void *p);
bool heap_contains(const struct heap *h, const void *p);
void heap_get_stats(struct heap *h, struct heap_stats *s);

/* The global heap. */
extern struct heap global_heap;
void *kmalloc(size_t size) __must_check;
void *kzalloc(size_t size) __must_check;
/* Frees memory from the global, this CPU's or the current task's heap. */
void kfree(void *p);

#endif
