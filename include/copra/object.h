/*
 * Kernel objects that user processes reach through handles. Every object
 * starts with struct object: its type (COPRA_OBJ_*), a reference count and
 * the function that frees it when the last reference goes. Handles,
 * in-flight system calls and other objects each hold references.
 */
#ifndef COPRA_OBJECT_H
#define COPRA_OBJECT_H

#include <abi/syscall.h>
#include <copra/types.h>

struct object;

struct object_ops {
	const char *name;
	void (*destroy)(struct object *o);
};

struct object {
	u32 type;
	u32 refs;
	u64 id;
	const struct object_ops *ops;
};

void obj_init(struct object *o, u32 type, const struct object_ops *ops);
void obj_get(struct object *o);
void obj_put(struct object *o);

/* Objects live in the global heap; count of live ones (leak checks). */
u64 obj_live_count(void);

#endif
