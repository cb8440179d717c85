/*
 * User processes: a user address space (the user slot of its task), a
 * handle table, its memory mappings, its children and how it ended. A
 * process is itself an object (COPRA_OBJ_PROCESS): its parent and anyone it
 * was passed to hold handles to it.
 *
 * Locking: process->lock guards the handle table, the mapping list and the
 * child list; exit state is published under process_exit_wq's lock.
 */
#ifndef COPRA_PROCESS_H
#define COPRA_PROCESS_H

#include <abi/syscall.h>
#include <copra/object.h>
#include <copra/spinlock_types.h>
#include <copra/types.h>

struct cpumask;
struct task;
struct elf_plan;

enum process_abi {
	PROCESS_ABI_NATIVE = 1,
	PROCESS_ABI_LINUX = 2,
};

/* A user mapping of a memory object (or of anonymous memory: obj NULL). */
struct vma {
	u64 start, end;           /* page aligned */
	u32 prot;                 /* COPRA_PROT_* */
	struct object *obj;       /* the memory object mapped, or NULL */
	struct vma *next;         /* sorted by start */
};

#define PROCESS_NAME_MAX 32

struct process {
	struct object obj;        /* COPRA_OBJ_PROCESS; obj.id is the process id */
	char name[PROCESS_NAME_MAX];
	enum process_abi abi;
	struct task *task;        /* its (single) thread */
	spinlock_t lock;
	struct object *handles[COPRA_HANDLES_MAX];
	struct vma *vmas;
	struct process *parent;   /* weak: cleared when the parent exits */
	struct process *children; /* linked by next_sibling */
	struct process *next_sibling;
	volatile bool killed;     /* SYS_proc_kill: end at the next kernel exit */
	volatile bool exited;
	bool reported;            /* its exit was returned by a wait */
	struct copra_exit exit;
	struct {
		u64 start, end;       /* page-rounded range of a program segment */
		u32 prot;             /* PROT_W / PROT_X */
	} image[8];
	unsigned image_count;
	u64 stack_bottom;         /* lowest stack page (a guard page is below) */
	u64 brk_start, brk;       /* Linux personality: program break */
	u64 brk_mapped;           /* Linux: end of the pages mapped for the break */
	u8 lx_fd_flags[COPRA_HANDLES_MAX]; /* Linux: per-descriptor flags (linux_internal.h) */
};

/* Handles. h is installed at the lowest free number (or exactly at want). */
int handle_install(struct process *p, struct object *o, copra_handle_t *h) __must_check;
int handle_install_at(struct process *p, struct object *o, copra_handle_t want) __must_check;
/* A referenced object of type (0: any type); -E_BADH / -E_TYPE. */
int handle_get(struct process *p, copra_handle_t h, u32 type, struct object **out) __must_check;
int handle_close(struct process *p, copra_handle_t h) __must_check;
void handle_close_all(struct process *p);
unsigned handle_count(struct process *p);

/* The calling task's process (NULL in kernel threads). */
struct process *process_current(void);

/*
 * Starts path as a new process, child of parent (NULL: the kernel). args are
 * args_len bytes of NUL-separated arguments; handles[i] from the parent get
 * number child_handles[i] in the child. Returns the process (a reference).
 */
struct spawn_request {
	const char *path;
	const char *args;
	u32 args_len;
	u32 nhandles;
	struct object *handles[COPRA_SPAWN_HANDLES_MAX];   /* referenced */
	copra_handle_t child_handles[COPRA_SPAWN_HANDLES_MAX];
	const struct cpumask *affinity; /* NULL: the parent's (kernel: any CPU) */
};
int process_spawn(struct process *parent, const struct spawn_request *req,
		  struct process **out) __must_check;
/* Ends the calling process (never returns). */
__noreturn void process_exit(u32 how, int code, u64 fault_addr, const char *reason);
/* A fault in user mode that the kernel resolves (stack growth): true to retry. */
struct trap_frame;
bool process_fault_resolve(const struct trap_frame *tf);
/* Any other fault in user mode: ends the process with a description. */
__noreturn void process_fault(const struct trap_frame *tf);
/* A deadline (ns since boot) that means "do not block": already past, never 0. */
#define PROCESS_DEADLINE_POLL 1ULL
/* Wait for p (or any child of parent when p is NULL); fills *ex; returns its id. */
int process_wait(struct process *parent, struct process *p, u64 deadline_ns,
		 struct copra_exit *ex) __must_check;
void process_kill(struct process *p);
/* Returns to user mode after a system call or interrupt: honours kills. */
void process_check_killed(void);
u64 process_live_count(void);

/* Boot: the image's program archive becomes the RAM filesystem. */
struct bootinfo;
int user_boot_archive(const struct bootinfo *bi) __must_check;
/* Starts a program on behalf of the kernel (no parent); *out is a reference. */
int user_spawn_kernel(const char *path, const char *args, u32 args_len,
		      const struct cpumask *affinity, struct process **out) __must_check;
/* Runs /bin/init and restarts it with a back-off whenever it ends; returns on failure. */
void user_run_init(void);
/*
 * The kernel's init process (a new reference), or NULL when none runs.
 * While init is being spawned it waits until the spawn has returned, so init
 * itself always finds itself here.
 */
struct process *user_init_process(void);

/* Memory mappings (user part of the current process). */
int vma_map(struct process *p, struct object *mem, u64 addr, u32 prot, u64 *out) __must_check;
int vma_unmap(struct process *p, u64 addr, u64 size) __must_check;
int vma_protect(struct process *p, u64 addr, u64 size, u32 prot) __must_check;
void vma_unmap_all(struct process *p);

#endif
