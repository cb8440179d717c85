/*
 * Extended register state (x87, SSE, AVX) of user tasks, saved with XSAVE
 * (FXSAVE on CPUs without it) when a user task is switched out. The kernel
 * itself never uses these registers (it is built without SSE).
 */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <copra/types.h>

/* Per CPU: enables OSFXSR/OSXMMEXCPT/OSXSAVE and sets XCR0 (x87, SSE, AVX). */
void arch_fpu_init_cpu(void);
/* Bytes of a save area (64-byte aligned allocations). */
size_t arch_fpu_area_size(void);
/* A clean initial state (default control words) in area. */
void arch_fpu_init_area(void *area);
void arch_fpu_save(void *area);
void arch_fpu_restore(void *area);
/* XCR0 in use (the components user programs may use). */
u64 arch_fpu_xcr0(void);

#endif
