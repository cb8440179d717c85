/*
 * Copra-side SMP benchmarks (pairs in tests/bench/pairs.txt): a remote
 * function call round trip to one CPU, and a one-page permission change
 * with its TLB shootdown to 1 and to 3 other CPUs (the analogue of Linux's
 * mprotect on a page other CPUs have touched). The other CPUs idle in hlt.
 */
#include <copra/bench.h>
#include <copra/log.h>
#include <copra/memlayout.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/smp.h>
#include <copra/tlb.h>

#define SB_VA (GLOBAL_MAP_BASE + (96ULL << 30))

static u64 sb_nop(void *arg)
{
	return (u64)(uintptr_t)arg;
}

static void sb_call_op(void *arg)
{
	u64 r;

	if (smp_call_one(1, sb_nop, arg, 0, &r))
		__asm__ volatile("" ::: "memory");
}

BENCH(ipi_call_rt)
{
	if (cpu_count < 2) {
		log_raw("BENCH-SKIP copra.ipi_call_rt needs 2 CPUs\n");
		return;
	}
	bench_report("ipi_call_rt", bench_measure(sb_call_op, NULL, 200), "insn/op");
}

struct sb_shoot {
	struct cpumask targets;
	u32 prot;
};

/* Toggle the page between read-only and writable, then shoot down. */
static void sb_shoot_op(void *arg)
{
	struct sb_shoot *s = arg;
	struct pt_flush f;

	pt_flush_init(&f);
	s->prot ^= PROT_W;
	if (pgtable_protect(PT_SELF, SB_VA, 1, s->prot, &f) == 0) {
		tlb_flush_local(&f);
		tlb_shootdown(&s->targets, &f);
	}
}

static void sb_shootdown(const char *name, unsigned others)
{
	struct sb_shoot s;
	struct pt_flush f;
	spa_t frame;
	unsigned cpu;

	if (cpu_count < others + 1) {
		log_raw("BENCH-SKIP copra.%s needs %u CPUs\n", name, others + 1);
		return;
	}
	if (pmm_alloc_frame(&frame) || pgtable_map(PT_SELF, SB_VA, frame, 1, PROT_W | PROT_G)) {
		log_raw("BENCH-FAIL copra.%s no memory\n", name);
		return;
	}
	cpumask_clear(&s.targets);
	for (cpu = 1; cpu <= others; cpu++)
		cpumask_set(&s.targets, cpu);
	s.prot = PROT_W | PROT_G;
	bench_report(name, bench_measure(sb_shoot_op, &s, 200), "insn/op");
	pt_flush_init(&f);
	if (pgtable_unmap(PT_SELF, SB_VA, 1, &f) == 0)
		tlb_flush(&f);
	pmm_free_frame(frame);
}

BENCH(tlb_shootdown_1)
{
	sb_shootdown("tlb_shootdown_1", 1);
}

BENCH(tlb_shootdown_3)
{
	sb_shootdown("tlb_shootdown_3", 3);
}
