/*
 * Memory objects (COPRA_OBJ_MEMORY): a fixed set of physical frames, all
 * allocated and zeroed when the object is created, so a mapping never
 * faults for want of memory later. Processes map them with mem_map (the
 * mapping holds a reference, kernel/user/vma.c); the kernel reaches the
 * frames through memobj_frame() and temporary mappings (there is no direct
 * map). The frames are freed when the last reference goes.
 */
#ifndef COPRA_MEMOBJ_H
#define COPRA_MEMOBJ_H

#include <copra/object.h>
#include <copra/types.h>

#define MEMOBJ_MAX_SIZE (64ULL << 20) /* bytes; docs/syscalls.md section 4.5 */

struct memobj {
	struct object obj;    /* COPRA_OBJ_MEMORY */
	u64 npages;
	spa_t frames[];       /* npages frames, owned by the object */
};

/*
 * A new object of size bytes (non-zero multiple of 4096, <= 64 MiB), zeroed;
 * the caller holds the one reference. -E_INVAL, -E_TOOBIG or -E_NOMEM (with
 * nothing allocated).
 */
int memobj_create(u64 size, struct memobj **out) __must_check;

static inline struct object *memobj_object(struct memobj *m)
{
	return &m->obj;
}

/* The memory object behind o, or NULL when o is of another type. */
static inline struct memobj *memobj_from_object(struct object *o)
{
	return o && o->type == COPRA_OBJ_MEMORY ? container_of(o, struct memobj, obj) : NULL;
}

static inline u64 memobj_pages(const struct memobj *m)
{
	return m->npages;
}

/* The frame backing page index (< memobj_pages(m)). */
static inline spa_t memobj_frame(const struct memobj *m, u64 index)
{
	return m->frames[index];
}

/* Frames held by all live memory objects (leak checks in tests). */
u64 memobj_frames_in_use(void);

#endif
