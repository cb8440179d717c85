/*
 * The Linux static-ELF personality (docs/linux-abi.md): constants of the
 * Linux x86-64 ABI it speaks, the handler registry and helpers shared by
 * kernel/user/linux*.c.
 *
 * Errors: handlers return a value >= 0, an internal -E_* code, or an
 * explicit Linux errno wrapped with LX_ERR() where Linux distinguishes
 * what the internal code does not (EISDIR, ENOTEMPTY, EMFILE, ...).
 * linux.c turns both into -errno in one place (linux_result()).
 */
#ifndef KERNEL_USER_LINUX_INTERNAL_H
#define KERNEL_USER_LINUX_INTERNAL_H

#include <copra/ramfs.h>
#include <copra/types.h>

#include "syscall.h"

/* An explicit Linux errno from a handler (never confused with -E_*). */
#define LX_EBASE 4096
#define LX_ERR(e) (-(s64)(LX_EBASE + (e)))

/* Linux errno values (asm-generic/errno-base.h, errno.h). */
#define LX_EPERM 1
#define LX_ENOENT 2
#define LX_ESRCH 3
#define LX_EINTR 4
#define LX_EIO 5
#define LX_E2BIG 7
#define LX_ENOEXEC 8
#define LX_EBADF 9
#define LX_EAGAIN 11
#define LX_ENOMEM 12
#define LX_EACCES 13
#define LX_EFAULT 14
#define LX_EBUSY 16
#define LX_EEXIST 17
#define LX_ENODEV 19
#define LX_ENOTDIR 20
#define LX_EISDIR 21
#define LX_EINVAL 22
#define LX_EMFILE 24
#define LX_ENOTTY 25
#define LX_EFBIG 27
#define LX_ENOSPC 28
#define LX_ESPIPE 29
#define LX_EPIPE 32
#define LX_ERANGE 34
#define LX_EDEADLK 35
#define LX_ENAMETOOLONG 36
#define LX_ENOSYS 38
#define LX_ENOTEMPTY 39
#define LX_EMSGSIZE 90
#define LX_EOPNOTSUPP 95
#define LX_ETIMEDOUT 110

/* openat flags. */
#define LX_O_ACCMODE 03
#define LX_O_RDONLY 00
#define LX_O_WRONLY 01
#define LX_O_RDWR 02
#define LX_O_CREAT 0100
#define LX_O_EXCL 0200
#define LX_O_TRUNC 01000
#define LX_O_APPEND 02000
#define LX_O_NONBLOCK 04000
#define LX_O_DIRECTORY 0200000
#define LX_O_NOFOLLOW 0400000
#define LX_O_CLOEXEC 02000000
#define LX_O_PATH 010000000
#define LX_O_TMPFILE 020000000

#define LX_AT_FDCWD (-100)
#define LX_AT_SYMLINK_NOFOLLOW 0x100
#define LX_AT_REMOVEDIR 0x200
#define LX_AT_NO_AUTOMOUNT 0x800
#define LX_AT_EMPTY_PATH 0x1000

/* Per-descriptor state in process->lx_fd_flags[]. */
#define LX_FD_ACCMODE 0x03     /* LX_O_RDONLY / WRONLY / RDWR, for F_GETFL */
#define LX_FD_APPEND 0x04
#define LX_FD_CLOEXEC 0x08
#define LX_FD_NONBLOCK 0x10

/* Longest path string accepted from a program, before normalisation. */
#define LX_PATH_IN_MAX 1024
/* Largest single read or write, as Linux (MAX_RW_COUNT). */
#define LX_RW_MAX 0x7FFFF000ULL

/* The table: Linux numbers below LINUX_NR_COUNT. */
#define LINUX_NR_COUNT 335

extern const sys_handler linux_table[LINUX_NR_COUNT];

/* linux_fs.c: paths and the filesystem. */
/*
 * Copies the NUL-terminated path at upath and resolves it against dirfd
 * (AT_FDCWD: the working directory, always "/") into a normalised
 * RAM-filesystem path in out (RAMFS_PATH_MAX + 1 bytes). "" is -ENOENT.
 */
s64 linux_path(s64 dirfd, u64 upath, char *out);
s64 lx_open(struct sys_ctx *c);
s64 lx_openat(struct sys_ctx *c);
s64 lx_stat(struct sys_ctx *c);
s64 lx_fstat(struct sys_ctx *c);
s64 lx_newfstatat(struct sys_ctx *c);
s64 lx_access(struct sys_ctx *c);
s64 lx_faccessat(struct sys_ctx *c);
s64 lx_readlink(struct sys_ctx *c);
s64 lx_readlinkat(struct sys_ctx *c);
s64 lx_getcwd(struct sys_ctx *c);
s64 lx_mkdir(struct sys_ctx *c);
s64 lx_mkdirat(struct sys_ctx *c);
s64 lx_unlink(struct sys_ctx *c);
s64 lx_unlinkat(struct sys_ctx *c);
s64 lx_rmdir(struct sys_ctx *c);
s64 lx_rename(struct sys_ctx *c);
s64 lx_renameat(struct sys_ctx *c);
s64 lx_renameat2(struct sys_ctx *c);

/* linux_io.c: descriptors. */
/* The object behind descriptor argument v (a reference): -EBADF otherwise. */
s64 linux_fd_get(struct sys_ctx *c, u64 v, struct object **o);
s64 lx_read(struct sys_ctx *c);
s64 lx_write(struct sys_ctx *c);
s64 lx_writev(struct sys_ctx *c);
s64 lx_lseek(struct sys_ctx *c);
s64 lx_close(struct sys_ctx *c);
s64 lx_ioctl(struct sys_ctx *c);
s64 lx_fcntl(struct sys_ctx *c);
s64 lx_dup(struct sys_ctx *c);
s64 lx_dup2(struct sys_ctx *c);
s64 lx_dup3(struct sys_ctx *c);
s64 lx_ftruncate(struct sys_ctx *c);

/* struct iovec (writev). */
struct linux_iovec {
	u64 base, len;
};

/* linux_chan.c: read and write on a channel end, one message each. */
s64 linux_chan_read(struct object *o, u64 ubuf, u64 count, bool nonblock);
/* Sends the n segments as one message (at most COPRA_CHANNEL_MSG_MAX bytes). */
s64 linux_chan_write(struct process *p, struct object *o, const struct linux_iovec *iov, u32 n,
		     bool nonblock);

/* linux_mm.c: memory. */
s64 lx_mmap(struct sys_ctx *c);
s64 lx_munmap(struct sys_ctx *c);
s64 lx_mprotect(struct sys_ctx *c);
s64 lx_brk(struct sys_ctx *c);
s64 lx_madvise(struct sys_ctx *c);

/* linux_time.c: clocks, sleeping, futexes. */
s64 lx_clock_gettime(struct sys_ctx *c);
s64 lx_clock_getres(struct sys_ctx *c);
s64 lx_gettimeofday(struct sys_ctx *c);
s64 lx_time(struct sys_ctx *c);
s64 lx_nanosleep(struct sys_ctx *c);
s64 lx_clock_nanosleep(struct sys_ctx *c);
s64 lx_futex(struct sys_ctx *c);

/* linux_misc.c: process, identity, limits, randomness. */
s64 lx_exit(struct sys_ctx *c);
s64 lx_getpid(struct sys_ctx *c);
s64 lx_getid0(struct sys_ctx *c);
s64 lx_sched_yield(struct sys_ctx *c);
s64 lx_uname(struct sys_ctx *c);
s64 lx_arch_prctl(struct sys_ctx *c);
s64 lx_set_tid_address(struct sys_ctx *c);
s64 lx_set_robust_list(struct sys_ctx *c);
s64 lx_nosys_quiet(struct sys_ctx *c);
s64 lx_prlimit64(struct sys_ctx *c);
s64 lx_getrlimit(struct sys_ctx *c);
s64 lx_getrandom(struct sys_ctx *c);

#endif
