/*
 * uemu: runs a native Copra program on the Linux build host for smoke tests
 * of the user runtime, before the kernel side exists. The program runs as a
 * traced Linux process; each Copra system call is intercepted with ptrace
 * and emulated: exit, log, yield, sleep, clock, random, handle_info,
 * close, open/read/seek/stat on a host directory (read-only), write to the
 * log, mem_create/map/unmap/protect (private anonymous memory), proc_id.
 * Everything else returns -COPRA_ENOSYS. Not a model of the kernel: only a
 * way to see crt0, stdio, the heap and exit work.
 *
 *   uemu ROOT PROGRAM [ARG...]   (PROGRAM is a path inside ROOT)
 *
 * Exit status: the program's exit code, or 128 + signal for a fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <abi/syscall.h>

#define UEMU_HANDLES 64
#define UEMU_SKIP (-1L) /* orig_rax that Linux rejects: the call is skipped */

enum uemu_kind { UEMU_FREE, UEMU_LOG, UEMU_FILE, UEMU_MEM };

struct uemu_handle {
	enum uemu_kind kind;
	int fd;
	uint64_t size;
};

static struct uemu_handle uemu_h[UEMU_HANDLES] = { [0] = { UEMU_LOG, -1, 0 } };
static const char *uemu_root;
static pid_t uemu_pid;

/* The kernel's first check: the whole range inside user space, no wrap. */
static bool uemu_range_ok(uint64_t addr, uint64_t len)
{
	return len == 0 || (addr + len > addr && addr + len <= 0x8000000000ULL);
}

static int uemu_copy_in(uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };

	return len == 0 || process_vm_readv(uemu_pid, &local, 1, &remote, 1, 0) == (ssize_t)len
		       ? 0
		       : -1;
}

static int uemu_copy_out(uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len }, remote = { (void *)addr, len };

	return len == 0 || process_vm_writev(uemu_pid, &local, 1, &remote, 1, 0) == (ssize_t)len
		       ? 0
		       : -1;
}

static long uemu_new_handle(enum uemu_kind kind, int fd, uint64_t size)
{
	long h;

	for (h = 0; h < UEMU_HANDLES; h++) {
		if (uemu_h[h].kind == UEMU_FREE) {
			uemu_h[h] = (struct uemu_handle){ kind, fd, size };
			return h;
		}
	}
	return -COPRA_ENOSPC;
}

static struct uemu_handle *uemu_get(uint64_t h, enum uemu_kind kind, long *err)
{
	if (h >= UEMU_HANDLES || uemu_h[h].kind == UEMU_FREE) {
		*err = -COPRA_EBADH;
		return NULL;
	}
	if (uemu_h[h].kind != kind) {
		*err = -COPRA_ETYPE;
		return NULL;
	}
	return &uemu_h[h];
}

static long uemu_log(uint64_t buf, uint64_t len)
{
	char tmp[4096];

	if (!uemu_range_ok(buf, len))
		return -COPRA_EFAULT;
	if (len > sizeof(tmp))
		return -COPRA_ETOOBIG;
	if (uemu_copy_in(buf, tmp, len) < 0)
		return -COPRA_EFAULT;
	fwrite(tmp, 1, len, stdout);
	fflush(stdout);
	return (long)len;
}

static long uemu_open(uint64_t path, uint64_t len, uint64_t flags)
{
	char rel[COPRA_PATH_MAX + 1], host[2 * COPRA_PATH_MAX + 2];
	int fd;

	if (len == 0 || len > COPRA_PATH_MAX)
		return len ? -COPRA_ETOOBIG : -COPRA_EINVAL;
	if (uemu_copy_in(path, rel, len) < 0)
		return -COPRA_EFAULT;
	rel[len] = '\0';
	if (rel[0] != '/' || strlen(rel) != len || strstr(rel, ".."))
		return -COPRA_EINVAL;
	if (flags != COPRA_O_READ)
		return -COPRA_EPERM; /* the emulated filesystem is read-only */
	snprintf(host, sizeof(host), "%s%s", uemu_root, rel);
	fd = open(host, O_RDONLY);
	if (fd < 0)
		return errno == ENOENT ? -COPRA_ENOENT : -COPRA_EIO;
	return uemu_new_handle(UEMU_FILE, fd, 0);
}

static long uemu_read(uint64_t h, uint64_t buf, uint64_t len)
{
	struct uemu_handle *u;
	char tmp[65536];
	ssize_t n;
	long err;

	u = uemu_get(h, UEMU_FILE, &err);
	if (!u)
		return err;
	if (!uemu_range_ok(buf, len))
		return -COPRA_EFAULT;
	n = read(u->fd, tmp, len < sizeof(tmp) ? len : sizeof(tmp));
	if (n < 0)
		return -COPRA_EIO;
	if (uemu_copy_out(buf, tmp, (size_t)n) < 0) {
		lseek(u->fd, -n, SEEK_CUR);
		return -COPRA_EFAULT;
	}
	return n;
}

static long uemu_seek_stat(uint64_t nr, uint64_t h, uint64_t a1, uint64_t a2)
{
	struct copra_stat cs;
	struct uemu_handle *u;
	struct stat st;
	off_t off;
	long err;

	u = uemu_get(h, UEMU_FILE, &err);
	if (!u)
		return err;
	if (nr == SYS_seek) {
		off = lseek(u->fd, (off_t)a1, (int)a2);
		return off < 0 ? -COPRA_EINVAL : (long)off;
	}
	if (fstat(u->fd, &st) < 0)
		return -COPRA_EIO;
	cs.type = COPRA_OBJ_FILE;
	cs.mode = st.st_mode & 0777;
	cs.size = (uint64_t)st.st_size;
	cs.ino = st.st_ino;
	return uemu_copy_out(a1, &cs, sizeof(cs)) < 0 ? -COPRA_EFAULT : 0;
}

static long uemu_close(uint64_t h)
{
	if (h >= UEMU_HANDLES || uemu_h[h].kind == UEMU_FREE)
		return -COPRA_EBADH;
	if (uemu_h[h].kind == UEMU_FILE)
		close(uemu_h[h].fd);
	uemu_h[h].kind = UEMU_FREE;
	return 0;
}

static long uemu_misc(uint64_t nr, const uint64_t *a)
{
	struct copra_handle_info info;
	struct timespec ts;
	char buf[4096];

	switch (nr) {
	case SYS_yield:
		return 0;
	case SYS_sleep:
		ts.tv_sec = (time_t)(a[0] / 1000000000ULL);
		ts.tv_nsec = (long)(a[0] % 1000000000ULL);
		nanosleep(&ts, NULL);
		return 0;
	case SYS_clock:
		clock_gettime(CLOCK_MONOTONIC, &ts);
		return ts.tv_sec * 1000000000L + ts.tv_nsec;
	case SYS_random:
		if (a[1] > sizeof(buf))
			return -COPRA_ETOOBIG;
		if (getrandom(buf, a[1], 0) != (ssize_t)a[1] || uemu_copy_out(a[0], buf, a[1]) < 0)
			return -COPRA_EFAULT;
		return (long)a[1];
	case SYS_handle_info:
		if (a[0] >= UEMU_HANDLES || uemu_h[a[0]].kind == UEMU_FREE)
			return -COPRA_EBADH;
		memset(&info, 0, sizeof(info));
		info.type = uemu_h[a[0]].kind == UEMU_LOG    ? COPRA_OBJ_LOG
			    : uemu_h[a[0]].kind == UEMU_FILE ? COPRA_OBJ_FILE
							     : COPRA_OBJ_MEMORY;
		info.id = a[0];
		return uemu_copy_out(a[1], &info, sizeof(info)) < 0 ? -COPRA_EFAULT : 0;
	case SYS_proc_id:
		return a[0] == COPRA_HANDLE_INVALID ? uemu_pid : -COPRA_EBADH;
	default:
		return -COPRA_ENOSYS;
	}
}

/* Emulates a call entirely in the tracer; returns its result. */
static long uemu_emulate(uint64_t nr, const uint64_t *a)
{
	switch (nr) {
	case SYS_close:
		return uemu_close(a[0]);
	case SYS_log:
		return uemu_log(a[0], a[1]);
	case SYS_write:
		if (a[0] < UEMU_HANDLES && uemu_h[a[0]].kind == UEMU_LOG)
			return uemu_log(a[1], a[2]);
		return a[0] < UEMU_HANDLES && uemu_h[a[0]].kind != UEMU_FREE ? -COPRA_EPERM
									     : -COPRA_EBADH;
	case SYS_open:
		return uemu_open(a[0], a[1], a[2]);
	case SYS_read:
		return uemu_read(a[0], a[1], a[2]);
	case SYS_seek:
	case SYS_stat:
		return uemu_seek_stat(nr, a[0], a[1], a[2]);
	case SYS_mem_create:
		if (a[0] == 0 || (a[0] & 4095))
			return -COPRA_EINVAL;
		if (a[0] > (64ULL << 20))
			return -COPRA_ETOOBIG;
		return uemu_new_handle(UEMU_MEM, -1, a[0]);
	default:
		return uemu_misc(nr, a);
	}
}

/*
 * Calls done by the tracee itself, rewritten into Linux calls: exit, and the
 * memory calls (mmap/munmap/mprotect). Returns false when nr is not one.
 */
static bool uemu_rewrite(struct user_regs_struct *r, long *err)
{
	uint64_t prot;
	long e;
	struct uemu_handle *u;

	*err = 0;
	switch (r->orig_rax) {
	case SYS_exit:
		r->orig_rax = 231; /* exit_group */
		return true;
	case SYS_mem_map:
		u = uemu_get(r->rdi, UEMU_MEM, &e);
		prot = r->rdx;
		if (!u)
			*err = e;
		else if ((prot & COPRA_PROT_WRITE) && (prot & COPRA_PROT_EXEC))
			*err = -COPRA_EPERM;
		else if (prot == 0 || (prot & ~7ULL) || (r->rsi & 4095))
			*err = -COPRA_EINVAL;
		if (*err)
			return true;
		r->orig_rax = 9; /* mmap(addr, size, prot, flags, -1, 0) */
		r->rdx = prot;   /* Copra and Linux PROT bits agree */
		r->r10 = MAP_PRIVATE | MAP_ANONYMOUS | (r->rsi ? MAP_FIXED_NOREPLACE : 0);
		r->rdi = r->rsi;
		r->rsi = u->size;
		r->r8 = (uint64_t)-1;
		r->r9 = 0;
		return true;
	case SYS_mem_unmap:
		r->orig_rax = 11;
		return true;
	case SYS_mem_protect:
		if ((r->rdx & COPRA_PROT_WRITE) && (r->rdx & COPRA_PROT_EXEC))
			*err = -COPRA_EPERM;
		r->orig_rax = 10;
		return true;
	default:
		return false;
	}
}

static long uemu_linux_result(long ret)
{
	if (ret >= 0 || ret < -4095)
		return ret;
	switch (-ret) {
	case EEXIST:
		return -COPRA_EEXIST;
	case ENOMEM:
		return -COPRA_EFAULT;
	case EINVAL:
		return -COPRA_EINVAL;
	default:
		return -COPRA_EIO;
	}
}

/* One system-call stop pair: entry (rewrite or skip) and exit (result). */
static int uemu_syscall(void)
{
	struct user_regs_struct r;
	long result = 0, err;
	bool linux_call;
	int status;
	uint64_t a[6];

	ptrace(PTRACE_GETREGS, uemu_pid, NULL, &r);
	a[0] = r.rdi, a[1] = r.rsi, a[2] = r.rdx, a[3] = r.r10, a[4] = r.r8, a[5] = r.r9;
	linux_call = uemu_rewrite(&r, &err);
	if (linux_call && err) {
		linux_call = false;
		result = err;
	} else if (!linux_call) {
		result = uemu_emulate(r.orig_rax, a);
	}
	if (!linux_call)
		r.orig_rax = (uint64_t)UEMU_SKIP;
	ptrace(PTRACE_SETREGS, uemu_pid, NULL, &r);
	ptrace(PTRACE_SYSCALL, uemu_pid, NULL, NULL);
	if (waitpid(uemu_pid, &status, 0) < 0 || !WIFSTOPPED(status))
		return status;
	ptrace(PTRACE_GETREGS, uemu_pid, NULL, &r);
	r.rax = (uint64_t)(linux_call ? uemu_linux_result((long)r.rax) : result);
	ptrace(PTRACE_SETREGS, uemu_pid, NULL, &r);
	return -1;
}

static int uemu_trace(void)
{
	int status;

	waitpid(uemu_pid, &status, 0); /* the exec stop */
	ptrace(PTRACE_SETOPTIONS, uemu_pid, NULL, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
	for (;;) {
		int sig = 0;

		ptrace(PTRACE_SYSCALL, uemu_pid, NULL, NULL);
		if (waitpid(uemu_pid, &status, 0) < 0)
			return 127;
		if (WIFEXITED(status))
			return WEXITSTATUS(status);
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			int s = uemu_syscall();

			if (s >= 0)
				return WIFEXITED(s) ? WEXITSTATUS(s) : 128 + WTERMSIG(s);
			continue;
		}
		sig = WSTOPSIG(status);
		if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE) {
			siginfo_t si;

			ptrace(PTRACE_GETSIGINFO, uemu_pid, NULL, &si);
			printf("uemu: fault: signal %d (%s) at %p\n", sig, strsignal(sig), si.si_addr);
			fflush(stdout);
			kill(uemu_pid, SIGKILL);
			waitpid(uemu_pid, &status, 0);
			return 128 + sig;
		}
	}
}

int main(int argc, char **argv)
{
	char path[4096];
	char *envp[] = { NULL };

	if (argc < 3) {
		fprintf(stderr, "usage: uemu ROOT PROGRAM [ARG...]\n");
		return 2;
	}
	uemu_root = argv[1];
	snprintf(path, sizeof(path), "%s%s", uemu_root, argv[2]);
	uemu_pid = fork();
	if (uemu_pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execve(path, argv + 2, envp);
		_exit(127);
	}
	return uemu_trace();
}
