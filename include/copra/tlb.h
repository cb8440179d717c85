/*
 * TLB invalidation after page-table changes. tlb_flush() invalidates what a
 * struct pt_flush describes on every CPU that may cache it: the local CPU
 * for per-CPU mappings, the CPUs running the address space for per-task and
 * user mappings, all CPUs for the global part. Ranges above a threshold
 * become a full flush.
 */
#ifndef COPRA_TLB_H
#define COPRA_TLB_H

#include <copra/cpumask.h>
#include <copra/pgtable.h>

#define TLB_FLUSH_ALL_THRESHOLD 32 /* pages */

void tlb_flush(const struct pt_flush *f);
/* Local CPU only. */
void tlb_flush_local(const struct pt_flush *f);
/* Invalidates f on exactly the CPUs in targets (the caller excluded). */
void tlb_shootdown(const struct cpumask *targets, const struct pt_flush *f);

#endif
