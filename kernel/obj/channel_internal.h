/*
 * Channel internals shared by kernel/obj/channel.c (the core and the kernel
 * API) and kernel/obj/channel_sys.c (the system calls).
 */
#ifndef KERNEL_OBJ_CHANNEL_INTERNAL_H
#define KERNEL_OBJ_CHANNEL_INTERNAL_H

#include <copra/channel.h>
#include <copra/spinlock_types.h>

/* Message bytes kept in the slot itself; longer messages live in the heap. */
#define CHANNEL_INLINE 240

struct task;

struct channel_slot {
	u32 len;
	u8 *ext;                       /* heap copy of a message over CHANNEL_INLINE */
	u8 data[CHANNEL_INLINE];
};

/* Messages towards one end (a ring, oldest at head) and the tasks receiving there. */
struct channel_queue {
	u32 head, count;
	struct task *waiters;          /* FIFO, linked through task->wq_next */
	struct channel_slot slot[COPRA_CHANNEL_QUEUE];
};

struct channel;

struct channel_end {
	struct object obj;             /* COPRA_OBJ_CHANNEL */
	struct channel *ch;
	u32 side;                      /* 0 client, 1 server */
};

struct channel {
	spinlock_t lock;               /* guards everything below but buffer */
	bool closed[2];                /* end i's last reference is gone */
	struct channel_end end[2];
	struct memobj *buffer;         /* shared buffer, one reference */
	struct channel_queue q[2];     /* q[i]: messages for end i */
};

/* A message to send: len bytes at data (kernel memory), or in ext (heap, owned). */
struct channel_msg {
	size_t len;
	const void *data;
	u8 *ext;
};

/* Where a received message goes: user memory or a kernel buffer, cap bytes. */
struct channel_dst {
	bool user;
	u64 uaddr;
	void *kbuf;
	size_t cap;
};

struct channel_wait {
	bool nowait;                   /* -E_AGAIN instead of blocking */
	u64 deadline;                  /* ns since boot, 0: none */
};

/* A channel with both ends referenced once by the caller; -E_NOMEM. */
int channel_alloc(struct channel **out) __must_check;
/* Frees m->ext if the message was not queued. */
void channel_msg_release(struct channel_msg *m);
/* Queues m for e's peer (takes m->ext on success): 0, -E_PIPE, -E_AGAIN. */
int channel_send_msg(struct channel_end *e, struct channel_msg *m) __must_check;
/* The next message for e into d: its length, or -E_* (see channel.h). */
s64 channel_recv_to(struct channel_end *e, const struct channel_dst *d,
		    const struct channel_wait *w) __must_check;
/* Send m, then receive the reply into d under the same lock hold. */
s64 channel_call_msg(struct channel_end *e, struct channel_msg *m, const struct channel_dst *d,
		     const struct channel_wait *w) __must_check;
/* Kernel-memory copy (rep movsq, then the tail bytes). */
void channel_copy(void *dst, const void *src, size_t n);

#endif
