/*
 * x2APIC driver: per-CPU initialisation, EOI, IPIs through the ICR, the TPR
 * and the local timer (calibrated against the TSC once; TCG offers no
 * TSC-deadline mode, so periodic mode drives the scheduler tick).
 */
#include <arch/apic.h>
#include <arch/irq.h>
#include <arch/time.h>
#include <copra/irq.h>
#include <copra/log.h>
#include <copra/section.h>
#include <copra/time.h>
#include <platform/platform.h>

#define APIC_TIMER_DIV_16 0x3

static u64 apic_timer_per_ms __ro_after_init;

u32 apic_init_cpu(void)
{
	platform->apic_enable();
	platform_apic_write(APIC_SVR, 0x100 | 0xFF); /* software enable, spurious 0xFF */
	platform_apic_write(APIC_TPR, 0);
	platform_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	platform_apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	platform_apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	platform_apic_write(APIC_LVT_ERROR, 0xFE);
	platform_apic_write(APIC_ESR, 0);
	return (u32)platform_apic_read(APIC_ID);
}

void apic_eoi(void)
{
	platform_apic_write(APIC_EOI, 0);
}

void apic_send_ipi(u32 apic_id, u8 vector)
{
	platform_apic_write(APIC_ICR, ((u64)apic_id << 32) | vector);
}

void apic_send_ipi_all_but_self(u8 vector)
{
	platform_apic_write(APIC_ICR, APIC_ICR_ALL_BUT_SELF | vector);
}

void apic_set_tpr_class(unsigned cls)
{
	platform_apic_write(APIC_TPR, (cls & 15) << 4);
}

bool apic_in_service(u8 vector)
{
	return (platform_apic_read(APIC_ISR + vector / 32) >> (vector % 32)) & 1;
}

static volatile u64 apic_calibration_end;

void apic_calibration_irq(struct trap_frame *tf)
{
	(void)tf;
	apic_calibration_end = arch_cycles();
}

/*
 * Times a one-shot countdown of a known length with the TSC. The current
 * count register is never read: under QEMU's -icount a timer read from an
 * MSR access is refused, while an interrupt is fine.
 */
void apic_timer_calibrate(void)
{
	const u32 count = 1u << 20;
	u64 t0, limit = time_cycles_khz() * 200; /* 200 ms */
	unsigned long flags;

	apic_calibration_end = 0;
	platform_apic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	platform_apic_write(APIC_LVT_TIMER, IRQ_VEC_TIMER_CALIBRATE);
	flags = arch_irq_save();
	t0 = arch_cycles();
	platform_apic_write(APIC_TIMER_INIT, count);
	arch_irq_enable();
	while (!apic_calibration_end && arch_cycles() - t0 < limit)
		arch_cpu_relax();
	arch_irq_restore(flags);
	platform_apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	if (apic_calibration_end > t0)
		apic_timer_per_ms = count * time_cycles_khz() / (apic_calibration_end - t0);
	if (!apic_timer_per_ms) {
		apic_timer_per_ms = 62500; /* 1 GHz bus, divide 16 */
		log_warn("apic: timer calibration failed, assuming %llu ticks/ms",
			 (unsigned long long)apic_timer_per_ms);
	}
	log_info("apic: timer %llu ticks/ms (divide 16)", (unsigned long long)apic_timer_per_ms);
}

void apic_timer_start(unsigned hz, u8 vector)
{
	u64 count = apic_timer_per_ms * 1000 / (hz ? hz : 100);

	platform_apic_write(APIC_TIMER_DIV, APIC_TIMER_DIV_16);
	platform_apic_write(APIC_LVT_TIMER, APIC_TIMER_PERIODIC | vector);
	platform_apic_write(APIC_TIMER_INIT, count ? count : 1);
}
