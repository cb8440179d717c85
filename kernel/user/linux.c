/*
 * The Linux static-ELF personality's system-call dispatcher. Programs built
 * without the Copra ABI note (the vTPM service, linked against glibc) come
 * here; unknown calls return -ENOSYS as Linux would.
 */
#include "syscall.h"

#define LINUX_ENOSYS 38

s64 linux_syscall(struct sys_ctx *c, u64 nr)
{
	(void)c;
	(void)nr;
	return -LINUX_ENOSYS;
}
