/* Memory-management bring-up, accounting and address-map descriptions. */
#ifndef COPRA_MM_H
#define COPRA_MM_H

#include <copra/types.h>

struct bootinfo;

/* Parses the memory map, starts the frame allocator and the global heap. */
int mm_init(const struct bootinfo *bi) __must_check;
/* Maps the boot CPU's IST stacks, then mm_percpu_activate() (needs mm_init). */
int mm_percpu_init_bsp(void) __must_check;
/* On the calling CPU: load its GDT/TSS (IST stacks already mapped), start its heap. */
int mm_percpu_activate(void) __must_check;
/* Makes .data.ro_after_init read-only and unmaps boot-only code. */
void mm_seal_boot(void);

/* Top of the boot stack (the boot CPU's idle task runs on it). */
u64 mm_boot_stack_top(void);

/* Total RAM the memory map describes, in bytes. */
u64 mm_ram_bytes(void);

/*
 * Describes the region addr falls in, e.g. "kernel text", "guard page below
 * the boot stack", "per-task kernel stack of task 7 (init)".
 */
void mm_describe_address(u64 addr, u64 pf_error, char *buf, size_t size);

/* Logs used/free memory per part (frames, page tables, each heap). */
void mm_log_usage(void);

/* Maps frames permanently in the global mapping area; returns the address or 0. */
u64 mm_map_global(spa_t first, u64 npages, u32 prot);

#endif
