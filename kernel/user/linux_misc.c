/*
 * Linux personality: process and identity calls (exit, ids, uname), the
 * thread-start calls glibc makes (arch_prctl for TLS, set_tid_address,
 * set_robust_list), resource limits and getrandom. A process is one thread
 * whose thread id is its process id; every id is root's (0).
 */
#include <arch/random.h>
#include <arch/ustate.h>
#include <copra/errno.h>
#include <copra/memlayout.h>
#include <copra/process.h>
#include <copra/ramfs.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/uaccess.h>

#include "linux_internal.h"

#define LX_ARCH_SET_GS 0x1001
#define LX_ARCH_SET_FS 0x1002
#define LX_ARCH_GET_FS 0x1003
#define LX_ARCH_GET_GS 0x1004
#define LX_ROBUST_LIST_HEAD_SIZE 24
#define LX_RLIMIT_FSIZE 1
#define LX_RLIMIT_STACK 3
#define LX_RLIMIT_CORE 4
#define LX_RLIMIT_NOFILE 7
#define LX_RLIM_NLIMITS 16
#define LX_RLIM_INFINITY (~0ULL)
#define LX_GRND_NONBLOCK 1
#define LX_GRND_RANDOM 2
#define LX_GRND_INSECURE 4
#define LX_GETRANDOM_MAX 65536 /* per call; a short count is allowed above 256 bytes */
#define LX_UTS_LEN 65

struct linux_utsname {
	char sysname[LX_UTS_LEN], nodename[LX_UTS_LEN], release[LX_UTS_LEN];
	char version[LX_UTS_LEN], machine[LX_UTS_LEN], domainname[LX_UTS_LEN];
};

struct linux_rlimit {
	u64 cur, max;
};

s64 lx_exit(struct sys_ctx *c)
{
	/* One thread: exit and exit_group both end the process; status is 8 bits. */
	process_exit(COPRA_EXIT_NORMAL, (int)(c->a[0] & 0xFF), 0, NULL);
}

s64 lx_getpid(struct sys_ctx *c)
{
	return (s64)c->proc->obj.id;
}

s64 lx_getid0(struct sys_ctx *c)
{
	(void)c;
	return 0;
}

s64 lx_sched_yield(struct sys_ctx *c)
{
	(void)c;
	sched_yield();
	return 0;
}

s64 lx_uname(struct sys_ctx *c)
{
	struct linux_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, "copra", sizeof(u.nodename));
	strlcpy(u.release, "6.1.0-copra", sizeof(u.release));
	strlcpy(u.version, "#1 Copra Linux personality", sizeof(u.version));
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(c->a[0], &u, sizeof(u));
}

s64 lx_arch_prctl(struct sys_ctx *c)
{
	struct task *t = task_current();
	u64 zero = 0;

	switch (c->a[0]) {
	case LX_ARCH_SET_FS:
		/* Only user addresses: a non-canonical base would fault in the kernel. */
		if (c->a[1] >= USER_TOP)
			return LX_ERR(LX_EPERM);
		arch_user_state_set_fs(&t->ustate, c->a[1]);
		return 0;
	case LX_ARCH_GET_FS:
		return copy_to_user(c->a[1], &t->ustate.fs_base, sizeof(u64));
	case LX_ARCH_GET_GS:
		return copy_to_user(c->a[1], &zero, sizeof(zero));
	case LX_ARCH_SET_GS: /* the kernel owns GS (SWAPGS): not offered */
	default:
		return LX_ERR(LX_EINVAL);
	}
}

/* No thread ever exits on its own, so the clear-child-tid address is never used. */
s64 lx_set_tid_address(struct sys_ctx *c)
{
	return (s64)c->proc->obj.id;
}

/* Robust futexes only matter when a thread dies holding a lock shared with others. */
s64 lx_set_robust_list(struct sys_ctx *c)
{
	return c->a[1] == LX_ROBUST_LIST_HEAD_SIZE ? 0 : LX_ERR(LX_EINVAL);
}

static struct linux_rlimit linux_rlimit_of(struct process *p, u32 res)
{
	struct linux_rlimit l = { LX_RLIM_INFINITY, LX_RLIM_INFINITY };

	if (res == LX_RLIMIT_STACK)
		l.cur = l.max = USER_STACK_TOP - p->stack_bottom;
	else if (res == LX_RLIMIT_NOFILE)
		l.cur = l.max = COPRA_HANDLES_MAX;
	else if (res == LX_RLIMIT_FSIZE)
		l.cur = l.max = RAMFS_FILE_MAX;
	else if (res == LX_RLIMIT_CORE)
		l.cur = l.max = 0;
	return l;
}

/* Limits are fixed: reading works, setting them to other values is -EPERM. */
static s64 linux_rlimit(struct process *p, u64 res, u64 unew, u64 uold)
{
	struct linux_rlimit cur, want;

	if (res >= LX_RLIM_NLIMITS)
		return LX_ERR(LX_EINVAL);
	cur = linux_rlimit_of(p, (u32)res);
	if (unew) {
		if (copy_from_user(&want, unew, sizeof(want)))
			return -E_FAULT;
		if (want.cur > want.max)
			return LX_ERR(LX_EINVAL);
		if (want.cur != cur.cur || want.max != cur.max)
			return LX_ERR(LX_EPERM);
	}
	return uold ? copy_to_user(uold, &cur, sizeof(cur)) : 0;
}

s64 lx_prlimit64(struct sys_ctx *c)
{
	s32 pid = (s32)c->a[0];

	if (pid != 0 && (u64)pid != c->proc->obj.id)
		return LX_ERR(LX_ESRCH);
	return linux_rlimit(c->proc, (u32)c->a[1], c->a[2], c->a[3]);
}

s64 lx_getrlimit(struct sys_ctx *c)
{
	return linux_rlimit(c->proc, (u32)c->a[0], 0, c->a[1]);
}

/* Hardware randomness (RDSEED, else RDRAND), as the native random call. */
s64 lx_getrandom(struct sys_ctx *c)
{
	u64 len = MIN(c->a[1], (u64)LX_GETRANDOM_MAX), done = 0, r, i;
	u32 flags = (u32)c->a[2];
	u8 buf[256];

	if ((c->a[2] >> 32) || (flags & ~(u32)(LX_GRND_NONBLOCK | LX_GRND_RANDOM | LX_GRND_INSECURE)) ||
	    ((flags & LX_GRND_RANDOM) && (flags & LX_GRND_INSECURE)))
		return LX_ERR(LX_EINVAL);
	if (len && !user_range_ok(c->a[0], len))
		return -E_FAULT;
	while (done < len) {
		size_t n = (size_t)MIN(len - done, sizeof(buf));

		for (i = 0; i < n; i += 8) {
			if (!arch_random64(&r))
				return done ? (s64)done : -E_IO;
			memcpy(buf + i, &r, MIN(8, n - i));
		}
		if (copy_to_user(c->a[0] + done, buf, n))
			return done ? (s64)done : -E_FAULT;
		done += n;
	}
	return (s64)len;
}
