/* Periodic timer tick (TIMER_HZ per second on every online CPU). */
#ifndef COPRA_TIMER_H
#define COPRA_TIMER_H

#include <copra/types.h>

#define TIMER_HZ 100

struct trap_frame;

void timer_irq(struct trap_frame *tf);
u64 timer_ticks(unsigned cpu);

#endif
