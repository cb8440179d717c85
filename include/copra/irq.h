/*
 * Interrupt vectors and their handlers. Vector numbers encode priority: the
 * upper nibble is the TPR class, so raising the TPR to a class masks every
 * vector at or below it (docs/architecture.md, "Interrupt priorities").
 */
#ifndef COPRA_IRQ_H
#define COPRA_IRQ_H

#include <copra/types.h>

struct trap_frame;

#define IRQ_VEC_TIMER 0x40       /* class 4: scheduler tick */
#define IRQ_VEC_TIMER_CALIBRATE 0x41 /* class 4: the timer's calibration one-shot */
#define IRQ_VEC_IPI 0xE0         /* class 14: remote calls, TLB shootdown */
#define IRQ_VEC_RESCHED 0xE1     /* class 14: reschedule (work queued here) */
#define IRQ_VEC_APIC_ERROR 0xFE
#define IRQ_VEC_SPURIOUS 0xFF

void irq_dispatch(struct trap_frame *tf);
/* Counts of interrupts no handler claimed (spurious or unexpected). */
u64 irq_unexpected_count(void);

#endif
