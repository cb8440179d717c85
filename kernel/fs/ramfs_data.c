/*
 * RAM filesystem file contents: a growable array of frames per file, read
 * and written through temporary mappings only. Invariant: every byte of an
 * allocated frame at or beyond the file size is zero, so growing a file
 * (by write or truncate) shows zeros without touching old frames.
 *
 * A write is prepared (a larger frame array allocated, the missing frames
 * reserved with pmm_reserve) before anything changes, and then committed
 * with allocations that cannot fail: a failed write leaves the file as it
 * was. Everything here runs under the file's lock (see ramfs.c for the
 * lock order).
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/pmm.h>
#include <copra/string.h>
#include <copra/tmpmap.h>

#include "ramfs_internal.h"

static u64 ramfs_frames_used; /* atomic: frames holding file data */

/* What a write needs, obtained before the file is changed. */
struct ramfs_prep {
	u64 *frames;     /* new, larger frame array, or NULL */
	u64 cap;
	u64 missing;     /* frames reserved for the holes being written */
};

static int ramfs_file_check(const struct ramfs_node *n)
{
	if (!n)
		return -E_INVAL;
	return n->type == RAMFS_FILE ? 0 : -E_TYPE;
}

static spa_t ramfs_frame(const struct ramfs_node *n, u64 idx)
{
	return spa_init(n->frames[idx] & ~RAMFS_FRAME_PRESENT);
}

static bool ramfs_has_frame(const struct ramfs_node *n, u64 idx)
{
	return idx < n->frame_cap && n->frames[idx] != 0;
}

u64 ramfs_data_frames(void)
{
	return __atomic_load_n(&ramfs_frames_used, __ATOMIC_RELAXED);
}

u64 ramfs_data_size(struct ramfs_node *n)
{
	u64 size;

	spin_lock(&n->lock);
	size = n->size;
	spin_unlock(&n->lock);
	return size;
}

void ramfs_data_release(struct ramfs_node *n)
{
	u64 i, freed = 0;

	for (i = 0; i < n->frame_cap; i++) {
		if (n->frames[i]) {
			pmm_free_frame(ramfs_frame(n, i));
			freed++;
		}
	}
	kfree(n->frames);
	n->frames = NULL;
	n->frame_cap = 0;
	n->size = 0;
	__atomic_fetch_sub(&ramfs_frames_used, freed, __ATOMIC_RELAXED);
}

int ramfs_read(struct ramfs_node *n, u64 off, void *buf, size_t len, size_t *done)
{
	u8 *dst = buf;
	u64 pos, end, count = 0;
	int ret = ramfs_file_check(n);

	if (done)
		*done = 0;
	if (ret)
		return ret;
	if (!buf && len)
		return -E_INVAL;
	spin_lock(&n->lock);
	if (off < n->size)
		count = MIN((u64)len, n->size - off);
	for (pos = off, end = off + count; pos < end;) {
		u64 idx = pos / PAGE_SIZE, in = pos % PAGE_SIZE;
		u64 chunk = MIN(PAGE_SIZE - in, end - pos);
		struct tmpmap m;

		if (ramfs_has_frame(n, idx)) {
			memcpy(dst, (u8 *)tmpmap_map(ramfs_frame(n, idx), &m) + in, chunk);
			tmpmap_unmap(&m);
		} else {
			memset(dst, 0, chunk);
		}
		dst += chunk;
		pos += chunk;
	}
	spin_unlock(&n->lock);
	if (done)
		*done = (size_t)count;
	return 0;
}

/* Under n->lock: allocates what writing pages [first, last] needs; changes nothing. */
static int ramfs_write_prepare(struct ramfs_node *n, u64 first, u64 last, struct ramfs_prep *p)
{
	u64 i;

	p->frames = NULL;
	p->cap = n->frame_cap;
	p->missing = 0;
	if (last >= n->frame_cap) {
		p->cap = MIN(MAX(last + 1, n->frame_cap * 2), RAMFS_MAX_FRAMES);
		p->frames = kzalloc(p->cap * sizeof(u64));
		if (!p->frames)
			return -E_NOMEM;
	}
	for (i = first; i <= last; i++)
		if (!ramfs_has_frame(n, i))
			p->missing++;
	if (p->missing && pmm_reserve(p->missing)) {
		kfree(p->frames);
		return -E_NOMEM;
	}
	return 0;
}

/* Under n->lock: installs the prepared array and frames; cannot fail. */
static void ramfs_write_commit(struct ramfs_node *n, u64 off, u64 end, struct ramfs_prep *p)
{
	u64 i;

	if (p->frames) {
		if (n->frame_cap)
			memcpy(p->frames, n->frames, n->frame_cap * sizeof(u64));
		kfree(n->frames);
		n->frames = p->frames;
		n->frame_cap = p->cap;
	}
	for (i = off / PAGE_SIZE; i <= (end - 1) / PAGE_SIZE; i++) {
		u64 start = i * PAGE_SIZE;
		spa_t f;

		if (n->frames[i])
			continue;
		f = pmm_alloc_reserved();
		/* A page the write covers entirely needs no zeroing. */
		if (off > start || end < start + PAGE_SIZE)
			tmpmap_zero_frame(f);
		n->frames[i] = spa_addr(f) | RAMFS_FRAME_PRESENT;
	}
	__atomic_fetch_add(&ramfs_frames_used, p->missing, __ATOMIC_RELAXED);
}

/* Under n->lock: copies src to [off, end) of frames that all exist. */
static void ramfs_copy_in(struct ramfs_node *n, u64 off, u64 end, const u8 *src)
{
	u64 pos;

	for (pos = off; pos < end;) {
		u64 idx = pos / PAGE_SIZE, in = pos % PAGE_SIZE;
		u64 chunk = MIN(PAGE_SIZE - in, end - pos);
		struct tmpmap m;

		memcpy((u8 *)tmpmap_map(ramfs_frame(n, idx), &m) + in, src, chunk);
		tmpmap_unmap(&m);
		src += chunk;
		pos += chunk;
	}
}

int ramfs_write(struct ramfs_node *n, u64 off, const void *buf, size_t len, size_t *done)
{
	struct ramfs_prep p;
	u64 end;
	int ret = ramfs_file_check(n);

	if (done)
		*done = 0;
	if (ret || len == 0)
		return ret;
	if (!buf)
		return -E_INVAL;
	if (add_overflow(off, (u64)len, &end) || end > RAMFS_FILE_MAX)
		return -E_TOOBIG;
	spin_lock(&n->lock);
	ret = ramfs_write_prepare(n, off / PAGE_SIZE, (end - 1) / PAGE_SIZE, &p);
	if (!ret) {
		ramfs_write_commit(n, off, end, &p);
		ramfs_copy_in(n, off, end, buf);
		if (end > n->size)
			n->size = end;
	}
	spin_unlock(&n->lock);
	if (!ret && done)
		*done = len;
	return ret;
}

/* Under n->lock: frees the frames past new_size and zeroes the kept tail. */
static void ramfs_shrink(struct ramfs_node *n, u64 new_size)
{
	u64 keep = ALIGN_UP(new_size, PAGE_SIZE) / PAGE_SIZE, i, freed = 0;
	u64 in = new_size % PAGE_SIZE;
	struct tmpmap m;

	for (i = keep; i < n->frame_cap; i++) {
		if (n->frames[i]) {
			pmm_free_frame(ramfs_frame(n, i));
			n->frames[i] = 0;
			freed++;
		}
	}
	__atomic_fetch_sub(&ramfs_frames_used, freed, __ATOMIC_RELAXED);
	if (in && ramfs_has_frame(n, new_size / PAGE_SIZE)) {
		memset((u8 *)tmpmap_map(ramfs_frame(n, new_size / PAGE_SIZE), &m) + in, 0,
		       PAGE_SIZE - in);
		tmpmap_unmap(&m);
	}
	if (keep == 0) {
		kfree(n->frames);
		n->frames = NULL;
		n->frame_cap = 0;
	}
}

int ramfs_truncate(struct ramfs_node *n, u64 size)
{
	int ret = ramfs_file_check(n);

	if (ret)
		return ret;
	if (size > RAMFS_FILE_MAX)
		return -E_TOOBIG;
	spin_lock(&n->lock);
	if (size < n->size)
		ramfs_shrink(n, size);
	n->size = size;
	spin_unlock(&n->lock);
	return 0;
}
