/*
 * Physical frame allocator: one bitmap per usable memory range (bit set =
 * frame free), a search hint per range, and frame reservations. Metadata
 * lives in the global heap area, never inside the frames.
 */
#include <copra/errno.h>
#include <copra/panic.h>
#include <copra/pmm.h>
#include <copra/spinlock.h>
#include <copra/string.h>

struct pmm_zone {
	u64 base_pfn;
	u64 npages;
	u64 *bits;      /* npages bits, 1 = free */
	u64 hint;       /* word index to start searching */
};

static struct pmm_zone pmm_zones[PMM_MAX_RANGES];
static unsigned pmm_zone_count;
static u64 pmm_total, pmm_free_frames, pmm_reserved;
static bool pmm_ready;
/* Bump state before pmm_init(). */
static unsigned pmm_bump_zone;
static u64 pmm_bump_next; /* next pfn to hand out in pmm_bump_zone */
static spinlock_t pmm_lock = SPINLOCK_INIT;

int pmm_early_setup(const struct pmm_range *ranges, unsigned count)
{
	unsigned i;
	u64 prev_end = 0;

	if (count == 0 || count > PMM_MAX_RANGES)
		return -E_INVAL;
	memset(pmm_zones, 0, sizeof(pmm_zones));
	pmm_total = pmm_free_frames = pmm_reserved = 0;
	for (i = 0; i < count; i++) {
		const struct pmm_range *r = &ranges[i];

		if (!IS_ALIGNED(r->base, PAGE_SIZE) || r->npages == 0 ||
		    r->base < prev_end || r->npages > (1ULL << 40))
			return -E_INVAL;
		pmm_zones[i].base_pfn = r->base >> PAGE_SHIFT;
		pmm_zones[i].npages = r->npages;
		prev_end = r->base + r->npages * PAGE_SIZE;
		pmm_total += r->npages;
	}
	pmm_zone_count = count;
	pmm_bump_zone = 0;
	pmm_bump_next = pmm_zones[0].base_pfn;
	pmm_ready = false;
	return 0;
}

u64 pmm_bitmap_bytes(void)
{
	u64 bytes = 0;
	unsigned i;

	for (i = 0; i < pmm_zone_count; i++)
		bytes += ALIGN_UP(pmm_zones[i].npages, 64) / 8;
	return bytes;
}

static void pmm_mark(struct pmm_zone *z, u64 idx, bool free)
{
	if (free)
		z->bits[idx / 64] |= BIT(idx % 64);
	else
		z->bits[idx / 64] &= ~BIT(idx % 64);
}

static bool pmm_test(const struct pmm_zone *z, u64 idx)
{
	return (z->bits[idx / 64] >> (idx % 64)) & 1;
}

void pmm_init(u64 *storage)
{
	unsigned i;
	u64 idx;

	for (i = 0; i < pmm_zone_count; i++) {
		struct pmm_zone *z = &pmm_zones[i];
		u64 words = ALIGN_UP(z->npages, 64) / 64;

		z->bits = storage;
		storage += words;
		memset(z->bits, 0, words * 8);
		for (idx = 0; idx < z->npages; idx++)
			pmm_mark(z, idx, true);
		z->hint = 0;
	}
	pmm_free_frames = pmm_total;
	/* Everything the bump allocator handed out stays in use. */
	for (i = 0; i <= pmm_bump_zone && i < pmm_zone_count; i++) {
		struct pmm_zone *z = &pmm_zones[i];
		u64 end = (i < pmm_bump_zone) ? z->npages : pmm_bump_next - z->base_pfn;

		for (idx = 0; idx < end; idx++)
			pmm_mark(z, idx, false);
		pmm_free_frames -= end;
	}
	pmm_ready = true;
}

static int pmm_bump_alloc(spa_t *out)
{
	while (pmm_bump_zone < pmm_zone_count) {
		struct pmm_zone *z = &pmm_zones[pmm_bump_zone];

		if (pmm_bump_next < z->base_pfn + z->npages) {
			*out = spa_init(pmm_bump_next++ << PAGE_SHIFT);
			return 0;
		}
		if (++pmm_bump_zone < pmm_zone_count)
			pmm_bump_next = pmm_zones[pmm_bump_zone].base_pfn;
	}
	return -E_NOMEM;
}

static bool pmm_take_one(spa_t *out)
{
	unsigned i;

	for (i = 0; i < pmm_zone_count; i++) {
		struct pmm_zone *z = &pmm_zones[i];
		u64 words = ALIGN_UP(z->npages, 64) / 64;
		u64 w, k;

		for (k = 0; k < words; k++) {
			w = (z->hint + k) % words;
			if (z->bits[w]) {
				u64 bit = (u64)__builtin_ctzll(z->bits[w]);

				z->bits[w] &= ~BIT(bit);
				z->hint = w;
				*out = spa_init((z->base_pfn + w * 64 + bit) << PAGE_SHIFT);
				return true;
			}
		}
	}
	return false;
}

int pmm_alloc_frame(spa_t *out)
{
	unsigned long flags;
	int ret = -E_NOMEM;

	if (!pmm_ready)
		return pmm_bump_alloc(out);
	flags = spin_lock_irqsave(&pmm_lock);
	if (pmm_free_frames > pmm_reserved && pmm_take_one(out)) {
		pmm_free_frames--;
		ret = 0;
	}
	spin_unlock_irqrestore(&pmm_lock, flags);
	return ret;
}

static bool pmm_range_free(const struct pmm_zone *z, u64 idx, u64 n)
{
	u64 k;

	for (k = 0; k < n; k++)
		if (!pmm_test(z, idx + k))
			return false;
	return true;
}

int pmm_alloc_contig(u64 n, u64 align_pages, spa_t *out)
{
	unsigned long flags;
	unsigned i;
	int ret = -E_NOMEM;

	if (n == 0 || align_pages == 0 || (align_pages & (align_pages - 1)))
		return -E_INVAL;
	if (!pmm_ready)
		return -E_AGAIN;
	flags = spin_lock_irqsave(&pmm_lock);
	for (i = 0; i < pmm_zone_count && ret; i++) {
		struct pmm_zone *z = &pmm_zones[i];
		u64 pfn = ALIGN_UP(z->base_pfn, align_pages);

		if (pmm_free_frames < pmm_reserved + n)
			break;
		for (; pfn + n <= z->base_pfn + z->npages; pfn += align_pages) {
			u64 idx = pfn - z->base_pfn, k;

			if (!pmm_range_free(z, idx, n))
				continue;
			for (k = 0; k < n; k++)
				pmm_mark(z, idx + k, false);
			pmm_free_frames -= n;
			*out = spa_init(pfn << PAGE_SHIFT);
			ret = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&pmm_lock, flags);
	return ret;
}

static struct pmm_zone *pmm_zone_of(u64 pfn)
{
	unsigned i;

	for (i = 0; i < pmm_zone_count; i++)
		if (pfn >= pmm_zones[i].base_pfn &&
		    pfn - pmm_zones[i].base_pfn < pmm_zones[i].npages)
			return &pmm_zones[i];
	return NULL;
}

bool pmm_is_managed(spa_t frame)
{
	return pmm_zone_of(spa_addr(frame) >> PAGE_SHIFT) != NULL;
}

void pmm_free_contig(spa_t first, u64 n)
{
	u64 pfn = spa_addr(first) >> PAGE_SHIFT, k;
	struct pmm_zone *z = pmm_zone_of(pfn);
	unsigned long flags;

	CHECK_INVARIANT(pmm_ready && z && IS_ALIGNED(spa_addr(first), PAGE_SIZE));
	CHECK_INVARIANT(n <= z->npages - (pfn - z->base_pfn));
	flags = spin_lock_irqsave(&pmm_lock);
	for (k = 0; k < n; k++) {
		if (pmm_test(z, pfn - z->base_pfn + k))
			panic("pmm: double free of frame 0x%llx",
			      (unsigned long long)((pfn + k) << PAGE_SHIFT));
		pmm_mark(z, pfn - z->base_pfn + k, true);
	}
	pmm_free_frames += n;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

void pmm_free_frame(spa_t frame)
{
	pmm_free_contig(frame, 1);
}

int pmm_reserve(u64 n)
{
	unsigned long flags;
	int ret = 0;

	if (!pmm_ready) {
		/* The bump allocator cannot promise; check it has the frames. */
		u64 left = 0;
		unsigned i;

		for (i = pmm_bump_zone; i < pmm_zone_count; i++)
			left += (i == pmm_bump_zone)
				? pmm_zones[i].base_pfn + pmm_zones[i].npages - pmm_bump_next
				: pmm_zones[i].npages;
		return left >= n ? 0 : -E_NOMEM;
	}
	flags = spin_lock_irqsave(&pmm_lock);
	if (pmm_free_frames - pmm_reserved < n)
		ret = -E_NOMEM;
	else
		pmm_reserved += n;
	spin_unlock_irqrestore(&pmm_lock, flags);
	return ret;
}

void pmm_unreserve(u64 n)
{
	unsigned long flags;

	if (!pmm_ready)
		return;
	flags = spin_lock_irqsave(&pmm_lock);
	CHECK_INVARIANT(pmm_reserved >= n);
	pmm_reserved -= n;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

spa_t pmm_alloc_reserved(void)
{
	unsigned long flags;
	spa_t f = spa_init(0);
	bool ok;

	if (!pmm_ready) {
		CHECK_INVARIANT(pmm_bump_alloc(&f) == 0);
		return f;
	}
	flags = spin_lock_irqsave(&pmm_lock);
	CHECK_INVARIANT(pmm_reserved > 0);
	ok = pmm_take_one(&f);
	CHECK_INVARIANT(ok);
	pmm_reserved--;
	pmm_free_frames--;
	spin_unlock_irqrestore(&pmm_lock, flags);
	return f;
}

void pmm_get_stats(struct pmm_stats *s)
{
	unsigned long flags = spin_lock_irqsave(&pmm_lock);

	s->total = pmm_total;
	s->free = pmm_free_frames;
	s->reserved = pmm_reserved;
	spin_unlock_irqrestore(&pmm_lock, flags);
}
