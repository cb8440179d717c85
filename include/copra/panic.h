/*
 * Fatal errors. panic() is for broken internal invariants only, never for
 * bad input from the guest, the host or a user process. CHECK() is always on.
 */
#ifndef COPRA_PANIC_H
#define COPRA_PANIC_H

#include <copra/types.h>

struct trap_frame;

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/* Panic with a register dump and backtrace of the interrupted context. */
__noreturn void panic_trap(const struct trap_frame *tf, const char *fmt, ...) __printf(2, 3);

#define CHECK_INVARIANT(cond)                                                    \
	do {                                                                     \
		if (unlikely(!(cond)))                                           \
			panic("invariant failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
