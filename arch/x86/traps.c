/*
 * Exception and interrupt dispatch. Kernel-mode exceptions first consult the
 * exception table (fault-tolerant accessors and tests); anything else is a
 * kernel bug and panics with a register dump, a backtrace and, for page
 * faults, the region the address belongs to.
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <copra/fmt.h>
#include <copra/irq.h>
#include <copra/log.h>
#include <copra/mm.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/preempt.h>
#include <copra/process.h>
#include <copra/task.h>

static const char *const trap_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP error", "alignment check", "machine check",
	"SIMD FP error", "virtualization exception", "control protection",
	"reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
	"hypervisor injection", "VMM communication", "security exception", "reserved",
};

u64 trap_counts[256];

const char *trap_name(unsigned vector)
{
	return vector < 32 ? trap_names[vector] : "interrupt";
}

static __noreturn void trap_page_fault_panic(struct trap_frame *tf)
{
	char where[128];
	u64 cr2 = read_cr2();

	mm_describe_address(cr2, tf->error, where, sizeof(where));
	panic_trap(tf, "page fault at 0x%llx (%s%s%s): %s", (unsigned long long)cr2,
		   (tf->error & PF_W) ? "write" : ((tf->error & PF_I) ? "execute" : "read"),
		   (tf->error & PF_P) ? ", protection" : ", not present",
		   (tf->error & PF_U) ? ", user" : "", where);
}

static __noreturn void trap_double_fault_panic(struct trap_frame *tf)
{
	char where[128];
	u64 cr2 = read_cr2();

	/* A #DF from kernel mode is almost always a stack overflow into a guard page. */
	mm_describe_address(cr2, PF_W, where, sizeof(where));
	panic_trap(tf, "double fault (last fault address 0x%llx: %s)", (unsigned long long)cr2,
		   where);
}

extern const char arch_probe_landing[];
int arch_probe_call_raw(void (*fn)(void *), void *arg, u64 *save_rsp);

int arch_probe_call(void (*fn)(void *), void *arg, u64 *vector, u64 *addr)
{
	struct arch_percpu *a;
	int ret;

	preempt_disable();
	a = &this_cpu()->arch;
	a->probe_vector = ~0ULL;
	a->probe_addr = 0;
	a->probe_active = true;
	ret = arch_probe_call_raw(fn, arg, &a->probe_rsp);
	a->probe_active = false;
	*vector = a->probe_vector;
	*addr = a->probe_addr;
	preempt_enable();
	return ret;
}

/* A fault inside arch_probe_call(): resume at the landing pad. */
static bool trap_probe_recover(struct trap_frame *tf)
{
	struct arch_percpu *a = &this_cpu()->arch;

	if (!a->probe_active || tf->vector == VEC_MC || tf->vector == VEC_NMI)
		return false;
	a->probe_active = false;
	a->probe_vector = tf->vector;
	a->probe_addr = tf->vector == VEC_PF ? read_cr2() : tf->rip;
	tf->rip = (u64)(uintptr_t)arch_probe_landing;
	tf->rsp = a->probe_rsp;
	return true;
}

static void trap_exception(struct trap_frame *tf)
{
	u64 fixup;

	if (!trap_from_user(tf) && tf->vector != VEC_DF && tf->vector != VEC_MC) {
		fixup = extable_fixup(tf->rip);
		if (fixup) {
			tf->rip = fixup;
			return;
		}
	}
	if (!trap_from_user(tf) && trap_probe_recover(tf))
		return;
	/* From user mode: the process ends; the kernel is unaffected. */
	if (trap_from_user(tf) && process_current() && tf->vector != VEC_NMI &&
	    tf->vector != VEC_MC) {
		if (process_fault_resolve(tf))
			return;
		process_fault(tf);
	}
	switch (tf->vector) {
	case VEC_NMI:
		log_warn("NMI on cpu %u", this_cpu()->index);
		return;
	case VEC_PF:
		trap_page_fault_panic(tf);
	case VEC_DF:
		trap_double_fault_panic(tf);
	default:
		panic_trap(tf, "%s (vector %llu, error 0x%llx)", trap_name((unsigned)tf->vector),
			   (unsigned long long)tf->vector, (unsigned long long)tf->error);
	}
}

void trap_dispatch(struct trap_frame *tf);
void trap_dispatch(struct trap_frame *tf)
{
	trap_counts[tf->vector & 0xff]++;
	if (tf->vector < 32) {
		trap_exception(tf);
		return;
	}
	irq_dispatch(tf);
	sched_irq_exit((tf->rflags & X86_RFLAGS_IF) != 0);
	if (trap_from_user(tf))
		process_check_killed();
}
