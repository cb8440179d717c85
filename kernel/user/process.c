/*
 * Processes: creation (the parent validates the program and prepares the
 * child; the child's own task then loads it, see exec.c), exit, waiting for
 * children, and killing. A process object outlives its task while handles
 * to it remain, so its exit status can still be read.
 */
#include <arch/fpu.h>
#include <arch/irq.h>
#include <copra/elf.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/log.h>
#include <copra/memlayout.h>
#include <copra/panic.h>
#include <copra/pgtable.h>
#include <copra/process.h>
#include <copra/smp.h>
#include <copra/spinlock.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/waitq.h>

#include "user_internal.h"

/* Exits are published under this queue's lock; parents wait on it. */
static struct waitq process_exit_wq = WAITQ_INIT;
static u64 process_live;

u64 process_live_count(void)
{
	return __atomic_load_n(&process_live, __ATOMIC_RELAXED);
}

struct process *process_current(void)
{
	struct task *t = task_current();

	return t ? t->proc : NULL;
}

static void process_destroy(struct object *o)
{
	struct process *p = container_of(o, struct process, obj);

	__atomic_sub_fetch(&process_live, 1, __ATOMIC_RELAXED);
	if (p->task)
		task_put(p->task);
	kfree(p);
}

static const struct object_ops process_ops = { "process", process_destroy };

/* The program's base name, for logs. */
static void process_set_name(struct process *p, const char *path)
{
	const char *base = strrchr(path, '/');

	strlcpy(p->name, base ? base + 1 : path, sizeof(p->name));
}

static void process_link_child(struct process *parent, struct process *p)
{
	if (!parent)
		return;
	spin_lock(&parent->lock);
	p->parent = parent;
	p->next_sibling = parent->children;
	parent->children = p;
	obj_get(&p->obj); /* the parent's child list */
	spin_unlock(&parent->lock);
}

static int process_give_handles(struct process *p, const struct spawn_request *req)
{
	copra_handle_t h;
	u32 i;
	int ret = handle_install(p, log_object(), &h);

	if (ret)
		return ret;
	for (i = 0; i < req->nhandles && !ret; i++)
		ret = handle_install_at(p, req->handles[i], req->child_handles[i]);
	/* Linux programs expect stdout and stderr: the log, unless passed. */
	for (h = 1; h <= 2 && !ret && p->abi == PROCESS_ABI_LINUX; h++)
		if (!p->handles[h])
			ret = handle_install_at(p, log_object(), h);
	return ret;
}

static int process_alloc_fpu(struct task *t)
{
	size_t size = arch_fpu_area_size();

	t->fpu_raw = kmalloc(size + 64);
	if (!t->fpu_raw)
		return -E_NOMEM;
	t->fpu = (void *)ALIGN_UP((uintptr_t)t->fpu_raw, 64);
	arch_fpu_init_area(t->fpu);
	return 0;
}

int process_spawn(struct process *parent, const struct spawn_request *req, struct process **out)
{
	struct exec_image *img;
	struct process *p;
	struct task *t;
	int ret;

	ret = exec_image_prepare(req, &img);
	if (ret)
		return ret;
	p = kzalloc(sizeof(*p));
	t = p ? task_alloc(req->path) : NULL;
	if (!p || !t || process_alloc_fpu(t) || pgtable_slot_create(t->as.root, SLOT_USER)) {
		if (t) {
			aspace_destroy(&t->as); /* never started */
			task_put(t);
		}
		kfree(p);
		exec_image_free(img);
		return -E_NOMEM;
	}
	task_get(t); /* the process's reference (the scheduler holds the first) */
	obj_init(&p->obj, COPRA_OBJ_PROCESS, &process_ops);
	__atomic_add_fetch(&process_live, 1, __ATOMIC_RELAXED);
	spin_lock_init(&p->lock);
	process_set_name(p, req->path);
	p->abi = img->plan.abi == ELF_ABI_COPRA ? PROCESS_ABI_NATIVE : PROCESS_ABI_LINUX;
	p->task = t;
	t->proc = p;
	t->entry = exec_start;
	t->arg = img;
	if (req->affinity)
		t->affinity = *req->affinity;
	else if (parent)
		t->affinity = parent->task->affinity;
	ret = process_give_handles(p, req);
	if (ret) {
		handle_close_all(p);
		exec_image_free(img);
		aspace_destroy(&t->as);
		task_put(t);          /* the scheduler's reference: never started */
		obj_put(&p->obj);     /* drops the process's task reference too */
		return ret;
	}
	obj_get(&p->obj);           /* held by the running process itself */
	process_link_child(parent, p);
	task_start(t);
	*out = p;                   /* the caller's reference */
	return 0;
}

/* Detaches the children of an exiting process (they keep running). */
static void process_orphan_children(struct process *p)
{
	struct process *c;

	spin_lock(&p->lock);
	c = p->children;
	p->children = NULL;
	spin_unlock(&p->lock);
	while (c) {
		struct process *next = c->next_sibling;

		c->parent = NULL;
		c->next_sibling = NULL;
		obj_put(&c->obj);
		c = next;
	}
}

__noreturn void process_exit(u32 how, int code, u64 fault_addr, const char *reason)
{
	struct process *p = process_current();

	CHECK_INVARIANT(p != NULL);
	/*
	 * Callers are at the bottom of the process's kernel stack (a system
	 * call, a user fault, an interrupt's return to user mode): nothing
	 * below needs interrupts off, and freeing needs them on.
	 */
	arch_irq_enable();
	if (how != COPRA_EXIT_NORMAL)
		log_info("process %llu (%s) ended: %s", (unsigned long long)p->obj.id, p->name,
			 reason);
	handle_close_all(p);
	vma_unmap_all(p);
	process_orphan_children(p);
	waitq_lock(&process_exit_wq);
	p->exit.code = how == COPRA_EXIT_NORMAL ? code : 0;
	p->exit.how = how;
	p->exit.fault_addr = fault_addr;
	strlcpy(p->exit.reason, reason ? reason : "", sizeof(p->exit.reason));
	p->exited = true;
	waitq_wake_all_locked(&process_exit_wq, 0);
	waitq_unlock(&process_exit_wq);
	obj_put(&p->obj); /* the running process's own reference */
	task_exit(code);
}

void process_check_killed(void)
{
	struct process *p = process_current();

	if (p && p->killed)
		process_exit(COPRA_EXIT_KILLED, 0, 0, "killed");
}

void process_kill(struct process *p)
{
	p->killed = true;
	if (!p->exited && p->task) {
		p->task->interrupted = true;
		sched_wake(p->task, -E_INTR);
	}
}

/* Drops a reported child from its parent's list (the list's reference goes too). */
static void process_unlink_child(struct process *c)
{
	struct process *parent = c->parent, **pp;
	bool found = false;

	if (!parent)
		return;
	spin_lock(&parent->lock);
	for (pp = &parent->children; *pp; pp = &(*pp)->next_sibling) {
		if (*pp == c) {
			*pp = c->next_sibling;
			found = true;
			break;
		}
	}
	c->parent = NULL;
	c->next_sibling = NULL;
	spin_unlock(&parent->lock);
	if (found)
		obj_put(&c->obj);
}

/* A child of parent that ended and was not reported yet (lock held). */
static struct process *process_find_ended(struct process *parent, bool *any_left)
{
	struct process *c;

	*any_left = false;
	for (c = parent->children; c; c = c->next_sibling) {
		if (!c->reported)
			*any_left = true;
		if (c->exited && !c->reported)
			return c;
	}
	return NULL;
}

int process_wait(struct process *parent, struct process *p, u64 deadline_ns,
		 struct copra_exit *ex)
{
	struct process *found = NULL;
	bool left = true;
	int ret = 0;

	waitq_lock(&process_exit_wq);
	for (;;) {
		if (p && p->exited) {
			found = p;
			break;
		}
		if (!p) {
			spin_lock(&parent->lock);
			found = process_find_ended(parent, &left);
			spin_unlock(&parent->lock);
			if (found || !left)
				break;
		}
		if (ret)
			break;
		if (deadline_ns == PROCESS_DEADLINE_POLL) {
			ret = -E_AGAIN;
			break;
		}
		ret = waitq_sleep_locked(&process_exit_wq, deadline_ns);
		waitq_lock(&process_exit_wq);
	}
	if (found) {
		found->reported = true;
		*ex = found->exit;
		ret = (int)found->obj.id;
		process_unlink_child(found);
	} else if (!p && !left) {
		ret = -E_NOENT;
	} else if (ret == -E_INTR) {
		ret = -E_AGAIN; /* killed meanwhile: the caller is about to end */
	}
	waitq_unlock(&process_exit_wq);
	return ret;
}
