/*
 * The vTPM service's channel and life cycle (include/copra/vtpm.h): who may
 * open /dev/vtpm, connecting a fresh channel at each open, and stopping the
 * service (closing the client end and killing the process that serves it).
 * Forwarding commands is in command.c.
 *
 * The service process is found through its channel: the children of init
 * are searched for a handle to the server end of the current channel. The
 * pointer to that end is kept only as an identity to compare with handle
 * table entries, never dereferenced; both ends of a channel live in one
 * allocation that stays alive while the kernel holds the client end, so the
 * address cannot be reused by another object meanwhile.
 *
 * Locking: vtpm_lock (a spinlock, never held across a call that may sleep
 * or free) guards the client end and the server identity. Commands hold a
 * reference to the client end they use, so replacing it never frees an end
 * under a running call.
 */
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/process.h>
#include <copra/spinlock.h>
#include <copra/vtpm.h>

#include "vtpm_internal.h"

/* Children of init searched for the service (more than init.conf allows). */
#define VTPM_CHILDREN_MAX 32

static spinlock_t vtpm_lock = SPINLOCK_INIT;
static struct channel_end *vtpm_client;     /* NULL: no service */
static const struct object *vtpm_server_id; /* identity only, see above */
static struct vtpm_stats vtpm_counts;

void vtpm_count(u64 *counter)
{
	__atomic_add_fetch(counter, 1, __ATOMIC_RELAXED);
}

struct vtpm_stats *vtpm_stats_ptr(void)
{
	return &vtpm_counts;
}

void vtpm_get_stats(struct vtpm_stats *st)
{
	st->commands = __atomic_load_n(&vtpm_counts.commands, __ATOMIC_RELAXED);
	st->failures = __atomic_load_n(&vtpm_counts.failures, __ATOMIC_RELAXED);
	st->connects = __atomic_load_n(&vtpm_counts.connects, __ATOMIC_RELAXED);
	st->stops = __atomic_load_n(&vtpm_counts.stops, __ATOMIC_RELAXED);
	st->kills = __atomic_load_n(&vtpm_counts.kills, __ATOMIC_RELAXED);
}

bool vtpm_dev_may_open(struct process *p)
{
	struct process *init = user_init_process();
	bool ok = p && p == init;

	if (init)
		obj_put(&init->obj);
	return ok;
}

int vtpm_dev_open(u32 flags, struct object **out)
{
	(void)flags;
	if (!vtpm_dev_may_open(process_current()))
		return -E_PERM;
	return vtpm_connect(out);
}

int vtpm_connect(struct object **server)
{
	struct channel_end *client, *srv, *old;
	int ret = channel_create_kernel(&client, &srv);

	if (ret)
		return ret;
	spin_lock(&vtpm_lock);
	old = vtpm_client;
	vtpm_client = client;
	vtpm_server_id = channel_end_object(srv);
	spin_unlock(&vtpm_lock);
	if (old)
		channel_end_put(old); /* the old service reads end of file */
	vtpm_count(&vtpm_counts.connects);
	log_info("vtpm: service channel opened%s", old ? " (the previous one is closed)" : "");
	*server = channel_end_object(srv);
	return 0;
}

bool vtpm_connected(void)
{
	return READ_ONCE(vtpm_client) != NULL;
}

struct channel_end *vtpm_client_get(void)
{
	struct channel_end *c;

	spin_lock(&vtpm_lock);
	c = vtpm_client;
	if (c)
		obj_get(channel_end_object(c));
	spin_unlock(&vtpm_lock);
	return c;
}

/* Takes the current client end out (only if it is `only`, when given). */
static struct channel_end *vtpm_detach(struct channel_end *only, const struct object **server)
{
	struct channel_end *c = NULL;

	spin_lock(&vtpm_lock);
	if (vtpm_client && (!only || vtpm_client == only)) {
		c = vtpm_client;
		*server = vtpm_server_id;
		vtpm_client = NULL;
		vtpm_server_id = NULL;
	}
	spin_unlock(&vtpm_lock);
	return c;
}

void vtpm_drop(struct channel_end *c)
{
	const struct object *srv;
	struct channel_end *old = vtpm_detach(c, &srv);

	if (old) {
		log_info("vtpm: the service closed its channel");
		channel_end_put(old);
	}
}

/* Whether p holds a handle to the object srv. */
static bool vtpm_holds(struct process *p, const struct object *srv)
{
	bool found = false;
	unsigned i;

	spin_lock(&p->lock);
	for (i = 0; i < COPRA_HANDLES_MAX && !found; i++)
		found = p->handles[i] == srv;
	spin_unlock(&p->lock);
	return found;
}

/* Kills init's children that hold srv; the caller holds the client end (see top). */
static void vtpm_kill_holders(const struct object *srv)
{
	struct process *init = user_init_process(), *kids[VTPM_CHILDREN_MAX], *c;
	unsigned n = 0, i;

	if (!init)
		return;
	spin_lock(&init->lock);
	for (c = init->children; c && n < VTPM_CHILDREN_MAX; c = c->next_sibling) {
		obj_get(&c->obj);
		kids[n++] = c;
	}
	spin_unlock(&init->lock);
	for (i = 0; i < n; i++) {
		if (!kids[i]->exited && vtpm_holds(kids[i], srv)) {
			log_info("vtpm: killing the service process %llu (%s)",
				 (unsigned long long)kids[i]->obj.id, kids[i]->name);
			process_kill(kids[i]);
			vtpm_count(&vtpm_counts.kills);
		}
		obj_put(&kids[i]->obj);
	}
	obj_put(&init->obj);
}

bool vtpm_stop_channel(struct channel_end *only, const char *why)
{
	const struct object *srv = NULL;
	struct channel_end *c = vtpm_detach(only, &srv);

	if (!c)
		return false;
	log_info("vtpm: stopping the service: %s", why);
	vtpm_kill_holders(srv);
	channel_end_put(c);
	vtpm_count(&vtpm_counts.stops);
	return true;
}

bool vtpm_service_stop(const char *why)
{
	return vtpm_stop_channel(NULL, why);
}
