/*
 * One C function per native system call (include/abi/syscall.h), each a thin
 * wrapper over the raw stubs in <copra/sys.h>: arguments are widened to
 * registers unchanged and the result is returned as the kernel gave it.
 */
#include <copra/sys.h>

#define A(x) ((long)(x))

void sys_exit(int code)
{
	copra_syscall1(SYS_exit, code);
	/* The kernel never returns from SYS_exit; if it did, fault here. */
	for (;;)
		__builtin_trap();
}

long sys_close(copra_handle_t h)
{
	return copra_syscall1(SYS_close, A(h));
}

long sys_log(const char *buf, size_t len)
{
	return copra_syscall2(SYS_log, A(buf), A(len));
}

long sys_yield(void)
{
	return copra_syscall0(SYS_yield);
}

long sys_sleep(uint64_t ns)
{
	return copra_syscall1(SYS_sleep, A(ns));
}

long sys_clock(void)
{
	return copra_syscall0(SYS_clock);
}

long sys_random(void *buf, size_t len)
{
	return copra_syscall2(SYS_random, A(buf), A(len));
}

long sys_dup(copra_handle_t h)
{
	return copra_syscall1(SYS_dup, A(h));
}

long sys_handle_info(copra_handle_t h, struct copra_handle_info *info)
{
	return copra_syscall2(SYS_handle_info, A(h), A(info));
}

long sys_open(const char *path, size_t len, uint32_t flags)
{
	return copra_syscall3(SYS_open, A(path), A(len), A(flags));
}

long sys_read(copra_handle_t h, void *buf, size_t len)
{
	return copra_syscall3(SYS_read, A(h), A(buf), A(len));
}

long sys_write(copra_handle_t h, const void *buf, size_t len)
{
	return copra_syscall3(SYS_write, A(h), A(buf), A(len));
}

long sys_seek(copra_handle_t h, int64_t offset, uint32_t whence)
{
	return copra_syscall3(SYS_seek, A(h), A(offset), A(whence));
}

long sys_stat(copra_handle_t h, struct copra_stat *st)
{
	return copra_syscall2(SYS_stat, A(h), A(st));
}

long sys_readdir(copra_handle_t h, uint32_t index, struct copra_dirent *ent)
{
	return copra_syscall3(SYS_readdir, A(h), A(index), A(ent));
}

long sys_mkdir(const char *path, size_t len)
{
	return copra_syscall2(SYS_mkdir, A(path), A(len));
}

long sys_unlink(const char *path, size_t len)
{
	return copra_syscall2(SYS_unlink, A(path), A(len));
}

long sys_truncate(copra_handle_t h, uint64_t size)
{
	return copra_syscall2(SYS_truncate, A(h), A(size));
}

long sys_event_create(void)
{
	return copra_syscall0(SYS_event_create);
}

long sys_event_signal(copra_handle_t h)
{
	return copra_syscall1(SYS_event_signal, A(h));
}

long sys_event_wait(copra_handle_t h, uint64_t timeout_ns)
{
	return copra_syscall2(SYS_event_wait, A(h), A(timeout_ns));
}

long sys_channel_create(copra_handle_t ends[2])
{
	return copra_syscall1(SYS_channel_create, A(ends));
}

long sys_channel_send(copra_handle_t h, const void *msg, size_t len)
{
	return copra_syscall3(SYS_channel_send, A(h), A(msg), A(len));
}

long sys_channel_recv(copra_handle_t h, void *buf, size_t cap, uint64_t timeout_ns)
{
	return copra_syscall4(SYS_channel_recv, A(h), A(buf), A(cap), A(timeout_ns));
}

long sys_channel_call(copra_handle_t h, const struct copra_call *call)
{
	return copra_syscall2(SYS_channel_call, A(h), A(call));
}

long sys_channel_buffer(copra_handle_t h)
{
	return copra_syscall1(SYS_channel_buffer, A(h));
}

long sys_mem_create(uint64_t size)
{
	return copra_syscall1(SYS_mem_create, A(size));
}

long sys_mem_map(copra_handle_t h, uint64_t addr, uint32_t prot)
{
	return copra_syscall3(SYS_mem_map, A(h), A(addr), A(prot));
}

long sys_mem_unmap(uint64_t addr, uint64_t size)
{
	return copra_syscall2(SYS_mem_unmap, A(addr), A(size));
}

long sys_mem_protect(uint64_t addr, uint64_t size, uint32_t prot)
{
	return copra_syscall3(SYS_mem_protect, A(addr), A(size), A(prot));
}

long sys_proc_spawn(const char *path, size_t len, const struct copra_spawn *spawn)
{
	return copra_syscall3(SYS_proc_spawn, A(path), A(len), A(spawn));
}

long sys_proc_wait(copra_handle_t h, uint64_t timeout_ns, struct copra_exit *ex)
{
	return copra_syscall3(SYS_proc_wait, A(h), A(timeout_ns), A(ex));
}

long sys_proc_kill(copra_handle_t h)
{
	return copra_syscall1(SYS_proc_kill, A(h));
}

long sys_proc_id(copra_handle_t h)
{
	return copra_syscall1(SYS_proc_id, A(h));
}

