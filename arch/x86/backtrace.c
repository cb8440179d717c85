/*
 * Frame-pointer backtraces (the kernel is built with -fno-omit-frame-pointer).
 * Every frame is read with the fault-tolerant reader, so a corrupt chain ends
 * the trace instead of faulting again.
 */
#include <arch/backtrace.h>
#include <arch/trap.h>
#include <copra/ksyms.h>
#include <copra/log.h>

static void backtrace_print_one(unsigned depth, u64 rip)
{
	u64 off = 0;
	const char *name = ksyms_lookup(rip, &off);

	if (name)
		log_raw("  #%-2u 0x%016llx %s+0x%llx\n", depth, (unsigned long long)rip, name,
			(unsigned long long)off);
	else
		log_raw("  #%-2u 0x%016llx ?\n", depth, (unsigned long long)rip);
}

void backtrace_print(u64 rip, u64 rbp)
{
	unsigned depth = 0;

	log_raw("backtrace:\n");
	backtrace_print_one(depth++, rip);
	while (rbp && depth < 32) {
		u64 next, ret;

		if ((rbp & 7) || arch_safe_read_u64((const void *)(uintptr_t)rbp, &next) ||
		    arch_safe_read_u64((const void *)(uintptr_t)(rbp + 8), &ret))
			break;
		if (!ret)
			break;
		/* Return addresses point after the call; show the call itself. */
		backtrace_print_one(depth++, ret - 1);
		if (next <= rbp)
			break;
		rbp = next;
	}
}

void backtrace_here(void)
{
	u64 caller_rbp = 0;

	arch_safe_read_u64(__builtin_frame_address(0), &caller_rbp);
	backtrace_print((u64)(uintptr_t)__builtin_return_address(0), caller_rbp);
}
