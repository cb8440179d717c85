/* The cycle counter core code uses for time (x86: the TSC). */
#ifndef ARCH_TIME_H
#define ARCH_TIME_H

#include <arch/x86.h>

static inline u64 arch_cycles(void) { return rdtsc(); }

#endif
