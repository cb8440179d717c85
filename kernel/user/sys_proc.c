/* Process system calls: spawn (decode and validate everything first), wait, kill, id. */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/string.h>
#include <copra/uaccess.h>

#include "syscall.h"
#include "user_internal.h"

struct spawn_args {
	struct spawn_request req;
	char path[COPRA_PATH_MAX + 2];
	char args[COPRA_SPAWN_ARGS_MAX];
};

static void spawn_release(struct spawn_args *s)
{
	u32 i;

	for (i = 0; i < s->req.nhandles; i++)
		if (s->req.handles[i])
			obj_put(s->req.handles[i]);
}

/* Copies and checks the handle pairs; takes references to the parent's objects. */
static int spawn_decode_handles(struct sys_ctx *c, const struct copra_spawn *sp,
				struct spawn_args *s)
{
	struct copra_spawn_handle pairs[COPRA_SPAWN_HANDLES_MAX];
	u32 i, k;
	int ret;

	if (sp->nhandles > COPRA_SPAWN_HANDLES_MAX)
		return -E_TOOBIG;
	if (copy_from_user(pairs, (u64)(uintptr_t)sp->handles, sp->nhandles * sizeof(pairs[0])))
		return -E_FAULT;
	for (i = 0; i < sp->nhandles; i++) {
		if (pairs[i].child == COPRA_HANDLE_LOG || pairs[i].child >= COPRA_HANDLES_MAX)
			return -E_INVAL;
		for (k = 0; k < i; k++)
			if (pairs[k].child == pairs[i].child)
				return -E_INVAL;
	}
	for (i = 0; i < sp->nhandles; i++) {
		ret = handle_get(c->proc, pairs[i].parent, 0, &s->req.handles[i]);
		if (ret) {
			s->req.nhandles = i;
			return ret == -E_TYPE ? -E_BADH : ret;
		}
		s->req.child_handles[i] = pairs[i].child;
	}
	s->req.nhandles = sp->nhandles;
	return 0;
}

static int spawn_decode(struct sys_ctx *c, struct spawn_args *s)
{
	struct copra_spawn sp;
	int ret = sys_copy_path(c->a[0], c->a[1], s->path);

	if (ret)
		return ret;
	s->req.path = s->path;
	if (!c->a[2])
		return 0;
	if (copy_from_user(&sp, c->a[2], sizeof(sp)))
		return -E_FAULT;
	if (sp.args_len > COPRA_SPAWN_ARGS_MAX)
		return -E_TOOBIG;
	if (sp.args_len) {
		if (copy_from_user(s->args, (u64)(uintptr_t)sp.args, sp.args_len))
			return -E_FAULT;
		if (s->args[sp.args_len - 1] != '\0')
			return -E_INVAL;
		s->req.args = s->args;
		s->req.args_len = sp.args_len;
	}
	return spawn_decode_handles(c, &sp, s);
}

s64 sys_proc_spawn(struct sys_ctx *c)
{
	struct spawn_args *s = kzalloc(sizeof(*s));
	struct process *child;
	copra_handle_t h;
	int ret;

	if (!s)
		return -E_NOMEM;
	ret = spawn_decode(c, s);
	if (!ret)
		ret = process_spawn(c->proc, &s->req, &child);
	spawn_release(s);
	kfree(s);
	if (ret)
		return ret;
	ret = handle_install(c->proc, &child->obj, &h);
	if (ret)
		process_kill(child); /* no handle to give back: do not leave it running */
	obj_put(&child->obj);
	return ret ? (s64)ret : (s64)h;
}

s64 sys_proc_wait(struct sys_ctx *c)
{
	struct copra_exit ex;
	struct object *o = NULL;
	copra_handle_t h;
	int ret;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	if (h != COPRA_HANDLE_INVALID) {
		ret = handle_get(c->proc, h, COPRA_OBJ_PROCESS, &o);
		if (ret)
			return ret;
	}
	ret = process_wait(c->proc, o ? container_of(o, struct process, obj) : NULL,
			   sys_deadline(c->a[1]), &ex);
	if (o)
		obj_put(o);
	if (ret >= 0 && c->a[2] && copy_to_user(c->a[2], &ex, sizeof(ex)))
		return -E_FAULT;
	return ret;
}

s64 sys_proc_kill(struct sys_ctx *c)
{
	struct object *o;
	copra_handle_t h;
	int ret;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	ret = handle_get(c->proc, h, COPRA_OBJ_PROCESS, &o);
	if (ret)
		return ret;
	process_kill(container_of(o, struct process, obj));
	obj_put(o);
	return 0;
}

s64 sys_proc_id(struct sys_ctx *c)
{
	struct object *o;
	copra_handle_t h;
	s64 id;
	int ret;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	if (h == COPRA_HANDLE_INVALID)
		return (s64)c->proc->obj.id;
	ret = handle_get(c->proc, h, COPRA_OBJ_PROCESS, &o);
	if (ret)
		return ret;
	id = (s64)o->id;
	obj_put(o);
	return id;
}
