/* The FS base of user tasks (arch/ustate.h): loaded through MSR_FS_BASE at switches. */
#include <arch/irq.h>
#include <arch/ustate.h>
#include <arch/x86.h>

void arch_user_state_switch(const struct arch_user_state *prev,
			    const struct arch_user_state *next)
{
	if (prev->fs_base != next->fs_base)
		wrmsr(MSR_FS_BASE, next->fs_base);
}

void arch_user_state_set_fs(struct arch_user_state *cur, u64 base)
{
	unsigned long flags = arch_irq_save();

	cur->fs_base = base;
	wrmsr(MSR_FS_BASE, base);
	arch_irq_restore(flags);
}
