/*
 * Events (COPRA_OBJ_EVENT): a binary, auto-reset flag. event_signal sets it
 * and wakes one waiter; a wait returns at once when the flag is set and
 * clears it (consumes the signal). Signals do not count. For system calls
 * (event_create/signal/wait, docs/syscalls.md 4.3) and kernel threads.
 */
#ifndef COPRA_EVENT_H
#define COPRA_EVENT_H

#include <copra/object.h>
#include <copra/types.h>

struct event;

/* A new, clear event; the caller holds the one reference. NULL: no memory. */
struct event *event_create(void);
struct object *event_object(struct event *ev);
/* The event behind o, or NULL when o is of another type. */
struct event *event_from_object(struct object *o);
void event_signal(struct event *ev);
/*
 * Waits for the flag and consumes it. nowait: -E_AGAIN instead of blocking;
 * otherwise until deadline_ns (ns since boot, 0: none): -E_TIMEDOUT. Task
 * context only.
 */
int event_wait(struct event *ev, bool nowait, u64 deadline_ns) __must_check;

#endif
