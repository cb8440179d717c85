/*
 * The address map: every top-level page-table slot, every fixed region and
 * the guest-physical placement of the boot image. igvmtool (which lays out
 * the boot page tables at build time) and the kernel both use this header, so
 * it is the one place these numbers live. docs/architecture.md draws it.
 */
#ifndef COPRA_MEMLAYOUT_H
#define COPRA_MEMLAYOUT_H

/* Sign-extended virtual address of the start of PML4 slot i. */
#define SLOT_VA(i) \
	((((unsigned long long)(i)) << 39) | ((i) >= 256 ? 0xFFFF000000000000ULL : 0ULL))
#define SLOT_SIZE (1ULL << 39) /* 512 GiB */

/*
 * PML4 slots. The user part is one slot so that the threads of a process can
 * each have their own PML4 (for their per-task and per-CPU slots) while
 * sharing one user PDPT.
 */
#define SLOT_USER 0       /* user: private per process */
#define SLOT_FOREIGN 507  /* window onto another address space's tables */
#define SLOT_PERTASK 508  /* kernel per-task: stack, per-task heap */
#define SLOT_PERCPU 509   /* kernel per-CPU: data, IST stacks, temp window, heap */
#define SLOT_SELFMAP 510  /* recursive page-table self-map */
#define SLOT_GLOBAL 511   /* kernel global shared: image, global heap */

#define USER_BASE 0x0000000000001000ULL /* page 0 is never mapped */
#define USER_TOP 0x0000008000000000ULL  /* end of slot 0: 512 GiB */
#define USER_STACK_TOP 0x0000007FFFFFF000ULL /* one guard page below USER_TOP */

/* Per-task slot (the same addresses in every task, different frames). */
#define PERTASK_BASE SLOT_VA(SLOT_PERTASK)
#define PERTASK_KSTACK_SIZE (32ULL << 10)
#define PERTASK_KSTACK_BOTTOM (PERTASK_BASE + 0x10000ULL) /* guard page below */
#define PERTASK_KSTACK_TOP (PERTASK_KSTACK_BOTTOM + PERTASK_KSTACK_SIZE)
#define PERTASK_HEAP_BASE (PERTASK_BASE + (1ULL << 30))
#define PERTASK_HEAP_SIZE (64ULL << 30)
#define PERTASK_MAP_BASE (PERTASK_BASE + (256ULL << 30))
#define PERTASK_MAP_SIZE (64ULL << 30)

/* Per-CPU slot (the same addresses on every CPU, different frames). */
#define PERCPU_BASE SLOT_VA(SLOT_PERCPU)
#define PERCPU_DATA (PERCPU_BASE)             /* struct percpu, 64 KiB max */
#define PERCPU_DATA_SIZE (64ULL << 10)
#define PERCPU_STACKS (PERCPU_BASE + (2ULL << 20))
#define PERCPU_STACK_SIZE (16ULL << 10)        /* each IST stack */
#define PERCPU_STACK_STRIDE (PERCPU_STACK_SIZE + 2 * 4096ULL) /* guard pages */
#define PERCPU_TEMP_BASE (PERCPU_BASE + (1ULL << 30)) /* 512 x 4 KiB windows */
#define PERCPU_TEMP_SLOTS 512
#define PERCPU_HEAP_BASE (PERCPU_BASE + (2ULL << 30))
#define PERCPU_HEAP_SIZE (64ULL << 30)

/* Self-map: the table that maps va is reached at these addresses. */
#define SELFMAP_BASE SLOT_VA(SLOT_SELFMAP)

/* Global slot. */
#define GLOBAL_BASE SLOT_VA(SLOT_GLOBAL)
#define GLOBAL_HEAP_BASE (GLOBAL_BASE)
#define GLOBAL_HEAP_SIZE (128ULL << 30)
#define GLOBAL_MAP_BASE (GLOBAL_BASE + (256ULL << 30))
#define GLOBAL_MAP_SIZE (128ULL << 30)
#define KERNEL_VBASE 0xFFFFFFFF80000000ULL /* top 2 GiB: -mcmodel=kernel */

/*
 * Guest-physical placement of the boot image (native and SNP). The kernel ELF
 * is linked so that VA = KERNEL_VBASE + (PA - 0) for its loaded sections,
 * starting at KERNEL_PHYS_BASE.
 */
#define TRAMPOLINE_PHYS 0x8000ULL      /* AP real-mode entry page, SIPI vector 0x08 */
#define KERNEL_PHYS_BASE 0x100000ULL   /* 1 MiB */
#define KERNEL_PHYS_MAX  0x4000000ULL  /* the boot image must end below 64 MiB */

/* The same, for assembly (no casts or conditionals there); checked below. */
#define PERTASK_KSTACK_TOP_ASM 0xFFFFFE0000018000
#ifndef __ASSEMBLER__
_Static_assert(PERTASK_KSTACK_TOP_ASM == PERTASK_KSTACK_TOP, "memlayout: assembly constant");
#endif

#endif
