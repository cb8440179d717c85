/* Arch side of AP bring-up: the real-mode trampoline. */
#ifndef ARCH_SMPBOOT_H
#define ARCH_SMPBOOT_H

#include <copra/types.h>

/*
 * Copies the trampoline into the page at tramp (below 1 MiB) for the next AP:
 * it enters long mode with boot_root (identity-maps tramp, maps the kernel),
 * then loads ap_root and stack_top and calls smp_ap_main().
 */
void arch_ap_trampoline_prepare(spa_t tramp, spa_t boot_root, spa_t ap_root, u64 stack_top);

#endif
