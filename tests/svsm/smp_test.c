/*
 * In-SVSM tests of SMP: every CPU online, remote calls (unicast, multicast,
 * broadcast) reach exactly their targets, per-CPU areas are invisible to
 * other CPUs, timer ticks arrive everywhere, and TLB shootdowns leave no
 * stale translation. With one CPU the same tests run their local paths.
 */
#include <abi/boot.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <arch/irq.h>
#include <copra/errno.h>
#include <copra/irq.h>
#include <copra/memlayout.h>
#include <copra/percpu.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/smp.h>
#include <copra/spinlock.h>
#include <copra/string.h>
#include <copra/test.h>
#include <copra/time.h>
#include <copra/timer.h>
#include <copra/tlb.h>
#include <copra/tmpmap.h>
#include <platform/platform.h>

static u64 smpt_index(void *arg)
{
	(void)arg;
	return this_cpu()->index;
}

TEST(smp, all_cpus_online)
{
	unsigned cpu;

	CHECK_EQ(t, smp_cpus_online(), cpu_count);
	for (cpu = 0; cpu < cpu_count; cpu++)
		CHECK(t, cpu_infos[cpu].online && cpumask_test(&cpus_online, cpu));
}

TEST(smp, remote_call_returns_cpu_index)
{
	unsigned cpu;
	u64 r;

	for (cpu = 0; cpu < cpu_count; cpu++) {
		r = ~0ULL;
		CHECK_EQ(t, smp_call_one(cpu, smpt_index, NULL, 0, &r), 0);
		CHECK_EQ(t, r, cpu);
	}
	CHECK_EQ(t, smp_call_one(CONFIG_MAX_CPUS, smpt_index, NULL, 0, &r), -E_INVAL);
}

static u64 smpt_hits[CONFIG_MAX_CPUS];

static u64 smpt_hit(void *arg)
{
	__atomic_fetch_add(&smpt_hits[this_cpu()->index], 1, __ATOMIC_RELAXED);
	return (u64)(uintptr_t)arg + this_cpu()->index;
}

TEST(smp, broadcast_and_multicast_reach_exactly_their_targets)
{
	u64 res[CONFIG_MAX_CPUS];
	struct cpumask odd;
	unsigned cpu;

	memset(smpt_hits, 0, sizeof(smpt_hits));
	CHECK_EQ(t, smp_call_others(smpt_hit, (void *)1000, 0, res), 0);
	for (cpu = 0; cpu < cpu_count; cpu++) {
		CHECK_EQ(t, smpt_hits[cpu], cpu == 0 ? 0 : 1);
		if (cpu)
			CHECK_EQ(t, res[cpu], 1000 + cpu);
	}
	memset(smpt_hits, 0, sizeof(smpt_hits));
	cpumask_clear(&odd);
	for (cpu = 1; cpu < cpu_count; cpu += 2)
		cpumask_set(&odd, cpu);
	cpumask_set(&odd, 0); /* the caller's own share runs locally */
	CHECK_EQ(t, smp_call_many(&odd, smpt_hit, (void *)0, 0, res), 0);
	for (cpu = 0; cpu < cpu_count; cpu++)
		CHECK_EQ(t, smpt_hits[cpu], (cpu == 0 || (cpu & 1)) ? 1 : 0);
}

struct smpt_find {
	u64 frame;
	unsigned found;
};

static void smpt_find_leaf(void *arg, u64 va, const struct pt_mapping *m, int level)
{
	struct smpt_find *f = arg;

	(void)va;
	if (level < 4 && spa_addr(m->pa) <= f->frame && f->frame < spa_addr(m->pa) + m->size)
		f->found++;
}

/* On another CPU: its own struct percpu is at PERCPU_DATA; CPU 0's frame is nowhere. */
static u64 smpt_percpu_check(void *arg)
{
	struct smpt_find f = { *(u64 *)arg, 0 };
	struct pt_mapping m;

	if (this_cpu()->index == 0 || this_cpu()->self != this_cpu())
		return 1;
	if (pgtable_query(PT_SELF, PERCPU_DATA, &m) || spa_addr(m.pa) == f.frame)
		return 2;
	pgtable_walk(PT_SELF, 0, ~0ULL, smpt_find_leaf, &f);
	return f.found ? 3 : 0;
}

TEST(smp, percpu_area_invisible_to_other_cpus)
{
	struct pt_mapping m;
	u64 res[CONFIG_MAX_CPUS], frame;
	unsigned cpu;

	if (cpu_count < 2)
		SKIP(t, "needs two CPUs");
	CHECK_EQ(t, pgtable_query(PT_SELF, PERCPU_DATA, &m), 0);
	frame = spa_addr(m.pa);
	CHECK_EQ(t, smp_call_others(smpt_percpu_check, &frame, sizeof(frame), res), 0);
	for (cpu = 1; cpu < cpu_count; cpu++)
		CHECK_EQ(t, res[cpu], 0);
}

TEST(smp, timer_ticks_on_every_cpu)
{
	u64 before[CONFIG_MAX_CPUS];
	unsigned cpu;

	CHECK(t, arch_irqs_enabled());
	for (cpu = 0; cpu < cpu_count; cpu++)
		before[cpu] = timer_ticks(cpu);
	time_udelay(60000); /* six ticks at 100 Hz */
	for (cpu = 0; cpu < cpu_count; cpu++)
		CHECK(t, timer_ticks(cpu) >= before[cpu] + 2);
}

/* The shared test window in the global part, guarded by one lock. */
#define SMPT_WIN (GLOBAL_MAP_BASE + (64ULL << 30))
#define SMPT_SLOTS 16
static spinlock_t smpt_lock = SPINLOCK_INIT;
static u64 smpt_expect[SMPT_SLOTS];

static u64 smpt_read_slot(void *arg)
{
	return *(volatile u64 *)(uintptr_t)(SMPT_WIN + (u64)(uintptr_t)arg * PAGE_SIZE);
}

/*
 * Maps a fresh frame holding stamp at slot s, replacing any mapping; lock
 * held. The old frame is freed only after the shootdown, so a stale
 * translation would still show the old stamp.
 */
static int smpt_remap(unsigned s, u64 stamp)
{
	u64 va = SMPT_WIN + (u64)s * PAGE_SIZE;
	struct pt_mapping m;
	struct pt_flush fl;
	struct tmpmap tm;
	bool had_old;
	spa_t f;

	if (pmm_alloc_frame(&f))
		return -E_NOMEM;
	*(u64 *)tmpmap_map(f, &tm) = stamp;
	tmpmap_unmap(&tm);
	pt_flush_init(&fl);
	had_old = pgtable_query(PT_SELF, va, &m) == 0;
	if (had_old && pgtable_unmap(PT_SELF, va, 1, &fl)) {
		pmm_free_frame(f);
		return -E_NOMEM;
	}
	tlb_flush(&fl);
	if (pgtable_map(PT_SELF, va, f, 1, PROT_W | PROT_G)) {
		pmm_free_frame(f);
		return -E_NOMEM;
	}
	if (had_old)
		pmm_free_frame(m.pa);
	smpt_expect[s] = stamp;
	return 0;
}

static void smpt_clear_window(void)
{
	struct pt_mapping m;
	struct pt_flush fl;
	unsigned s;

	spin_lock(&smpt_lock);
	for (s = 0; s < SMPT_SLOTS; s++) {
		u64 va = SMPT_WIN + (u64)s * PAGE_SIZE;

		pt_flush_init(&fl);
		if (pgtable_query(PT_SELF, va, &m) == 0 && pgtable_unmap(PT_SELF, va, 1, &fl) == 0) {
			tlb_flush(&fl);
			pmm_free_frame(m.pa);
		}
	}
	spin_unlock(&smpt_lock);
}

TEST(smp, remapped_page_is_seen_new_by_every_cpu)
{
	u64 res[CONFIG_MAX_CPUS];
	unsigned cpu, round;

	/* A neighbour that stays mapped keeps the page table (no full flushes). */
	spin_lock(&smpt_lock);
	CHECK_EQ(t, smpt_remap(4, 1), 0);
	spin_unlock(&smpt_lock);
	for (round = 0; round < 20; round++) {
		spin_lock(&smpt_lock);
		CHECK_EQ(t, smpt_remap(3, 0x1000 + round), 0);
		spin_unlock(&smpt_lock);
		/* Every CPU reads (and caches) the translation... */
		CHECK_EQ(t, smp_call_many(&cpus_online, smpt_read_slot, (void *)3, 0, res), 0);
		for (cpu = 0; cpu < cpu_count; cpu++)
			CHECK_EQ(t, res[cpu], 0x1000 + round);
	}
	smpt_clear_window();
}

/*
 * Stress: every CPU owns a run of STRESS_SLOTS pages in the global part.
 * One round unmaps its whole run with one shootdown (a batched range), frees
 * the frames, maps fresh frames stamped with (cpu, round, slot) and
 * publishes the round in a sequence word (odd while changing). Between
 * rounds it reads other CPUs' pages: when the sequence word is even and the
 * same before and after, every page must hold its current stamp; a stale
 * TLB entry would show a freed frame's contents or fault.
 */
#define STRESS_SLOTS 32
#define STRESS_BASE (SMPT_WIN + (1ULL << 30))
/* Own page table per CPU, and a different TLB set per CPU (no aliasing evictions). */
#define STRESS_REGION(c) (STRESS_BASE + (u64)(c) * (PAGE_SIZE_2M + 2 * STRESS_SLOTS * PAGE_SIZE))

static volatile u64 stress_seq[CONFIG_MAX_CPUS];
static volatile u64 stress_bad[CONFIG_MAX_CPUS];

static u64 stress_stamp(unsigned cpu, u64 round, unsigned slot)
{
	return ((u64)cpu << 48) | (round << 8) | slot;
}

static int stress_round(unsigned me, u64 round)
{
	u64 base = STRESS_REGION(me);
	spa_t old[STRESS_SLOTS], fresh[STRESS_SLOTS];
	struct pt_mapping m;
	struct pt_flush fl;
	struct tmpmap tm;
	unsigned i, n = 0;

	for (i = 0; i < STRESS_SLOTS; i++) {
		if (pmm_alloc_frame(&fresh[i]))
			return 1;
		*(u64 *)tmpmap_map(fresh[i], &tm) = stress_stamp(me, round, i);
		tmpmap_unmap(&tm);
	}
	__atomic_store_n(&stress_seq[me], 2 * round + 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < STRESS_SLOTS; i++)
		if (pgtable_query(PT_SELF, base + i * PAGE_SIZE, &m) == 0)
			old[n++] = m.pa;
	pt_flush_init(&fl);
	if (n && pgtable_unmap(PT_SELF, base, STRESS_SLOTS, &fl))
		return 1;
	tlb_flush(&fl); /* one shootdown for the whole run */
	for (i = 0; i < STRESS_SLOTS; i++)
		if (pgtable_map(PT_SELF, base + i * PAGE_SIZE, fresh[i], 1, PROT_W | PROT_G))
			return 1;
	__atomic_store_n(&stress_seq[me], 2 * round + 2, __ATOMIC_SEQ_CST);
	/* Old frames go back only now: a stale translation still shows the old stamp. */
	for (i = 0; i < n; i++)
		pmm_free_frame(old[i]);
	return 0;
}

/* Reads every page of cpu's run; counts stamps that are wrong under a stable sequence. */
static void stress_check(unsigned me, unsigned cpu)
{
	u64 s1 = __atomic_load_n(&stress_seq[cpu], __ATOMIC_SEQ_CST), s2, v;
	unsigned i, bad = 0;

	if (s1 == 0 || (s1 & 1))
		return;
	for (i = 0; i < STRESS_SLOTS; i++) {
		if (arch_safe_read_u64((const void *)(uintptr_t)(STRESS_REGION(cpu) + i * PAGE_SIZE),
				       &v) || v != stress_stamp(cpu, s1 / 2 - 1, i))
			bad++;
	}
	s2 = __atomic_load_n(&stress_seq[cpu], __ATOMIC_SEQ_CST);
	if (s1 == s2 && bad)
		stress_bad[me] += bad;
}

static u64 smpt_worker(void *arg)
{
	unsigned me = this_cpu()->index, rounds = (unsigned)(uintptr_t)arg, r, c;

	for (r = 0; r < rounds; r++) {
		if (stress_round(me, r))
			return 1;
		for (c = 0; c < cpu_count; c++)
			stress_check(me, c);
	}
	return 0;
}

static void stress_cleanup(void)
{
	struct pt_mapping m;
	struct pt_flush fl;
	unsigned c, i;

	for (c = 0; c < cpu_count; c++) {
		pt_flush_init(&fl);
		for (i = 0; i <= STRESS_SLOTS; i++) {
			u64 va = STRESS_REGION(c) + i * PAGE_SIZE;

			if (pgtable_query(PT_SELF, va, &m) == 0 &&
			    pgtable_unmap(PT_SELF, va, 1, &fl) == 0)
				pmm_free_frame(m.pa);
		}
		tlb_flush(&fl);
	}
}

/* 100,000 page map/use/unmap operations spread over every CPU. */
TEST_FLAGS(smp, tlb_stress_no_stale_translation, TEST_F_SLOW)
{
	const unsigned total = 100000;
	unsigned rounds = (total / cpu_count + STRESS_SLOTS - 1) / STRESS_SLOTS, cpu;
	struct pmm_stats before, after;
	u64 res, bad = 0;

	pmm_get_stats(&before);
	for (cpu = 0; cpu < cpu_count; cpu++) {
		/* A sentinel page keeps each run's page table, so nobody full-flushes. */
		spa_t f;

		CHECK_EQ(t, pmm_alloc_frame(&f), 0);
		CHECK_EQ(t, pgtable_map(PT_SELF, STRESS_REGION(cpu) + STRESS_SLOTS * PAGE_SIZE, f, 1,
					PROT_W | PROT_G), 0);
	}
	memset((void *)stress_seq, 0, sizeof(stress_seq));
	memset((void *)stress_bad, 0, sizeof(stress_bad));
	for (cpu = 1; cpu < cpu_count; cpu++)
		CHECK_EQ(t, smp_work_start(cpu, smpt_worker, (void *)(uintptr_t)rounds), 0);
	res = smpt_worker((void *)(uintptr_t)rounds);
	for (cpu = 1; cpu < cpu_count; cpu++)
		res |= smp_work_wait(cpu);
	stress_cleanup();
	for (cpu = 0; cpu < cpu_count; cpu++)
		bad += stress_bad[cpu];
	pmm_get_stats(&after);
	CHECK_EQ(t, res, 0);
	CHECK_EQ(t, bad, 0);
	CHECK(t, (u64)rounds * STRESS_SLOTS * cpu_count >= total);
	CHECK(t, after.free + 8 >= before.free); /* all frames back, page tables aside */
}

static u64 smpt_counter;
static spinlock_t smpt_count_lock = SPINLOCK_INIT;

static u64 smpt_count_worker(void *arg)
{
	unsigned i;

	for (i = 0; i < (unsigned)(uintptr_t)arg; i++) {
		unsigned long f = spin_lock_irqsave(&smpt_count_lock);

		smpt_counter++;
		spin_unlock_irqrestore(&smpt_count_lock, f);
	}
	return 0;
}

TEST(smp, spinlock_serializes_all_cpus)
{
	unsigned cpu;

	smpt_counter = 0;
	for (cpu = 1; cpu < cpu_count; cpu++)
		CHECK_EQ(t, smp_work_start(cpu, smpt_count_worker, (void *)20000), 0);
	smpt_count_worker((void *)20000);
	for (cpu = 1; cpu < cpu_count; cpu++)
		smp_work_wait(cpu);
	CHECK_EQ(t, smpt_counter, 20000ULL * cpu_count);
}

static u64 smpt_ipis(void)
{
	u64 n = 0;
	unsigned cpu;

	for (cpu = 0; cpu < cpu_count; cpu++)
		n += cpu_infos[cpu].ipis;
	return n;
}

TEST(smp, shootdowns_go_only_where_needed)
{
	struct pt_flush f;
	u64 before;

	/* Per-CPU and per-task changes stay local: no cross-CPU call at all. */
	before = smpt_ipis();
	pt_flush_init(&f);
	f.start = PERCPU_TEMP_BASE;
	f.end = PERCPU_TEMP_BASE + PAGE_SIZE;
	tlb_flush(&f);
	f.start = PERTASK_HEAP_BASE;
	f.end = PERTASK_HEAP_BASE + PAGE_SIZE;
	tlb_flush(&f);
	CHECK_EQ(t, smpt_ipis(), before);
	/* A global change reaches every other CPU exactly once. */
	f.start = SMPT_WIN;
	f.end = SMPT_WIN + PAGE_SIZE;
	tlb_flush(&f);
	CHECK_EQ(t, smpt_ipis(), before + (cpu_count - 1));
}

TEST(smp, unexpected_vector_is_counted_not_fatal)
{
	u64 before = irq_unexpected_count();
	unsigned long flags = arch_irq_save();

	/* A self-IPI on a vector no handler owns. */
	platform_apic_write(APIC_SELF_IPI, 0x77);
	arch_irq_restore(flags);
	time_udelay(1000);
	CHECK_EQ(t, irq_unexpected_count(), before + 1);
	CHECK(t, !apic_in_service(0x77));
}
