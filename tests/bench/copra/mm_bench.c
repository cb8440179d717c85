/* Copra-side memory benchmarks: the temporary mapping fast path. */
#include <copra/bench.h>
#include <copra/pmm.h>
#include <copra/tmpmap.h>

static void bench_tmpmap_op(void *arg)
{
	struct tmpmap m;
	volatile u64 *p = tmpmap_map(*(spa_t *)arg, &m);

	(void)p[0];
	tmpmap_unmap(&m);
}

/* Map a frame, read from it, unmap and flush it: target under 200 instructions. */
BENCH(tmpmap)
{
	spa_t f;

	if (pmm_alloc_frame(&f))
		return;
	bench_report("tmpmap", bench_measure(bench_tmpmap_op, &f, 1000), "insn/op");
	pmm_free_frame(f);
}
