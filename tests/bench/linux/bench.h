/* Linux peer guest benchmarks: the registry and the helpers every benchmark
 * file shares. The peer runs as /init of a Debian kernel under
 * `qemu -icount shift=0`, where the TSC advances by exactly one per guest
 * instruction, summed over all vCPUs (docs/benchmarks.md, "Method").
 *
 * Adding a benchmark: a new bench_*.c file in this folder (every *.c file
 * here is linked into /init; bin/NAME.c files become /bin/NAME) containing
 *
 *     BENCH(my_name, 1, 10000)        // name, minimum CPUs, iterations per rep
 *     {
 *         ... set up (untimed) ...
 *         uint64_t t0 = tsc_now();
 *         for (uint64_t i = 0; i < iters; i++)
 *             one_operation();
 *         uint64_t t1 = tsc_now();
 *         ... tear down ...
 *         return t1 - t0;             // guest instructions for `iters` ops
 *     }
 *
 * then list linux.my_name in tests/bench/pairs.txt. /init prints
 * "BENCH linux.my_name <insn/op> insn/op ..." when the kernel command line
 * selects it (bench=my_name,...). Return BENCH_ERROR after bench_fail()
 * when something went wrong.
 */
#ifndef COPRA_BENCH_LINUX_H
#define COPRA_BENCH_LINUX_H

#include <stdint.h>
#include <x86intrin.h>

#define BENCH_ERROR UINT64_MAX

struct bench {
	const char *name;	/* reported as linux.<name> */
	const char *unit;	/* "insn/op" */
	int min_cpus;		/* BENCH-SKIP when fewer CPUs are online */
	uint64_t iters;		/* operations per repetition (before bench_scale) */
	uint64_t (*run)(uint64_t iters);
};

#define BENCH_UNIT(id, unit_, min_cpus_, iters_)                                  \
	static uint64_t bench_run_##id(uint64_t iters);                           \
	static const struct bench bench_desc_##id                                 \
		__attribute__((used, section("bench_list"), aligned(8))) = {      \
			.name = #id, .unit = unit_, .min_cpus = min_cpus_,         \
			.iters = iters_, .run = bench_run_##id };                  \
	static uint64_t bench_run_##id(uint64_t iters)

#define BENCH(id, min_cpus_, iters_) BENCH_UNIT(id, "insn/op", min_cpus_, iters_)

/* Guest instruction clock (all vCPUs together) under -icount shift=0. */
static inline uint64_t tsc_now(void)
{
	return __rdtsc();
}

/* Pin the calling thread to one CPU; 0 on success. */
int pin_self(int cpu);
/* Number of online CPUs. */
int online_cpus(void);
/* Record why the running benchmark failed (printed as BENCH-FAIL). */
void bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copy the recorded failure message (for a child to hand to its parent). */
void bench_fail_message(char *buf, unsigned long size);

/*
 * Spinners: threads of the calling process, one per CPU 1..n, that touch
 * `touch` once and then run a user-mode loop that keeps their CPU busy in
 * this address space (so Linux must send them IPIs) while yielding QEMU's
 * round-robin slice at every iteration (PAUSE ends the vCPU's turn under
 * TCG). Each iteration is exactly SPIN_LOOP_INSNS instructions and bumps a
 * counter, so a timed region subtracts the spinners' own loop with
 * spin_insns(): the remaining count is the measuring CPU's work plus the
 * remote CPUs' interrupt handling (docs/benchmarks.md, multi-vCPU rule).
 */
#define SPIN_LOOP_INSNS 4
int spinners_start(int n, volatile const void *touch);
uint64_t spinners_count(void);	/* sum of all spinners' iteration counters */
void spinners_stop(void);

#endif
