/*
 * Kernel entry points: the BSP entry from the boot image, and the 256
 * interrupt/exception vectors, which all build a struct trap_frame and call
 * trap_dispatch(). Also the fault-tolerant read used by backtraces and tests.
 */
#include <arch/asm_frame.h>
#include <copra/errno.h>

	.section .init.text, "ax"
	.globl _start
_start:
	/* RDI = struct bootinfo *, RSI = platform type, RSP = boot stack top. */
	cld
	xorl %ebp, %ebp
	movq %rdi, %r12
	movq %rsi, %r13
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb
	movq %r12, %rdi
	movq %r13, %rsi
	call kmain
1:	cli
	hlt
	jmp 1b

/* Vectors that push an error code: 8, 10-14, 17, 21, 29, 30. */
.macro VECTOR n
	.p2align 4
vector_\n:
	.if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
.endm

	.text
	.p2align 4
	.globl trap_vectors
trap_vectors:
	.altmacro
	.set i, 0
	.rept 256
	VECTOR %i
	.set i, i + 1
	.endr
	.noaltmacro

	.p2align 4
trap_common:
	clac
	FRAME_PUSH_GPRS
	cld
	movq %rsp, %rdi
	call trap_dispatch
	.globl trap_return
trap_return:
	FRAME_POP_GPRS
	addq $16, %rsp
	iretq

/* int arch_safe_read_u64(const void *addr, u64 *out) */
	.globl arch_safe_read_u64
arch_safe_read_u64:
1:	movq (%rdi), %rax
	movq %rax, (%rsi)
	xorl %eax, %eax
	ret
2:	movl $-E_FAULT, %eax
	ret
	.pushsection .extable, "a"
	.quad 1b, 2b
	.popsection

/*
 * int arch_probe_call_raw(void (*fn)(void *), void *arg, u64 *save_rsp)
 * Saves the callee-saved registers and RSP, calls fn(arg) and returns 0.
 * After a fault, trap code resumes at arch_probe_landing with the saved RSP.
 */
	.globl arch_probe_call_raw
arch_probe_call_raw:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	movq %rsp, (%rdx)
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	xorl %eax, %eax
	jmp 1f
	.globl arch_probe_landing
arch_probe_landing:
	movl $-E_FAULT, %eax
1:	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* void arch_call_on_stack(void (*fn)(void *), void *arg, u64 stack_top) */
	.globl arch_call_on_stack
arch_call_on_stack:
	pushq %rbp
	movq %rsp, %rbp
	movq %rdx, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	movq %rbp, %rsp
	popq %rbp
	ret

	.section .note.GNU-stack, "", @progbits
