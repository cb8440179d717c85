/* Shared declarations of the host fakes (fake MMU, memory, per-CPU page). */
#ifndef FAKE_H
#define FAKE_H

#include <copra/types.h>

#define FAKE_PHYS_BASE 0x100000ULL
#define FAKE_FRAMES 1024ULL

void fake_mmu_reset(void);
void *fake_phys_ptr(u64 pa);
void fake_set_root(u64 pa);
extern unsigned fake_tlb_flushes;

#endif
