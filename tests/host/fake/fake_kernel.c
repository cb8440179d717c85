/* Host stand-ins for kernel services core code calls: panic, per-CPU page, scheduler hook. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <copra/panic.h>
#include <copra/preempt.h>

unsigned char fake_percpu_page[4096] __attribute__((aligned(4096)));
bool fake_irqs_on = true;

void sched_preempt(void)
{
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
