/*
 * Start stub for the QEMU launcher: applies an IGVM native VP context (64-bit
 * long mode) on the BSP. Loaded with `-device loader` at a page P that the
 * context's page tables map identity, present and executable; the ROM enters
 * it in 32-bit flat protected mode with EBX = P. It sets CR4, CR3, EFER (no
 * LMA), CR0 (paging on), far-jumps to 64-bit code through a GDT in this page,
 * loads the context's GDTR, IDTR, data segments, GS base and GPRs, then
 * iretq's to CS:RIP with RSP/RFLAGS from a frame igvmtool prepared in this
 * page (which the context maps read-only: nothing here writes memory).
 * Position-independent: 32-bit code addresses via EBX, 64-bit via RIP.
 */
#include "igvm_blob.h"

#define CTX(off) (stub_start + STUB_CTX_OFF + (off))(%rip)
#define AT(off) (stub_start + (off))(%rip)

	.text
	.code32
stub_start:
	cli
	lgdtl	STUB_GDTR32_OFF(%ebx)
	movl	STUB_CTX_OFF + CTX_CR4(%ebx), %eax
	andl	$~STUB_CR4_PCIDE, %eax		/* PCIDE needs long mode: set later */
	movl	%eax, %cr4
	movl	STUB_CTX_OFF + CTX_CR3(%ebx), %eax
	movl	%eax, %cr3
	movl	$STUB_MSR_EFER, %ecx
	movl	STUB_CTX_OFF + CTX_EFER(%ebx), %eax
	movl	STUB_CTX_OFF + CTX_EFER + 4(%ebx), %edx
	andl	$~STUB_EFER_LMA, %eax		/* the CPU sets LMA itself */
	wrmsr
	movl	STUB_CTX_OFF + CTX_CR0(%ebx), %eax
	movl	%eax, %cr0			/* paging on: compatibility mode */
	ljmpl	*STUB_FARPTR_OFF(%ebx)

	.org	STUB_ENTRY64_OFF
	.code64
stub_entry64:
	movq	CTX(CTX_CR4), %rax
	movq	%rax, %cr4
	lgdt	AT(STUB_GDTR64_OFF)
	lidt	AT(STUB_IDTR64_OFF)
	movzwl	CTX(CTX_DATA_SEL), %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$STUB_MSR_GS_BASE, %ecx
	movl	CTX(CTX_GS_BASE), %eax
	movl	CTX(CTX_GS_BASE + 4), %edx
	wrmsr
	movq	CTX(CTX_RAX), %rax
	movq	CTX(CTX_RCX), %rcx
	movq	CTX(CTX_RDX), %rdx
	movq	CTX(CTX_RBX), %rbx
	movq	CTX(CTX_RBP), %rbp
	movq	CTX(CTX_RSI), %rsi
	movq	CTX(CTX_RDI), %rdi
	movq	CTX(CTX_R8), %r8
	movq	CTX(CTX_R9), %r9
	movq	CTX(CTX_R10), %r10
	movq	CTX(CTX_R11), %r11
	movq	CTX(CTX_R12), %r12
	movq	CTX(CTX_R13), %r13
	movq	CTX(CTX_R14), %r14
	movq	CTX(CTX_R15), %r15
	leaq	AT(STUB_FRAME_OFF), %rsp
	iretq

	.org	STUB_GDT_OFF
stub_gdt:
	.quad	0
	.quad	0x00AF9B000000FFFF		/* 0x08: 64-bit code, accessed */
	.quad	0x00CF93000000FFFF		/* 0x10: data, accessed */
	.org	STUB_GDTR32_OFF
	.word	3 * 8 - 1
	.long	0				/* P + STUB_GDT_OFF */
	.org	STUB_FARPTR_OFF
	.long	0				/* P + STUB_ENTRY64_OFF */
	.word	STUB_SEL_CODE64
	.org	STUB_MAGIC_OFF
	.ascii	"CPRASTB1"
	.org	STUB_SIZE
