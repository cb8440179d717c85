/* Unlocked page-table operations behind the public API of include/copra/pgtable.h. */
#ifndef ARCH_X86_PGTABLE_INTERNAL_H
#define ARCH_X86_PGTABLE_INTERNAL_H

#include <copra/pgtable.h>

int pt_do_map(enum pt_view v, u64 va, spa_t pa, u64 npages, u32 prot);
int pt_do_ensure_table(enum pt_view v, u64 va);
int pt_do_unmap(enum pt_view v, u64 va, u64 npages, struct pt_flush *f);
int pt_do_protect(enum pt_view v, u64 va, u64 npages, u32 prot, struct pt_flush *f);
int pt_do_merge(enum pt_view v, u64 va, struct pt_flush *f);

#endif
