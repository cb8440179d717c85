/*
 * CPU exceptions raised in user mode: a first touch of a stack page maps
 * it; anything else ends the process (never the kernel)
 * with a description in the process's own terms: which part of its memory
 * ("user code", "the guard page below the user stack", "kernel memory")
 * and what kind of access.
 */
#include <arch/irq.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <copra/fmt.h>
#include <copra/memlayout.h>
#include <copra/pgtable.h>
#include <copra/process.h>
#include <copra/spinlock.h>

#include "user_internal.h"

/* A memory-object mapping (SYS_mem_map) containing a, described by its protection. */
static bool fault_in_mapping(struct process *p, u64 a, char *buf, size_t size)
{
	const struct vma *v;
	u32 prot = 0;
	bool found = false;

	spin_lock(&p->lock);
	for (v = p->vmas; v && !found; v = v->next) {
		if (a >= v->start && a < v->end) {
			prot = v->prot;
			found = true;
		}
	}
	spin_unlock(&p->lock);
	if (found)
		fmt_snprintf(buf, size, "%s", !(prot & COPRA_PROT_WRITE) ? "a read-only mapping" :
			     (prot & COPRA_PROT_EXEC) ? "an executable mapping" : "a writable mapping");
	return found;
}

static void fault_region(struct process *p, u64 a, char *buf, size_t size)
{
	unsigned i;

	if (a >= USER_TOP) {
		fmt_snprintf(buf, size, "kernel memory");
		return;
	}
	if (a < PAGE_SIZE) {
		fmt_snprintf(buf, size, "the null page");
		return;
	}
	for (i = 0; i < p->image_count; i++) {
		if (a >= p->image[i].start && a < p->image[i].end) {
			fmt_snprintf(buf, size, "%s",
				     (p->image[i].prot & PROT_X) ? "user code" :
				     (p->image[i].prot & PROT_W) ? "user data" : "user read-only data");
			return;
		}
	}
	if (fault_in_mapping(p, a, buf, size))
		return;
	if (a >= p->stack_bottom - PAGE_SIZE && a < p->stack_bottom)
		fmt_snprintf(buf, size, "the guard page below the user stack (stack overflow)");
	else if (a >= p->stack_bottom && a < USER_STACK_TOP)
		fmt_snprintf(buf, size, "the user stack");
	else
		fmt_snprintf(buf, size, "an unmapped or protected address");
}

bool process_fault_resolve(const struct trap_frame *tf)
{
	struct process *p = process_current();
	u64 addr;
	int ret;

	if (tf->vector != VEC_PF || (tf->error & (PF_P | PF_I | PF_RSVD)))
		return false;
	addr = read_cr2();
	if (addr < p->stack_bottom || addr >= USER_STACK_TOP)
		return false;
	/* A stack page touched for the first time. */
	arch_irq_enable();
	ret = exec_map_page(ALIGN_DOWN(addr, PAGE_SIZE), NULL, 0, 0, PROT_U | PROT_W);
	arch_irq_disable();
	return ret == 0;
}

__noreturn void process_fault(const struct trap_frame *tf)
{
	struct process *p = process_current();
	char region[80], reason[96];
	u64 addr = tf->rip;

	if (tf->vector == VEC_PF) {
		addr = read_cr2();
		fault_region(p, addr, region, sizeof(region));
		fmt_snprintf(reason, sizeof(reason), "page fault: %s %s at 0x%llx",
			     (tf->error & PF_I) ? "execution of" :
			     (tf->error & PF_W) ? "write to" : "read of",
			     region, (unsigned long long)addr);
	} else {
		fmt_snprintf(reason, sizeof(reason), "%s at 0x%llx (error 0x%llx)",
			     trap_name((unsigned)tf->vector), (unsigned long long)tf->rip,
			     (unsigned long long)tf->error);
	}
	process_exit(COPRA_EXIT_FAULT, 0, addr, reason);
}
