/* Monotonic time since boot, from the cycle counter calibrated by the platform. */
#ifndef COPRA_TIME_H
#define COPRA_TIME_H

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL

#include <copra/types.h>

void time_init(u64 cycles_khz);
u64 time_cycles_khz(void);
u64 time_ns(void);
/* Busy-waits for at least us microseconds (valid after time_init). */
void time_udelay(u64 us);

#endif
