/* Reference counting and ids for kernel objects (include/copra/object.h). */
#include <copra/object.h>
#include <copra/panic.h>

static u64 obj_next_id = 1;
static u64 obj_live;

void obj_init(struct object *o, u32 type, const struct object_ops *ops)
{
	o->type = type;
	o->refs = 1;
	o->id = __atomic_fetch_add(&obj_next_id, 1, __ATOMIC_RELAXED);
	o->ops = ops;
	__atomic_add_fetch(&obj_live, 1, __ATOMIC_RELAXED);
}

void obj_get(struct object *o)
{
	u32 old = __atomic_fetch_add(&o->refs, 1, __ATOMIC_RELAXED);

	CHECK_INVARIANT(old > 0);
}

void obj_put(struct object *o)
{
	u32 old = __atomic_fetch_sub(&o->refs, 1, __ATOMIC_ACQ_REL);

	CHECK_INVARIANT(old > 0);
	if (old == 1) {
		__atomic_sub_fetch(&obj_live, 1, __ATOMIC_RELAXED);
		o->ops->destroy(o);
	}
}

u64 obj_live_count(void)
{
	return __atomic_load_n(&obj_live, __ATOMIC_RELAXED);
}
