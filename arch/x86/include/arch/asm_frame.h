/*
 * Assembly macros that push and pop the general-purpose registers in the
 * order of struct trap_frame (arch/trap.h), shared by the interrupt entry
 * and the system-call entry so both build the same frame.
 */
#ifndef ARCH_ASM_FRAME_H
#define ARCH_ASM_FRAME_H

#ifdef __ASSEMBLER__
.macro FRAME_PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro FRAME_POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm
#endif

#endif
