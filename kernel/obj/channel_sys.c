/*
 * The channel system calls (docs/syscalls.md 4.4) on top of channel.c:
 * arguments are checked and messages copied in from user memory before any
 * channel lock is taken; replies are copied out by the core.
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/process.h>
#include <copra/uaccess.h>

#include "../user/syscall.h"
#include "channel_internal.h"

/* The channel end of handle argument v (a reference). */
static int chan_end_arg(struct sys_ctx *c, u64 v, struct channel_end **out)
{
	struct object *o;
	copra_handle_t h;
	int r;

	if (!sys_handle_arg(v, &h))
		return -E_BADH;
	r = handle_get(c->proc, h, COPRA_OBJ_CHANNEL, &o);
	if (!r)
		*out = channel_end_from_object(o);
	return r;
}

/*
 * A user message: bounds first (-E_FAULT, then -E_TOOBIG), then the copy
 * into bounce (CHANNEL_INLINE bytes) or a heap buffer.
 */
static int chan_msg_user(struct channel_msg *m, u8 *bounce, u64 umsg, u64 len)
{
	m->len = len;
	m->data = bounce;
	m->ext = NULL;
	if (len && !user_range_ok(umsg, len))
		return -E_FAULT;
	if (len > COPRA_CHANNEL_MSG_MAX)
		return -E_TOOBIG;
	if (len > CHANNEL_INLINE) {
		m->ext = kmalloc(len);
		if (!m->ext)
			return -E_NOMEM;
	}
	return copy_from_user(m->ext ? m->ext : bounce, umsg, len) ? -E_FAULT : 0;
}

/* A receive buffer: its range, and (probe) that its first byte is writable. */
static int chan_dst_user(struct channel_dst *d, u64 ubuf, u64 cap, bool probe)
{
	u8 b;

	d->user = true;
	d->uaddr = ubuf;
	d->kbuf = NULL;
	d->cap = cap;
	if (!cap)
		return 0;
	if (!user_range_ok(ubuf, cap))
		return -E_FAULT;
	if (probe && (copy_from_user(&b, ubuf, 1) || copy_to_user(ubuf, &b, 1)))
		return -E_FAULT;
	return 0;
}

/* timeout_ns: 0 polls, COPRA_TIMEOUT_FOREVER has no limit. */
static void chan_wait_user(struct channel_wait *w, u64 timeout_ns)
{
	w->nowait = timeout_ns == 0;
	w->deadline = timeout_ns == 0 ? 0 : sys_deadline(timeout_ns);
}

static void chan_close_handle(struct process *p, copra_handle_t h)
{
	if (handle_close(p, h))
		return; /* cannot happen: the caller installed it */
}

/* channel_create(copra_handle_t ends[2]): ends[0] client, ends[1] server */
s64 sys_channel_create(struct sys_ctx *c)
{
	copra_handle_t h[2];
	struct channel *ch;
	u64 uends = c->a[0];
	int r;

	if (!user_range_ok(uends, sizeof(h)))
		return -E_FAULT;
	r = channel_alloc(&ch);
	if (r)
		return r;
	r = handle_install(c->proc, &ch->end[0].obj, &h[0]);
	if (!r) {
		r = handle_install(c->proc, &ch->end[1].obj, &h[1]);
		if (!r && copy_to_user(uends, h, sizeof(h))) {
			chan_close_handle(c->proc, h[1]);
			r = -E_FAULT;
		}
		if (r)
			chan_close_handle(c->proc, h[0]);
	}
	obj_put(&ch->end[0].obj);
	obj_put(&ch->end[1].obj);
	return r;
}

/* channel_send(h, const void *msg, size_t len) */
s64 sys_channel_send(struct sys_ctx *c)
{
	u8 bounce[CHANNEL_INLINE];
	struct channel_end *e;
	struct channel_msg m;
	int r = chan_end_arg(c, c->a[0], &e);

	if (r)
		return r;
	r = chan_msg_user(&m, bounce, c->a[1], c->a[2]);
	if (!r)
		r = channel_send_msg(e, &m);
	channel_msg_release(&m);
	obj_put(&e->obj);
	return r;
}

/* channel_recv(h, void *buf, size_t cap, u64 timeout_ns) -> message length */
s64 sys_channel_recv(struct sys_ctx *c)
{
	struct channel_end *e;
	struct channel_dst d;
	struct channel_wait w;
	s64 r = chan_end_arg(c, c->a[0], &e);

	if (r)
		return r;
	r = chan_dst_user(&d, c->a[1], c->a[2], false);
	if (!r) {
		chan_wait_user(&w, c->a[3]);
		r = channel_recv_to(e, &d, &w);
	}
	obj_put(&e->obj);
	return r;
}

/* channel_call(h, const struct copra_call *) -> reply length */
s64 sys_channel_call(struct sys_ctx *c)
{
	u8 bounce[CHANNEL_INLINE];
	struct copra_call call;
	struct channel_end *e;
	struct channel_msg m = { 0, NULL, NULL };
	struct channel_dst d;
	struct channel_wait w;
	s64 r = chan_end_arg(c, c->a[0], &e);

	if (r)
		return r;
	if (copy_from_user(&call, c->a[1], sizeof(call)))
		r = -E_FAULT;
	if (!r)
		r = chan_msg_user(&m, bounce, (u64)(uintptr_t)call.req, call.req_len);
	/* The reply buffer is checked before the request is sent. */
	if (!r)
		r = chan_dst_user(&d, (u64)(uintptr_t)call.resp, call.resp_cap, true);
	if (!r) {
		chan_wait_user(&w, call.timeout_ns);
		r = channel_call_msg(e, &m, &d, &w);
	}
	channel_msg_release(&m);
	obj_put(&e->obj);
	return r;
}

/* channel_buffer(h) -> a new handle to the channel's shared memory object */
s64 sys_channel_buffer(struct sys_ctx *c)
{
	struct channel_end *e;
	copra_handle_t h;
	int r = chan_end_arg(c, c->a[0], &e);

	if (r)
		return r;
	r = handle_install(c->proc, memobj_object(channel_buffer_of(e)), &h);
	obj_put(&e->obj);
	return r ? r : (s64)h;
}
