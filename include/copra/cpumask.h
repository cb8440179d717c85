/* Sets of CPU indices (0 .. CONFIG_MAX_CPUS-1), updated atomically where shared. */
#ifndef COPRA_CPUMASK_H
#define COPRA_CPUMASK_H

#include <copra/types.h>

#ifndef CONFIG_MAX_CPUS
#define CONFIG_MAX_CPUS 64 /* host builds of core code */
#endif
#define CPUMASK_WORDS ((CONFIG_MAX_CPUS + 63) / 64)

struct cpumask {
	u64 bits[CPUMASK_WORDS];
};

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

static inline void cpumask_set(struct cpumask *m, unsigned cpu)
{
	__atomic_fetch_or(&m->bits[cpu / 64], BIT(cpu % 64), __ATOMIC_SEQ_CST);
}

static inline void cpumask_unset(struct cpumask *m, unsigned cpu)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~BIT(cpu % 64), __ATOMIC_SEQ_CST);
}

static inline bool cpumask_test(const struct cpumask *m, unsigned cpu)
{
	return (__atomic_load_n(&m->bits[cpu / 64], __ATOMIC_SEQ_CST) >> (cpu % 64)) & 1;
}

/* Population count without libgcc (no POPCNT assumed). */
static inline unsigned cpumask_popcount64(u64 x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

static inline unsigned cpumask_weight(const struct cpumask *m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		n += cpumask_popcount64(__atomic_load_n(&m->bits[i], __ATOMIC_SEQ_CST));
	return n;
}

/* The first CPU in m at or after cpu, or CONFIG_MAX_CPUS. */
static inline unsigned cpumask_next(const struct cpumask *m, unsigned cpu)
{
	while (cpu < CONFIG_MAX_CPUS) {
		u64 w = __atomic_load_n(&m->bits[cpu / 64], __ATOMIC_RELAXED) >> (cpu % 64);

		if (w)
			return cpu + (unsigned)__builtin_ctzll(w);
		cpu = (cpu | 63) + 1;
	}
	return CONFIG_MAX_CPUS;
}

#define for_each_cpu(cpu, mask)                                                  \
	for ((cpu) = cpumask_next((mask), 0); (cpu) < CONFIG_MAX_CPUS;             \
	     (cpu) = cpumask_next((mask), (cpu) + 1))

#endif
