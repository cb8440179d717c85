/* Boot-relative monotonic time from the calibrated cycle counter. */
#include <arch/irq.h>
#include <arch/time.h>
#include <copra/section.h>
#include <copra/time.h>

static u64 time_khz __ro_after_init;
static u64 time_base __ro_after_init;

void time_init(u64 cycles_khz)
{
	time_base = 0; /* the counter starts with the VM: time is since power-on */
	time_khz = cycles_khz ? cycles_khz : 1000000;
}

u64 time_cycles_khz(void)
{
	return time_khz;
}

u64 time_ns(void)
{
	u64 c, khz = time_khz;

	if (!khz)
		return 0;
	c = arch_cycles() - time_base;
	return (c / khz) * 1000000ULL + ((c % khz) * 1000000ULL) / khz;
}

void time_udelay(u64 us)
{
	u64 end = arch_cycles() + us * (time_khz ? time_khz : 1000000) / 1000;

	while ((s64)(arch_cycles() - end) < 0)
		arch_cpu_relax();
}
