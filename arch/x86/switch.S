/*
 * Task switch. Every task's kernel stack sits at the same address in its own
 * per-task slot, so loading the next task's root and its stack pointer must
 * happen back to back with nothing touching the stack in between
 * (interrupts are off; NMIs run on their IST stack).
 */
	.text

/* struct task *arch_switch(struct task *prev, struct task *next, u64 next_root) */
	.globl arch_switch
arch_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)        /* prev->ksp */
	movq %rdx, %cr3
	movq (%rsi), %rsp        /* next->ksp */
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	movq %rdi, %rax          /* the task we came from */
	ret

/* First run of a task: RAX = previous task, R12 = this task. */
	.globl arch_task_start
arch_task_start:
	movq %rax, %rdi
	call sched_finish_switch
	movq %r12, %rdi
	call task_run_entry
	ud2

	.section .note.GNU-stack, "", @progbits
