/* Native AP start: INIT and STARTUP IPIs through the x2APIC ICR (SMP issue). */
#include <copra/errno.h>

#include "native.h"

int native_start_cpu(u32 apic_id, spa_t trampoline)
{
	(void)apic_id;
	(void)trampoline;
	return -E_NOSYS;
}
