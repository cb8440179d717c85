/*
 * Channels (include/copra/channel.h): the shared core, its two end objects,
 * the message queues, blocking receive with deadlines, and the kernel API.
 * The system calls are in channel_sys.c.
 *
 * Layout: one heap allocation per channel holds the core, both end objects
 * and both queues. Each queue is a ring of COPRA_CHANNEL_QUEUE slots with
 * CHANNEL_INLINE bytes of storage each, so a message up to that size costs
 * no allocation: the sender copies it in (from user memory into a stack
 * buffer before the lock is taken), the receiver copies it out of the slot
 * (straight to user memory: copy_to_user never sleeps, a fault returns
 * -E_FAULT and the message stays queued). Longer messages are copied into a
 * heap buffer before the lock and the slot takes it over.
 *
 * Hot path (call + recv + send): one lock per channel, held once per call;
 * receivers wait on the queue's own FIFO of tasks and a send wakes the first
 * one directly (sched_wake). A call sends and starts waiting for the reply
 * under the same lock hold. A woken receiver that cannot take the message
 * (buffer too small, bad buffer) or was interrupted (-E_INTR: its process is
 * being killed; it takes nothing) passes the wake-up on to the next waiter.
 *
 * Lifetime: each end is an object; its destroy marks the end closed, drops
 * the messages queued for it and wakes the peer's receivers (they see
 * -E_PIPE once their queue is empty). The core is freed with the second end.
 *
 * Lock order: channel lock > run-queue locks > sleep lock (sched_wake,
 * sched_prepare_block). Callers of the kernel API hold a reference to the
 * end they use for the whole call. No heap call, object release or blocking under the channel lock; user
 * copies under it only fault-and-fix-up (never sleep).
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/memobj.h>
#include <copra/spinlock.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/uaccess.h>

#include "channel_internal.h"

static u64 channel_live;

void channel_copy(void *dst, const void *src, size_t n)
{
	size_t q = n / 8, r = n % 8;

	__asm__ volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(q) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(r) : : "memory");
}

/* Receivers waiting on a queue (FIFO through task->wq_next; channel lock held). */
static void chan_wait_add(struct channel_queue *q, struct task *t)
{
	struct task **pp = &q->waiters;

	while (*pp)
		pp = &(*pp)->wq_next;
	t->wq_next = NULL;
	*pp = t;
}

static void chan_wait_remove(struct channel_queue *q, struct task *t)
{
	struct task **pp = &q->waiters;

	while (*pp && *pp != t)
		pp = &(*pp)->wq_next;
	if (*pp)
		*pp = t->wq_next;
	t->wq_next = NULL;
}

static void chan_wake_one(struct channel_queue *q)
{
	struct task *t = q->waiters;

	if (!t)
		return;
	q->waiters = t->wq_next;
	t->wq_next = NULL;
	sched_wake(t, 0);
}

static void chan_wake_all(struct channel_queue *q)
{
	while (q->waiters)
		chan_wake_one(q);
}

/* Queues m for end `to` (lock held). */
static int chan_enqueue_locked(struct channel *ch, unsigned to, struct channel_msg *m)
{
	struct channel_queue *q = &ch->q[to];
	struct channel_slot *s;

	if (ch->closed[to])
		return -E_PIPE;
	if (q->count == COPRA_CHANNEL_QUEUE)
		return -E_AGAIN;
	s = &q->slot[(q->head + q->count) % COPRA_CHANNEL_QUEUE];
	s->len = (u32)m->len;
	s->ext = m->ext;
	if (m->ext)
		m->ext = NULL;
	else
		channel_copy(s->data, m->data, m->len);
	q->count++;
	chan_wake_one(q);
	return 0;
}

/* Copies the oldest message of q to d and dequeues it (lock held). */
static s64 chan_take_locked(struct channel_queue *q, const struct channel_dst *d, u8 **ext)
{
	struct channel_slot *s = &q->slot[q->head];
	const void *src = s->ext ? s->ext : s->data;

	if (s->len > d->cap)
		return -E_TOOBIG;
	if (!d->user)
		channel_copy(d->kbuf, src, s->len);
	else if (copy_to_user(d->uaddr, src, s->len))
		return -E_FAULT;
	*ext = s->ext;
	s->ext = NULL;
	q->head = (q->head + 1) % COPRA_CHANNEL_QUEUE;
	q->count--;
	return s->len;
}

/* Receives for end `side` with the lock held; drops it. */
static s64 chan_recv_locked(struct channel *ch, unsigned side, const struct channel_dst *d,
			    const struct channel_wait *w)
{
	struct channel_queue *q = &ch->q[side];
	struct task *self;
	u8 *ext = NULL;
	int r = 0;
	s64 ret = 0;

	for (;;) {
		if (q->count && r != -E_INTR) {
			ret = chan_take_locked(q, d, &ext);
			if (ret < 0)
				chan_wake_one(q); /* it stays queued: another receiver may take it */
			break;
		}
		if (r == -E_INTR && q->count)
			chan_wake_one(q); /* a killed receiver passes the wake-up on */
		if (ch->closed[side ^ 1])
			ret = -E_PIPE;
		else if (r) /* timed out or interrupted */
			ret = r;
		else if (w->nowait)
			ret = -E_AGAIN;
		else if (w->deadline && time_ns() >= w->deadline)
			ret = -E_TIMEDOUT;
		if (ret)
			break;
		self = task_current();
		chan_wait_add(q, self);
		sched_prepare_block(w->deadline);
		spin_unlock(&ch->lock);
		r = sched_commit_block();
		spin_lock(&ch->lock);
		chan_wait_remove(q, self); /* a no-op when the waker took us off */
	}
	spin_unlock(&ch->lock);
	kfree(ext);
	return ret;
}

void channel_msg_release(struct channel_msg *m)
{
	kfree(m->ext);
	m->ext = NULL;
}

int channel_send_msg(struct channel_end *e, struct channel_msg *m)
{
	struct channel *ch = e->ch;
	int r;

	spin_lock(&ch->lock);
	r = chan_enqueue_locked(ch, e->side ^ 1, m);
	spin_unlock(&ch->lock);
	return r;
}

s64 channel_recv_to(struct channel_end *e, const struct channel_dst *d,
		    const struct channel_wait *w)
{
	spin_lock(&e->ch->lock);
	return chan_recv_locked(e->ch, e->side, d, w);
}

s64 channel_call_msg(struct channel_end *e, struct channel_msg *m, const struct channel_dst *d,
		     const struct channel_wait *w)
{
	struct channel *ch = e->ch;
	int r;

	spin_lock(&ch->lock);
	r = chan_enqueue_locked(ch, e->side ^ 1, m);
	if (r) {
		spin_unlock(&ch->lock);
		return r;
	}
	return chan_recv_locked(ch, e->side, d, w);
}

/* The last reference to an end went: close it (and free the core after the second). */
static void channel_end_destroy(struct object *o)
{
	struct channel_end *e = container_of(o, struct channel_end, obj);
	struct channel *ch = e->ch;
	struct channel_queue *q = &ch->q[e->side];
	u8 *ext[COPRA_CHANNEL_QUEUE];
	unsigned n = 0;
	bool last;

	spin_lock(&ch->lock);
	ch->closed[e->side] = true;
	for (; q->count; q->count--, q->head = (q->head + 1) % COPRA_CHANNEL_QUEUE) {
		ext[n++] = q->slot[q->head].ext;
		q->slot[q->head].ext = NULL;
	}
	chan_wake_all(&ch->q[e->side ^ 1]);
	last = ch->closed[e->side ^ 1];
	spin_unlock(&ch->lock);
	while (n)
		kfree(ext[--n]);
	if (!last)
		return;
	obj_put(memobj_object(ch->buffer));
	kfree(ch);
	__atomic_sub_fetch(&channel_live, 1, __ATOMIC_RELAXED);
}

static const struct object_ops channel_end_ops = {
	.name = "channel",
	.destroy = channel_end_destroy,
};

int channel_alloc(struct channel **out)
{
	struct channel *ch = kzalloc(sizeof(*ch));
	unsigned i;

	if (!ch)
		return -E_NOMEM;
	if (memobj_create(PAGE_SIZE, &ch->buffer)) {
		kfree(ch);
		return -E_NOMEM;
	}
	spin_lock_init(&ch->lock);
	for (i = 0; i < 2; i++) {
		ch->end[i].ch = ch;
		ch->end[i].side = i;
		obj_init(&ch->end[i].obj, COPRA_OBJ_CHANNEL, &channel_end_ops);
	}
	__atomic_add_fetch(&channel_live, 1, __ATOMIC_RELAXED);
	*out = ch;
	return 0;
}

u64 channel_live_count(void)
{
	return __atomic_load_n(&channel_live, __ATOMIC_RELAXED);
}

/* Kernel API. */

int channel_create_kernel(struct channel_end **client, struct channel_end **server)
{
	struct channel *ch;
	int r = channel_alloc(&ch);

	if (r)
		return r;
	*client = &ch->end[0];
	*server = &ch->end[1];
	return 0;
}

struct object *channel_end_object(struct channel_end *e)
{
	return &e->obj;
}

struct channel_end *channel_end_from_object(struct object *o)
{
	return o && o->type == COPRA_OBJ_CHANNEL ? container_of(o, struct channel_end, obj) : NULL;
}

void channel_end_put(struct channel_end *e)
{
	obj_put(&e->obj);
}

struct memobj *channel_buffer_of(struct channel_end *e)
{
	return e->ch->buffer;
}

/* A kernel message: inline ones are copied under the lock, longer ones now. */
static int chan_msg_kernel(struct channel_msg *m, const void *data, size_t len)
{
	m->len = len;
	m->data = data;
	m->ext = NULL;
	if (len > COPRA_CHANNEL_MSG_MAX)
		return -E_TOOBIG;
	if (len <= CHANNEL_INLINE)
		return 0;
	m->ext = kmalloc(len);
	if (!m->ext)
		return -E_NOMEM;
	channel_copy(m->ext, data, len);
	return 0;
}

static void chan_wait_kernel(struct channel_wait *w, u64 deadline_ns)
{
	w->nowait = deadline_ns == CHANNEL_NOWAIT;
	w->deadline = w->nowait ? 0 : deadline_ns;
}

int channel_kernel_send(struct channel_end *e, const void *msg, size_t len)
{
	struct channel_msg m;
	int r = chan_msg_kernel(&m, msg, len);

	if (!r)
		r = channel_send_msg(e, &m);
	channel_msg_release(&m);
	return r;
}

int channel_kernel_recv(struct channel_end *e, void *buf, size_t cap, u64 deadline_ns,
			size_t *len)
{
	struct channel_dst d = { .user = false, .kbuf = buf, .cap = cap };
	struct channel_wait w;
	s64 r;

	chan_wait_kernel(&w, deadline_ns);
	r = channel_recv_to(e, &d, &w);
	if (r < 0)
		return (int)r;
	*len = (size_t)r;
	return 0;
}

int channel_kernel_call(struct channel_end *client, const void *req, size_t len, void *resp,
			size_t cap, u64 deadline_ns, size_t *resp_len)
{
	struct channel_dst d = { .user = false, .kbuf = resp, .cap = cap };
	struct channel_msg m;
	struct channel_wait w;
	s64 r = chan_msg_kernel(&m, req, len);

	chan_wait_kernel(&w, deadline_ns);
	if (!r)
		r = channel_call_msg(client, &m, &d, &w);
	channel_msg_release(&m);
	if (r < 0)
		return (int)r;
	*resp_len = (size_t)r;
	return 0;
}
