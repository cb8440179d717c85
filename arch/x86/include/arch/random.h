/* Hardware random numbers (RDSEED, falling back to RDRAND), retried a bounded number of times. */
#ifndef ARCH_RANDOM_H
#define ARCH_RANDOM_H

#include <arch/cpu.h>
#include <arch/x86.h>

/* true and *out set on success; false when the CPU has no or a failing RNG. */
static inline bool arch_random64(u64 *out)
{
	int i;

	for (i = 0; i < 16; i++) {
		if (cpu_features.rdseed && rdseed64(out))
			return true;
		if (cpu_features.rdrand && rdrand64(out))
			return true;
	}
	return false;
}

#endif
