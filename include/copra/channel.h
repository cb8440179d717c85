/*
 * Channels (COPRA_OBJ_CHANNEL): message IPC between two ends. Each end is
 * its own object; when the last reference to one end goes, the other side
 * gets -E_PIPE for sends, and for receives once nothing is queued. Each
 * direction queues at most COPRA_CHANNEL_QUEUE messages of 0 to
 * COPRA_CHANNEL_MSG_MAX bytes, delivered whole and in order. A channel also
 * owns one 4096-byte memory object shared by both ends (its buffer).
 *
 * The system calls (docs/syscalls.md 4.4) and kernel code use the same
 * channels: a kernel client (e.g. the vTPM protocol handler) creates a
 * channel here, hands the server end to a process as a handle
 * (channel_end_object + handle_install) and calls it with kernel buffers.
 *
 * Deadlines for the kernel API: CHANNEL_FOREVER (0) waits without limit,
 * CHANNEL_NOWAIT never blocks (-E_AGAIN), anything else is an absolute time
 * in ns since boot (time_ns()) after which the wait fails with -E_TIMEDOUT.
 * All calls that may wait are for task context only.
 */
#ifndef COPRA_CHANNEL_H
#define COPRA_CHANNEL_H

#include <copra/memobj.h>
#include <copra/object.h>
#include <copra/types.h>

#define CHANNEL_FOREVER 0ULL
#define CHANNEL_NOWAIT (~0ULL)

struct channel_end;

/*
 * A new channel: *client is ends[0], *server ends[1]. The caller holds one
 * reference on each end (drop with channel_end_put). 0 or -E_NOMEM.
 */
int channel_create_kernel(struct channel_end **client, struct channel_end **server) __must_check;
struct object *channel_end_object(struct channel_end *e);
/* The end behind o, or NULL when o is of another type. */
struct channel_end *channel_end_from_object(struct object *o);
void channel_end_put(struct channel_end *e);
/* The shared buffer (no new reference: valid while the end is). */
struct memobj *channel_buffer_of(struct channel_end *e);

/* Queues a message for the peer: 0, -E_TOOBIG, -E_PIPE, -E_AGAIN (queue full), -E_NOMEM. */
int channel_kernel_send(struct channel_end *e, const void *msg, size_t len) __must_check;
/*
 * Takes the oldest message from the peer into buf: 0 and *len, or -E_TOOBIG
 * (longer than cap: it stays queued), -E_PIPE, -E_AGAIN, -E_TIMEDOUT.
 */
int channel_kernel_recv(struct channel_end *e, void *buf, size_t cap, u64 deadline_ns,
			size_t *len) __must_check;
/*
 * Sends req and waits for the next message from the peer (the reply): 0 and
 * *resp_len, or the errors of send and recv. On -E_TIMEDOUT the request stays
 * delivered; a reply longer than cap stays queued (-E_TOOBIG).
 */
int channel_kernel_call(struct channel_end *client, const void *req, size_t len, void *resp,
			size_t cap, u64 deadline_ns, size_t *resp_len) __must_check;

/* Channels alive (leak checks in tests). */
u64 channel_live_count(void);

#endif
