/* Benchmark images: the measurement helper and the runner for BENCH() cases. */
#include <arch/irq.h>
#include <arch/time.h>
#include <copra/bench.h>
#include <copra/log.h>
#include <platform/platform.h>

#define BENCH_RUNS 7

extern const struct bench_case *const __start_copra_bench[];
extern const struct bench_case *const __stop_copra_bench[];

static void bench_nop(void *arg)
{
	__asm__ volatile("" : : "r"(arg) : "memory");
}

static u64 bench_loop(void (*op)(void *), void *arg, unsigned iters)
{
	u64 t0, t1;
	unsigned i;

	t0 = arch_cycles();
	for (i = 0; i < iters; i++)
		op(arg);
	t1 = arch_cycles();
	return t1 - t0;
}

static u64 bench_median(u64 *v, unsigned n)
{
	unsigned i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[n / 2];
}

u64 bench_measure(void (*op)(void *), void *arg, unsigned iters)
{
	u64 run[BENCH_RUNS], base[BENCH_RUNS], m, b;
	unsigned long flags = arch_irq_save();
	unsigned r;

	bench_loop(op, arg, iters); /* warm up */
	for (r = 0; r < BENCH_RUNS; r++) {
		run[r] = bench_loop(op, arg, iters);
		base[r] = bench_loop(bench_nop, arg, iters);
	}
	arch_irq_restore(flags);
	m = bench_median(run, BENCH_RUNS);
	b = bench_median(base, BENCH_RUNS);
	return m > b ? (m - b) / iters : 0;
}

void bench_report(const char *name, u64 value, const char *unit)
{
	log_plain("BENCH copra.%s %llu %s\n", name, (unsigned long long)value, unit);
}

__noreturn void bench_run_all(void)
{
	const struct bench_case *const *p;

	log_info("running benchmarks");
	for (p = __start_copra_bench; p < __stop_copra_bench; p++)
		(*p)->fn();
	log_plain("benchmarks done\n");
	platform_terminate(0);
}
