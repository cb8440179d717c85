/*
 * The system-call dispatcher and the calls that belong to no object type
 * (exit, close, log, time, randomness, handles, processes). Internal error
 * codes become ABI codes here and nowhere else.
 */
#include <arch/random.h>
#include <arch/trap.h>
#include <copra/errno.h>
#include <copra/percpu.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/uaccess.h>

#include "syscall.h"
#include "user_internal.h"

/* Internal -E_* to ABI COPRA_E*: the one place errors cross the boundary. */
static const u8 sys_errno_map[E_MAX] = {
	[E_NOMEM] = COPRA_ENOMEM,   [E_INVAL] = COPRA_EINVAL,   [E_FAULT] = COPRA_EFAULT,
	[E_EXIST] = COPRA_EEXIST,   [E_NOENT] = COPRA_ENOENT,   [E_RANGE] = COPRA_ERANGE,
	[E_BUSY] = COPRA_EBUSY,     [E_AGAIN] = COPRA_EAGAIN,   [E_NOSYS] = COPRA_ENOSYS,
	[E_PERM] = COPRA_EPERM,     [E_BADH] = COPRA_EBADH,     [E_TYPE] = COPRA_ETYPE,
	[E_NOSPC] = COPRA_ENOSPC,   [E_IO] = COPRA_EIO,         [E_PIPE] = COPRA_EPIPE,
	[E_TIMEDOUT] = COPRA_ETIMEDOUT, [E_NOEXEC] = COPRA_ENOEXEC, [E_TOOBIG] = COPRA_ETOOBIG,
	[E_INTR] = COPRA_EAGAIN,
};

static s64 sys_to_abi(s64 r)
{
	s64 e = -r;

	if (r >= 0)
		return r;
	return -(s64)(e > 0 && e < E_MAX && sys_errno_map[e] ? sys_errno_map[e] : COPRA_EIO);
}

void syscall_dispatch(struct trap_frame *tf);
void syscall_dispatch(struct trap_frame *tf)
{
	struct sys_ctx c = { process_current(),
			     { tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9 }, tf };
	u64 nr = tf->rax;
	s64 r;

	if (c.proc->abi == PROCESS_ABI_LINUX)
		r = linux_syscall(&c, nr);
	else if (nr < SYS_COUNT && sys_table[nr])
		r = sys_to_abi(sys_table[nr](&c));
	else
		r = -COPRA_ENOSYS;
	tf->rax = (u64)r;
	process_check_killed();
	if (this_cpu()->need_resched)
		schedule();
}

u64 sys_deadline(u64 timeout_ns)
{
	u64 now;

	if (timeout_ns == 0)
		return PROCESS_DEADLINE_POLL;
	if (timeout_ns == COPRA_TIMEOUT_FOREVER)
		return 0;
	now = time_ns();
	return timeout_ns > ~0ULL - now ? 0 : now + timeout_ns;
}

int sys_copy_path(u64 upath, u64 len, char *buf)
{
	if (len == 0)
		return -E_INVAL;
	if (len > COPRA_PATH_MAX)
		return -E_TOOBIG;
	if (copy_from_user(buf, upath, len))
		return -E_FAULT;
	buf[len] = '\0';
	if (memchr(buf, '\0', len) || buf[0] != '/')
		return -E_INVAL;
	/* A trailing '/' names the same node. */
	if (len > 1 && buf[len - 1] == '/')
		buf[len - 1] = '\0';
	return 0;
}

s64 sys_exit(struct sys_ctx *c)
{
	process_exit(COPRA_EXIT_NORMAL, (int)(u32)c->a[0], 0, NULL);
}

s64 sys_close(struct sys_ctx *c)
{
	copra_handle_t h;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	return handle_close(c->proc, h);
}

s64 sys_yield(struct sys_ctx *c)
{
	(void)c;
	sched_yield();
	return 0;
}

s64 sys_sleep(struct sys_ctx *c)
{
	if (c->a[0] == 0)
		sched_yield();
	else
		sched_sleep_ns(c->a[0]);
	return 0;
}

s64 sys_clock(struct sys_ctx *c)
{
	(void)c;
	return (s64)time_ns();
}

s64 sys_random(struct sys_ctx *c)
{
	u8 buf[256];
	u64 len = c->a[1], done = 0;

	if (len > 4096)
		return -E_TOOBIG;
	if (!user_range_ok(c->a[0], len) && len)
		return -E_FAULT;
	while (done < len) {
		size_t n = MIN(len - done, sizeof(buf)), i;

		for (i = 0; i < n; i += 8) {
			u64 r;

			if (!arch_random64(&r))
				return -E_IO;
			memcpy(buf + i, &r, MIN(8, n - i));
		}
		if (copy_to_user(c->a[0] + done, buf, n))
			return -E_FAULT;
		done += n;
	}
	return (s64)len;
}

s64 sys_handle_info(struct sys_ctx *c)
{
	struct copra_handle_info info;
	struct object *o;
	copra_handle_t h;
	int ret;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	ret = handle_get(c->proc, h, 0, &o);
	if (ret)
		return ret;
	memset(&info, 0, sizeof(info));
	info.type = o->type;
	info.id = o->id;
	obj_put(o);
	return copy_to_user(c->a[1], &info, sizeof(info));
}

s64 sys_dup(struct sys_ctx *c)
{
	struct object *o;
	copra_handle_t h, nh;
	int ret;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	ret = handle_get(c->proc, h, 0, &o);
	if (ret)
		return ret;
	ret = handle_install(c->proc, o, &nh);
	obj_put(o);
	return ret ? ret : (s64)nh;
}
