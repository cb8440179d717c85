/*
 * Per-task user register state that the kernel switch code does not save
 * with the callee-saved registers: the FS base (the TLS pointer of Linux
 * programs). The CPU's FS base always equals the running task's value: the
 * kernel itself never uses FS, so it is only loaded when it changes.
 */
#ifndef ARCH_USTATE_H
#define ARCH_USTATE_H

#include <copra/types.h>

struct arch_user_state {
	u64 fs_base;  /* 0 for kernel threads and native processes */
};

/* At a task switch, interrupts off: loads next's state where it differs from prev's. */
void arch_user_state_switch(const struct arch_user_state *prev,
			    const struct arch_user_state *next);
/*
 * Sets the running task's FS base (a canonical user address, checked by
 * the caller): recorded in cur and loaded at once.
 */
void arch_user_state_set_fs(struct arch_user_state *cur, u64 base);

#endif
