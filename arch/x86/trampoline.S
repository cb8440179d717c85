/*
 * AP start code, copied to the trampoline page (TRAMPOLINE_PHYS) before each
 * AP is started. A STARTUP IPI enters it in real mode at CS:IP = 0800:0000.
 * It goes to 32-bit protected mode, then to long mode with the boot page
 * tables (which identity-map this page and map the kernel), and jumps to
 * arch_ap_entry with RDI = the AP's own page-table root and RSI = its stack
 * top. The data words at the end are filled in for each AP.
 * Every descriptor has its accessed bit set: the page is read-only once
 * paging is on.
 */
#include <copra/memlayout.h>

#define TP(x) (TRAMPOLINE_PHYS + ((x) - ap_trampoline_start))

	.section .rodata.trampoline, "a"
	.p2align 12
	.globl ap_trampoline_start, ap_trampoline_end
	.globl ap_trampoline_boot_cr3, ap_trampoline_root, ap_trampoline_stack
	.globl ap_trampoline_entry

	.code16
ap_trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl (tramp_gdtr - ap_trampoline_start)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x08, $TP(tramp32)

	.code32
tramp32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $0x20, %eax                 /* CR4.PAE */
	movl %eax, %cr4
	movl TP(ap_trampoline_boot_cr3), %eax
	movl %eax, %cr3
	movl $0xC0000080, %ecx           /* EFER: LME | NXE */
	rdmsr
	orl $0x900, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80010001, %eax            /* PG | WP | PE */
	movl %eax, %cr0
	ljmpl $0x18, $TP(tramp64)

	.code64
tramp64:
	movq TP(ap_trampoline_root), %rdi
	movq TP(ap_trampoline_stack), %rsi
	movq TP(ap_trampoline_entry), %rax
	jmp *%rax

	.p2align 3
tramp_gdt:
	.quad 0
	.quad 0x00CF9B000000FFFF         /* 0x08: 32-bit code */
	.quad 0x00CF93000000FFFF         /* 0x10: data */
	.quad 0x00AF9B000000FFFF         /* 0x18: 64-bit code */
tramp_gdtr:
	.word 31
	.long TP(tramp_gdt)
	.p2align 3
ap_trampoline_boot_cr3:
	.quad 0
ap_trampoline_root:
	.quad 0
ap_trampoline_stack:
	.quad 0
ap_trampoline_entry:
	.quad 0
ap_trampoline_end:

/* Kernel side of the AP entry: RDI = page-table root, RSI = stack top. */
	.text
	.globl arch_ap_entry
arch_ap_entry:
	movq %rdi, %cr3
	movq %rsi, %rsp
	xorl %ebp, %ebp
	call smp_ap_main
1:	cli
	hlt
	jmp 1b

	.section .note.GNU-stack, "", @progbits
