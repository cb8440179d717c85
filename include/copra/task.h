/*
 * Tasks (threads of execution) and the scheduler. Every task has its own
 * address space (struct aspace: its PML4, per-task slot with kernel stack and
 * per-task heap); user tasks also share their process's user part. Each CPU
 * has a run queue; tasks are preempted by the timer tick, block on wait
 * queues, sleep with timeouts, and move between CPUs within their affinity.
 *
 * States: RUNNING (current on some CPU), READY (in a run queue), BLOCKED,
 * DEAD (exited; its address space is reaped after it switched away).
 */
#ifndef COPRA_TASK_H
#define COPRA_TASK_H

#include <arch/ustate.h>
#include <copra/aspace.h>
#include <copra/cpumask.h>
#include <copra/spinlock_types.h>
#include <copra/types.h>

enum task_state {
	TASK_RUNNING = 1,
	TASK_READY = 2,
	TASK_BLOCKED = 3,
	TASK_DEAD = 4,
};

#define TASK_NAME_MAX 24

struct process;
struct task;
typedef void (*task_fn)(void *arg);

struct task {
	u64 ksp;                    /* saved kernel stack pointer: must stay first */
	u32 id;
	volatile u32 state;         /* enum task_state */
	u32 cpu;                    /* CPU whose run queue owns it */
	volatile u32 on_cpu;        /* still executing (switch not finished) */
	bool on_rq;
	bool is_idle;
	bool migrating;             /* to be queued on another CPU after switching out */
	bool reaped;                /* its address space has been freed */
	volatile bool interrupted;  /* being killed: blocking returns -E_INTR at once */
	char name[TASK_NAME_MAX];
	struct cpumask affinity;
	struct aspace as;           /* its address space (per-task slot private) */
	struct process *proc;       /* NULL for kernel threads */
	struct task *rq_next;       /* run-queue link (protected by the run-queue lock) */
	struct task *wq_next;       /* wait-queue link (protected by the wait-queue lock) */
	struct task *sleep_next;    /* deadline list link (protected by the sleep lock) */
	struct task *all_next;      /* list of all tasks */
	u64 wake_at;                /* sleep deadline in ns, 0 = none */
	u64 block_seq;              /* counts blockings (stale timeouts are ignored) */
	int wake_result;            /* 0 woken, -E_TIMEDOUT, -E_INTR */
	u64 slice_start;            /* ns when it last started running */
	u64 cpu_ns;                 /* time spent running before slice_start */
	struct arch_user_state ustate; /* FS base: switched with the task */
	task_fn entry;
	void *arg;
	int exit_code;
	void *fpu;                  /* 64-byte aligned XSAVE area (user tasks) */
	void *fpu_raw;
	u32 refs;                   /* holders of the struct (list, process, waiters) */
};

_Static_assert(__builtin_offsetof(struct task, ksp) == 0, "switch code uses offset 0");

/* Boot: turns the running context of this CPU into its idle task. */
void sched_init_cpu(void);
/* Boot: starts the thread that frees exited tasks. */
void reaper_start(void);
/* Creates a kernel thread (READY) on a CPU of its affinity; NULL on failure. */
struct task *task_create_kernel(const char *name, task_fn fn, void *arg,
				const struct cpumask *affinity);
/*
 * Two-step creation for callers that set up more before the first run
 * (processes): task_alloc gives a task with its address space, not yet
 * runnable; task_start writes its first frame (entering task->entry) and
 * queues it on a CPU of its affinity.
 */
struct task *task_alloc(const char *name);
void task_start(struct task *t);
/* Ends the calling task. */
__noreturn void task_exit(int code);
struct task *task_current(void);
void task_get(struct task *t);
void task_put(struct task *t);
/* Waits until t is DEAD; returns its exit code. */
int task_join(struct task *t);

/* Scheduler. */
void schedule(void);
void sched_yield(void);
/* Makes a BLOCKED task READY (no-op otherwise); result becomes its wake_result. */
void sched_wake(struct task *t, int result);
/* Blocks the caller until woken or deadline (ns, 0 = none); returns wake_result. */
int sched_block(u64 deadline_ns);
/*
 * The two halves of sched_block, for callers that must mark themselves
 * blocked while holding the lock that guards their wake-up condition:
 * prepare under the lock, drop it, then commit.
 */
void sched_prepare_block(u64 deadline_ns);
int sched_commit_block(void);
/* Sleeps at least ns (huge values: forever); returns early only when interrupted. */
void sched_sleep_ns(u64 ns);
/* Restricts t to mask (at least one online CPU); migrates it if needed. */
int sched_set_affinity(struct task *t, const struct cpumask *mask);
/* Timer tick on this CPU (preemption and sleep deadlines). */
void sched_tick(void);
/* Called on return from an interrupt: switches if a reschedule is due. */
void sched_irq_exit(bool irqs_were_on);
/* The idle task's loop (never returns). */
__noreturn void sched_idle_loop(void);
struct trap_frame;
/* Handler of IRQ_VEC_RESCHED: another CPU queued work here. */
void sched_resched_irq(struct trap_frame *tf);
/* Counts for tests: context switches and migrations since boot. */
u64 sched_switch_count(void);
/* CPU time the calling task has used, in ns (the current slice included). */
u64 task_cpu_time_ns(void);
/* Tasks allocated and not yet freed (idle tasks included), for leak checks. */
u64 task_live_count(void);
u64 sched_migration_count(void);
unsigned sched_ready_count(unsigned cpu);

#endif
