/*
 * Benchmark registration, like TEST(): a pointer in the "copra_bench"
 * linker section. Benchmark images (configs/bench_defconfig) run them all
 * after boot and print one line per result on COM1:
 *   BENCH copra.<name> <value> <unit>
 * Under `qemu -icount shift=0` the cycle counter advances by exactly one per
 * guest instruction, so bench_measure() returns instructions per operation
 * (tests/bench/run-bench pairs them with a Linux guest; docs/benchmarks.md).
 */
#ifndef COPRA_BENCH_H
#define COPRA_BENCH_H

#include <copra/types.h>

struct bench_case {
	const char *name;
	void (*fn)(void);
};

#define BENCH(name_)                                                             \
	static void bench_##name_(void);                                         \
	static const struct bench_case bench_case_##name_ = { #name_, bench_##name_ }; \
	static const struct bench_case *const bench_ptr_##name_                  \
		__attribute__((used, section("copra_bench"), aligned(8))) = &bench_case_##name_; \
	static void bench_##name_(void)

/*
 * Median over 7 runs of `iters` calls of op(arg), minus the same loop around
 * an empty operation: cycles (instructions under icount) per operation.
 */
u64 bench_measure(void (*op)(void *), void *arg, unsigned iters);
void bench_report(const char *name, u64 value, const char *unit);
/* Runs every registered benchmark and ends the VM. */
__noreturn void bench_run_all(void);

#endif
