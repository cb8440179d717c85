/*
 * Local APIC in x2APIC mode, reached through the platform's APIC accessor
 * (native: MSRs; SNP and TDX supply their own). Register numbers are x2APIC
 * MSR offsets from 0x800.
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <copra/types.h>

#define APIC_ID 0x02
#define APIC_VERSION 0x03
#define APIC_TPR 0x08
#define APIC_PPR 0x0A
#define APIC_EOI 0x0B
#define APIC_SVR 0x0F
#define APIC_ISR 0x10
#define APIC_ESR 0x28
#define APIC_ICR 0x30
#define APIC_LVT_TIMER 0x32
#define APIC_LVT_LINT0 0x35
#define APIC_LVT_LINT1 0x36
#define APIC_LVT_ERROR 0x37
#define APIC_TIMER_INIT 0x38
#define APIC_TIMER_CUR 0x39
#define APIC_TIMER_DIV 0x3E
#define APIC_SELF_IPI 0x3F

#define APIC_LVT_MASKED BIT(16)
#define APIC_TIMER_PERIODIC BIT(17)
#define APIC_ICR_INIT 0x500
#define APIC_ICR_STARTUP 0x600
#define APIC_ICR_LEVEL_ASSERT 0x4000
#define APIC_ICR_LEVEL_TRIGGER 0x8000
#define APIC_ICR_ALL_BUT_SELF (3ULL << 18)

/* Enables x2APIC mode and sets up the LVTs on the calling CPU; returns its APIC ID. */
u32 apic_init_cpu(void);
void apic_eoi(void);
void apic_send_ipi(u32 apic_id, u8 vector);
void apic_send_ipi_all_but_self(u8 vector);
/* Sets the task-priority class (0 = accept all, 15 = block all). */
void apic_set_tpr_class(unsigned cls);
/* Measures the timer against the TSC (boot CPU, once). */
void apic_timer_calibrate(void);
struct trap_frame;
/* Handler of IRQ_VEC_TIMER_CALIBRATE (the calibration's one-shot). */
void apic_calibration_irq(struct trap_frame *tf);
/* Periodic timer on the calling CPU at hz interrupts per second. */
void apic_timer_start(unsigned hz, u8 vector);
/* true when vector is in service (delivered by the APIC, EOI pending). */
bool apic_in_service(u8 vector);

#endif
