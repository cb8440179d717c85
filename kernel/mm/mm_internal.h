/* Memory-management internals shared by the files in kernel/mm. */
#ifndef KERNEL_MM_INTERNAL_H
#define KERNEL_MM_INTERNAL_H

#include <copra/types.h>

struct mm_boot_info {
	u64 stack_bottom, stack_top; /* boot stack (guard page below bottom) */
};
extern struct mm_boot_info mm_boot;

/* Linker-script symbols delimiting the kernel image's regions. */
extern char __kernel_start[], __kernel_end[];
extern char __text_start[], __text_end[];
extern char __init_text_start[], __init_text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __ro_after_init_start[], __ro_after_init_end[];
extern char __data_start[], __bss_end[];

#endif
