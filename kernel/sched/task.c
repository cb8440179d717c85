/*
 * Task lifecycle: kernel threads are created with their own address space
 * and a first stack frame that enters arch_task_start; an exiting task turns
 * DEAD and is reaped (address space freed) by whichever task runs next on
 * its CPU; the struct itself lives until its last reference is dropped.
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/log.h>
#include <copra/memlayout.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/tmpmap.h>
#include <copra/waitq.h>

#include "sched_internal.h"

extern const char arch_task_start[];

static u32 task_next_id = 1;
static struct waitq task_exit_wq = WAITQ_INIT;

struct task *task_current(void)
{
	return this_cpu()->current;
}

void task_get(struct task *t)
{
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
}

static u64 task_live;

u64 task_live_count(void)
{
	return __atomic_load_n(&task_live, __ATOMIC_RELAXED);
}

void task_put(struct task *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		kfree(t->fpu_raw);
		kfree(t);
		__atomic_sub_fetch(&task_live, 1, __ATOMIC_RELAXED);
	}
}

/*
 * The first frame on a new task's stack, written through a temporary mapping
 * of its top stack page (the stack is only mapped in the task's own space):
 * the six callee-saved registers arch_switch pops (r12 = task, r13 = entry),
 * then arch_task_start as the return address.
 */
static void task_write_first_frame(struct task *t)
{
	struct tmpmap m;
	u8 *page = tmpmap_map(t->as.kstack_top, &m);
	u64 *frame = (u64 *)(page + PAGE_SIZE - 16 - 7 * 8);

	memset(frame, 0, 7 * 8);
	frame[3] = (u64)(uintptr_t)t;                  /* r12 */
	frame[6] = (u64)(uintptr_t)arch_task_start;    /* return address */
	tmpmap_unmap(&m);
	t->ksp = PERTASK_KSTACK_TOP - 16 - 7 * 8;
}

struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	if (aspace_create(&t->as)) {
		kfree(t);
		return NULL;
	}
	t->id = __atomic_fetch_add(&task_next_id, 1, __ATOMIC_RELAXED);
	strlcpy(t->name, name, sizeof(t->name));
	t->refs = 1;
	t->affinity = cpus_online;
	__atomic_add_fetch(&task_live, 1, __ATOMIC_RELAXED);
	return t;
}

void task_start(struct task *t)
{
	task_write_first_frame(t);
	t->cpu = sched_pick_cpu(&t->affinity);
	sched_migrate(t);
}

struct task *task_create_kernel(const char *name, task_fn fn, void *arg,
				const struct cpumask *affinity)
{
	struct task *t = task_alloc(name);

	if (!t)
		return NULL;
	t->entry = fn;
	t->arg = arg;
	if (affinity)
		t->affinity = *affinity;
	task_get(t); /* the caller's reference; the scheduler keeps the first */
	task_start(t);
	return t;
}

/* Called by arch_task_start on the new task's stack. */
__noreturn void task_run_entry(struct task *t);
__noreturn void task_run_entry(struct task *t)
{
	arch_irq_enable();
	t->entry(t->arg);
	task_exit(0);
}

__noreturn void task_exit(int code)
{
	struct task *t = task_current();

	CHECK_INVARIANT(!t->is_idle);
	t->exit_code = code;
	waitq_lock(&task_exit_wq);
	t->state = TASK_DEAD;
	waitq_wake_all_locked(&task_exit_wq, 0);
	waitq_unlock(&task_exit_wq);
	schedule();
	panic("dead task %u was scheduled", t->id);
}

int task_join(struct task *t)
{
	waitq_wait_for(&task_exit_wq, t->state == TASK_DEAD, 0);
	/* And until the reaper has returned what it owned. */
	waitq_wait_for(&task_reaped_wq, t->reaped, 0);
	return t->exit_code;
}

void sched_init_cpu(void)
{
	struct percpu *c = this_cpu();
	struct runqueue *rq = &runqueues[c->index];
	static struct task boot_tasks[CONFIG_MAX_CPUS];
	struct task *t = &boot_tasks[c->index];

	/* The running context becomes this CPU's idle task (never freed). */
	memset(t, 0, sizeof(*t));
	t->id = 0;
	t->is_idle = true;
	t->state = TASK_RUNNING;
	t->cpu = c->index;
	t->on_cpu = 1;
	t->refs = 1;
	cpumask_clear(&t->affinity);
	cpumask_set(&t->affinity, c->index);
	strlcpy(t->name, "idle", sizeof(t->name));
	t->as = *c->aspace;
	c->aspace = &t->as;
	cpumask_clear(&t->as.active);
	cpumask_set(&t->as.active, c->index);
	spin_lock_init(&rq->lock);
	rq->idle = t;
	rq->current = t;
	c->current = t;
}
