/*
 * System-call plumbing shared by the handler files: the context a handler
 * gets, the handler type and the registry (kernel/user/syscall_table.c).
 * Handlers return a value >= 0 or an internal -E_* code; syscall.c converts
 * codes to the ABI's -COPRA_E* in one place.
 */
#ifndef KERNEL_USER_SYSCALL_H
#define KERNEL_USER_SYSCALL_H

#include <abi/syscall.h>
#include <copra/process.h>
#include <copra/types.h>

struct trap_frame;

struct sys_ctx {
	struct process *proc;
	u64 a[6];                /* RDI, RSI, RDX, R10, R8, R9 */
	struct trap_frame *tf;
};

typedef s64 (*sys_handler)(struct sys_ctx *c);

extern const sys_handler sys_table[SYS_COUNT];

/* Handlers (one file per object type or concern). */
s64 sys_exit(struct sys_ctx *c);
s64 sys_close(struct sys_ctx *c);
s64 sys_log(struct sys_ctx *c);
s64 sys_yield(struct sys_ctx *c);
s64 sys_sleep(struct sys_ctx *c);
s64 sys_clock(struct sys_ctx *c);
s64 sys_random(struct sys_ctx *c);
s64 sys_handle_info(struct sys_ctx *c);
s64 sys_dup(struct sys_ctx *c);
s64 sys_open(struct sys_ctx *c);
s64 sys_read(struct sys_ctx *c);
s64 sys_write(struct sys_ctx *c);
s64 sys_seek(struct sys_ctx *c);
s64 sys_stat(struct sys_ctx *c);
s64 sys_readdir(struct sys_ctx *c);
s64 sys_mkdir(struct sys_ctx *c);
s64 sys_unlink(struct sys_ctx *c);
s64 sys_truncate(struct sys_ctx *c);
s64 sys_event_create(struct sys_ctx *c);
s64 sys_event_signal(struct sys_ctx *c);
s64 sys_event_wait(struct sys_ctx *c);
s64 sys_channel_create(struct sys_ctx *c);
s64 sys_channel_send(struct sys_ctx *c);
s64 sys_channel_recv(struct sys_ctx *c);
s64 sys_channel_call(struct sys_ctx *c);
s64 sys_channel_buffer(struct sys_ctx *c);
s64 sys_mem_create(struct sys_ctx *c);
s64 sys_mem_map(struct sys_ctx *c);
s64 sys_mem_unmap(struct sys_ctx *c);
s64 sys_mem_protect(struct sys_ctx *c);
s64 sys_proc_spawn(struct sys_ctx *c);
s64 sys_proc_wait(struct sys_ctx *c);
s64 sys_proc_kill(struct sys_ctx *c);
s64 sys_proc_id(struct sys_ctx *c);

/* The Linux personality's dispatcher: Linux numbers in, -errno (Linux) out. */
s64 linux_syscall(struct sys_ctx *c, u64 nr);

/* Helpers for handlers. */
/* Copies a path argument (len bytes, no NUL needed) into buf (COPRA_PATH_MAX + 2). */
int sys_copy_path(u64 upath, u64 len, char *buf) __must_check;
/* Deadline in ns since boot for a relative timeout (0: poll, ~0: none). */
u64 sys_deadline(u64 timeout_ns);
/* A u32 handle argument: values above 32 bits are invalid. */
static inline bool sys_handle_arg(u64 v, copra_handle_t *h)
{
	*h = (copra_handle_t)v;
	return v <= 0xFFFFFFFFu;
}

#endif
