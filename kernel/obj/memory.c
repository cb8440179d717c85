/*
 * Memory objects (include/copra/memobj.h) and the memory system calls
 * mem_create, mem_map, mem_unmap and mem_protect (docs/syscalls.md 4.5). The
 * frames are reserved up front (pmm_reserve), so creation either gets every
 * frame or fails with nothing allocated; they are zeroed through temporary
 * mappings. The mapping work is the process's mapping list
 * (kernel/user/vma.c).
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/memobj.h>
#include <copra/pmm.h>
#include <copra/process.h>
#include <copra/tmpmap.h>

#include "../user/syscall.h"

static u64 memobj_frames_live;

static void memobj_destroy(struct object *o)
{
	struct memobj *m = container_of(o, struct memobj, obj);
	u64 i;

	for (i = 0; i < m->npages; i++)
		pmm_free_frame(m->frames[i]);
	__atomic_sub_fetch(&memobj_frames_live, m->npages, __ATOMIC_RELAXED);
	kfree(m);
}

static const struct object_ops memobj_ops = {
	.name = "memory",
	.destroy = memobj_destroy,
};

int memobj_create(u64 size, struct memobj **out)
{
	struct memobj *m;
	u64 n, i;

	if (!size || !IS_ALIGNED(size, PAGE_SIZE))
		return -E_INVAL;
	if (size > MEMOBJ_MAX_SIZE)
		return -E_TOOBIG;
	n = size / PAGE_SIZE;
	m = kmalloc(sizeof(*m) + n * sizeof(spa_t));
	if (!m)
		return -E_NOMEM;
	if (pmm_reserve(n)) {
		kfree(m);
		return -E_NOMEM;
	}
	for (i = 0; i < n; i++) {
		m->frames[i] = pmm_alloc_reserved();
		tmpmap_zero_frame(m->frames[i]);
	}
	m->npages = n;
	obj_init(&m->obj, COPRA_OBJ_MEMORY, &memobj_ops);
	__atomic_add_fetch(&memobj_frames_live, n, __ATOMIC_RELAXED);
	*out = m;
	return 0;
}

u64 memobj_frames_in_use(void)
{
	return __atomic_load_n(&memobj_frames_live, __ATOMIC_RELAXED);
}

/* A u32 argument other than a handle: upper bits set is -E_INVAL. */
static int mem_u32_arg(u64 v, u32 *out)
{
	*out = (u32)v;
	return v <= 0xFFFFFFFFu ? 0 : -E_INVAL;
}

/* mem_create(u64 size) -> handle */
s64 sys_mem_create(struct sys_ctx *c)
{
	struct memobj *m;
	copra_handle_t h;
	int r;

	r = memobj_create(c->a[0], &m);
	if (r)
		return r;
	r = handle_install(c->proc, memobj_object(m), &h);
	obj_put(memobj_object(m));
	return r ? r : (s64)h;
}

/* mem_map(h, u64 addr (0: any), u32 prot) -> address */
s64 sys_mem_map(struct sys_ctx *c)
{
	struct object *o;
	copra_handle_t h;
	u64 va;
	u32 prot;
	int r;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	r = handle_get(c->proc, h, COPRA_OBJ_MEMORY, &o);
	if (r)
		return r;
	r = mem_u32_arg(c->a[2], &prot);
	if (!r)
		r = vma_map(c->proc, o, c->a[1], prot, &va);
	obj_put(o);
	return r ? r : (s64)va;
}

/* mem_unmap(u64 addr, u64 size) */
s64 sys_mem_unmap(struct sys_ctx *c)
{
	return vma_unmap(c->proc, c->a[0], c->a[1]);
}

/* mem_protect(u64 addr, u64 size, u32 prot) */
s64 sys_mem_protect(struct sys_ctx *c)
{
	u32 prot;
	int r = mem_u32_arg(c->a[2], &prot);

	return r ? r : vma_protect(c->proc, c->a[0], c->a[1], prot);
}
