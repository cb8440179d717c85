/*
 * The Linux static-ELF personality's system-call dispatcher. Programs built
 * without the Copra ABI note (the vTPM service, linked against glibc) come
 * here with Linux x86-64 numbers; the handlers (linux_*.c) map each call onto
 * Copra's objects. Results are Linux values: internal -E_* codes and
 * explicit LX_ERR() values become -errno here and nowhere else. Unknown
 * numbers return -ENOSYS, logged once per number.
 */
#include <copra/errno.h>
#include <copra/log.h>

#include "linux_internal.h"

/* Linux x86-64 system-call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
enum {
	LNR_read = 0, LNR_write = 1, LNR_open = 2, LNR_close = 3, LNR_stat = 4,
	LNR_fstat = 5, LNR_lstat = 6, LNR_lseek = 8, LNR_mmap = 9, LNR_mprotect = 10,
	LNR_munmap = 11, LNR_brk = 12, LNR_ioctl = 16, LNR_writev = 20, LNR_access = 21,
	LNR_sched_yield = 24, LNR_madvise = 28, LNR_dup = 32, LNR_dup2 = 33,
	LNR_nanosleep = 35, LNR_getpid = 39, LNR_exit = 60, LNR_uname = 63,
	LNR_fcntl = 72, LNR_ftruncate = 77, LNR_getcwd = 79, LNR_rename = 82,
	LNR_mkdir = 83, LNR_rmdir = 84, LNR_unlink = 87, LNR_readlink = 89,
	LNR_gettimeofday = 96, LNR_getrlimit = 97, LNR_getuid = 102, LNR_getgid = 104,
	LNR_geteuid = 107, LNR_getegid = 108, LNR_arch_prctl = 158, LNR_gettid = 186,
	LNR_time = 201, LNR_futex = 202, LNR_set_tid_address = 218,
	LNR_clock_gettime = 228, LNR_clock_getres = 229, LNR_clock_nanosleep = 230,
	LNR_exit_group = 231, LNR_openat = 257, LNR_mkdirat = 258, LNR_newfstatat = 262,
	LNR_unlinkat = 263, LNR_renameat = 264, LNR_readlinkat = 267, LNR_faccessat = 269,
	LNR_set_robust_list = 273, LNR_dup3 = 292, LNR_prlimit64 = 302,
	LNR_renameat2 = 316, LNR_getrandom = 318, LNR_rseq = 334,
};

const sys_handler linux_table[LINUX_NR_COUNT] = {
	[LNR_read] = lx_read,                 [LNR_write] = lx_write,
	[LNR_open] = lx_open,                 [LNR_close] = lx_close,
	[LNR_stat] = lx_stat,                 [LNR_fstat] = lx_fstat,
	[LNR_lstat] = lx_stat,                [LNR_lseek] = lx_lseek,
	[LNR_mmap] = lx_mmap,                 [LNR_mprotect] = lx_mprotect,
	[LNR_munmap] = lx_munmap,             [LNR_brk] = lx_brk,
	[LNR_ioctl] = lx_ioctl,               [LNR_writev] = lx_writev,
	[LNR_access] = lx_access,             [LNR_sched_yield] = lx_sched_yield,
	[LNR_madvise] = lx_madvise,           [LNR_dup] = lx_dup,
	[LNR_dup2] = lx_dup2,                 [LNR_nanosleep] = lx_nanosleep,
	[LNR_getpid] = lx_getpid,             [LNR_exit] = lx_exit,
	[LNR_uname] = lx_uname,               [LNR_fcntl] = lx_fcntl,
	[LNR_ftruncate] = lx_ftruncate,       [LNR_getcwd] = lx_getcwd,
	[LNR_rename] = lx_rename,             [LNR_mkdir] = lx_mkdir,
	[LNR_rmdir] = lx_rmdir,               [LNR_unlink] = lx_unlink,
	[LNR_readlink] = lx_readlink,         [LNR_gettimeofday] = lx_gettimeofday,
	[LNR_getrlimit] = lx_getrlimit,       [LNR_getuid] = lx_getid0,
	[LNR_getgid] = lx_getid0,             [LNR_geteuid] = lx_getid0,
	[LNR_getegid] = lx_getid0,            [LNR_arch_prctl] = lx_arch_prctl,
	[LNR_gettid] = lx_getpid,             [LNR_time] = lx_time,
	[LNR_futex] = lx_futex,               [LNR_set_tid_address] = lx_set_tid_address,
	[LNR_clock_gettime] = lx_clock_gettime, [LNR_clock_getres] = lx_clock_getres,
	[LNR_clock_nanosleep] = lx_clock_nanosleep, [LNR_exit_group] = lx_exit,
	[LNR_openat] = lx_openat,             [LNR_mkdirat] = lx_mkdirat,
	[LNR_newfstatat] = lx_newfstatat,     [LNR_unlinkat] = lx_unlinkat,
	[LNR_renameat] = lx_renameat,         [LNR_readlinkat] = lx_readlinkat,
	[LNR_faccessat] = lx_faccessat,       [LNR_set_robust_list] = lx_set_robust_list,
	[LNR_dup3] = lx_dup3,                 [LNR_prlimit64] = lx_prlimit64,
	[LNR_renameat2] = lx_renameat2,       [LNR_getrandom] = lx_getrandom,
	[LNR_rseq] = lx_nosys_quiet,
};

/* Internal -E_* to Linux errno: the one conversion table. */
static const u8 linux_errno_map[E_MAX] = {
	[E_NOMEM] = LX_ENOMEM,   [E_INVAL] = LX_EINVAL,     [E_FAULT] = LX_EFAULT,
	[E_EXIST] = LX_EEXIST,   [E_NOENT] = LX_ENOENT,     [E_RANGE] = LX_ERANGE,
	[E_BUSY] = LX_EBUSY,     [E_AGAIN] = LX_EAGAIN,     [E_NOSYS] = LX_ENOSYS,
	[E_PERM] = LX_EPERM,     [E_BADH] = LX_EBADF,       [E_TYPE] = LX_ENOTDIR,
	[E_NOSPC] = LX_ENOSPC,   [E_IO] = LX_EIO,           [E_PIPE] = LX_EPIPE,
	[E_TIMEDOUT] = LX_ETIMEDOUT, [E_NOEXEC] = LX_ENOEXEC, [E_TOOBIG] = LX_EFBIG,
	[E_INTR] = LX_EINTR,
};

static s64 linux_result(s64 r)
{
	s64 e = -r;

	if (r >= 0)
		return r;
	if (e > LX_EBASE && e < 2 * LX_EBASE)
		return -(e - LX_EBASE);
	return -(s64)(e > 0 && e < E_MAX && linux_errno_map[e] ? linux_errno_map[e] : LX_EIO);
}

/* Numbers already reported as unsupported (one bit each; the last covers all larger). */
#define LINUX_NOSYS_BITS 512
static u64 linux_nosys_seen[LINUX_NOSYS_BITS / 64];

static void linux_report_nosys(struct sys_ctx *c, u64 nr)
{
	u64 bit = MIN(nr, (u64)LINUX_NOSYS_BITS - 1), mask = 1ULL << (bit % 64);

	if (__atomic_fetch_or(&linux_nosys_seen[bit / 64], mask, __ATOMIC_RELAXED) & mask)
		return;
	log_info("linux: %s[%llu] called unsupported system call %llu: -ENOSYS%s", c->proc->name,
		 (unsigned long long)c->proc->obj.id, (unsigned long long)nr,
		 bit == LINUX_NOSYS_BITS - 1 ? " (not reported again for numbers this large)" : "");
}

s64 linux_syscall(struct sys_ctx *c, u64 nr)
{
	if (nr < LINUX_NR_COUNT && linux_table[nr])
		return linux_result(linux_table[nr](c));
	linux_report_nosys(c, nr);
	return -LX_ENOSYS;
}

/* Calls that glibc tries and copes without (rseq): -ENOSYS, not logged. */
s64 lx_nosys_quiet(struct sys_ctx *c)
{
	(void)c;
	return LX_ERR(LX_ENOSYS);
}
