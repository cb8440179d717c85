/*
 * _start: the entry point of every native Copra program. The kernel enters
 * with RSP 16-byte aligned at the System V initial stack (argc, argv[], NULL,
 * envp[], NULL, auxv); __copra_start (start.c) does the rest.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip		/* outermost frame: debuggers stop here */
	xorl	%ebp, %ebp
	movq	%rsp, %rdi		/* arg 0: the initial stack */
	andq	$-16, %rsp		/* aligned even if the kernel's RSP were not */
	call	__copra_start		/* does not return */
	ud2
	.cfi_endproc
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
