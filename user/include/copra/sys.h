/*
 * The native system calls as C functions (user/lib/sys.c), one per number in
 * include/abi/syscall.h, plus the raw stubs they are built on. Every function
 * returns the kernel's result unchanged: >= 0 on success, -COPRA_E* on
 * failure (errno is not touched; see copra_errno()). docs/syscalls.md says
 * what each call does and which errors it returns.
 */
#ifndef COPRA_USER_SYS_H
#define COPRA_USER_SYS_H

#include <stddef.h>
#include <stdint.h>

#include <abi/syscall.h>

/*
 * Raw stubs: `syscall` with the number in RAX and arguments in RDI, RSI, RDX,
 * R10, R8, R9; the result comes back in RAX, and the CPU clobbers RCX and R11.
 * "memory" because the kernel reads and writes through argument pointers.
 */
static inline long copra_syscall0(long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

static inline long copra_syscall1(long nr, long a1)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a1) : "rcx", "r11", "memory");
	return ret;
}

static inline long copra_syscall2(long nr, long a1, long a2)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long copra_syscall3(long nr, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long copra_syscall4(long nr, long a1, long a2, long a3, long a4)
{
	register long r10 __asm__("r10") = a4;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long copra_syscall5(long nr, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static inline long copra_syscall6(long nr, long a1, long a2, long a3, long a4, long a5,
				  long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Process and time. */
__attribute__((noreturn)) void sys_exit(int code);
long sys_close(copra_handle_t h);
long sys_log(const char *buf, size_t len);
long sys_yield(void);
long sys_sleep(uint64_t ns);
long sys_clock(void);
long sys_random(void *buf, size_t len);
long sys_handle_info(copra_handle_t h, struct copra_handle_info *info);
long sys_dup(copra_handle_t h);

/* Files and directories. */
long sys_open(const char *path, size_t len, uint32_t flags);
long sys_read(copra_handle_t h, void *buf, size_t len);
long sys_write(copra_handle_t h, const void *buf, size_t len);
long sys_seek(copra_handle_t h, int64_t offset, uint32_t whence);
long sys_stat(copra_handle_t h, struct copra_stat *st);
long sys_readdir(copra_handle_t h, uint32_t index, struct copra_dirent *ent);
long sys_mkdir(const char *path, size_t len);
long sys_unlink(const char *path, size_t len);
long sys_truncate(copra_handle_t h, uint64_t size);

/* Events. */
long sys_event_create(void);
long sys_event_signal(copra_handle_t h);
long sys_event_wait(copra_handle_t h, uint64_t timeout_ns);

/* Channels. */
long sys_channel_create(copra_handle_t ends[2]);
long sys_channel_send(copra_handle_t h, const void *msg, size_t len);
long sys_channel_recv(copra_handle_t h, void *buf, size_t cap, uint64_t timeout_ns);
long sys_channel_call(copra_handle_t h, const struct copra_call *call);
long sys_channel_buffer(copra_handle_t h);

/* Memory. sys_mem_map returns the address it mapped at. */
long sys_mem_create(uint64_t size);
long sys_mem_map(copra_handle_t h, uint64_t addr, uint32_t prot);
long sys_mem_unmap(uint64_t addr, uint64_t size);
long sys_mem_protect(uint64_t addr, uint64_t size, uint32_t prot);

/* Processes. */
long sys_proc_spawn(const char *path, size_t len, const struct copra_spawn *spawn);
long sys_proc_wait(copra_handle_t h, uint64_t timeout_ns, struct copra_exit *ex);
long sys_proc_kill(copra_handle_t h);
long sys_proc_id(copra_handle_t h);

/*
 * Errors (user/lib/errno.c). Both take a code with either sign (COPRA_ENOENT
 * or -COPRA_ENOENT). copra_strerror never returns NULL; copra_errno gives the
 * picolibc errno value for a Copra code (EIO for an unknown one).
 */
const char *copra_strerror(long err);
const char *copra_errname(long err);
int copra_errno(long err);

/* Sets errno from a failed call and returns -1; returns ret when ret >= 0. */
long copra_ret_errno(long ret);

#endif
