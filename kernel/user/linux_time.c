/*
 * Linux personality: clocks, sleeping and futexes. Every wall and monotonic
 * clock counts from boot (time_ns(): there is no wall clock yet); the CPU
 * clocks are the task's running time. Processes are single-threaded, so a
 * futex wake finds nobody and a futex wait can only time out: a wait
 * without a time-out whose value matches would never end and fails at once
 * with -EDEADLK instead of hanging the program.
 */
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/process.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/uaccess.h>

#include "linux_internal.h"

#define LX_CLOCK_REALTIME 0
#define LX_CLOCK_MONOTONIC 1
#define LX_CLOCK_PROCESS_CPUTIME_ID 2
#define LX_CLOCK_THREAD_CPUTIME_ID 3
#define LX_CLOCK_BOOTTIME_ALARM 9
#define LX_CLOCK_TAI 11
#define LX_TIMER_ABSTIME 1

#define LX_FUTEX_WAIT 0
#define LX_FUTEX_WAKE 1
#define LX_FUTEX_REQUEUE 3
#define LX_FUTEX_CMP_REQUEUE 4
#define LX_FUTEX_WAIT_BITSET 9
#define LX_FUTEX_WAKE_BITSET 10
#define LX_FUTEX_PRIVATE 128
#define LX_FUTEX_CLOCK_REALTIME 256

struct linux_timespec {
	s64 sec, nsec;
};

struct linux_timeval {
	s64 sec, usec;
};

/* Now on clock clk (0..11, CPU clocks included), in ns. */
static s64 linux_clock_now(s64 clk, u64 *ns)
{
	if (clk == LX_CLOCK_PROCESS_CPUTIME_ID || clk == LX_CLOCK_THREAD_CPUTIME_ID) {
		*ns = task_cpu_time_ns();
		return 0;
	}
	if (clk < LX_CLOCK_REALTIME || (clk > LX_CLOCK_BOOTTIME_ALARM && clk != LX_CLOCK_TAI))
		return LX_ERR(LX_EINVAL);
	*ns = time_ns(); /* REALTIME, MONOTONIC(_RAW, _COARSE), BOOTTIME, ...: since boot */
	return 0;
}

static struct linux_timespec linux_ts(u64 ns)
{
	struct linux_timespec ts = { (s64)(ns / NSEC_PER_SEC), (s64)(ns % NSEC_PER_SEC) };

	return ts;
}

/* A user timespec as ns (saturating); -EINVAL when not normalised. */
static s64 linux_ts_read(u64 uts, u64 *ns)
{
	struct linux_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -E_FAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (s64)NSEC_PER_SEC)
		return LX_ERR(LX_EINVAL);
	if ((u64)ts.sec > (~0ULL - (u64)ts.nsec) / NSEC_PER_SEC)
		*ns = ~0ULL;
	else
		*ns = (u64)ts.sec * NSEC_PER_SEC + (u64)ts.nsec;
	return 0;
}

s64 lx_clock_gettime(struct sys_ctx *c)
{
	struct linux_timespec ts;
	u64 ns;
	s64 r = linux_clock_now((s32)c->a[0], &ns);

	if (r)
		return r;
	ts = linux_ts(ns);
	return copy_to_user(c->a[1], &ts, sizeof(ts));
}

s64 lx_clock_getres(struct sys_ctx *c)
{
	struct linux_timespec ts = { 0, 1 };
	u64 ns;
	s64 r = linux_clock_now((s32)c->a[0], &ns);

	if (r || !c->a[1])
		return r;
	return copy_to_user(c->a[1], &ts, sizeof(ts));
}

s64 lx_gettimeofday(struct sys_ctx *c)
{
	u64 ns = time_ns();
	struct linux_timeval tv = { (s64)(ns / NSEC_PER_SEC),
				    (s64)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
	u32 tz[2] = { 0, 0 };

	if (c->a[0] && copy_to_user(c->a[0], &tv, sizeof(tv)))
		return -E_FAULT;
	if (c->a[1] && copy_to_user(c->a[1], tz, sizeof(tz)))
		return -E_FAULT;
	return 0;
}

s64 lx_time(struct sys_ctx *c)
{
	s64 t = (s64)(time_ns() / NSEC_PER_SEC);

	if (c->a[0] && copy_to_user(c->a[0], &t, sizeof(t)))
		return -E_FAULT;
	return t;
}

/* Sleeps until deadline (ns since boot); -EINTR when the process is being killed. */
static s64 linux_sleep_until(struct process *p, u64 deadline)
{
	u64 now = time_ns();

	if (deadline > now)
		sched_sleep_ns(deadline - now);
	return p->killed ? LX_ERR(LX_EINTR) : 0;
}

s64 lx_nanosleep(struct sys_ctx *c)
{
	u64 ns;
	s64 r = linux_ts_read(c->a[0], &ns);

	if (r)
		return r;
	return linux_sleep_until(c->proc, ns > ~0ULL - time_ns() ? ~0ULL : time_ns() + ns);
}

s64 lx_clock_nanosleep(struct sys_ctx *c)
{
	s32 clk = (s32)c->a[0];
	u64 ns, now;
	s64 r;

	if (clk == LX_CLOCK_PROCESS_CPUTIME_ID || clk == LX_CLOCK_THREAD_CPUTIME_ID ||
	    (c->a[1] & ~(u64)LX_TIMER_ABSTIME))
		return LX_ERR(LX_EINVAL);
	r = linux_clock_now(clk, &now);
	if (!r)
		r = linux_ts_read(c->a[2], &ns);
	if (r)
		return r;
	if (!(c->a[1] & LX_TIMER_ABSTIME))
		ns = ns > ~0ULL - now ? ~0ULL : now + ns;
	return linux_sleep_until(c->proc, ns);
}

static void linux_futex_report(struct sys_ctx *c)
{
	static bool reported;

	if (__atomic_exchange_n(&reported, true, __ATOMIC_RELAXED))
		return;
	log_info("linux: %s[%llu]: futex wait without time-out in a single-threaded process "
		 "would never end: -EDEADLK (not reported again)", c->proc->name,
		 (unsigned long long)c->proc->obj.id);
}

static s64 linux_futex_wait(struct sys_ctx *c, u32 cmd)
{
	u64 ns;
	u32 cur;
	s64 r;

	if (cmd == LX_FUTEX_WAIT_BITSET && !(u32)c->a[5])
		return LX_ERR(LX_EINVAL);
	if (copy_from_user(&cur, c->a[0], sizeof(cur)))
		return -E_FAULT;
	if (cur != (u32)c->a[2])
		return LX_ERR(LX_EAGAIN);
	if (!c->a[3]) {
		linux_futex_report(c);
		return LX_ERR(LX_EDEADLK);
	}
	r = linux_ts_read(c->a[3], &ns);
	if (r)
		return r;
	/* FUTEX_WAIT's time-out is relative, FUTEX_WAIT_BITSET's absolute. */
	if (cmd == LX_FUTEX_WAIT)
		ns = ns > ~0ULL - time_ns() ? ~0ULL : time_ns() + ns;
	r = linux_sleep_until(c->proc, ns);
	return r ? r : LX_ERR(LX_ETIMEDOUT);
}

s64 lx_futex(struct sys_ctx *c)
{
	u32 cmd = (u32)c->a[1] & ~(u32)(LX_FUTEX_PRIVATE | LX_FUTEX_CLOCK_REALTIME), cur;

	if (c->a[0] & 3)
		return LX_ERR(LX_EINVAL);
	switch (cmd) {
	case LX_FUTEX_WAIT:
	case LX_FUTEX_WAIT_BITSET:
		return linux_futex_wait(c, cmd);
	case LX_FUTEX_WAKE_BITSET:
		if (!(u32)c->a[5])
			return LX_ERR(LX_EINVAL);
		return 0;
	case LX_FUTEX_WAKE:
	case LX_FUTEX_REQUEUE:
		return 0; /* nobody else can be waiting */
	case LX_FUTEX_CMP_REQUEUE:
		if (copy_from_user(&cur, c->a[0], sizeof(cur)))
			return -E_FAULT;
		return cur == (u32)c->a[5] ? 0 : LX_ERR(LX_EAGAIN);
	default:
		return LX_ERR(LX_ENOSYS);
	}
}
