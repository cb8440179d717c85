/*
 * Host unit tests of the physical frame allocator (kernel/mm/pmm.c): bump
 * phase hand-over, exhaustion, contiguous and aligned allocation, reservations.
 */
#include <stdlib.h>

#include <copra/errno.h>
#include <copra/pmm.h>
#include <copra/test.h>

static u64 *pmm_t_storage;

static void pmm_t_setup(const struct pmm_range *r, unsigned n)
{
	free(pmm_t_storage);
	pmm_t_storage = NULL;
	if (pmm_early_setup(r, n))
		abort();
}

static void pmm_t_finish(void)
{
	pmm_t_storage = calloc(1, pmm_bitmap_bytes() + 8);
	pmm_init(pmm_t_storage);
}

TEST_FLAGS(pmm, rejects_bad_ranges, TEST_F_HOST_ONLY)
{
	struct pmm_range bad[2] = { { 0x200000, 4 }, { 0x201000, 4 } }; /* overlap */
	struct pmm_range unaligned = { 0x200010, 4 };

	CHECK_EQ(t, pmm_early_setup(bad, 2), -E_INVAL);
	CHECK_EQ(t, pmm_early_setup(&unaligned, 1), -E_INVAL);
	CHECK_EQ(t, pmm_early_setup(bad, 0), -E_INVAL);
	CHECK_EQ(t, pmm_early_setup(bad, PMM_MAX_RANGES + 1), -E_INVAL);
}

TEST_FLAGS(pmm, bump_then_bitmap, TEST_F_HOST_ONLY)
{
	struct pmm_range r[2] = { { 0x100000, 3 }, { 0x400000, 100 } };
	struct pmm_stats s;
	spa_t a, b, c, d;

	pmm_t_setup(r, 2);
	CHECK_EQ(t, pmm_alloc_frame(&a), 0);
	CHECK_EQ(t, pmm_alloc_frame(&b), 0);
	CHECK_EQ(t, pmm_alloc_frame(&c), 0);
	CHECK_EQ(t, pmm_alloc_frame(&d), 0); /* crosses into the second range */
	CHECK_EQ(t, spa_addr(a), 0x100000);
	CHECK_EQ(t, spa_addr(c), 0x102000);
	CHECK_EQ(t, spa_addr(d), 0x400000);
	pmm_t_finish();
	pmm_get_stats(&s);
	CHECK_EQ(t, s.total, 103);
	CHECK_EQ(t, s.free, 99);
	/* Frames from the bump phase stay allocated and can be freed normally. */
	pmm_free_frame(b);
	pmm_get_stats(&s);
	CHECK_EQ(t, s.free, 100);
	CHECK(t, pmm_is_managed(a) && !pmm_is_managed(spa_init(0x103000)));
}

TEST_FLAGS(pmm, exhaustion_and_recovery, TEST_F_HOST_ONLY)
{
	struct pmm_range r = { 0x1000000, 200 };
	static spa_t got[200];
	struct pmm_stats s;
	spa_t x;
	unsigned i, n = 0;

	pmm_t_setup(&r, 1);
	pmm_t_finish();
	while (pmm_alloc_frame(&got[n]) == 0) {
		CHECK(t, n < 200);
		n++;
	}
	CHECK_EQ(t, n, 200);
	CHECK_EQ(t, pmm_alloc_frame(&x), -E_NOMEM);
	CHECK_EQ(t, pmm_alloc_contig(1, 1, &x), -E_NOMEM);
	CHECK_EQ(t, pmm_reserve(1), -E_NOMEM);
	/* Every frame distinct. */
	for (i = 1; i < n; i++)
		CHECK(t, spa_addr(got[i]) != spa_addr(got[i - 1]));
	for (i = 0; i < n; i++)
		pmm_free_frame(got[i]);
	pmm_get_stats(&s);
	CHECK_EQ(t, s.free, 200);
	CHECK_EQ(t, pmm_alloc_frame(&x), 0);
	pmm_free_frame(x);
}

TEST_FLAGS(pmm, contiguous_aligned, TEST_F_HOST_ONLY)
{
	struct pmm_range r = { 0x1001000, 1024 };
	spa_t a, b;

	pmm_t_setup(&r, 1);
	pmm_t_finish();
	CHECK_EQ(t, pmm_alloc_contig(512, 512, &a), 0);
	CHECK_EQ(t, spa_addr(a) % PAGE_SIZE_2M, 0);
	CHECK_EQ(t, pmm_alloc_contig(512, 512, &b), -E_NOMEM); /* only one 2 MiB slot fits */
	CHECK_EQ(t, pmm_alloc_contig(3, 3, &b), -E_INVAL);     /* alignment not a power of two */
	CHECK_EQ(t, pmm_alloc_contig(0, 1, &b), -E_INVAL);
	pmm_free_contig(a, 512);
	CHECK_EQ(t, pmm_alloc_contig(512, 512, &b), 0);
	CHECK_EQ(t, spa_addr(b), spa_addr(a));
	pmm_free_contig(b, 512);
}

TEST_FLAGS(pmm, reservations_are_honoured, TEST_F_HOST_ONLY)
{
	struct pmm_range r = { 0x2000000, 10 };
	struct pmm_stats s;
	spa_t f[10], x;
	unsigned i;

	pmm_t_setup(&r, 1);
	pmm_t_finish();
	CHECK_EQ(t, pmm_reserve(8), 0);
	CHECK_EQ(t, pmm_reserve(3), -E_NOMEM);
	CHECK_EQ(t, pmm_alloc_frame(&f[0]), 0);
	CHECK_EQ(t, pmm_alloc_frame(&f[1]), 0);
	CHECK_EQ(t, pmm_alloc_frame(&x), -E_NOMEM); /* the rest is promised */
	for (i = 2; i < 10; i++)
		f[i] = pmm_alloc_reserved();
	pmm_get_stats(&s);
	CHECK_EQ(t, s.free, 0);
	CHECK_EQ(t, s.reserved, 0);
	for (i = 0; i < 10; i++)
		pmm_free_frame(f[i]);
	CHECK_EQ(t, pmm_reserve(4), 0);
	pmm_unreserve(4);
	pmm_get_stats(&s);
	CHECK_EQ(t, s.reserved, 0);
}
