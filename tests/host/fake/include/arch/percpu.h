/* Host stand-in for the per-CPU base: one static struct percpu. */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <copra/types.h>

struct arch_percpu {
	u64 unused;
};

extern unsigned char fake_percpu_page[4096];

static inline u64 arch_percpu_base(void) { return (u64)(uintptr_t)fake_percpu_page; }

#endif
