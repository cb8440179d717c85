/*
 * Linux personality: memory. Anonymous mmap is a fresh memory object
 * (allocated and zeroed at once) mapped with vma_map, its handle never
 * installed; munmap and mprotect are vma_unmap and vma_protect. The program
 * break is a run of pages the process owns outright, mapped above the
 * image as brk grows and unmapped as it shrinks.
 *
 * Limits (docs/linux-abi.md): no file mappings (-ENODEV), one mapping at
 * most MEMOBJ_MAX_SIZE (64 MiB), never writable and executable at once
 * (-EACCES), PROT_NONE maps readable pages (there are no inaccessible
 * mappings), the break grows at most 1 GiB.
 */
#include <abi/syscall.h>
#include <copra/errno.h>
#include <copra/memlayout.h>
#include <copra/memobj.h>
#include <copra/pgtable.h>
#include <copra/process.h>

#include "linux_internal.h"
#include "user_internal.h"

#define LX_PROT_RWX 7ULL
#define LX_PROT_WRITE 2ULL
#define LX_PROT_EXEC 4ULL
#define LX_MAP_TYPE 0x0F
#define LX_MAP_SHARED 0x01
#define LX_MAP_SHARED_VALIDATE 0x03
#define LX_MAP_FIXED 0x10
#define LX_MAP_ANONYMOUS 0x20
#define LX_MAP_FIXED_NOREPLACE 0x100000
/* Accepted and needing nothing: DENYWRITE, EXECUTABLE, LOCKED, NORESERVE, POPULATE, NONBLOCK, STACK. */
#define LX_MAP_IGNORED (0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000)
#define LX_MAP_KNOWN (LX_MAP_TYPE | LX_MAP_FIXED | LX_MAP_ANONYMOUS | LX_MAP_FIXED_NOREPLACE | \
		      LX_MAP_IGNORED)
#define LX_MADV_DONTNEED 4
#define LX_MADV_FREE 8
#define LX_MADV_REMOVE 9
#define LX_MADV_MAX 30
#define LX_BRK_MAX (1ULL << 30)

/* Linux prot to COPRA_PROT_* (the same bits); PROT_NONE becomes read-only. */
static s64 linux_prot(u64 prot, u32 *out)
{
	if (prot & ~LX_PROT_RWX)
		return LX_ERR(LX_EINVAL);
	if ((prot & LX_PROT_WRITE) && (prot & LX_PROT_EXEC))
		return LX_ERR(LX_EACCES);
	*out = prot ? (u32)prot : COPRA_PROT_READ;
	return 0;
}

/* Maps o (size bytes) where the flags say; *at is the address chosen. */
static s64 linux_mmap_place(struct process *p, struct object *o, u64 addr, u64 size, u32 flags,
			    u32 prot, u64 *at)
{
	s64 r;

	if (flags & LX_MAP_FIXED) {
		r = vma_unmap(p, addr, size); /* MAP_FIXED replaces whatever was there */
		if (!r)
			r = vma_map(p, o, addr, prot, at);
		return r == -E_EXIST || r == -E_FAULT ? LX_ERR(LX_ENOMEM) : r;
	}
	if (flags & LX_MAP_FIXED_NOREPLACE) {
		r = vma_map(p, o, addr, prot, at);
		return r == -E_FAULT ? LX_ERR(LX_ENOMEM) : r;
	}
	/* A hint is taken when it is free; otherwise the kernel chooses. */
	if (addr && IS_ALIGNED(addr, PAGE_SIZE) && vma_map(p, o, addr, prot, at) == 0)
		return 0;
	return vma_map(p, o, 0, prot, at);
}

s64 lx_mmap(struct sys_ctx *c)
{
	u64 addr = c->a[0], len = c->a[1], at = 0;
	u32 flags = (u32)c->a[3], type = flags & LX_MAP_TYPE, prot;
	struct memobj *m;
	s64 r;

	if (!len || (flags & ~LX_MAP_KNOWN) || (type != LX_MAP_SHARED && type != 0x02 &&
						type != LX_MAP_SHARED_VALIDATE))
		return LX_ERR(LX_EINVAL);
	if (!(flags & LX_MAP_ANONYMOUS))
		return LX_ERR(LX_ENODEV);
	if (!IS_ALIGNED(c->a[5], PAGE_SIZE) ||
	    ((flags & (LX_MAP_FIXED | LX_MAP_FIXED_NOREPLACE)) && !IS_ALIGNED(addr, PAGE_SIZE)))
		return LX_ERR(LX_EINVAL);
	r = linux_prot(c->a[2], &prot);
	if (r)
		return r;
	if (len > MEMOBJ_MAX_SIZE)
		return LX_ERR(LX_ENOMEM);
	r = memobj_create(ALIGN_UP(len, PAGE_SIZE), &m);
	if (r)
		return r;
	r = linux_mmap_place(c->proc, memobj_object(m), addr, ALIGN_UP(len, PAGE_SIZE), flags,
			     prot, &at);
	obj_put(memobj_object(m)); /* the mapping holds its own reference */
	return r ? r : (s64)at;
}

s64 lx_munmap(struct sys_ctx *c)
{
	u64 addr = c->a[0], len = c->a[1];
	s64 r;

	if (!len || !IS_ALIGNED(addr, PAGE_SIZE) || len > USER_TOP)
		return LX_ERR(LX_EINVAL);
	r = vma_unmap(c->proc, addr, ALIGN_UP(len, PAGE_SIZE));
	return r == -E_FAULT ? LX_ERR(LX_EINVAL) : r;
}

s64 lx_mprotect(struct sys_ctx *c)
{
	u64 addr = c->a[0], len = c->a[1];
	u32 prot;
	s64 r;

	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return LX_ERR(LX_EINVAL);
	if (!len)
		return 0;
	if (len > USER_TOP)
		return LX_ERR(LX_ENOMEM);
	r = linux_prot(c->a[2], &prot);
	if (r)
		return r;
	r = vma_protect(c->proc, addr, ALIGN_UP(len, PAGE_SIZE), prot);
	if (r == -E_FAULT)
		return LX_ERR(LX_ENOMEM); /* a page in the range is not mapped */
	return r == -E_PERM ? LX_ERR(LX_EACCES) : r;
}

/* Advice only: nothing that would have to discard contents (DONTNEED, FREE, REMOVE). */
s64 lx_madvise(struct sys_ctx *c)
{
	u64 advice = (u32)c->a[2];

	if (!IS_ALIGNED(c->a[0], PAGE_SIZE) || advice > LX_MADV_MAX ||
	    advice == LX_MADV_DONTNEED || advice == LX_MADV_FREE || advice == LX_MADV_REMOVE)
		return LX_ERR(LX_EINVAL);
	return 0;
}

/* Maps zeroed pages from brk_mapped up to end; all or nothing. */
static int linux_brk_grow(struct process *p, u64 end)
{
	u64 va;

	for (va = p->brk_mapped; va < end; va += PAGE_SIZE) {
		if (exec_map_page(va, NULL, 0, 0, PROT_U | PROT_W) == 0)
			continue;
		if (va > p->brk_mapped && vma_unmap(p, p->brk_mapped, va - p->brk_mapped))
			p->brk_mapped = va; /* could not undo: keep them as part of the break */
		return -E_NOMEM;
	}
	return 0;
}

/* Linux brk returns the new break, or the old one when it cannot move. */
s64 lx_brk(struct sys_ctx *c)
{
	struct process *p = c->proc;
	u64 want = c->a[0], end;

	if (want < p->brk_start || want - p->brk_start > LX_BRK_MAX)
		return (s64)p->brk; /* brk(0) asks where it is */
	end = ALIGN_UP(want, PAGE_SIZE);
	if (end > p->brk_mapped && linux_brk_grow(p, end))
		return (s64)p->brk;
	if (end < p->brk_mapped && vma_unmap(p, end, p->brk_mapped - end))
		return (s64)p->brk;
	p->brk_mapped = end;
	p->brk = want;
	return (s64)want;
}
