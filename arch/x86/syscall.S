/*
 * User-mode entry and exit. SYSCALL arrives with the user RSP still loaded:
 * one SWAPGS pair (the kernel never uses GS otherwise: KERNEL_GS_BASE holds
 * the per-CPU data address) saves it in the per-CPU scratch word, and the
 * kernel stack top is a constant because every task's stack sits at the
 * same per-task address. The frame built is a struct trap_frame, so system
 * calls, faults and interrupts from user mode share one layout. Returns use
 * SYSRET when the return address is canonical, IRETQ otherwise.
 */
#include <arch/asm_frame.h>
#include <copra/errno.h>
#include <copra/memlayout.h>

#define USER_CS (0x28 | 3)
#define USER_SS (0x20 | 3)
#define SYSCALL_VECTOR 0x100 /* marks a syscall frame (no real vector) */

	.text
	.globl arch_syscall_entry
arch_syscall_entry:
	swapgs
	movq %rsp, %gs:8
	movabsq $PERTASK_KSTACK_TOP_ASM, %rsp
	pushq $USER_SS
	pushq %gs:8
	swapgs
	pushq %r11                 /* user RFLAGS */
	pushq $USER_CS
	pushq %rcx                 /* user RIP */
	pushq $0                   /* error */
	pushq $SYSCALL_VECTOR
	FRAME_PUSH_GPRS
	xorl %ebp, %ebp
	movq %rsp, %rdi
	sti
	call syscall_dispatch
	cli
	/* SYSRET faults in kernel mode on a non-canonical RIP: use IRETQ then. */
	movq 17*8(%rsp), %rcx
	movq %rcx, %r11
	sarq $47, %r11
	jnz arch_return_iret
	FRAME_POP_GPRS
	addq $16, %rsp             /* vector, error */
	popq %rcx                  /* RIP */
	addq $8, %rsp              /* CS */
	popq %r11                  /* RFLAGS */
	popq %rsp                  /* user RSP (the kernel stack is done with) */
	sysretq

arch_return_iret:
	jmp trap_return

/* void arch_enter_user(u64 rip, u64 rsp): first entry of a new process. */
	.globl arch_enter_user
arch_enter_user:
	cli
	movabsq $PERTASK_KSTACK_TOP_ASM, %rsp
	pushq $USER_SS
	pushq %rsi
	pushq $0x202               /* IF */
	pushq $USER_CS
	pushq %rdi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	iretq

/*
 * int arch_copy_user(void *dst, const void *src, size_t n): the one place
 * that touches user memory. SMAP is lifted for the copy only; a fault
 * resumes at the fixup and returns -E_FAULT. Eight bytes per step, then the
 * remainder.
 */
	.globl arch_copy_user
arch_copy_user:
	movq %rdx, %rcx
	shrq $3, %rcx
	andl $7, %edx
	stac
1:	rep movsq
	movl %edx, %ecx
2:	rep movsb
	clac
	xorl %eax, %eax
	ret
3:	clac
	movl $-E_FAULT, %eax
	ret
	.pushsection .extable, "a"
	.quad 1b, 3b
	.quad 2b, 3b
	.popsection

	.section .note.GNU-stack, "", @progbits
