/*
 * Physical frame allocator. Frames are tracked in bitmaps kept outside the
 * frames themselves (there is no direct map, so a free frame is never
 * written). Before the bitmaps exist, frames come from a bump allocator over
 * the first usable range; pmm_init() then accounts for them.
 *
 * Reservations make multi-step operations all-or-nothing: pmm_reserve(n)
 * either fails or guarantees the next n pmm_alloc_reserved() calls succeed.
 */
#ifndef COPRA_PMM_H
#define COPRA_PMM_H

#include <copra/types.h>

#define PMM_MAX_RANGES 32

struct pmm_range {
	u64 base;   /* page aligned */
	u64 npages;
};

/* Early phase: bump allocation from ranges (sorted, disjoint, page aligned). */
int pmm_early_setup(const struct pmm_range *ranges, unsigned count) __must_check;
/* Bytes of bitmap storage pmm_init() needs for the ranges given to pmm_early_setup(). */
u64 pmm_bitmap_bytes(void);
/*
 * Switches to bitmap allocation using storage (pmm_bitmap_bytes() bytes,
 * 8-byte aligned). Frames handed out by the bump allocator stay allocated.
 */
void pmm_init(u64 *storage);

int pmm_alloc_frame(spa_t *out) __must_check;
/* n contiguous frames aligned to align_pages (a power of two). */
int pmm_alloc_contig(u64 n, u64 align_pages, spa_t *out) __must_check;
void pmm_free_frame(spa_t frame);
void pmm_free_contig(spa_t first, u64 n);

int pmm_reserve(u64 n) __must_check;
void pmm_unreserve(u64 n);
spa_t pmm_alloc_reserved(void);

/* true when frame is managed by the allocator (RAM Copra may use). */
bool pmm_is_managed(spa_t frame);

struct pmm_stats {
	u64 total;     /* managed frames */
	u64 free;      /* free frames (including reserved ones) */
	u64 reserved;  /* frames promised by pmm_reserve() */
};
void pmm_get_stats(struct pmm_stats *s);

#endif
