/*
 * x86 part of the per-CPU data: the CPU's GDT and TSS and the scratch words
 * the SYSCALL entry uses (reached at fixed addresses, no GS base).
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#include <copra/memlayout.h>
#include <copra/types.h>

/* Selectors (index << 3 | RPL). SYSRET needs ucode32, udata, ucode64 in order. */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UCODE32 0x18
#define GDT_UDATA 0x20
#define GDT_UCODE 0x28
#define GDT_TSS 0x30
#define GDT_ENTRIES 8
#define USER_CS (GDT_UCODE | 3)
#define USER_SS (GDT_UDATA | 3)

struct tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "TSS size");

/* IST slots (1-based in the IDT gate). */
#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3
#define IST_COUNT 3

struct arch_percpu {
	u64 gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	struct tss64 tss __attribute__((aligned(16)));
	u64 syscall_scratch;     /* user RSP during SYSCALL entry */
	u64 kstack_top;          /* current task's kernel stack top */
	/* arch_probe_call(): where a fault in the probed code resumes. */
	u64 probe_rsp;
	u64 probe_vector;
	u64 probe_addr;
	bool probe_active;
};

static inline u64 arch_percpu_base(void) { return PERCPU_DATA; }

#endif
