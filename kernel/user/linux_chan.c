/*
 * Linux personality: read and write on a channel end, which keeps message
 * boundaries like a SOCK_SEQPACKET socket. Each read takes exactly one
 * message (what does not fit in the buffer is dropped, as with MSG_TRUNC),
 * each write or writev sends exactly one. The peer gone is end of file (0)
 * for read and -EPIPE for write. Messages pass through a kernel bounce
 * buffer, so the channel only ever sees kernel memory, and the program's
 * buffer is checked before a message is taken off the queue.
 */
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/process.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/uaccess.h>

#include "linux_internal.h"

/* A full queue is waited out like a blocking socket, polling at this interval. */
#define LX_CHAN_RETRY_NS (1 * NSEC_PER_MSEC)

/* Every page of [ubuf, ubuf + len) writable? A byte is read and written back per page. */
static int linux_probe_writable(u64 ubuf, u64 len)
{
	u64 p = ubuf;
	u8 b;

	while (p < ubuf + len) {
		if (copy_from_user(&b, p, 1) || copy_to_user(p, &b, 1))
			return -E_FAULT;
		p = ALIGN_DOWN(p, PAGE_SIZE) + PAGE_SIZE;
	}
	return 0;
}

s64 linux_chan_read(struct object *o, u64 ubuf, u64 count, bool nonblock)
{
	struct channel_end *e = channel_end_from_object(o);
	u64 want = MIN(count, (u64)COPRA_CHANNEL_MSG_MAX);
	size_t len = 0;
	u8 *bounce;
	int r;

	if (want && !user_range_ok(ubuf, want))
		return -E_FAULT;
	r = linux_probe_writable(ubuf, want);
	if (r)
		return r;
	bounce = kmalloc(COPRA_CHANNEL_MSG_MAX);
	if (!bounce)
		return -E_NOMEM;
	r = channel_kernel_recv(e, bounce, COPRA_CHANNEL_MSG_MAX,
				nonblock ? CHANNEL_NOWAIT : CHANNEL_FOREVER, &len);
	if (r == -E_PIPE) {
		r = 0; /* the peer closed and nothing is queued: end of file */
		len = 0;
	}
	if (!r && copy_to_user(ubuf, bounce, MIN(len, want)))
		r = -E_FAULT;
	kfree(bounce);
	return r ? r : (s64)MIN(len, want);
}

s64 linux_chan_write(struct process *p, struct object *o, const struct linux_iovec *iov, u32 n,
		     bool nonblock)
{
	struct channel_end *e = channel_end_from_object(o);
	u64 total = 0, off = 0;
	u8 *bounce;
	u32 i;
	int r = 0;

	for (i = 0; i < n; i++) {
		if (iov[i].len > COPRA_CHANNEL_MSG_MAX - total)
			return LX_ERR(LX_EMSGSIZE);
		total += iov[i].len;
	}
	bounce = kmalloc(MAX(total, 1));
	if (!bounce)
		return -E_NOMEM;
	for (i = 0; i < n && !r; off += iov[i].len, i++)
		if (copy_from_user(bounce + off, iov[i].base, iov[i].len))
			r = -E_FAULT;
	while (!r) {
		r = channel_kernel_send(e, bounce, total);
		if (r != -E_AGAIN || nonblock)
			break;
		if (p->killed) {
			r = -E_INTR;
			break;
		}
		r = 0;
		sched_sleep_ns(LX_CHAN_RETRY_NS);
	}
	kfree(bounce);
	return r ? r : (s64)total;
}
