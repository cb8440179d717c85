/*
 * The panic path: print the reason, the registers of a trapped context and a
 * symbolized backtrace on the console, then end the VM through the
 * platform. A panic while panicking stops at once.
 */
#include <arch/backtrace.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <copra/fmt.h>
#include <copra/log.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <platform/platform.h>

static int panic_depth;

static void panic_header(const char *fmt, va_list ap)
{
	char msg[256];

	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	log_raw("\nPANIC on cpu %u: %s\n", this_cpu()->index, msg);
}

static __noreturn void panic_stop(void)
{
	log_raw("Copra stopped.\n");
	platform_terminate(1);
}

static void panic_dump_regs(const struct trap_frame *tf)
{
	log_raw("rip %016llx  cs %04llx  rflags %016llx  rsp %016llx  ss %04llx\n",
		(unsigned long long)tf->rip, (unsigned long long)tf->cs,
		(unsigned long long)tf->rflags, (unsigned long long)tf->rsp,
		(unsigned long long)tf->ss);
	log_raw("rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n",
		(unsigned long long)tf->rax, (unsigned long long)tf->rbx,
		(unsigned long long)tf->rcx, (unsigned long long)tf->rdx);
	log_raw("rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n",
		(unsigned long long)tf->rsi, (unsigned long long)tf->rdi,
		(unsigned long long)tf->rbp, (unsigned long long)tf->r8);
	log_raw("r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n",
		(unsigned long long)tf->r9, (unsigned long long)tf->r10,
		(unsigned long long)tf->r11, (unsigned long long)tf->r12);
	log_raw("r13 %016llx  r14 %016llx  r15 %016llx\n", (unsigned long long)tf->r13,
		(unsigned long long)tf->r14, (unsigned long long)tf->r15);
	log_raw("cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx\n",
		(unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
		(unsigned long long)read_cr3(), (unsigned long long)read_cr4());
	log_raw("vector %llu  error %016llx\n", (unsigned long long)tf->vector,
		(unsigned long long)tf->error);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	cli();
	if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_SEQ_CST) > 0)
		panic_stop();
	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	backtrace_here();
	panic_stop();
}

void panic_trap(const struct trap_frame *tf, const char *fmt, ...)
{
	va_list ap;

	cli();
	if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_SEQ_CST) > 0)
		panic_stop();
	va_start(ap, fmt);
	panic_header(fmt, ap);
	va_end(ap);
	panic_dump_regs(tf);
	backtrace_print(tf->rip, tf->rbp);
	panic_stop();
}

/* Stack protector (-fstack-protector-strong with a global guard). */
unsigned long __stack_chk_guard = 0x5a17c0d3e9b1f247UL;
__noreturn void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed");
}
