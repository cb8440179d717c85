/*
 * Tiny 64-bit test kernel for the IGVM end-to-end test (tests/e2e/igvm_boot.sh):
 * checks the boot contract of include/abi/boot.h (bootinfo magic in RDI,
 * platform in RSI, RSP at the boot stack top, boot GDT selectors, writable
 * data and stack), prints one line on COM1 and exits QEMU through
 * isa-debug-exit: 0x10 (status 33) when every check passed, 0x11 otherwise.
 */
#define COM1 0x3F8
#define DEBUG_EXIT 0xF4
#define BI_MAGIC 0x314F4F4241525043
#define BI_STACK_TOP 0x90
#define BI_PARAM_GENERAL 0x30

	.section .text, "ax"
	.globl	_start
_start:
	movabs	$BI_MAGIC, %rax
	cmpq	%rax, (%rdi)
	jne	fail
	testq	%rsi, %rsi			/* BOOT_PLATFORM_NATIVE */
	jnz	fail
	cmpq	BI_STACK_TOP(%rdi), %rsp
	jne	fail
	movw	%cs, %ax
	cmpw	$0x08, %ax
	jne	fail
	movw	%ss, %ax
	cmpw	$0x10, %ax
	jne	fail
	movq	%rdi, saved_bootinfo(%rip)	/* .bss is writable */
	incq	counter(%rip)			/* .data is writable */
	cmpq	$43, counter(%rip)
	jne	fail
	leaq	msg_ok(%rip), %rsi
	call	puts				/* the stack is writable */
	movb	$0x10, %al
	outb	%al, $DEBUG_EXIT
	jmp	halt
fail:
	leaq	msg_bad(%rip), %rsi
	call	puts
	movb	$0x11, %al
	outb	%al, $DEBUG_EXIT
halt:
	cli
	hlt
	jmp	halt

puts:
	movw	$COM1, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	ret

	.section .rodata, "a"
msg_ok:	.asciz	"hello from 64-bit, rdi=bootinfo magic ok\n"
msg_bad: .asciz	"hello from 64-bit: boot contract check FAILED\n"

	.section .data, "aw"
counter: .quad	42

	.section .bss, "aw", @nobits
saved_bootinfo: .quad 0
	.skip	8192				/* a zero-filled tail spanning pages */
