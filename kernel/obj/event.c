/*
 * Events (include/copra/event.h) and the system calls event_create,
 * event_signal and event_wait (docs/syscalls.md 4.3). The flag and the
 * waiters are guarded by the event's wait-queue lock; a signal sets the flag
 * and wakes one waiter, which consumes it (or finds that another waiter or a
 * poll took it first and sleeps again).
 */
#include <copra/errno.h>
#include <copra/event.h>
#include <copra/heap.h>
#include <copra/process.h>
#include <copra/time.h>
#include <copra/waitq.h>

#include "../user/syscall.h"

struct event {
	struct object obj;   /* COPRA_OBJ_EVENT */
	struct waitq wq;     /* its lock guards set */
	bool set;
};

static void event_destroy(struct object *o)
{
	kfree(container_of(o, struct event, obj));
}

static const struct object_ops event_ops = {
	.name = "event",
	.destroy = event_destroy,
};

struct event *event_create(void)
{
	struct event *ev = kmalloc(sizeof(*ev));

	if (!ev)
		return NULL;
	waitq_init(&ev->wq);
	ev->set = false;
	obj_init(&ev->obj, COPRA_OBJ_EVENT, &event_ops);
	return ev;
}

struct object *event_object(struct event *ev)
{
	return &ev->obj;
}

struct event *event_from_object(struct object *o)
{
	return o && o->type == COPRA_OBJ_EVENT ? container_of(o, struct event, obj) : NULL;
}

void event_signal(struct event *ev)
{
	waitq_lock(&ev->wq);
	if (!ev->set) {
		ev->set = true;
		waitq_wake_one_locked(&ev->wq, 0);
	}
	waitq_unlock(&ev->wq);
}

int event_wait(struct event *ev, bool nowait, u64 deadline_ns)
{
	int r = 0;

	waitq_lock(&ev->wq);
	while (!ev->set && !r) {
		if (nowait) {
			r = -E_AGAIN;
		} else if (deadline_ns && time_ns() >= deadline_ns) {
			r = -E_TIMEDOUT;
		} else {
			r = waitq_sleep_locked(&ev->wq, deadline_ns);
			waitq_lock(&ev->wq);
		}
	}
	if (ev->set && r != -E_INTR) {
		ev->set = false;
		r = 0;
	} else if (ev->set) {
		waitq_wake_one_locked(&ev->wq, 0); /* a killed waiter passes the signal on */
	}
	waitq_unlock(&ev->wq);
	return r;
}

/* event_create() -> handle */
s64 sys_event_create(struct sys_ctx *c)
{
	struct event *ev = event_create();
	copra_handle_t h;
	int r;

	if (!ev)
		return -E_NOMEM;
	r = handle_install(c->proc, &ev->obj, &h);
	obj_put(&ev->obj);
	return r ? r : (s64)h;
}

/* The event of handle argument v (a reference). */
static int event_arg(struct sys_ctx *c, u64 v, struct object **o)
{
	copra_handle_t h;

	if (!sys_handle_arg(v, &h))
		return -E_BADH;
	return handle_get(c->proc, h, COPRA_OBJ_EVENT, o);
}

/* event_signal(h) */
s64 sys_event_signal(struct sys_ctx *c)
{
	struct object *o;
	int r = event_arg(c, c->a[0], &o);

	if (r)
		return r;
	event_signal(event_from_object(o));
	obj_put(o);
	return 0;
}

/* event_wait(h, u64 timeout_ns): 0 polls, COPRA_TIMEOUT_FOREVER has no limit */
s64 sys_event_wait(struct sys_ctx *c)
{
	struct object *o;
	u64 timeout = c->a[1];
	int r = event_arg(c, c->a[0], &o);

	if (r)
		return r;
	r = event_wait(event_from_object(o), timeout == 0,
		       timeout == 0 ? 0 : sys_deadline(timeout));
	obj_put(o);
	return r;
}
