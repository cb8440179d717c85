/*
 * Native AP start: INIT, then two STARTUP IPIs with the trampoline page
 * number as vector, through the x2APIC ICR (the SDM's universal sequence).
 */
#include <copra/errno.h>
#include <copra/time.h>
#include <platform/platform.h>

#include "native.h"

#define ICR 0x30

int native_start_cpu(u32 apic_id, spa_t trampoline)
{
	u64 dest = (u64)apic_id << 32;
	u64 page = spa_addr(trampoline) >> 12;

	if ((spa_addr(trampoline) & 0xFFF) || page > 0xFF)
		return -E_INVAL;
	platform_apic_write(ICR, dest | 0xC500); /* INIT, level, assert */
	time_udelay(200);
	platform_apic_write(ICR, dest | 0x8500); /* INIT, level, de-assert */
	time_udelay(10000);
	platform_apic_write(ICR, dest | 0x600 | page);
	time_udelay(200);
	platform_apic_write(ICR, dest | 0x600 | page);
	return 0;
}
