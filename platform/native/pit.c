/*
 * TSC calibration against the 8254 PIT (1.193182 MHz): count TSC ticks over
 * about 10 ms of PIT channel 0 counting, read back with latch commands.
 */
#include <arch/x86.h>

#include "native.h"

#define PIT_HZ 1193182ULL
#define PIT_CH0 0x40
#define PIT_CMD 0x43

static u16 pit_read(void)
{
	u8 lo, hi;

	outb(PIT_CMD, 0x00); /* latch channel 0 */
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return (u16)(lo | (hi << 8));
}

u64 native_tsc_khz(void)
{
	const u64 want = PIT_HZ / 100; /* 10 ms */
	u64 elapsed = 0, t0, t1;
	u16 prev, cur;

	outb(PIT_CMD, 0x34); /* channel 0, lo/hi byte, mode 2, binary */
	outb(PIT_CH0, 0xff);
	outb(PIT_CH0, 0xff);
	prev = pit_read();
	t0 = rdtsc();
	while (elapsed < want) {
		cur = pit_read();
		elapsed += (u16)(prev - cur);
		prev = cur;
	}
	t1 = rdtsc();
	outb(PIT_CMD, 0x30); /* back to one-shot mode 0, left stopped */
	return ((t1 - t0) * PIT_HZ) / (elapsed * 1000);
}
