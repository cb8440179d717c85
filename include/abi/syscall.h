/*
 * Copra's native system-call ABI: numbers, structures and error codes shared
 * by the kernel and user programs (docs/syscalls.md explains each call).
 *
 * Calling convention (x86-64): the `syscall` instruction, the call number in
 * RAX, arguments in RDI, RSI, RDX, R10, R8, R9; the result in RAX: >= 0 on
 * success, -COPRA_E* on failure. RCX and R11 are clobbered, every other
 * register is preserved. Unknown numbers return -COPRA_ENOSYS.
 *
 * Everything is an object: a process holds u32 handles (lowest free number
 * first, closed at exit) to objects of the types below. A program carries an
 * ELF note with owner "Copra" (type COPRA_NOTE_ABI, descriptor u32
 * COPRA_ABI_VERSION) to be run with this ABI; programs without it run with
 * the Linux personality.
 *
 * Process start: RIP = ELF entry, RSP 16-byte aligned pointing at the
 * System V initial stack (argc; argv pointers; NULL; no environment, NULL;
 * auxiliary vector AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY,
 * AT_RANDOM (16 bytes), AT_NULL). Handle 0 is the log; a spawner may place
 * more handles (struct copra_spawn). Static, non-PIE executables only;
 * user space is [0x1000, 0x8000000000).
 */
#ifndef ABI_SYSCALL_H
#define ABI_SYSCALL_H

#include <stddef.h>
#include <stdint.h>

#define COPRA_ABI_VERSION 1
#define COPRA_NOTE_ABI 1

typedef uint32_t copra_handle_t;
#define COPRA_HANDLE_INVALID 0xFFFFFFFFu
#define COPRA_HANDLE_LOG 0 /* every process starts with handle 0: the console log */

/* Error codes: a call fails with -COPRA_E*. Stable and small. */
#define COPRA_ENOSYS 1    /* unknown system call */
#define COPRA_EINVAL 2    /* malformed argument */
#define COPRA_EFAULT 3    /* bad user pointer or length */
#define COPRA_EBADH 4     /* invalid or closed handle */
#define COPRA_ETYPE 5     /* handle names an object of the wrong type */
#define COPRA_ENOMEM 6    /* out of memory */
#define COPRA_ENOENT 7    /* no such file or directory */
#define COPRA_EEXIST 8    /* already exists */
#define COPRA_EPERM 9     /* not permitted (e.g. writable and executable) */
#define COPRA_EBUSY 10    /* in use (e.g. directory not empty) */
#define COPRA_EAGAIN 11   /* would block (zero timeout) */
#define COPRA_ETOOBIG 12  /* larger than the call allows */
#define COPRA_ENOSPC 13   /* table or object full (e.g. no free handle) */
#define COPRA_EPIPE 14    /* the other end of a channel is closed */
#define COPRA_ETIMEDOUT 15
#define COPRA_ENOEXEC 16  /* not a valid executable */
#define COPRA_ERANGE 17   /* value out of range */
#define COPRA_EIO 18      /* I/O error */

/* System call numbers. */
#define SYS_exit 0            /* (int code): does not return */
#define SYS_close 1           /* (h) */
#define SYS_log 2             /* (const char *buf, size_t len) -> len */
#define SYS_yield 3           /* () */
#define SYS_sleep 4           /* (u64 ns) */
#define SYS_clock 5           /* () -> ns since boot */
#define SYS_random 6          /* (void *buf, size_t len <= 4096) -> len */
#define SYS_handle_info 7     /* (h, struct copra_handle_info *) */
#define SYS_dup 8             /* (h) -> new handle to the same object */
#define SYS_open 10           /* (const char *path, size_t len, u32 flags) -> h */
#define SYS_read 11           /* (h, void *buf, size_t len) -> bytes (0 = end of file) */
#define SYS_write 12          /* (h, const void *buf, size_t len) -> bytes */
#define SYS_seek 13           /* (h, s64 offset, u32 whence) -> new offset */
#define SYS_stat 14           /* (h, struct copra_stat *) */
#define SYS_readdir 15        /* (h, u32 index, struct copra_dirent *) -> 1, or 0 past the end */
#define SYS_mkdir 16          /* (const char *path, size_t len) */
#define SYS_unlink 17         /* (const char *path, size_t len) */
#define SYS_truncate 18       /* (h, u64 size) */
#define SYS_event_create 20   /* () -> h */
#define SYS_event_signal 21   /* (h) */
#define SYS_event_wait 22     /* (h, u64 timeout_ns) */
#define SYS_channel_create 30 /* (copra_handle_t ends[2]) : ends[0] client, ends[1] server */
#define SYS_channel_send 31   /* (h, const void *msg, size_t len) */
#define SYS_channel_recv 32   /* (h, void *buf, size_t cap, u64 timeout_ns) -> message length */
#define SYS_channel_call 33   /* (h, const struct copra_call *) -> reply length */
#define SYS_channel_buffer 34 /* (h) -> memory handle of the channel's shared buffer */
#define SYS_mem_create 40     /* (u64 size) -> h (size: multiple of 4096, <= 64 MiB) */
#define SYS_mem_map 41        /* (h, u64 addr (0: any), u32 prot) -> address */
#define SYS_mem_unmap 42      /* (u64 addr, u64 size) */
#define SYS_mem_protect 43    /* (u64 addr, u64 size, u32 prot) */
#define SYS_proc_spawn 50     /* (const char *path, size_t len, const struct copra_spawn *) -> h */
#define SYS_proc_wait 51      /* (h, u64 timeout_ns, struct copra_exit *) -> process id;
				 h = COPRA_HANDLE_INVALID waits for any child of the caller */
#define SYS_proc_kill 52      /* (h) */
#define SYS_proc_id 53        /* (h or COPRA_HANDLE_INVALID for self) -> process id */
#define SYS_COUNT 54

#define COPRA_TIMEOUT_FOREVER UINT64_MAX

/* Auxiliary vector tags of the initial stack (System V numbering). */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* SYS_open flags. */
#define COPRA_O_READ 0x1
#define COPRA_O_WRITE 0x2
#define COPRA_O_CREATE 0x4
#define COPRA_O_TRUNC 0x8
#define COPRA_O_EXCL 0x10
#define COPRA_O_DIR 0x20 /* open a directory (for readdir) */

/* SYS_seek whence. */
#define COPRA_SEEK_SET 0
#define COPRA_SEEK_CUR 1
#define COPRA_SEEK_END 2

/* SYS_mem_* protection. */
#define COPRA_PROT_READ 0x1
#define COPRA_PROT_WRITE 0x2
#define COPRA_PROT_EXEC 0x4 /* never together with WRITE */

/* Object types (struct copra_handle_info.type). */
#define COPRA_OBJ_LOG 1
#define COPRA_OBJ_FILE 2
#define COPRA_OBJ_DIR 3
#define COPRA_OBJ_EVENT 4
#define COPRA_OBJ_CHANNEL 5
#define COPRA_OBJ_MEMORY 6
#define COPRA_OBJ_PROCESS 7

/* Limits. */
#define COPRA_PATH_MAX 255
#define COPRA_NAME_MAX 63
#define COPRA_HANDLES_MAX 256
#define COPRA_CHANNEL_MSG_MAX 8192  /* bytes per channel message */
#define COPRA_CHANNEL_QUEUE 16      /* queued messages per direction */
#define COPRA_SPAWN_ARGS_MAX 4096   /* bytes of NUL-separated arguments */
#define COPRA_SPAWN_HANDLES_MAX 16

struct copra_handle_info {
	uint32_t type;     /* COPRA_OBJ_* */
	uint32_t reserved;
	uint64_t id;       /* object id (process id for processes) */
};

struct copra_stat {
	uint32_t type;     /* COPRA_OBJ_FILE or COPRA_OBJ_DIR */
	uint32_t mode;     /* permission bits, 0755 / 0644 */
	uint64_t size;
	uint64_t ino;
};

struct copra_dirent {
	char name[COPRA_NAME_MAX + 1];
	uint32_t type;     /* COPRA_OBJ_FILE or COPRA_OBJ_DIR */
	uint32_t reserved;
	uint64_t size;
};

struct copra_call {
	const void *req;
	uint64_t req_len;
	void *resp;
	uint64_t resp_cap;
	uint64_t timeout_ns;
};

struct copra_spawn_handle {
	copra_handle_t parent; /* a handle of the caller */
	copra_handle_t child;  /* the number it gets in the child (not 0) */
};

struct copra_spawn {
	const char *args;      /* NUL-separated arguments, argv[0] first */
	uint32_t args_len;     /* bytes, <= COPRA_SPAWN_ARGS_MAX */
	uint32_t nhandles;     /* <= COPRA_SPAWN_HANDLES_MAX */
	const struct copra_spawn_handle *handles;
};

/* How a process ended (struct copra_exit.how). */
#define COPRA_EXIT_NORMAL 1  /* it called SYS_exit (code valid) */
#define COPRA_EXIT_KILLED 2  /* SYS_proc_kill */
#define COPRA_EXIT_FAULT 3   /* a CPU exception in user mode ended it */

struct copra_exit {
	int32_t code;
	uint32_t how;          /* COPRA_EXIT_* */
	uint64_t fault_addr;   /* COPRA_EXIT_FAULT: faulting address */
	char reason[96];       /* e.g. "page fault: write to user code at 0x401000" */
};

_Static_assert(sizeof(struct copra_handle_info) == 16, "ABI");
_Static_assert(sizeof(struct copra_stat) == 24, "ABI");
_Static_assert(sizeof(struct copra_dirent) == 80, "ABI");
_Static_assert(offsetof(struct copra_dirent, type) == 64, "ABI");
_Static_assert(sizeof(struct copra_call) == 40, "ABI");
_Static_assert(offsetof(struct copra_call, resp_cap) == 24, "ABI");
_Static_assert(sizeof(struct copra_spawn_handle) == 8, "ABI");
_Static_assert(sizeof(struct copra_spawn) == 24, "ABI");
_Static_assert(offsetof(struct copra_spawn, handles) == 16, "ABI");
_Static_assert(sizeof(struct copra_exit) == 112, "ABI");
_Static_assert(offsetof(struct copra_exit, reason) == 16, "ABI");

#endif
